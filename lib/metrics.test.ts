import { describe, expect, it } from "vitest";
import { kubeRequestCounter, recordInformerList, recordPass, recordWatchRestart, renderMetrics } from "./metrics";

const summary = {
  created: 2,
  updated: 1,
  deleted: 0,
  markedUnused: 1,
  serviceAccounts: 3,
  workloads: 0,
  conflicts: 0,
  errors: 0,
  warnings: 0,
  mints: 1,
};

describe("metrics", () => {
  it("renders passes, writes, mints, requests and cache restarts in Prometheus text, with no object names", async () => {
    recordPass("c1", "watch", "succeeded", 0.2, summary);
    recordPass("c1", "manual", "error", 0.01);
    const count = kubeRequestCounter("c1");
    count({ method: "GET", url: "https://k:6443/api/v1/namespaces/team-secret/secrets/regcred-abc" });
    count({ method: "GET", url: "https://k:6443/apis/apps/v1/deployments?watch=true" });
    count({ method: "PATCH", url: "https://k:6443/apis/apps/v1/namespaces/a/deployments/web" });
    count({ method: "GET", url: "https://k:6443/version" });
    recordInformerList("Pod");
    recordWatchRestart("Secret", "unreachable");
    const { body, contentType } = await renderMetrics();
    expect(contentType).toContain("text/plain");
    for (const line of [
      'regcred_sync_passes_total{cluster="c1",trigger="watch",outcome="succeeded"} 1',
      'regcred_sync_passes_total{cluster="c1",trigger="manual",outcome="error"} 1',
      'regcred_sync_pass_duration_seconds_count{outcome="succeeded"} 1',
      'regcred_secret_writes_total{cluster="c1",operation="created"} 2',
      'regcred_secret_writes_total{cluster="c1",operation="marked_unused"} 1',
      'regcred_wiring_patches_total{cluster="c1",kind="ServiceAccount"} 3',
      'regcred_ecr_mints_total{cluster="c1"} 1',
      'regcred_kube_requests_total{cluster="c1",verb="get",resource="secrets"} 1',
      'regcred_kube_requests_total{cluster="c1",verb="watch",resource="deployments"} 1',
      'regcred_kube_requests_total{cluster="c1",verb="patch",resource="deployments"} 1',
      'regcred_kube_requests_total{cluster="c1",verb="get",resource="non-resource"} 1',
      'regcred_informer_lists_total{kind="Pod"} 1',
      'regcred_watch_restarts_total{kind="Secret",error="unreachable"} 1',
    ])
      expect(body).toContain(line);
    expect(body).toMatch(/^process_cpu_user_seconds_total \d/m);
    expect(body).not.toMatch(/team-secret|regcred-abc|web"/);
  });
});
