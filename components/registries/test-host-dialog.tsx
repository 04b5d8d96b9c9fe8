"use client";

import { FormDialog } from "@/components/ui/form-dialog";
import { TestHostField } from "./test-host-field";

type Props = {
  id: string;
  registry: string;
  host: string;
  error?: string;
  pending: boolean;
  onHost: (host: string) => void;
  onTest: () => void;
  onClose: () => void;
};

/** Asks which host to test, for a registry whose host has a glob. */
export function TestHostDialog(props: Props) {
  return (
    <FormDialog
      title={`Test credentials of ${props.id}`}
      submitLabel="Test"
      pendingLabel="Testing…"
      pending={props.pending}
      onSubmit={props.onTest}
      onClose={props.onClose}
    >
      <TestHostField registry={props.registry} value={props.host} error={props.error} onChange={props.onHost} />
    </FormDialog>
  );
}
