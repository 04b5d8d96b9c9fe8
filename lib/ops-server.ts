import "server-only";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { env } from "./env";
import { markStopping, readiness } from "./health";
import { describeError, log } from "./log";
import { metricsAuthorized, renderMetrics } from "./metrics";

/**
 * The standalone controller's HTTP port (REGCRED_CONTROLLER_HTTP_PORT): `/healthz` (alive), `/readyz` (database up
 * and migrated, controller started; 503 with the reason) and `/metrics` (Prometheus text, with the metrics token
 * as the dashboard's /api/metrics asks). The process has no web server otherwise; probes and scrapes need one.
 */
export async function startOpsServer(port: number): Promise<{ port: number; close: () => Promise<void> }> {
  const json = (res: http.ServerResponse, status: number, body: unknown) => {
    res.writeHead(status, { "Content-Type": "application/json", "Cache-Control": "no-store" });
    res.end(JSON.stringify(body));
  };
  const server = http.createServer((req, res) => {
    void (async () => {
      const path = (req.url ?? "/").split("?")[0];
      if (req.method !== "GET" && req.method !== "HEAD") return json(res, 405, { error: "METHOD_NOT_ALLOWED" });
      if (path === "/healthz") return json(res, 200, { status: "ok" });
      if (path === "/readyz") {
        const r = await readiness();
        return json(
          res,
          r.ready ? 200 : 503,
          r.ready ? { status: "ready" } : { status: "not-ready", reason: r.reason },
        );
      }
      if (path === "/metrics") {
        const token = env().REGCRED_METRICS_TOKEN;
        if (!token)
          return json(res, 404, { error: "NOT_FOUND", message: "Metrics are off; set REGCRED_METRICS_TOKEN." });
        if (!metricsAuthorized(req.headers.authorization ?? null, token))
          return json(res, 401, { error: "UNAUTHENTICATED", message: "GET /metrics needs the metrics token." });
        const { body, contentType } = await renderMetrics();
        res.writeHead(200, { "Content-Type": contentType, "Cache-Control": "no-store" });
        return res.end(body);
      }
      json(res, 404, { error: "NOT_FOUND", message: "This port serves /healthz, /readyz and /metrics." });
    })().catch((err: unknown) => {
      log.error("controller http request failed", describeError(err));
      if (!res.headersSent) json(res, 500, { error: "INTERNAL" });
      else res.destroy();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, "0.0.0.0", () => resolve());
  });
  const bound = (server.address() as AddressInfo).port;
  log.info("controller http listening", { port: bound, paths: "/healthz /readyz /metrics" });
  return {
    port: bound,
    close: () => {
      markStopping();
      return new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeIdleConnections();
      });
    },
  };
}
