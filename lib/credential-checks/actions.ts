"use server";

import { withActor } from "../action";
import type { ActionResult } from "../result";
import { testStoredRegistry, testUnsavedRegistry } from "./service";
import type { CheckResult } from "./types";

export async function testRegistryAction(id: string): Promise<ActionResult<CheckResult>> {
  return withActor("testRegistry", (ctx) => testStoredRegistry(ctx, id));
}

export async function testUnsavedRegistryAction(body: unknown): Promise<ActionResult<CheckResult>> {
  return withActor("testUnsavedRegistry", (ctx) => testUnsavedRegistry(ctx, body));
}
