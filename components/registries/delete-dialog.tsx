"use client";

import { useTransition } from "react";
import { toast } from "sonner";
import { Dialog } from "@/components/ui/dialog";
import { deleteRegistryAction } from "@/lib/registries/actions";

export function DeleteRegistryDialog({ id, onClose, onDeleted }: { id: string; onClose: () => void; onDeleted: () => void }) {
  const [pending, start] = useTransition();
  return (
    <Dialog
      open
      onClose={onClose}
      title={`Delete registry ${id}?`}
      description={`Its stored credentials are erased, and the regcred-${id} secrets Regcred manages will be removed from your clusters.`}
      footer={
        <>
          <button type="button" className="btn" onClick={onClose} autoFocus>Cancel</button>
          <button
            type="button"
            className="btn btn-danger-solid"
            disabled={pending}
            onClick={() =>
              start(async () => {
                const result = await deleteRegistryAction(id);
                if (result.ok) {
                  toast.success(`Registry ${id} deleted`);
                  onDeleted();
                } else toast.error(result.error.message);
              })
            }
          >
            {pending ? "Deleting…" : "Delete"}
          </button>
        </>
      }
    >
      <p style={{ margin: 0 }}>This cannot be undone.</p>
    </Dialog>
  );
}
