import { describe, expect, it } from "vitest";
import { classifyEcrError, parseAwsErrorBody } from "./errors";

const SECRET = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";
const aws = (name: string, status: number, message = "msg") =>
  Object.assign(new Error(message), { name, $metadata: { httpStatusCode: status } });
const motoXml = (code: string, message: string) =>
  `<?xml version="1.0" encoding="utf-8"?>\n<ErrorResponse><Errors><Error><Code>${code}</Code><Message>${message}</Message><Type>Sender</Type></Error></Errors></ErrorResponse>`;
const syntax = Object.assign(new SyntaxError("Unexpected token '<'"), { $metadata: { httpStatusCode: 403 } });

describe("parseAwsErrorBody", () => {
  it.each([
    [
      '{"__type":"com.amazonaws#AccessDeniedException","message":"no"}',
      { code: "AccessDeniedException", message: "no" },
    ],
    [motoXml("SignatureDoesNotMatch", "sig"), { code: "SignatureDoesNotMatch", message: "sig" }],
    ["", {}],
    ["not xml", { code: undefined, message: undefined }],
  ])("%s", (body, expected) => expect(parseAwsErrorBody(body)).toEqual(expected));
});

describe("classifyEcrError", () => {
  const cases: Array<[string, unknown, string | undefined, "invalid" | "unreachable", RegExp]> = [
    [
      "real ECR unknown key",
      aws("UnrecognizedClientException", 400, "The security token included in the request is invalid."),
      undefined,
      "invalid",
      /^UnrecognizedClientException: unknown access key id \(AWS: The security token/,
    ],
    [
      "real ECR wrong secret",
      aws("InvalidSignatureException", 400),
      undefined,
      "invalid",
      /^InvalidSignatureException: wrong secret access key/,
    ],
    [
      "real ECR no permission",
      aws("AccessDeniedException", 400, "User: arn:aws:iam::1:user/x is not authorized"),
      undefined,
      "invalid",
      /^AccessDeniedException: the access key has no permission.*User: arn:aws:iam::1:user\/x/,
    ],
    [
      "moto wrong secret (XML)",
      syntax,
      motoXml("SignatureDoesNotMatch", "The request signature we calculated does not match"),
      "invalid",
      /^SignatureDoesNotMatch: wrong secret access key \(AWS: The request signature/,
    ],
    [
      "moto unknown key (XML)",
      syntax,
      motoXml("InvalidClientTokenId", "The security token included in the request is invalid."),
      "invalid",
      /^InvalidClientTokenId: unknown access key id/,
    ],
    [
      "moto no permission (XML)",
      syntax,
      motoXml(
        "AccessDenied",
        "User: arn:aws:iam::123456789012:user/none is not authorized to perform: ecr:GetAuthorizationToken",
      ),
      "invalid",
      /^AccessDenied: the access key has no permission.*ecr:GetAuthorizationToken\)$/,
    ],
    ["unparseable 403", syntax, "<html>", "invalid", /^HTTP403: ECR refused GetAuthorizationToken \(403\)$/],
    ["throttled", aws("ThrottlingException", 400), undefined, "unreachable", /^ThrottlingException: ECR answered 400/],
    ["server error", aws("ServerException", 500), undefined, "unreachable", /^ServerException/],
    [
      "connection refused",
      Object.assign(new Error("connect ECONNREFUSED 127.0.0.1:1"), { code: "ECONNREFUSED", $metadata: {} }),
      undefined,
      "unreachable",
      /^cannot reach the ECR endpoint http:\/\/127.0.0.1:1: connection refused$/,
    ],
    [
      "unknown host",
      Object.assign(new Error("getaddrinfo ENOTFOUND x"), { code: "ENOTFOUND" }),
      undefined,
      "unreachable",
      /no such host$/,
    ],
    ["timeout", Object.assign(new Error("t"), { name: "TimeoutError" }), undefined, "unreachable", /timed out$/],
    [
      "abort without status",
      Object.assign(new Error("UnknownError"), { name: "Unknown", $metadata: {} }),
      undefined,
      "unreachable",
      /no answer \(Unknown\)$/,
    ],
  ];
  it.each(cases)("%s", (_name, err, body, kind, message) => {
    const got = classifyEcrError(err, body, [SECRET], "http://127.0.0.1:1");
    expect(got.kind).toBe(kind);
    expect(got.message).toMatch(message);
  });

  it("removes the secret from AWS's message and caps its length", () => {
    const got = classifyEcrError(
      aws("AccessDeniedException", 400, `bad ${SECRET} ${"x".repeat(500)}`),
      undefined,
      [SECRET],
      "e",
    );
    expect(got.message).not.toContain(SECRET);
    expect(got.message).toContain("[redacted]");
    expect(got.message.length).toBeLessThan(420);
  });
});
