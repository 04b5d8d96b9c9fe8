"use client";

import type { FieldErrors } from "@/lib/errors";
import type { SecretRow } from "@/lib/registries/form";

type Props = { rows: SecretRow[]; errors: FieldErrors; onChange: (rows: SecretRow[]) => void };

export function SecretRefRows({ rows, errors, onChange }: Props) {
  const update = (i: number, patch: Partial<SecretRow>) =>
    onChange(rows.map((r, j) => (j === i ? { ...r, ...patch } : r)));
  return (
    <fieldset className="stack" style={{ border: "1px solid var(--border)", borderRadius: 8, padding: 12, gap: 10 }}>
      <legend style={{ fontWeight: 600, fontSize: 13 }}>Secrets to copy (cluster → namespace / secret)</legend>
      {errors.secrets ? (
        <span className="error" role="alert" style={{ color: "var(--danger)", fontSize: 12 }}>
          {errors.secrets}
        </span>
      ) : null}
      {rows.map((row, i) => {
        const prefix = `secrets.${row.cluster.trim()}`;
        const err =
          errors[`${prefix}.namespace`] ??
          errors[`${prefix}.secret`] ??
          errors[`secrets.${i}.cluster`] ??
          errors[prefix];
        return (
          <div key={i} style={{ display: "grid", gridTemplateColumns: "1fr 1fr 1fr auto", gap: 6, alignItems: "end" }}>
            <input
              type="text"
              aria-label={`Cluster key, row ${i + 1}`}
              placeholder="* or cluster name"
              value={row.cluster}
              onChange={(e) => update(i, { cluster: e.target.value })}
            />
            <input
              type="text"
              aria-label={`Namespace, row ${i + 1}`}
              placeholder="namespace"
              value={row.namespace}
              onChange={(e) => update(i, { namespace: e.target.value })}
            />
            <input
              type="text"
              aria-label={`Secret name, row ${i + 1}`}
              placeholder="secret name"
              value={row.secret}
              onChange={(e) => update(i, { secret: e.target.value })}
            />
            <button
              type="button"
              className="btn btn-sm"
              aria-label={`Remove row ${i + 1}`}
              disabled={rows.length === 1}
              onClick={() => onChange(rows.filter((_, j) => j !== i))}
            >
              ✕
            </button>
            {err ? (
              <span
                className="error"
                role="alert"
                style={{ gridColumn: "1 / -1", color: "var(--danger)", fontSize: 12 }}
              >
                {err}
              </span>
            ) : null}
          </div>
        );
      })}
      <button
        type="button"
        className="btn btn-sm"
        style={{ justifySelf: "start" }}
        onClick={() => onChange([...rows, { cluster: "", namespace: "", secret: "" }])}
      >
        + Add a cluster
      </button>
    </fieldset>
  );
}
