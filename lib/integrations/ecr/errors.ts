import { parseJsonOrNull } from "@/lib/json";
import type { Failure } from "@/lib/result";

/**
 * Why no ECR token was issued: `invalid` (keys, permissions, region) or `unreachable` (network, throttling, AWS
 * outage). `code` is AWS's error code or a network code; the message names it and never carries the secret.
 */
export type EcrFailure = Failure<"invalid" | "unreachable"> & {
  code: string;
  /** which step failed: "sts" (the role or the server's identity behind it) or "aws" (the source or GetAuthorizationToken) */
  step?: "sts" | "aws";
};

const explanations: Record<string, string> = {
  UnrecognizedClientException: "unknown access key id",
  InvalidClientTokenId: "unknown access key id",
  InvalidSignatureException: "wrong secret access key",
  SignatureDoesNotMatch: "wrong secret access key",
  IncompleteSignature: "wrong secret access key",
  AccessDeniedException: "the access key has no permission for ecr:GetAuthorizationToken",
  AccessDenied: "the access key has no permission for ecr:GetAuthorizationToken",
  ExpiredTokenException: "the credentials have expired",
  ExpiredToken: "the credentials have expired",
};

const networkCodes: Record<string, string> = {
  ECONNREFUSED: "connection refused",
  ENOTFOUND: "no such host",
  EAI_AGAIN: "temporary DNS failure",
  ETIMEDOUT: "timed out",
  ECONNRESET: "connection reset",
  EHOSTUNREACH: "no route to host",
  ENETUNREACH: "network unreachable",
};

type AwsErrorLike = { name?: unknown; code?: unknown; message?: unknown; $metadata?: { httpStatusCode?: unknown } };

/** Code and message from an AWS error body: JSON (`__type`, `message`) or query/XML (`<Code>`, `<Message>`). */
export function parseAwsErrorBody(body: string | undefined): { code?: string; message?: string } {
  if (!body) return {};
  const json = parseJsonOrNull(body) as { __type?: unknown; message?: unknown; Message?: unknown } | null;
  if (json && typeof json === "object") {
    const code = typeof json.__type === "string" ? json.__type.split("#").pop() : undefined;
    const message =
      typeof json.message === "string" ? json.message : typeof json.Message === "string" ? json.Message : undefined;
    return { code, message };
  }
  const code = /<Code>([^<]*)<\/Code>/.exec(body)?.[1];
  const message = /<Message>([^<]*)<\/Message>/.exec(body)?.[1];
  return { code, message };
}

function clean(message: string, secrets: string[]): string {
  let out = message.replace(/\s+/g, " ").trim();
  for (const s of secrets) if (s.length >= 4) out = out.split(s).join("[redacted]");
  return out.length > 300 ? `${out.slice(0, 297)}...` : out;
}

/**
 * Maps an @aws-sdk error (plus the raw error body, when the SDK could not parse it, as with moto's XML)
 * to invalid vs unreachable with a message. `secrets` are removed from AWS's message.
 */
export function classifyEcrError(
  err: unknown,
  rawBody: string | undefined,
  secrets: string[],
  endpointLabel: string,
): EcrFailure {
  const e = (err ?? {}) as AwsErrorLike;
  const httpStatus = typeof e.$metadata?.httpStatusCode === "number" ? e.$metadata.httpStatusCode : undefined;
  const netCode = typeof e.code === "string" ? e.code : "";
  const name = typeof e.name === "string" ? e.name : "Error";
  if (httpStatus === undefined || networkCodes[netCode]) {
    const what =
      networkCodes[netCode] ?? (/timeout|abort/i.test(name) ? "timed out" : `no answer (${netCode || name})`);
    return {
      kind: "unreachable",
      code: netCode || name,
      message: `cannot reach the ECR endpoint ${endpointLabel}: ${what}`,
    };
  }
  const body = parseAwsErrorBody(rawBody);
  const code = body.code ?? (name === "SyntaxError" ? `HTTP${httpStatus}` : name);
  const awsMessage =
    body.message ?? (name === "SyntaxError" ? undefined : typeof e.message === "string" ? e.message : undefined);
  const said = awsMessage ? ` (AWS: ${clean(awsMessage, secrets)})` : "";
  const explanation = explanations[code];
  if (explanation) return { kind: "invalid", code, message: `${code}: ${explanation}${said}` };
  if (httpStatus >= 500 || code === "ThrottlingException" || code === "ServerException") {
    return { kind: "unreachable", code, message: `${code}: ECR answered ${httpStatus}${said}` };
  }
  return { kind: "invalid", code, message: `${code}: ECR refused GetAuthorizationToken (${httpStatus})${said}` };
}

/** Maps an STS (or credential-provider) error to invalid vs unreachable; `secrets` are removed from AWS's message. */
export function classifyStsError(err: unknown, secrets: string[], endpointLabel: string): EcrFailure {
  const e = (err ?? {}) as AwsErrorLike;
  const httpStatus = typeof e.$metadata?.httpStatusCode === "number" ? e.$metadata.httpStatusCode : undefined;
  const netCode = typeof e.code === "string" ? e.code : "";
  const name = typeof e.name === "string" ? e.name : "Error";
  const said = typeof e.message === "string" && e.message ? ` (AWS: ${clean(e.message, secrets)})` : "";
  if (httpStatus === undefined && (networkCodes[netCode] || /timeout|abort/i.test(name))) {
    const what = networkCodes[netCode] ?? "timed out";
    return {
      kind: "unreachable",
      code: netCode || name,
      message: `cannot reach the STS endpoint ${endpointLabel}: ${what}`,
    };
  }
  if (httpStatus !== undefined && (httpStatus >= 500 || /Throttl/.test(name)))
    return { kind: "unreachable", code: name, message: `${name}: STS answered ${httpStatus}${said}` };
  return { kind: "invalid", code: name, message: `${name}${said}` };
}
