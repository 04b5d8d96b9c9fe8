import { randomUUID } from "node:crypto";
import https from "node:https";
import type { WebhookServer } from "@/lib/webhook";

export type Forged = { status: number; body: string };
export type Sender = { bearer?: string; cert?: { cert: string; key: string } };

/** An AdmissionReview for a Pod POSTed straight to a webhook server by anyone, with whatever credentials the sender has. */
export function forgeReview(
  server: WebhookServer,
  clusterId: string,
  namespace: string,
  image: string,
  as: Sender = {},
): Promise<Forged> {
  const text = JSON.stringify({
    apiVersion: "admission.k8s.io/v1",
    kind: "AdmissionReview",
    request: {
      uid: randomUUID(),
      kind: { group: "", version: "v1", kind: "Pod" },
      resource: { group: "", version: "v1", resource: "pods" },
      namespace,
      operation: "CREATE",
      userInfo: { username: "forger" },
      object: {
        apiVersion: "v1",
        kind: "Pod",
        metadata: { name: "forged", namespace },
        spec: { containers: [{ name: "app", image }] },
      },
      dryRun: false,
    },
  });
  const headers: Record<string, string | number> = {
    "content-type": "application/json",
    "content-length": Buffer.byteLength(text),
  };
  if (as.bearer) headers.authorization = `Bearer ${as.bearer}`;
  return new Promise((resolve, reject) => {
    const req = https.request(
      `${server.endpoint.url}/mutate/${clusterId}`,
      { method: "POST", ca: server.endpoint.caPem, headers, ...(as.cert ?? {}) },
      (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (c: Buffer) => chunks.push(c));
        res.on("end", () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString("utf8") }));
      },
    );
    req.on("error", reject);
    req.end(text);
  });
}
