"use client";

import { toast } from "@/components/ui/toast";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";
import { deleteRegistryAction } from "@/lib/registries/actions";
import { secretNameFor } from "@/lib/sync/labels";

export function DeleteRegistryDialog({
  id,
  onClose,
  onDeleted,
}: {
  id: string;
  onClose: () => void;
  onDeleted: () => void;
}) {
  return (
    <ConfirmDialog
      title={`Delete registry ${id}?`}
      description={`Its stored credentials are erased, and the ${secretNameFor(id)} secrets Regcred manages will be removed from your clusters.`}
      confirmLabel="Delete"
      pendingLabel="Deleting…"
      onClose={onClose}
      onConfirm={async () => {
        const result = await deleteRegistryAction(id);
        if (!result.ok) {
          toast.error(result.error.message);
          return false;
        }
        toast.success(`Registry ${id} deleted`);
        onDeleted();
        return false;
      }}
    />
  );
}
