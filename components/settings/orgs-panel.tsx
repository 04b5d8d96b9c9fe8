"use client";

import { useQuery, useQueryClient } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useState, useTransition } from "react";
import { toast } from "@/components/ui/toast";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Field } from "@/components/ui/field";
import { FormDialog } from "@/components/ui/form-dialog";
import { type Column, DataTable, Row, RowActions } from "@/components/ui/table";
import type { FieldErrors } from "@/lib/errors";
import {
  addOrgMemberAction,
  createOrgAction,
  listAllOrgsAction,
  setOrgAwsDefaultChainAction,
} from "@/lib/orgs/actions";
import type { OrgSummary } from "@/lib/orgs/schema";
import { unwrap } from "@/lib/result";
import { InviteUserDialog } from "./invite-dialog";

const orgKeys = { all: ["orgs", "all"] as const };
const columns: Column[] = [
  { label: "Id" },
  { label: "Name" },
  { label: "Members" },
  { label: "Admins who can sign in" },
  { label: "May use this server's AWS identity" },
  { label: "Actions", hideLabel: true },
];
type Open = { kind: "create" } | { kind: "add"; org: OrgSummary } | null;

function CreateOrgDialog({ onClose, onCreated }: { onClose: () => void; onCreated: () => void }) {
  const [id, setId] = useState("");
  const [name, setName] = useState("");
  const [errors, setErrors] = useState<FieldErrors>({});
  const [pending, start] = useTransition();
  const submit = () =>
    start(async () => {
      const res = await createOrgAction({ id: id.trim(), name: name.trim() || id.trim() });
      if (!res.ok) {
        setErrors(res.error.fields ?? {});
        toast.error(res.error.message);
        return;
      }
      toast.success(`Org ${res.data.id} created; you are its admin`);
      onCreated();
      onClose();
    });
  return (
    <FormDialog
      title="Create an org"
      description="You become its first admin; switch to it in the sidebar to invite its members."
      submitLabel="Create org"
      pendingLabel="Creating…"
      pending={pending}
      onSubmit={submit}
      onClose={onClose}
    >
      <Field label="Id" required error={errors.id} hint="Lowercase letters, digits and dashes; used in API paths.">
        <input
          type="text"
          value={id}
          autoComplete="off"
          autoFocus
          onChange={(e) => {
            setId(e.target.value);
            setErrors(({ id: _, ...rest }) => rest);
          }}
        />
      </Field>
      <Field label="Name" error={errors.name}>
        <input
          type="text"
          value={name}
          autoComplete="off"
          maxLength={120}
          onChange={(e) => {
            setName(e.target.value);
            setErrors(({ name: _, ...rest }) => rest);
          }}
        />
      </Field>
    </FormDialog>
  );
}

/** The per-org switch: may its ECR registries mint with this server's own AWS identity (IRSA, instance role…). */
function AwsIdentitySwitch({ org, onChanged }: { org: OrgSummary; onChanged: () => void }) {
  const [pending, start] = useTransition();
  const toggle = (allowed: boolean) =>
    start(async () => {
      const res = await setOrgAwsDefaultChainAction(org.id, allowed);
      if (!res.ok) {
        toast.error(res.error.message);
        return;
      }
      toast.success(
        allowed
          ? `${org.id} may now use this server's AWS identity for ECR`
          : `${org.id} may no longer use this server's AWS identity`,
      );
      onChanged();
    });
  return (
    <label className="switch">
      <input
        type="checkbox"
        role="switch"
        checked={org.awsDefaultChain}
        disabled={pending}
        aria-label={`May use this server's AWS identity: ${org.id}`}
        onChange={(e) => toggle(e.target.checked)}
      />
      {org.awsDefaultChain ? "Allowed" : "Off"}
    </label>
  );
}

/** Instance admins only: every org, creating orgs, and adding members to any org. */
export function OrgsPanel({ initial }: { initial: OrgSummary[] }) {
  const queryClient = useQueryClient();
  const router = useRouter();
  const [open, setOpen] = useState<Open>(null);
  const { data: orgs = initial } = useQuery({
    queryKey: orgKeys.all,
    queryFn: async () => unwrap(await listAllOrgsAction()),
    initialData: initial,
  });
  const refresh = () => void queryClient.invalidateQueries({ queryKey: orgKeys.all });
  const close = () => setOpen(null);
  return (
    <section className="stack" aria-labelledby="orgs-heading">
      <header className="page-head" style={{ marginBottom: 0 }}>
        <div>
          <h2 id="orgs-heading" style={{ margin: 0 }}>
            Orgs
          </h2>
          <p>
            You are an instance admin: you can create orgs and add members to any org, including one you do not belong
            to, and decide which orgs&apos; Amazon ECR registries may mint tokens with this server&apos;s own AWS
            identity (web identity / IRSA, container or instance role) instead of access keys.
          </p>
        </div>
        <Button variant="primary" onClick={() => setOpen({ kind: "create" })}>
          Create org
        </Button>
      </header>
      <DataTable caption="Every org of this installation" columns={columns}>
        {orgs.map((o) => (
          <Row key={o.id} data-org-id={o.id}>
            <td className="mono">{o.id}</td>
            <td>{o.name}</td>
            <td>{o.members}</td>
            <td>{o.admins === 0 ? <Badge tone="bad">none</Badge> : o.admins}</td>
            <td>
              <AwsIdentitySwitch org={o} onChanged={refresh} />
            </td>
            <td>
              <RowActions>
                <Button size="sm" aria-label={`Add member to ${o.id}`} onClick={() => setOpen({ kind: "add", org: o })}>
                  Add member
                </Button>
              </RowActions>
            </td>
          </Row>
        ))}
      </DataTable>
      {open?.kind === "create" ? (
        <CreateOrgDialog
          onClose={close}
          onCreated={() => {
            refresh();
            router.refresh();
          }}
        />
      ) : null}
      {open?.kind === "add" ? (
        <InviteUserDialog
          title={`Add a member to ${open.org.id}`}
          invite={(body) => addOrgMemberAction(open.org.id, body)}
          onClose={close}
          onInvited={refresh}
        />
      ) : null}
    </section>
  );
}
