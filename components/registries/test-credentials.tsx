"use client";

import { useEffect, useRef, useState, useTransition } from "react";
import { toast } from "sonner";
import { Field } from "@/components/ui/field";
import { FormDialog } from "@/components/ui/form-dialog";
import { Spinner } from "@/components/ui/spinner";
import { testRegistryAction, testUnsavedRegistryAction } from "@/lib/credential-checks/actions";
import type { CheckResult } from "@/lib/credential-checks/types";
import { hasHostGlob, registryHostPart } from "@/lib/images/registry-key";
import { toRequestBody, type RegistryFormValues } from "@/lib/registries/form";
import type { ActionResult } from "@/lib/result";
import { CheckResultView } from "./check-result";

/** A short toast: the result panel under the row carries the summary and what to check. */
function announce(label: string, result: CheckResult): void {
  const text = `Credential test of ${label}: ${result.status}`;
  if (result.status === "valid") toast.success(text);
  else if (result.status === "unsupported") toast.info(text);
  else toast.error(text);
}

const testHostHint = (registry: string) =>
  `${registryHostPart(registry)} has a wildcard, so it names no single host: the test connects to this one, which it must match.`;

/** "Host to test", for a registry whose host has a glob: Enter runs the test instead of submitting a surrounding form. */
function TestHostField(props: {
  registry: string;
  value: string;
  error?: string;
  onChange: (v: string) => void;
  onEnter?: () => void;
}) {
  return (
    <Field label="Host to test" required error={props.error} hint={testHostHint(props.registry)}>
      <input
        type="text"
        value={props.value}
        placeholder={registryHostPart(props.registry).replace(/\*/g, "registry")}
        autoComplete="off"
        spellCheck={false}
        onChange={(e) => props.onChange(e.target.value)}
        onKeyDown={(e) => {
          if (e.key !== "Enter" || !props.onEnter) return;
          e.preventDefault();
          props.onEnter();
        }}
      />
    </Field>
  );
}

/** Row button: checks the stored credentials on the server; the caller shows the result. A glob asks for a host first. */
export function TestRowButton({
  id,
  registry,
  onResult,
}: {
  id: string;
  registry?: string;
  onResult: (r: CheckResult) => void;
}) {
  const [pending, start] = useTransition();
  const [asking, setAsking] = useState<{ host: string; error?: string } | null>(null);
  const finish = (res: ActionResult<CheckResult>, testHost?: string): void => {
    if (res.ok) {
      setAsking(null);
      announce(id, res.data);
      onResult(res.data);
    } else if (res.error.fields?.test_host) {
      setAsking({ host: testHost ?? "", error: res.error.fields.test_host });
    } else {
      toast.error(res.error.message);
    }
  };
  const run = (testHost?: string) => start(async () => finish(await testRegistryAction(id, testHost), testHost));
  return (
    <>
      <button
        type="button"
        className="btn btn-sm"
        aria-label={`Test credentials of ${id}`}
        disabled={pending}
        onClick={() => (registry && hasHostGlob(registry) ? setAsking({ host: "" }) : run())}
      >
        {pending && !asking ? <Spinner label={`Testing ${id}`} /> : null}
        {pending && !asking ? "Testing…" : "Test"}
      </button>
      {asking ? (
        <FormDialog
          title={`Test credentials of ${id}`}
          submitLabel="Test"
          pendingLabel="Testing…"
          pending={pending}
          onSubmit={() => run(asking.host.trim())}
          onClose={() => setAsking(null)}
        >
          <TestHostField
            registry={registry ?? id}
            value={asking.host}
            error={asking.error}
            onChange={(host) => setAsking({ host })}
          />
        </FormDialog>
      ) : null}
    </>
  );
}

/**
 * Dialog section: checks what is typed, before saving. The result is scrolled into view inside the dialog,
 * and goes away once a field it was tested with changes.
 */
export function TestUnsaved({ values }: { values: RegistryFormValues }) {
  const [pending, start] = useTransition();
  const [tested, setTested] = useState<{ body: string; result: CheckResult } | null>(null);
  const [testHost, setTestHost] = useState("");
  const [testHostError, setTestHostError] = useState<string | undefined>();
  const glob = hasHostGlob(values.registry.trim());
  const body = JSON.stringify({ ...toRequestBody(values), ...(glob ? { test_host: testHost.trim() } : {}) });
  const result = tested?.body === body ? tested.result : null;
  const shown = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (tested) shown.current?.scrollIntoView({ block: "nearest" });
  }, [tested]);
  const run = () =>
    start(async () => {
      setTested(null);
      setTestHostError(undefined);
      const res = await testUnsavedRegistryAction(JSON.parse(body));
      if (res.ok) return setTested({ body, result: res.data });
      if (res.error.fields?.test_host) setTestHostError(res.error.fields.test_host);
      toast.error(res.error.message);
    });
  return (
    <div className="stack" style={{ gap: 8 }}>
      {glob ? (
        <TestHostField
          registry={values.registry.trim()}
          value={testHost}
          error={testHostError}
          onChange={(v) => {
            setTestHost(v);
            setTestHostError(undefined);
          }}
          onEnter={run}
        />
      ) : null}
      <button
        type="button"
        className="btn"
        style={{ justifySelf: "start" }}
        disabled={pending || !values.registry.trim()}
        onClick={run}
      >
        {pending ? <Spinner label="Testing credentials" /> : null}
        {pending ? "Testing credentials…" : "Test credentials"}
      </button>
      {result ? <CheckResultView result={result} ref={shown} /> : null}
    </div>
  );
}
