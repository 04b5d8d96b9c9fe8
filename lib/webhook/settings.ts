import "server-only";
import { isIP } from "node:net";
import { z } from "zod";
import { env } from "@/lib/env";

export type WebhookSettings = {
  /** Port the HTTPS server listens on (0: any free port). */
  port: number;
  /** Name or address the API server uses to reach Regcred; a SAN of the serving certificate. */
  host: string;
  /** Address to listen on: `host` when it is an IP address, else every interface. */
  bindAddress: string;
  /** Base URL the API server calls (the path /mutate/<clusterId> is appended). */
  url: string;
};

const Schema = z.object({
  REGCRED_WEBHOOK_PORT: z.coerce.number().int().min(0).max(65535).default(8443),
  REGCRED_WEBHOOK_HOST: z
    .string()
    .regex(/^(?:[A-Za-z0-9.-]+|\[?[0-9A-Fa-f:.]+\]?)$/, "must be a host name or an IP address")
    .default("127.0.0.1"),
  REGCRED_WEBHOOK_URL: z
    .url("must be a URL")
    .refine((u) => u.startsWith("https://"), "must be an https:// URL (the API server only calls webhooks over TLS)")
    .optional(),
});

/** The webhook variables are parsed from `source` (the environment); invalid values throw naming the variable. */
export function parseWebhookSettings(source: Record<string, string | undefined>): WebhookSettings {
  const cleaned = Object.fromEntries(
    Object.entries(source).filter(([k, v]) => k.startsWith("REGCRED_WEBHOOK_") && v !== undefined && v !== ""),
  );
  const parsed = Schema.safeParse(cleaned);
  if (!parsed.success)
    throw new Error(
      `Invalid configuration:\n${parsed.error.issues.map((i) => `  ${i.path.join(".")}: ${i.message}`).join("\n")}`,
    );
  const { REGCRED_WEBHOOK_PORT: port, REGCRED_WEBHOOK_URL: url } = parsed.data;
  const host = parsed.data.REGCRED_WEBHOOK_HOST.replace(/^\[|\]$/g, "");
  const urlHost = isIP(host) === 6 ? `[${host}]` : host;
  return {
    port,
    host,
    bindAddress: isIP(host) ? host : "0.0.0.0",
    url: (url ?? `https://${urlHost}:${port}`).replace(/\/+$/, ""),
  };
}

/** REGCRED_WEBHOOK_PORT (8443), REGCRED_WEBHOOK_HOST (127.0.0.1), REGCRED_WEBHOOK_URL (https://HOST:PORT). */
export function webhookSettingsFromEnv(): WebhookSettings {
  const e = env();
  return parseWebhookSettings({
    REGCRED_WEBHOOK_PORT: String(e.REGCRED_WEBHOOK_PORT),
    REGCRED_WEBHOOK_HOST: e.REGCRED_WEBHOOK_HOST,
    REGCRED_WEBHOOK_URL: e.REGCRED_WEBHOOK_URL,
  });
}
