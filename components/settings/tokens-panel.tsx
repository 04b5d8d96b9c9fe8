"use client";

import { useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { toast } from "@/components/ui/toast";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { EmptyState } from "@/components/ui/empty-state";
import { RelativeTime } from "@/components/ui/relative-time";
import { type Column, DataTable, Row, RowActions } from "@/components/ui/table";
import { unwrap } from "@/lib/result";
import { listTokensAction, revokeTokenAction } from "@/lib/tokens/actions";
import { tokenKeys } from "@/lib/tokens/queries";
import type { TokenView } from "@/lib/tokens/schema";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";
import { CreateTokenDialog } from "./token-dialog";

const columns: Column[] = [
  { label: "Name" },
  { label: "Prefix" },
  { label: "Role" },
  { label: "CI scope" },
  { label: "Created" },
  { label: "Last used" },
  { label: "Status" },
  { label: "Actions", hideLabel: true },
];

type Props = { orgId: string; initial: TokenView[] };
type Open = { kind: "create" } | { kind: "revoke"; token: TokenView } | null;

function TokenRow({ token, onRevoke }: { token: TokenView; onRevoke: () => void }) {
  const revoked = token.revokedAt !== null;
  return (
    <Row data-token-id={token.id}>
      <td>{token.name}</td>
      <td className="mono">{token.prefix}…</td>
      <td>{token.role}</td>
      <td>{token.scopes.includes("ci") ? <Badge tone="ok">CI reads</Badge> : <span className="muted">none</span>}</td>
      <td>
        <RelativeTime iso={token.createdAt} />
      </td>
      <td>{token.lastUsedAt ? <RelativeTime iso={token.lastUsedAt} /> : <span className="muted">never</span>}</td>
      <td>{revoked ? <Badge tone="bad">revoked</Badge> : <Badge tone="ok">active</Badge>}</td>
      <td>
        {revoked ? null : (
          <RowActions>
            <Button size="sm" variant="danger" aria-label={`Revoke token ${token.name}`} onClick={onRevoke}>
              Revoke
            </Button>
          </RowActions>
        )}
      </td>
    </Row>
  );
}

export function TokensPanel({ orgId, initial }: Props) {
  const queryClient = useQueryClient();
  const [open, setOpen] = useState<Open>(null);
  const { data: tokens = initial } = useQuery({
    queryKey: tokenKeys.list(orgId),
    queryFn: async () => unwrap(await listTokensAction()),
    initialData: initial,
  });
  const refresh = () => void queryClient.invalidateQueries({ queryKey: tokenKeys.all(orgId) });
  const close = () => setOpen(null);
  const create = (
    <Button variant="primary" onClick={() => setOpen({ kind: "create" })}>
      Create token
    </Button>
  );

  const revoke = async (token: TokenView) => {
    const result = await revokeTokenAction(token.id);
    if (!result.ok) {
      toast.error(result.error.message);
      return false;
    }
    toast.success(`Token ${token.name} revoked`);
    refresh();
    return true;
  };

  return (
    <section className="stack" aria-labelledby="tokens-heading">
      <header className="page-head" style={{ marginBottom: 0 }}>
        <div>
          <h2 id="tokens-heading" style={{ margin: 0 }}>
            API tokens
          </h2>
          <p>For CI jobs and scripts calling the REST API. Each token acts with the role you give it.</p>
        </div>
        {tokens.length > 0 ? create : null}
      </header>
      {tokens.length === 0 ? (
        <EmptyState title="No API tokens yet" action={create}>
          Create a token for each CI system or script, so you can revoke one without breaking the others.
        </EmptyState>
      ) : (
        <DataTable caption={`API tokens in org ${orgId}`} columns={columns}>
          {tokens.map((t) => (
            <TokenRow key={t.id} token={t} onRevoke={() => setOpen({ kind: "revoke", token: t })} />
          ))}
        </DataTable>
      )}
      {open?.kind === "create" ? <CreateTokenDialog onClose={close} onCreated={refresh} /> : null}
      {open?.kind === "revoke" ? (
        <ConfirmDialog
          title={`Revoke token ${open.token.name}?`}
          description="Anything using it gets 401 Unauthorized from its next request."
          confirmLabel="Revoke"
          pendingLabel="Revoking…"
          onClose={close}
          onConfirm={() => revoke(open.token)}
        />
      ) : null}
    </section>
  );
}
