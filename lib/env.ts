import "server-only";
import path from "node:path";
import { z } from "zod";
import { parseCidrList } from "./net/cidr";

const idPattern = /^[a-z0-9][a-z0-9-]+[a-z0-9]$/;

const bool = (fallback: "true" | "false") =>
  z
    .enum(["true", "false"])
    .default(fallback)
    .transform((v) => v === "true");
const cidrList = z.string().superRefine((v, ctx) => {
  try {
    parseCidrList(v);
  } catch (err) {
    ctx.addIssue({
      code: "custom",
      message: `must be a comma-separated list of CIDR ranges: ${(err as Error).message}`,
    });
  }
});
const keyPattern = /^(?:[0-9a-fA-F]{64}|[A-Za-z0-9+/]{43}=)$/;

const EnvSchema = z.object({
  PORT: z.coerce.number().int().min(1).max(65535).default(3000),
  REGCRED_DATA_DIR: z.string().min(1).default("./data"),
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, "must be a postgres:// or postgresql:// URL")
    .optional(),
  REGCRED_DEFAULT_ORG: z.string().regex(idPattern, "must match ^[a-z0-9][a-z0-9-]+[a-z0-9]$").default("default"),
  REGCRED_ADMIN_EMAIL: z.email("must be an email address").default("admin@regcred.local"),
  REGCRED_ADMIN_PASSWORD: z.string().min(12, "must be at least 12 characters").optional(),
  REGCRED_BOOTSTRAP_TOKEN: z.string().min(24, "must be at least 24 characters").optional(),
  REGCRED_ENCRYPTION_KEY: z.string().regex(keyPattern, "must be 32 bytes as 64 hex characters or base64").optional(),
  /** Earlier keys, comma-separated: used to decrypt only, until `scripts/reseal.sh` re-seals everything. */
  REGCRED_ENCRYPTION_KEYS: z
    .string()
    .refine(
      (v) => v.split(",").every((k) => keyPattern.test(k.trim())),
      "must be comma-separated 32-byte keys (64 hex characters or base64)",
    )
    .optional(),
  REGCRED_CHECK_TIMEOUT_MS: z.coerce.number().int().min(100).max(120_000).default(10_000),
  REGCRED_MAX_BODY_BYTES: z.coerce
    .number()
    .int()
    .min(1024)
    .default(256 * 1024),
  REGCRED_SECURE_COOKIES: bool("false"),
  /** Peers whose X-Forwarded-For / X-Forwarded-Proto are believed; nobody's by default. */
  REGCRED_TRUSTED_PROXIES: cidrList.optional(),
  REGCRED_SIGNIN_ACCOUNT_ATTEMPTS: z.coerce.number().int().min(1).max(100_000).default(10),
  REGCRED_SIGNIN_CLIENT_ATTEMPTS: z.coerce.number().int().min(1).max(100_000).default(50),
  REGCRED_SIGNIN_WINDOW_SECONDS: z.coerce.number().int().min(1).max(86_400).default(900),
  /** scrypt cost as log2(N); 17 is OWASP's current recommendation. Tests lower it. */
  REGCRED_PASSWORD_SCRYPT_LOG_N: z.coerce.number().int().min(10).max(20).default(17),
  /** Outbound checks may reach 127.0.0.0/8 and ::1 (tests, a registry on the same host). */
  REGCRED_EGRESS_ALLOW_LOOPBACK: bool("false"),
  /** Ranges outbound checks must never reach, beyond the always-refused link-local, metadata and multicast ones. */
  REGCRED_EGRESS_DENY_CIDRS: cidrList.optional(),
  REGCRED_ECR_ENDPOINT: z.url("must be a URL").optional(),
  AWS_ENDPOINT_URL_ECR: z.url("must be a URL").optional(),
  /** STS endpoint for AssumeRole and the web identity chain (keyless ECR); the AWS SDK also reads it itself. */
  AWS_ENDPOINT_URL_STS: z.url("must be a URL").optional(),
  REGCRED_CONTROLLER: z.enum(["inprocess", "off"]).default("inprocess"),
  REGCRED_RESYNC_SECONDS: z.coerce.number().int().min(10).max(86_400).default(300),
  REGCRED_UNUSED_GRACE_SECONDS: z.coerce
    .number()
    .int()
    .min(0)
    .max(30 * 86_400)
    .default(86_400),
  REGCRED_LEASE_SECONDS: z.coerce.number().int().min(5).max(300).default(15),
  REGCRED_INSTANCE_ID: z
    .string()
    .regex(/^[A-Za-z0-9._:-]{1,128}$/, "must be 1-128 letters, digits, '.', '_', ':' or '-'")
    .optional(),
  /** Set by Next.js; during `next build` no controller is started. */
  NEXT_PHASE: z.string().optional(),
  REGCRED_WEBHOOK_PORT: z.coerce.number().int().min(0).max(65535).default(8443),
  REGCRED_WEBHOOK_HOST: z.string().min(1).default("127.0.0.1"),
  REGCRED_WEBHOOK_URL: z
    .url("must be a URL")
    .refine((u) => u.startsWith("https://"), "must be an https:// URL")
    .optional(),
  /** A directory holding tls.crt and tls.key (a kubernetes.io/tls Secret): the webhook CA every replica shares. */
  REGCRED_WEBHOOK_CA_DIR: z.string().min(1).optional(),
  /** Admission reviews answered per second per cluster before the webhook answers 429. */
  REGCRED_WEBHOOK_RATE_PER_SECOND: z.coerce.number().int().min(1).max(10_000).default(50),
  /** The standalone controller's port for /healthz, /readyz and /metrics (0: any free port); unset, none. */
  REGCRED_CONTROLLER_HTTP_PORT: z.coerce.number().int().min(0).max(65535).optional(),
  /** Bearer token that GET /api/metrics requires; unset, the endpoint answers 404. */
  REGCRED_METRICS_TOKEN: z.string().min(32, "must be at least 32 characters").optional(),
  /** How long a repository check that pulled (ok) stays fresh before it is checked again. */
  REGCRED_REPOSITORY_CHECK_TTL_MS: z.coerce
    .number()
    .int()
    .min(1000)
    .max(7 * 86_400_000)
    .default(3_600_000),
  /** How long a failed repository check (wrong credentials, no access, not found, error) stays fresh. */
  REGCRED_REPOSITORY_CHECK_FAILURE_TTL_MS: z.coerce
    .number()
    .int()
    .min(1000)
    .max(7 * 86_400_000)
    .default(600_000),
  /** How long an unreachable registry's check stays fresh. */
  REGCRED_REPOSITORY_CHECK_UNREACHABLE_TTL_MS: z.coerce.number().int().min(1000).max(86_400_000).default(120_000),
  /** Repository checks started per registry host per minute; the rest wait for the next pass. */
  REGCRED_REPOSITORY_CHECK_RATE_PER_MINUTE: z.coerce.number().int().min(1).max(10_000).default(60),
  /** At most this often per cluster, the controller's passes start the scheduled (stale-only) repository checks. */
  REGCRED_REPOSITORY_CHECK_INTERVAL_MS: z.coerce.number().int().min(0).max(86_400_000).default(60_000),
  /** Repository checks running at once. */
  REGCRED_REPOSITORY_CHECK_CONCURRENCY: z.coerce.number().int().min(1).max(64).default(4),
  LOG_LEVEL: z.enum(["debug", "info", "warn", "error"]).default("info"),
});

export type Env = z.infer<typeof EnvSchema> & { dataDir: string; webhookCaDir: string | undefined };

export class EnvError extends Error {}

/** Parses the environment; throws EnvError naming every invalid variable. */
export function parseEnv(source: Record<string, string | undefined>): Env {
  const cleaned = Object.fromEntries(Object.entries(source).filter(([, v]) => v !== undefined && v !== ""));
  const parsed = EnvSchema.safeParse(cleaned);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join(".")}: ${i.message}`);
    throw new EnvError(`Invalid configuration:\n${lines.join("\n")}`);
  }
  const caDir = parsed.data.REGCRED_WEBHOOK_CA_DIR;
  return {
    ...parsed.data,
    dataDir: path.resolve(parsed.data.REGCRED_DATA_DIR),
    webhookCaDir: caDir ? path.resolve(caDir) : undefined,
  };
}

let cached: Env | undefined;

export function env(): Env {
  cached ??= parseEnv(process.env);
  return cached;
}
