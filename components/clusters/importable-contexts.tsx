"use client";

import { useTransition } from "react";
import { toast } from "@/components/ui/toast";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { importClusterAction } from "@/lib/clusters/actions";
import { authKindLabels } from "@/lib/clusters/schema";
import type { ImportableContexts } from "@/lib/clusters/startup";

function ImportButton({ context, name, onImported }: { context: string; name: string; onImported: () => void }) {
  const [pending, start] = useTransition();
  return (
    <Button
      size="sm"
      aria-label={`Import context ${context}`}
      disabled={pending}
      onClick={() =>
        start(async () => {
          const res = await importClusterAction({ context, name });
          if (!res.ok) return void toast.error(res.error.message);
          toast.success(`Cluster ${res.data.name} added from context ${context}`);
          onImported();
        })
      }
    >
      {pending ? "Importing…" : "Import"}
    </Button>
  );
}

/** Contexts of the KUBECONFIG the server was started with, offered for one-click import. */
export function ImportableContextsPanel({
  importable,
  onImported,
}: {
  importable: ImportableContexts;
  onImported: () => void;
}) {
  if (importable.contexts.length === 0) return null;
  return (
    <section className="card stack" style={{ gap: 10 }} aria-labelledby="importable-heading">
      <div>
        <h2 id="importable-heading" style={{ margin: 0 }}>
          Contexts from the server&apos;s KUBECONFIG
        </h2>
        <p className="muted" style={{ margin: "4px 0 0" }}>
          Regcred was started with <code>KUBECONFIG={importable.files.join(":")}</code>. Import a context to manage that
          cluster.
        </p>
      </div>
      <ul style={{ margin: 0, padding: 0, listStyle: "none", display: "grid", gap: 8 }}>
        {importable.contexts.map((c) => (
          <li key={c.name} className="row" style={{ justifyContent: "space-between", flexWrap: "wrap" }}>
            <span>
              <strong className="mono">{c.name}</strong>{" "}
              <span className="muted">
                {c.server ?? "no server"}
                {c.authKind ? ` · ${authKindLabels[c.authKind]}` : ""}
              </span>
              {c.problem ? (
                <>
                  <br />
                  <span style={{ color: "var(--danger)" }}>{c.problem}</span>
                </>
              ) : null}
            </span>
            {c.addedAs ? (
              <Badge tone="ok">added as {c.addedAs}</Badge>
            ) : c.problem ? (
              <Badge tone="bad">cannot be used</Badge>
            ) : (
              <ImportButton context={c.name} name={c.suggestedName} onImported={onImported} />
            )}
          </li>
        ))}
      </ul>
    </section>
  );
}
