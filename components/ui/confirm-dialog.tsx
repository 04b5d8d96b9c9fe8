"use client";

import { type ReactNode, useTransition } from "react";
import { Button } from "./button";
import { Dialog } from "./dialog";

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
          <Button onClick={onClose} autoFocus>
            Cancel
          </Button>
          <Button
            variant="danger-solid"
            disabled={pending}
            onClick={() =>
              start(async () => {
                if (await onConfirm()) onClose();
              })
            }
          >
            {pending ? pendingLabel : confirmLabel}
          </Button>
        </>
      }
    >
      {children ?? <p style={{ margin: 0 }}>This cannot be undone.</p>}
    </Dialog>
  );
}
