"use client";

import { useEffect, useRef, useState, useTransition } from "react";
import { toast } from "@/components/ui/toast";
import { Spinner } from "@/components/ui/spinner";
import { testUnsavedRegistryAction } from "@/lib/credential-checks/actions";
import type { CheckResult } from "@/lib/credential-checks/types";
import { hasHostGlob } from "@/lib/images/registry-key";
import { toRequestBody, type RegistryFormValues, usesKeys } from "@/lib/registries/form";
import { CheckResultView } from "./check-result";
import { TestHostField } from "./test-host-field";

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
  // A keyless ECR registry is tested without keys, never with the stored ones.
  const keyless = values.type === "amazon_ecr" && !usesKeys(values.awsAuth);
  const body = JSON.stringify({
    ...toRequestBody(values),
    ...(keyless ? { creds: null } : {}),
    ...(glob ? { test_host: testHost.trim() } : {}),
  });
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
