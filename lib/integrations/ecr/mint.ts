import "server-only";
import type { ECRClient } from "@aws-sdk/client-ecr";
import { fail, ok, type Result } from "@/lib/result";
import { classifyEcrError, type EcrFailure } from "./errors";

export type AwsKeys = { accessKeyId: string; secretAccessKey: string };
/** Keys, with a session token when they are temporary (an assumed role's, the default chain's). */
export type AwsSessionKeys = AwsKeys & { sessionToken?: string };
export type MintOptions = { region: string; endpoint?: string; timeoutMs: number };
export type MintedToken = { username: string; password: string; expiresAt: Date; proxyEndpoint: string };

type RawResponse = { statusCode?: number; body?: unknown };

/** Keeps the raw body of error answers: moto answers ECR's JSON protocol with XML, which the SDK cannot parse. */
function captureErrorBodies(client: ECRClient, sink: { body?: string }): void {
  client.middlewareStack.add(
    (next) => async (args) => {
      const out = await next(args);
      const res = out.response as RawResponse;
      const body = res.body as (AsyncIterable<Uint8Array> & { on?: unknown }) | undefined;
      if ((res.statusCode ?? 0) >= 300 && body && typeof body.on === "function") {
        const chunks: Buffer[] = [];
        for await (const chunk of body) chunks.push(Buffer.from(chunk));
        const buf = Buffer.concat(chunks);
        sink.body = buf.toString("utf8").slice(0, 16 * 1024);
        res.body = new Uint8Array(buf);
      }
      return out;
    },
    { step: "deserialize", priority: "low", name: "regcredCaptureErrorBody" },
  );
}

function decodeToken(token: string): { username: string; password: string } | null {
  const decoded = Buffer.from(token, "base64").toString("utf8");
  const i = decoded.indexOf(":");
  return i > 0 ? { username: decoded.slice(0, i), password: decoded.slice(i + 1) } : null;
}

/** One GetAuthorizationToken call; a failure (invalid vs unreachable) is the result, not an exception. */
export async function mintEcrToken(keys: AwsSessionKeys, opts: MintOptions): Promise<Result<MintedToken, EcrFailure>> {
  // Loaded on the first mint: the SDK costs ~25 MB resident, which a process without an ECR registry never pays.
  const { ECRClient, GetAuthorizationTokenCommand } = await import("@aws-sdk/client-ecr");
  const client = new ECRClient({
    region: opts.region,
    endpoint: opts.endpoint,
    credentials: {
      accessKeyId: keys.accessKeyId,
      secretAccessKey: keys.secretAccessKey,
      sessionToken: keys.sessionToken,
    },
    maxAttempts: 1,
    requestHandler: { connectionTimeout: opts.timeoutMs, requestTimeout: opts.timeoutMs },
  });
  const sink: { body?: string } = {};
  captureErrorBodies(client, sink);
  const endpointLabel = opts.endpoint ?? `ecr.${opts.region}.amazonaws.com`;
  try {
    const out = await client.send(new GetAuthorizationTokenCommand({}), {
      abortSignal: AbortSignal.timeout(opts.timeoutMs * 2),
    });
    const data = out.authorizationData?.[0];
    const decoded = data?.authorizationToken ? decodeToken(data.authorizationToken) : null;
    if (!data || !decoded || !data.expiresAt) {
      return fail({
        kind: "unreachable",
        code: "EmptyAnswer",
        message: `the ECR endpoint ${endpointLabel} answered without an authorization token`,
      });
    }
    return ok({
      ...decoded,
      expiresAt: data.expiresAt,
      proxyEndpoint: data.proxyEndpoint ?? `https://${endpointLabel}`,
    });
  } catch (err) {
    return fail(classifyEcrError(err, sink.body, [keys.secretAccessKey, keys.sessionToken ?? ""], endpointLabel));
  } finally {
    client.destroy();
  }
}
