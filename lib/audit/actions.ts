"use server";

import { withActor } from "../action";
import type { ActionResult } from "../result";
import type { AuditParams } from "./query";
import type { AuditPage } from "./schema";
import { listAuditPage } from "./service";

export async function listAuditPageAction(params: AuditParams): Promise<ActionResult<AuditPage>> {
  return withActor("listAuditPage", (ctx) =>
    listAuditPage(ctx, typeof params === "object" && params !== null ? pick(params) : {}),
  );
}

// Server-action arguments arrive from the client as they were sent: keep only string values of known names.
function pick(params: AuditParams): AuditParams {
  const names = ["limit", "cursor", "action", "actor", "target", "since", "until"] as const;
  return Object.fromEntries(names.flatMap((n) => (typeof params[n] === "string" ? [[n, params[n]]] : [])));
}
