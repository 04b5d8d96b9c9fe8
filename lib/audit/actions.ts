"use server";

import type { z } from "zod";
import { withInput } from "../action";
import type { ActionResult } from "../result";
import { AuditParams } from "./query";
import type { AuditPage } from "./schema";
import { listAuditPage } from "./service";

export async function listAuditPageAction(params: z.input<typeof AuditParams>): Promise<ActionResult<AuditPage>> {
  return withInput("listAuditPage", AuditParams, params, listAuditPage);
}
