"use client";

import { type ReactNode, useTransition } from "react";
import { Dialog } from "@/components/ui/dialog";

type Props = {
  title: string;
  description?: ReactNode;
  confirmLabel: string;
  pendingLabel: string;
  onClose: () => void;
  /** Runs the change; resolve true to close the dialog. */
  onConfirm: () => Promise<boolean>;
  children?: ReactNode;
};

/** A destructive confirmation: Cancel has focus, the danger button runs onConfirm. */
export function ConfirmDialog({ title, description, confirmLabel, pendingLabel, onClose, onConfirm, children }: Props) {
  const [pending, start] = useTransition();
  return (
    <Dialog
      open
      onClose={onClose}
      title={title}
      description={description}
      footer={
        <>
          <button type="button" className="btn" onClick={onClose} autoFocus>
            Cancel
          </button>
          <button
            type="button"
            className="btn btn-danger-solid"
            disabled={pending}
            onClick={() =>
              start(async () => {
                if (await onConfirm()) onClose();
              })
            }
          >
            {pending ? pendingLabel : confirmLabel}
          </button>
        </>
      }
    >
      {children ?? <p style={{ margin: 0 }}>This cannot be undone.</p>}
    </Dialog>
  );
}
