"use client";

import { useQuery, useQueryClient } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { toast } from "@/components/ui/toast";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { EmptyState } from "@/components/ui/empty-state";
import { RelativeTime } from "@/components/ui/relative-time";
import { type Column, DataTable, Row, RowActions } from "@/components/ui/table";
import { type Role, Roles } from "@/lib/auth/roles";
import { unwrap } from "@/lib/result";
import { changeRoleAction, inviteUserAction, listMembersAction, removeMemberAction } from "@/lib/users/actions";
import { memberKeys } from "@/lib/users/queries";
import type { InviteResult, MemberView } from "@/lib/users/schema";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";
import { InviteDone, InviteUserDialog } from "./invite-dialog";

const columns: Column[] = [
  { label: "Email" },
  { label: "Name" },
  { label: "Role" },
  { label: "Joined" },
  { label: "Actions", hideLabel: true },
];

type Props = { orgId: string; currentUserId: string | null; initial: MemberView[] };
type Open = { kind: "invite" } | { kind: "remove"; member: MemberView } | { kind: "link"; result: InviteResult } | null;

function RoleSelect({ member, onChange }: { member: MemberView; onChange: (role: Role) => Promise<void> }) {
  const [busy, setBusy] = useState(false);
  return (
    <select
      value={member.role}
      disabled={busy}
      aria-label={`Role of ${member.email}`}
      aria-busy={busy || undefined}
      style={{ width: "auto" }}
      onChange={async (e) => {
        setBusy(true);
        await onChange(e.target.value as Role);
        setBusy(false);
      }}
    >
      {Roles.map((r) => (
        <option key={r} value={r}>
          {r}
        </option>
      ))}
    </select>
  );
}

export function UsersPanel({ orgId, currentUserId, initial }: Props) {
  const queryClient = useQueryClient();
  const router = useRouter();
  const [open, setOpen] = useState<Open>(null);
  const { data: members = initial } = useQuery({
    queryKey: memberKeys.list(orgId),
    queryFn: async () => unwrap(await listMembersAction()),
    initialData: initial,
  });
  const refresh = () => queryClient.invalidateQueries({ queryKey: memberKeys.all(orgId) });
  const close = () => setOpen(null);
  const invite = (
    <Button variant="primary" onClick={() => setOpen({ kind: "invite" })}>
      Invite user
    </Button>
  );

  const changeRole = async (member: MemberView, role: Role) => {
    const result = await changeRoleAction(member.userId, { role });
    if (!result.ok) {
      toast.error(result.error.message);
      return;
    }
    toast.success(`${member.email} is now ${role}`);
    await refresh();
    // Demoting yourself takes this page away; the server render decides what is left.
    if (member.userId === currentUserId) router.refresh();
  };

  const remove = async (member: MemberView) => {
    const result = await removeMemberAction(member.userId);
    if (!result.ok) {
      toast.error(result.error.message);
      return false;
    }
    toast.success(`${member.email} removed`);
    void refresh();
    return true;
  };

  const relink = async (member: MemberView) => {
    const result = await inviteUserAction({ email: member.email, role: member.role });
    if (!result.ok) {
      toast.error(result.error.message);
      return;
    }
    setOpen({ kind: "link", result: result.data });
    void refresh();
  };

  return (
    <section className="stack" aria-labelledby="users-heading">
      <header className="page-head" style={{ marginBottom: 0 }}>
        <div>
          <h2 id="users-heading" style={{ margin: 0 }}>
            Users
          </h2>
          <p>
            Who can sign in to this org, and what they may do. An invite link joins this org only; people with an
            account are added without one.
          </p>
        </div>
        {invite}
      </header>
      {members.length === 0 ? (
        <EmptyState title="No users yet" action={invite}>
          Invite the people who manage registries and clusters.
        </EmptyState>
      ) : (
        <DataTable caption={`Users in org ${orgId}`} columns={columns}>
          {members.map((m) => (
            <Row key={m.userId} data-user-id={m.userId}>
              <td>
                <span className="row" style={{ flexWrap: "wrap" }}>
                  {m.email}
                  {m.userId === currentUserId ? <span className="muted">(you)</span> : null}
                  {m.pending ? (
                    <Badge tone="warn" title="Has not accepted the invite to this org yet">
                      invite pending
                    </Badge>
                  ) : null}
                </span>
              </td>
              <td>{m.name || <span className="muted">—</span>}</td>
              <td>
                <RoleSelect member={m} onChange={(role) => changeRole(m, role)} />
              </td>
              <td>
                <RelativeTime iso={m.createdAt} />
              </td>
              <td>
                {m.userId === currentUserId ? null : (
                  <RowActions>
                    {m.pending ? (
                      <Button size="sm" aria-label={`New invite link for ${m.email}`} onClick={() => void relink(m)}>
                        New invite link
                      </Button>
                    ) : null}
                    <Button
                      size="sm"
                      variant="danger"
                      aria-label={`Remove ${m.email}`}
                      onClick={() => setOpen({ kind: "remove", member: m })}
                    >
                      Remove
                    </Button>
                  </RowActions>
                )}
              </td>
            </Row>
          ))}
        </DataTable>
      )}
      {open?.kind === "link" ? <InviteDone result={open.result} onClose={close} /> : null}
      {open?.kind === "invite" ? <InviteUserDialog onClose={close} onInvited={() => void refresh()} /> : null}
      {open?.kind === "remove" ? (
        <ConfirmDialog
          title={`Remove ${open.member.email}?`}
          description="They lose access to this org at once. Their account stays, so you can add them again later."
          confirmLabel="Remove"
          pendingLabel="Removing…"
          onClose={close}
          onConfirm={() => remove(open.member)}
        />
      ) : null}
    </section>
  );
}
