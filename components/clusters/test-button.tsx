"use client";

import { useTransition } from "react";
import { toast } from "@/components/ui/toast";
import { Button } from "@/components/ui/button";
import { Spinner } from "@/components/ui/spinner";
import { testClusterAction } from "@/lib/clusters/actions";
import type { ClusterTestResult } from "@/lib/clusters/schema";

/** Row button: tests the stored connection on the server; the caller shows the result. */
export function TestClusterButton({
  id,
  name,
  onResult,
}: {
  id: string;
  name: string;
  onResult: (r: ClusterTestResult) => void;
}) {
  const [pending, start] = useTransition();
  return (
    <Button
      size="sm"
      aria-label={`Test connection of ${name}`}
      disabled={pending}
      onClick={() =>
        start(async () => {
          const res = await testClusterAction(id);
          if (!res.ok) return void toast.error(res.error.message);
          const text = `${name}: ${res.data.status}${res.data.version ? ` (${res.data.version})` : ""}`;
          if (res.data.status === "ok") toast.success(text);
          else if (res.data.status === "degraded") toast.warning(text);
          else toast.error(text);
          onResult(res.data);
        })
      }
    >
      {pending ? <Spinner label={`Testing ${name}`} /> : null}
      {pending ? "Testing…" : "Test connection"}
    </Button>
  );
}
