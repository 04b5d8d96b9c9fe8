import { SignInInput } from "../users/schema";
import { type ApiPart, errors, json, jsonSchema, noContent, ref } from "./common";

const cookie = {
  "Set-Cookie": {
    schema: { type: "string" },
    description: "`regcred_session=…; HttpOnly; SameSite=Lax; Path=/`, plus `Secure` when the request came over HTTPS.",
  },
};

function paths() {
  return {
    "/api/session": {
      post: {
        tags: ["Session"],
        operationId: "signIn",
        summary: "Sign in with email and password; sets the session cookie",
        description:
          "Limited per account and per client address (REGCRED_SIGNIN_ACCOUNT_ATTEMPTS and REGCRED_SIGNIN_CLIENT_ATTEMPTS per REGCRED_SIGNIN_WINDOW_SECONDS, counted per replica); a successful sign-in gives the account its attempts back. The body must be sent as `application/json`; a browser request must come from this site. With the cookie, mutations under `/api/orgs` need `Content-Type: application/json` and a same-origin `Origin` (or `Sec-Fetch-Site: same-origin`).",
        security: [],
        requestBody: {
          required: true,
          description: "JSON with Content-Type: application/json.",
          content: json(ref("SignInInput")),
        },
        responses: {
          204: { ...noContent, description: "Signed in; the session cookie is set.", headers: cookie },
          ...errors([400, 413]),
          401: {
            description: "Wrong email or password (the same answer for every cause).",
            content: json(ref("Error")),
          },
          403: { description: "A browser request from another site.", content: json(ref("Error")) },
          415: { description: "The body was not sent as application/json.", content: json(ref("Error")) },
          429: {
            description: "Too many attempts for this account or from this client; wait for Retry-After.",
            headers: {
              "Retry-After": {
                schema: { type: "integer", minimum: 1 },
                description: "Seconds until the next attempt is counted.",
              },
            },
            content: json(ref("Error")),
          },
        },
      },
      delete: {
        tags: ["Session"],
        operationId: "signOut",
        summary: "Sign out: ends the session of the cookie sent, if any",
        description:
          "Signed in by the cookie, so it needs `Content-Type: application/json` and a same-origin `Origin` or `Sec-Fetch-Site: same-origin`.",
        security: [],
        responses: {
          204: { ...noContent, description: "Signed out; the cookie is cleared." },
          401: { description: "No session cookie was sent.", content: json(ref("Error")) },
          403: {
            description: "A cookie-signed request without a JSON Content-Type or from another site.",
            content: json(ref("Error")),
          },
          ...errors([]),
        },
      },
    },
  };
}

export function sessionPart(): ApiPart {
  return { paths: paths(), schemas: { SignInInput: jsonSchema(SignInInput, "input") } };
}
