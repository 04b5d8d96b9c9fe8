import "server-only";
import type { EgressPolicy } from "../../net/egress";
import { type Challenge, describeChallenge, parseWwwAuthenticate, pickChallenge } from "./challenge";
import { fail, ok, type Result } from "../../result";
import { httpGet, type HttpGetFailure, type HttpGetResponse } from "./http-get";
import { basicAuthorization, readToken, tokenRequestUrl } from "./token";

export type V2StepName = "dns" | "policy" | "connect" | "tls" | "http" | "challenge" | "auth" | "token";
export type V2Step = { step: V2StepName; ok: boolean; ms: number; detail: string };
export type V2Status = "valid" | "invalid" | "unreachable" | "unsupported";
export type V2Outcome = {
  status: V2Status;
  summary: string;
  failedStep: V2StepName | null;
  steps: V2Step[];
  proven: string | null;
};
export type V2Credentials = { username: string; password: string };
export type V2Options = {
  timeoutMs: number;
  ca?: string | null;
  scope?: string;
  /** applies to the registry and to the token realm; the operator's when omitted */
  egress?: EgressPolicy;
};

type Ctx = { host: string; base: URL; creds: V2Credentials | null; opts: V2Options; steps: V2Step[] };
type Got = Result<HttpGetResponse, HttpGetFailure> & { ms: number };

async function get(url: URL, headers: Record<string, string>, ctx: Ctx): Promise<Got> {
  const t0 = performance.now();
  const got = await httpGet(url, { headers, ca: ctx.opts.ca, timeoutMs: ctx.opts.timeoutMs, egress: ctx.opts.egress });
  return { ...got, ms: Math.round(performance.now() - t0) };
}

function end(
  ctx: Ctx,
  status: V2Status,
  summary: string,
  failedStep: V2StepName | null,
  proven: string | null = null,
): V2Outcome {
  return { status, summary, failedStep, steps: ctx.steps, proven };
}

function step(ctx: Ctx, name: V2StepName, ok: boolean, ms: number, detail: string): void {
  ctx.steps.push({ step: name, ok, ms, detail });
}

/** A later request failed on the network: record the failed phase as its own step. */
function networkFailure(ctx: Ctx, failure: HttpGetFailure): V2Outcome {
  const { kind, ms, message } = failure;
  step(ctx, kind, false, ms, message);
  return end(ctx, "unreachable", `${kind}: ${message}`, kind);
}

function unexpected(ctx: Ctx, ms: number, what: string, status: number): V2Outcome {
  step(ctx, "http", false, ms, `${what} answered ${status}`);
  return end(ctx, "unreachable", `http: ${what} answered ${status}, which a Docker Registry v2 API does not`, "http");
}

async function basicFlow(ctx: Ctx, challenge: Challenge): Promise<V2Outcome> {
  const url = ctx.base.href;
  if (!ctx.creds) {
    step(ctx, "auth", false, 0, "no credentials to send");
    return end(
      ctx,
      "invalid",
      `${url} requires credentials (Basic realm "${challenge.params.realm ?? ""}") and none are configured`,
      "auth",
    );
  }
  const user = ctx.creds.username;
  const got = await get(ctx.base, { authorization: basicAuthorization(ctx.creds) }, ctx);
  if (!got.ok) return networkFailure(ctx, got.error);
  const { status } = got.value;
  if (status === 200) {
    step(ctx, "auth", true, got.ms, `GET /v2/ with Basic credentials for ${user} answered 200`);
    return end(
      ctx,
      "valid",
      `Basic credentials for ${user} accepted by ${url}`,
      null,
      `Basic login as ${user} to ${ctx.host}`,
    );
  }
  if (status === 401 || status === 403) {
    step(ctx, "auth", false, got.ms, `GET /v2/ with Basic credentials for ${user} answered ${status}`);
    return end(ctx, "invalid", `${url} rejected the credentials for ${user} (${status})`, "auth");
  }
  return unexpected(ctx, got.ms, `GET ${url} with credentials`, status);
}

function tokenUrl(ctx: Ctx, challenge: Challenge): URL | null {
  return tokenRequestUrl(challenge, ctx.opts.scope ?? challenge.params.scope, ctx.creds?.username ?? null);
}

/** The registry token from the realm, or the check's outcome when there is none. */
async function fetchToken(ctx: Ctx, url: URL, realm: string): Promise<Result<string, V2Outcome>> {
  const who = ctx.creds ? `the credentials for ${ctx.creds.username}` : "anonymous requests";
  const got = await get(url, ctx.creds ? { authorization: basicAuthorization(ctx.creds) } : {}, ctx);
  if (!got.ok) {
    const { kind: phase, message: detail } = got.error;
    step(ctx, "token", false, got.ms, `${phase}: ${detail}`);
    const what =
      phase === "policy"
        ? `the egress policy refuses the token endpoint ${realm}`
        : `${phase} failed for the token endpoint ${realm}`;
    return fail(end(ctx, "unreachable", `token: ${what}: ${detail}`, "token"));
  }
  const { status } = got.value;
  if (status === 401 || status === 403) {
    step(ctx, "token", false, got.ms, `token endpoint answered ${status} to ${who}`);
    const summary = ctx.creds
      ? `token endpoint ${realm} rejected the credentials for ${ctx.creds.username} (${status})`
      : `token endpoint ${realm} refused an anonymous token (${status}); credentials are needed`;
    return fail(end(ctx, "invalid", summary, "token"));
  }
  const parsed = status === 200 ? readToken(got.value.body) : null;
  if (!parsed) {
    const detail =
      status === 200
        ? "token endpoint answered 200 without a token or access_token"
        : `token endpoint answered ${status}`;
    step(ctx, "token", false, got.ms, detail);
    return fail(end(ctx, "unreachable", `token: ${detail} (${realm})`, "token"));
  }
  step(
    ctx,
    "token",
    true,
    got.ms,
    `${ctx.creds ? `token for ${ctx.creds.username}` : "anonymous token"} from ${realm}, valid ${parsed.expiresIn} s`,
  );
  return ok(parsed.token);
}

async function bearerFlow(ctx: Ctx, url: URL): Promise<V2Outcome> {
  const realm = `${url.origin}${url.pathname}`;
  const minted = await fetchToken(ctx, url, realm);
  if (!minted.ok) return minted.error;
  const got = await get(ctx.base, { authorization: `Bearer ${minted.value}` }, ctx);
  if (!got.ok) return networkFailure(ctx, got.error);
  const { status } = got.value;
  const whose = ctx.creds ? `token for ${ctx.creds.username}` : "anonymous token";
  if (status === 200) {
    step(ctx, "auth", true, got.ms, "GET /v2/ with the Bearer token answered 200");
    return end(
      ctx,
      "valid",
      `Bearer token from ${realm} accepted by /v2/`,
      null,
      `${whose} from ${realm} accepted by ${ctx.host}/v2/`,
    );
  }
  if (status === 401 || status === 403) {
    step(ctx, "auth", false, got.ms, `GET /v2/ with the Bearer token answered ${status}`);
    return end(ctx, "invalid", `${ctx.base.href} rejected the Bearer ${whose} from ${realm} (${status})`, "auth");
  }
  return unexpected(ctx, got.ms, `GET ${ctx.base.href} with the Bearer token`, status);
}

function anonymousOk(ctx: Ctx): V2Outcome {
  const url = ctx.base.href;
  if (!ctx.creds)
    return end(ctx, "valid", `${url} allows anonymous access`, null, `anonymous access to ${ctx.host}/v2/`);
  return end(
    ctx,
    "valid",
    `${url} answered 200 without credentials: it allows anonymous access, so the credentials were not needed and not tested`,
    null,
  );
}

/**
 * The Docker Registry v2 handshake against https://<host>/v2/: anonymous ping, challenge, then Basic
 * or the Bearer token flow. Never throws for network or HTTP failures; those are the outcome.
 */
export async function checkV2Access(host: string, creds: V2Credentials | null, opts: V2Options): Promise<V2Outcome> {
  const ctx: Ctx = { host, base: new URL(`https://${host}/v2/`), creds, opts, steps: [] };
  const first = await get(ctx.base, {}, ctx);
  if (!first.ok) {
    ctx.steps.push(...first.error.phases.map((p) => ({ step: p.phase, ok: p.ok, ms: p.ms, detail: p.detail })));
    const { kind, message } = first.error;
    return end(ctx, "unreachable", `${kind}: ${message}`, kind);
  }
  const res = first.value;
  const expected = res.status === 200 || res.status === 401;
  ctx.steps.push(
    ...res.phases.map((p) => ({ step: p.phase, ok: p.phase === "http" ? expected : p.ok, ms: p.ms, detail: p.detail })),
  );
  if (res.status === 200) return anonymousOk(ctx);
  if (!expected)
    return end(
      ctx,
      "unreachable",
      `http: ${ctx.base.href} answered ${res.status}, which a Docker Registry v2 API does not`,
      "http",
    );
  const header = res.headers["www-authenticate"];
  const challenge = pickChallenge(parseWwwAuthenticate(header));
  if (!challenge) {
    const detail = header
      ? `no Basic or Bearer challenge in "${String(header).slice(0, 200)}"`
      : "no WWW-Authenticate challenge";
    step(ctx, "challenge", false, 0, `401 with ${detail}`);
    return end(ctx, "unsupported", `challenge: ${ctx.base.href} answered 401 with ${detail}`, "challenge");
  }
  if (challenge.scheme === "basic") {
    step(ctx, "challenge", true, 0, describeChallenge(challenge));
    return basicFlow(ctx, challenge);
  }
  const url = tokenUrl(ctx, challenge);
  if (!url) {
    step(ctx, "challenge", false, 0, `${describeChallenge(challenge)} names no http(s) token realm`);
    return end(ctx, "unsupported", "challenge: the Bearer challenge names no http(s) token realm", "challenge");
  }
  step(ctx, "challenge", true, 0, describeChallenge(challenge));
  // Credentials go to the realm as Basic: never in cleartext, whatever the registry asks for.
  if (url.protocol !== "https:") {
    const realm = `${url.origin}${url.pathname}`;
    step(ctx, "token", false, 0, `token realm ${realm} is not https; credentials are only sent over TLS`);
    return end(
      ctx,
      "unsupported",
      `token: the registry names the token realm ${realm}, which is not https: Regcred sends credentials to a token realm only over https`,
      "token",
    );
  }
  return bearerFlow(ctx, url);
}
