"use client";

import { type FormEvent, useState } from "react";
import { Field } from "@/components/ui/field";
import { type AuditFilters, localInputToIso, noAuditFilters } from "@/lib/audit/filters";
import styles from "./audit.module.css";
import { Button } from "@/components/ui/button";

const knownActions = [
  "cluster.delete",
  "cluster.register-in-cluster",
  "cluster.sync",
  "cluster.test",
  "cluster.update",
  "registry.create",
  "registry.creds.read",
  "registry.delete",
  "registry.test",
  "registry.update",
  "token.create",
  "token.revoke",
  "user.invite",
  "user.remove",
  "user.role",
];

// datetime-local shows and returns local wall time without a zone.
function isoToLocalInput(iso: string): string {
  if (!iso) return "";
  const time = new Date(iso);
  return new Date(time.getTime() - time.getTimezoneOffset() * 60_000).toISOString().slice(0, 16);
}

type Props = { applied: AuditFilters; onApply: (filters: AuditFilters) => void };

/** The filter form: nothing is sent until "Apply filters"; every filter is an exact match. */
export function AuditFilterForm({ applied, onApply }: Props) {
  const [draft, setDraft] = useState({
    ...applied,
    since: isoToLocalInput(applied.since),
    until: isoToLocalInput(applied.until),
  });
  const set = (patch: Partial<AuditFilters>) => setDraft((d) => ({ ...d, ...patch }));
  const submit = (event: FormEvent) => {
    event.preventDefault();
    onApply({ ...draft, since: localInputToIso(draft.since), until: localInputToIso(draft.until) });
  };
  const clear = () => {
    setDraft(noAuditFilters);
    onApply(noAuditFilters);
  };
  return (
    <form role="search" aria-label="Filter the audit log" className={`card ${styles.filters}`} onSubmit={submit}>
      <Field label="Action" hint="such as registry.create">
        <input
          type="text"
          list="audit-actions"
          value={draft.action}
          onChange={(e) => set({ action: e.target.value })}
          spellCheck={false}
          autoComplete="off"
        />
      </Field>
      <datalist id="audit-actions">
        {knownActions.map((a) => (
          <option key={a} value={a} />
        ))}
      </datalist>
      <Field label="Actor" hint="an email, token:<name> or system">
        <input
          type="text"
          value={draft.actor}
          onChange={(e) => set({ actor: e.target.value })}
          spellCheck={false}
          autoComplete="off"
        />
      </Field>
      <Field label="Target" hint="a registry, cluster, token or user id">
        <input
          type="text"
          value={draft.target}
          onChange={(e) => set({ target: e.target.value })}
          spellCheck={false}
          autoComplete="off"
        />
      </Field>
      <Field label="From" hint="your local time">
        <input
          type="datetime-local"
          className={styles.time}
          value={draft.since}
          onChange={(e) => set({ since: e.target.value })}
        />
      </Field>
      <Field label="Until" hint="your local time">
        <input
          type="datetime-local"
          className={styles.time}
          value={draft.until}
          onChange={(e) => set({ until: e.target.value })}
        />
      </Field>
      <div className={`row ${styles.buttons}`}>
        <Button type="submit" variant="primary">
          Apply filters
        </Button>
        <Button onClick={clear}>Clear</Button>
      </div>
    </form>
  );
}
