"use client";

import { type ReactNode, useId } from "react";
import { Button } from "./button";
import { Dialog } from "./dialog";

type Props = {
  title: string;
  description?: ReactNode;
  submitLabel: string;
  pendingLabel: string;
  pending: boolean;
  onSubmit: () => void;
  onClose: () => void;
  children: ReactNode;
};

/** A dialog holding one form: Cancel and a submit button in the footer, native validation off. */
export function FormDialog({
  title,
  description,
  submitLabel,
  pendingLabel,
  pending,
  onSubmit,
  onClose,
  children,
}: Props) {
  const formId = useId();
  return (
    <Dialog
      open
      onClose={onClose}
      title={title}
      description={description}
      footer={
        <>
          <Button onClick={onClose}>Cancel</Button>
          <Button type="submit" form={formId} variant="primary" disabled={pending}>
            {pending ? pendingLabel : submitLabel}
          </Button>
        </>
      }
    >
      <form
        id={formId}
        className="stack"
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          onSubmit();
        }}
      >
        {children}
      </form>
    </Dialog>
  );
}
