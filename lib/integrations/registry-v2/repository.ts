import "server-only";
import type { RepositoryOutcome } from "@/db/schema/registries";
import { type Challenge, describeChallenge, parseWwwAuthenticate, pickChallenge } from "./challenge";
import type { V2Credentials, V2Options } from "./handshake";
import { httpGet, type HttpGetFailure, type HttpGetResponse } from "./http-get";
import {
  describeReference,
  manifestAccept,
  notFoundPart,
  repositoryTarget,
  scrubSecrets,
  type V2Repository,
} from "./repository-target";
import { basicAuthorization, readToken, tokenGrantsPull, tokenRequestUrl } from "./token";

/** What one repository check found; `requests` counts the HTTP requests it made. */
export type RepositoryCheck = { outcome: RepositoryOutcome; step: string; detail: string; requests: number };

type Run = V2Repository & {
  creds: V2Credentials | null;
  opts: V2Options;
  base: URL;
  manifest: URL;
  what: string;
  requests: number;
  secrets: string[];
};
type Auth = { kind: "anonymous" | "basic" | "bearer"; headers: Record<string, string>; grantsPull: boolean | null };
type Sent = { ok: true; value: HttpGetResponse } | { ok: false; error: HttpGetFailure };

const anonymous: Auth = { kind: "anonymous", headers: {}, grantsPull: null };

async function send(run: Run, url: URL, headers: Record<string, string>, method: "GET" | "HEAD" = "GET") {
  run.requests += 1;
  const { ca, timeoutMs, egress } = run.opts;
  return httpGet(url, { method, headers, ca, timeoutMs, egress });
}

function done(run: Run, outcome: RepositoryOutcome, step: string, detail: string): RepositoryCheck {
  return { outcome, step, detail: scrubSecrets(detail, run.secrets), requests: run.requests };
}

/** A failed request, a 5xx or a 429: the registry could not answer now. */
function unanswered(run: Run, step: string | null, what: string, sent: Sent): RepositoryCheck | null {
  if (!sent.ok) return done(run, "unreachable", step ?? sent.error.kind, `${what}: ${sent.error.message}`);
  const { status } = sent.value;
  if (status >= 500) return done(run, "unreachable", step ?? "http", `${what} answered ${status}`);
  if (status === 429) return done(run, "unreachable", step ?? "http", `${what} answered 429: rate limited`);
  return null;
}

async function bearerAuth(run: Run, challenge: Challenge): Promise<Auth | RepositoryCheck> {
  const url = tokenRequestUrl(challenge, `repository:${run.repository}:pull`, run.creds?.username ?? null);
  if (!url) return done(run, "error", "challenge", `${describeChallenge(challenge)} names no http(s) token realm`);
  const realm = `${url.origin}${url.pathname}`;
  // Credentials go to the realm as Basic: never in cleartext, whatever the registry asks for.
  if (run.creds && url.protocol !== "https:")
    return done(run, "error", "token", `the token realm ${realm} is not https; credentials are only sent over TLS`);
  const sent = await send(run, url, run.creds ? { authorization: basicAuthorization(run.creds) } : {});
  const failed = unanswered(run, "token", `token endpoint ${realm}`, sent);
  if (failed || !sent.ok) return failed!;
  const { status, body } = sent.value;
  if (status === 401 || status === 403) {
    if (run.creds)
      return done(
        run,
        "wrong_credentials",
        "token",
        `token endpoint ${realm} rejected the credentials for ${run.creds.username} (${status})`,
      );
    return done(
      run,
      "denied",
      "token",
      `token endpoint ${realm} refused an anonymous token (${status}); no credentials are configured`,
    );
  }
  const minted = status === 200 ? readToken(body) : null;
  if (!minted)
    return done(
      run,
      "error",
      "token",
      `token endpoint ${realm} answered ${status}${status === 200 ? " without a token" : ""}`,
    );
  run.secrets.push(minted.token);
  const grantsPull = tokenGrantsPull(minted.token, run.repository);
  return { kind: "bearer", headers: { authorization: `Bearer ${minted.token}` }, grantsPull };
}

/** The Authorization a challenge asks for: Basic with the credentials, or a Bearer token scoped to pull the repository. */
async function authorize(run: Run, header: string | string[] | undefined): Promise<Auth | RepositoryCheck> {
  const challenge = pickChallenge(parseWwwAuthenticate(header));
  if (!challenge) return done(run, "error", "challenge", "401 without a Basic or Bearer challenge");
  if (challenge.scheme === "bearer") return bearerAuth(run, challenge);
  if (!run.creds) return anonymous;
  return { kind: "basic", headers: { authorization: basicAuthorization(run.creds) }, grantsPull: null };
}

const headManifest = (run: Run, auth: Auth) =>
  send(run, run.manifest, { accept: manifestAccept, ...auth.headers }, "HEAD");

async function notFound(run: Run, auth: Auth): Promise<RepositoryCheck> {
  // One more request, only on a 404 (so never for a cached pass): does the registry list the repository at all?
  const tags = new URL(`${run.base.href}${run.repository}/tags/list?n=1`);
  const sent = await send(run, tags, auth.headers);
  const part = sent.ok ? notFoundPart(sent.value.status, sent.value.body) : null;
  const where = `${run.apiHost}/${run.repository}`;
  if (part === "repository") return done(run, "not_found", "manifest", `the repository ${where} does not exist`);
  const ref = run.reference.includes(":") ? `digest ${run.reference}` : `tag ${run.reference}`;
  if (part === "reference") return done(run, "not_found", "manifest", `the repository ${where} has no ${ref}`);
  return done(run, "not_found", "manifest", `no manifest ${run.what} (the repository or its ${ref} is unknown)`);
}

async function basicDenied(run: Run, status: number): Promise<RepositoryCheck> {
  const user = run.creds?.username ?? "";
  const sent = await send(run, run.base, { authorization: basicAuthorization(run.creds!) });
  const failed = unanswered(run, "auth", `GET ${run.base.href} with credentials`, sent);
  if (failed || !sent.ok) return failed!;
  const login = sent.value.status;
  if (login === 401 || login === 403)
    return done(run, "wrong_credentials", "auth", `${run.apiHost} rejected the credentials for ${user} (${login})`);
  return done(
    run,
    "denied",
    "manifest",
    `${run.apiHost} accepts the credentials for ${user} but answered ${status} for ${run.what}; it does not tell whether the repository does not exist or these credentials may not pull it, so Regcred cannot tell which`,
  );
}

function bearerDenied(run: Run, auth: Auth, res: HttpGetResponse): RepositoryCheck {
  const challenge = pickChallenge(parseWwwAuthenticate(res.headers["www-authenticate"]));
  const error = challenge?.params.error ? ` (${challenge.params.error})` : "";
  const answered = `${run.apiHost} answered ${res.status}${error} for ${run.what}`;
  // Docker Hub's token server also grants nothing for a repository that does not exist.
  if (run.creds && auth.grantsPull === false && !run.isDockerHub)
    return done(
      run,
      "no_access",
      "manifest",
      `the credentials for ${run.creds.username} were accepted, but the token grants no pull on ${run.repository}: ${answered}`,
    );
  const who = run.creds ? `the token for ${run.creds.username}` : "an anonymous token";
  return done(
    run,
    "denied",
    "manifest",
    `${answered} with ${who}; the registry does not tell whether the repository does not exist or access to it is denied, so Regcred cannot tell which`,
  );
}

async function judge(run: Run, auth: Auth, res: HttpGetResponse): Promise<RepositoryCheck> {
  const { status, headers } = res;
  if (status === 200) {
    const digest = headers["docker-content-digest"];
    const type = headers["content-type"];
    const facts = [digest, type].filter((v) => typeof v === "string" && v).join(", ");
    return done(run, "ok", "manifest", `HEAD ${run.what} answered 200${facts ? ` (${facts})` : ""}`);
  }
  if (status === 404) return notFound(run, auth);
  if (status === 401 || status === 403) {
    if (auth.kind === "basic") return basicDenied(run, status);
    if (auth.kind === "bearer") return bearerDenied(run, auth, res);
    return done(
      run,
      "denied",
      "manifest",
      `${run.apiHost} answered ${status} for ${run.what} and no credentials are configured; it does not tell whether the repository exists`,
    );
  }
  return done(run, "error", "manifest", `HEAD ${run.what} answered ${status}, which a Docker Registry v2 API does not`);
}

/**
 * Whether the credentials may pull `repository` at `reference` (tag or digest) from `host`: the v2 ping, Basic or a
 * Bearer token scoped `repository:<repository>:pull`, then a manifest HEAD. Never throws; nothing secret in `detail`.
 */
export async function checkRepositoryAccess(
  host: string,
  repository: string,
  reference: string,
  creds: V2Credentials | null,
  opts: V2Options,
): Promise<RepositoryCheck> {
  const target = repositoryTarget(host, repository, reference);
  if (!target.ok) return { outcome: "error", step: "input", detail: target.reason, requests: 0 };
  const t = target.value;
  const base = new URL(`https://${t.apiHost}/v2/`);
  const manifest = new URL(`${base.href}${t.repository}/manifests/${t.reference}`);
  const secrets = creds ? [creds.password, basicAuthorization(creds).slice("Basic ".length)] : [];
  const what = `${t.apiHost}/${describeReference(t.repository, t.reference)}`;
  const run: Run = { ...t, creds, opts, base, manifest, what, requests: 0, secrets };
  const ping = await send(run, base, {});
  const failed = unanswered(run, null, `GET ${base.href}`, ping);
  if (failed || !ping.ok) return failed!;
  if (ping.value.status !== 200 && ping.value.status !== 401)
    return done(
      run,
      "error",
      "http",
      `GET ${base.href} answered ${ping.value.status}, which a Docker Registry v2 API does not`,
    );
  let auth = ping.value.status === 401 ? await authorize(run, ping.value.headers["www-authenticate"]) : anonymous;
  if ("outcome" in auth) return auth;
  let head = await headManifest(run, auth);
  // An open /v2/ does not mean an open repository: answer the manifest's own challenge once.
  if (head.ok && head.value.status === 401 && ping.value.status === 200 && (run.creds || hasBearer(head.value))) {
    auth = await authorize(run, head.value.headers["www-authenticate"]);
    if ("outcome" in auth) return auth;
    head = await headManifest(run, auth);
  }
  const unreachable = unanswered(run, "manifest", `HEAD ${what}`, head);
  if (unreachable || !head.ok) return unreachable!;
  return judge(run, auth, head.value);
}

function hasBearer(res: HttpGetResponse): boolean {
  return pickChallenge(parseWwwAuthenticate(res.headers["www-authenticate"]))?.scheme === "bearer";
}
