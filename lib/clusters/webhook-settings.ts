import "server-only";
import type { Keyring } from "../crypto/secret-box";
import { clientCaProblem, generateWebhookToken } from "../webhook/caller-auth";
import type { FieldErrors } from "../errors";
import { validationError } from "../validation";
import type { ClusterSettings } from "./repo";
import type { ClusterPatch } from "./schema";

type Input = Pick<ClusterPatch, "wiring" | "webhook_auth" | "webhook_client_ca" | "rotate_webhook_token">;
export type WebhookAuthValues = { values: Partial<ClusterSettings>; token: string | null };

/**
 * The webhook caller settings a create or update stores, validated with field errors. A cluster that switches to
 * webhook wiring without choosing gets `token` (the safe default); one already in webhook mode keeps its mode
 * (`none` after the upgrade that introduced caller auth). A token is generated when token mode has none or a
 * rotation is asked for, and returned once.
 */
export function webhookAuthValues(
  keyring: Keyring,
  cluster: { id: string; orgId: string },
  input: Input,
  before: ClusterSettings | null,
): WebhookAuthValues {
  const switching = input.wiring === "webhook" && before?.wiring !== "webhook";
  const mode = input.webhook_auth ?? (switching ? "token" : (before?.webhookAuth ?? "none"));
  const ca =
    input.webhook_client_ca === undefined ? (before?.webhookClientCa ?? null) : input.webhook_client_ca?.trim() || null;
  const errors: FieldErrors = {};
  const problem = input.webhook_client_ca?.trim() ? clientCaProblem(input.webhook_client_ca) : null;
  if (problem) errors.webhook_client_ca = `Client CA ${problem}`;
  else if (mode === "mtls" && !ca)
    errors.webhook_client_ca = "Client CA is required for client-certificate (mTLS) authentication";
  if (input.rotate_webhook_token && mode !== "token")
    errors.rotate_webhook_token = "A new webhook token only applies to bearer-token authentication";
  if (Object.keys(errors).length > 0) throw validationError(errors);
  const values: Partial<ClusterSettings> = { webhookAuth: mode, webhookClientCa: ca };
  if (mode !== "token") return { values: { ...values, webhookTokenSealed: null }, token: null };
  if (before?.webhookTokenSealed && !input.rotate_webhook_token) return { values, token: null };
  const { token, sealed } = generateWebhookToken(keyring, cluster.orgId, cluster.id);
  return { values: { ...values, webhookTokenSealed: sealed }, token };
}
