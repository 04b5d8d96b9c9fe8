import { AuditEntry } from "../audit/schema";
import { CreatedToken, CreateTokenInput, TokenView } from "../tokens/schema";
import { ChangeRoleInput, InviteResponse, InviteUserInput, MemberView, RoleChanged } from "../users/schema";
import {
  type ApiPart,
  arrayOf,
  errors,
  jsonSchema,
  links,
  noContent,
  ok,
  operation,
  pathParam,
  queryParam,
  ref,
} from "./common";

const uuid = { type: "string", format: "uuid" };
const tokenId = pathParam("tokenId", "Token id (a UUID).", uuid);
const userId = pathParam("userId", "User id (a UUID).", uuid);
const tokenLinks = links({ RevokeToken: ["revokeToken", "Revoke the created token."] }, "tokenId");
const lastAdmin = { 409: "The change would leave the org without an admin who can sign in." };

function paths() {
  const tok = "Token";
  const usr = "User";
  return {
    "/api/orgs/{orgId}/tokens": {
      get: operation({
        tag: tok,
        id: "listTokens",
        summary: "List the org's API tokens (admin)",
        responses: {
          200: ok("The tokens, newest first; never their plaintext.", arrayOf("TokenView")),
          ...errors([401, 403, 404]),
        },
      }),
      post: operation({
        tag: tok,
        id: "createToken",
        summary: "Create an API token (admin)",
        body: ref("CreateTokenInput"),
        responses: {
          201: ok("Created; `token` is shown once.", ref("CreatedToken"), { links: tokenLinks }),
          ...errors([400, 401, 403, 404, 413]),
        },
      }),
    },
    "/api/orgs/{orgId}/tokens/{tokenId}": {
      delete: operation({
        tag: tok,
        id: "revokeToken",
        summary: "Revoke an API token (admin)",
        params: [tokenId],
        responses: {
          204: noContent,
          ...errors([401, 403, 404], { 404: "Unknown organization, or no such token that is not revoked yet." }),
        },
      }),
    },
    "/api/orgs/{orgId}/users": {
      get: operation({
        tag: usr,
        id: "listUsers",
        summary: "List the org's members",
        responses: { 200: ok("The members, by email.", arrayOf("MemberView")), ...errors([401, 404]) },
      }),
      post: operation({
        tag: usr,
        id: "inviteUser",
        summary: "Add a member (admin, or an instance admin who need not be a member)",
        description:
          "A user with an account is added at once and signs in with their password (`invite_url` is null). Anyone else gets a one-time invite link bound to this org's membership; inviting a pending member again replaces the link.",
        body: ref("InviteUserInput"),
        responses: {
          201: ok("Added.", ref("InviteResponse")),
          ...errors([400, 401, 403, 404, 409, 413], { 409: "The email is already an active member of this org." }),
        },
      }),
    },
    "/api/orgs/{orgId}/users/{userId}": {
      patch: operation({
        tag: usr,
        id: "changeUserRole",
        summary: "Change a member's role (admin)",
        params: [userId],
        body: ref("ChangeRoleInput"),
        responses: { 200: ok("Changed.", ref("RoleChanged")), ...errors([400, 401, 403, 404, 409, 413], lastAdmin) },
      }),
      delete: operation({
        tag: usr,
        id: "removeUser",
        summary: "Remove a member from the org (admin)",
        params: [userId],
        responses: {
          204: noContent,
          ...errors([401, 403, 404, 409], { 409: "The member is the caller, or the org's last admin." }),
        },
      }),
    },
    "/api/orgs/{orgId}/audit": {
      get: operation({
        tag: "Audit",
        id: "listAudit",
        summary: "A page of the org's audit log, newest first (admin)",
        description:
          "Pages through the whole log: the body is the array of entries (by default the newest 200, as before); when older matching entries exist, " +
          'the `Link` header names the next page (`rel="next"`, same filters) and `X-Next-Cursor` carries its cursor. Filters are exact matches and apply to the whole log.',
        params: [
          queryParam("limit", "Entries per page, 1 to 500.", {
            type: "integer",
            minimum: 1,
            maximum: 500,
            default: 200,
          }),
          queryParam("cursor", "Opaque cursor from the previous page's Link header or X-Next-Cursor.", {
            type: "string",
          }),
          queryParam("action", "Only entries of this action, such as registry.create.", {
            type: "string",
            maxLength: 500,
          }),
          queryParam("actor", "Only entries by this actor: a user's email, token:<name>, or system.", {
            type: "string",
            maxLength: 500,
          }),
          queryParam("target", "Only entries about this target, such as a registry or token id.", {
            type: "string",
            maxLength: 500,
          }),
          queryParam("since", "Only entries at or after this time (ISO 8601 with a time zone).", {
            type: "string",
            format: "date-time",
          }),
          queryParam("until", "Only entries before this time (ISO 8601 with a time zone); must be later than since.", {
            type: "string",
            format: "date-time",
          }),
        ],
        responses: {
          200: ok("The entries of this page.", arrayOf("AuditEntry"), {
            headers: {
              Link: {
                schema: { type: "string" },
                description: 'Present when there is an older page: `</api/orgs/{orgId}/audit?…&cursor=…>; rel="next"`.',
              },
              "X-Next-Cursor": {
                schema: { type: "string" },
                description: "The cursor of the next page, when there is one.",
              },
            },
          }),
          ...errors([400, 401, 403, 404], {
            400: "A query parameter is invalid; `fields` names it (limit, cursor, since, until, action, actor, target).",
          }),
        },
      }),
    },
  };
}

export function accessPart(): ApiPart {
  return {
    paths: paths(),
    schemas: {
      CreateTokenInput: jsonSchema(CreateTokenInput, "input"),
      TokenView: jsonSchema(TokenView, "output"),
      CreatedToken: jsonSchema(CreatedToken, "output"),
      MemberView: jsonSchema(MemberView, "output"),
      InviteUserInput: jsonSchema(InviteUserInput, "input"),
      InviteResponse: jsonSchema(InviteResponse, "output"),
      ChangeRoleInput: jsonSchema(ChangeRoleInput, "input"),
      RoleChanged: jsonSchema(RoleChanged, "output"),
      AuditEntry: jsonSchema(AuditEntry, "output"),
    },
  };
}
