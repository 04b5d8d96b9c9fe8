"use client";

import { useRef, useState } from "react";
import { Field } from "@/components/ui/field";
import { Spinner } from "@/components/ui/spinner";
import { inspectKubeconfigAction } from "@/lib/clusters/actions";
import type { KubeconfigSummary } from "@/lib/clusters/schema";
import { authKindLabels } from "@/lib/clusters/schema";

type Inspection =
  { state: "idle" | "loading" } | { state: "done"; summary: KubeconfigSummary } | { state: "error"; message: string };

type Props = {
  kubeconfig: string;
  context: string;
  errors: { kubeconfig?: string; context?: string };
  hint: string;
  /** The name of the cluster already added from this context of this server, or null. */
  addedAs?: (context: string, server: string | null) => string | null;
  onChange: (patch: { kubeconfig?: string; context?: string }) => void;
};

function firstUsable(summary: KubeconfigSummary): string {
  const usable = summary.contexts.filter((c) => !c.problem);
  return (usable.find((c) => c.name === summary.currentContext) ?? usable[0] ?? summary.contexts[0])?.name ?? "";
}

/** Paste or upload a kubeconfig; the server lists its contexts (credentials never come back) and one is picked. */
export function KubeconfigInput({ kubeconfig, context, errors, hint, addedAs, onChange }: Props) {
  const [inspection, setInspection] = useState<Inspection>({ state: "idle" });
  const timer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  const latest = useRef("");

  const inspect = async (text: string) => {
    latest.current = text;
    if (!text.trim()) return setInspection({ state: "idle" });
    setInspection({ state: "loading" });
    const res = await inspectKubeconfigAction(text);
    if (latest.current !== text) return;
    if (!res.ok) return setInspection({ state: "error", message: res.error.fields?.kubeconfig ?? res.error.message });
    setInspection({ state: "done", summary: res.data });
    onChange({ context: firstUsable(res.data) });
  };

  const changeText = (text: string, immediate = false) => {
    onChange({ kubeconfig: text, context: "" });
    clearTimeout(timer.current);
    if (immediate) void inspect(text);
    else timer.current = setTimeout(() => void inspect(text), 400);
  };

  const contexts = inspection.state === "done" ? inspection.summary.contexts : [];
  const chosen = contexts.find((c) => c.name === context);
  const added = chosen ? (addedAs?.(chosen.name, chosen.server) ?? null) : null;
  return (
    <>
      <Field
        label="Kubeconfig"
        required
        error={errors.kubeconfig ?? (inspection.state === "error" ? inspection.message : undefined)}
        hint={hint}
      >
        <textarea
          value={kubeconfig}
          spellCheck={false}
          autoComplete="off"
          placeholder="apiVersion: v1&#10;kind: Config&#10;clusters: …"
          onChange={(e) => changeText(e.target.value)}
        />
      </Field>
      <div className="row" style={{ flexWrap: "wrap" }}>
        <label className="btn btn-sm">
          Upload a kubeconfig file
          <input
            type="file"
            className="sr-only"
            onChange={async (e) => {
              const file = e.target.files?.[0];
              if (file) changeText(await file.text(), true);
              e.target.value = "";
            }}
          />
        </label>
        {inspection.state === "loading" ? <Spinner label="Reading the kubeconfig" /> : null}
        {inspection.state === "done" ? (
          <span className="muted">
            {contexts.length} context{contexts.length === 1 ? "" : "s"} found
          </span>
        ) : null}
      </div>
      {contexts.length > 0 ? (
        <Field
          label="Context"
          required
          error={errors.context ?? chosen?.problem ?? undefined}
          hint={
            chosen
              ? `${chosen.server ?? "no server"} · ${chosen.authKind ? authKindLabels[chosen.authKind] : "no credentials"}${chosen.namespace ? ` · namespace ${chosen.namespace}` : ""}`
              : undefined
          }
        >
          <select value={context} onChange={(e) => onChange({ context: e.target.value })}>
            {contexts.map((c) => (
              <option key={c.name} value={c.name}>
                {c.name}
                {c.problem ? " (cannot be used)" : ""}
              </option>
            ))}
          </select>
        </Field>
      ) : null}
      {added ? (
        <p className="callout" role="note" style={{ margin: 0 }}>
          This context is already added as cluster <strong className="mono">{added}</strong>. Saving adds the same
          cluster a second time, and both entries would sync it.
        </p>
      ) : null}
    </>
  );
}
