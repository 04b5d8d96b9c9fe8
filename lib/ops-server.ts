import "server-only";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { markStopping, readinessAnswer } from "./health";
import { describeError, log } from "./log";
import { scrapeMetrics } from "./metrics";

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
        const { status, body } = await readinessAnswer();
        return json(res, status, body);
      }
      if (path === "/metrics") {
        const scraped = await scrapeMetrics(req.headers.authorization ?? null);
        if ("error" in scraped)
          return json(res, scraped.error.status, { error: scraped.error.code, message: scraped.error.message });
        res.writeHead(200, { "Content-Type": scraped.contentType, "Cache-Control": "no-store" });
        return res.end(scraped.body);
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
