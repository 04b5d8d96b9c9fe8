"use server";

import { withActor } from "../action";
import type { ActionResult } from "../result";
import type { ReadinessQuery, ReadinessView, RecheckResult } from "./schema";
import { recheckReadiness } from "./recheck";
import { getReadinessView } from "./service";

/** The readiness view for the query (viewer; reads cached checks and never triggers one). */
export async function getReadinessViewAction(query: ReadinessQuery): Promise<ActionResult<ReadinessView>> {
  return withActor("getReadinessView", (ctx) => getReadinessView(ctx, query));
}

/** Runs the org's repository checks now (manager). */
export async function recheckReadinessAction(): Promise<ActionResult<RecheckResult>> {
  return withActor("recheckReadiness", (ctx) => recheckReadiness(ctx));
}
