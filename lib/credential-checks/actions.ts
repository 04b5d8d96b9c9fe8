"use server";

import { withActor } from "../action";
import type { ActionResult } from "../result";
import { testStoredRegistry, testUnsavedRegistry } from "./service";
import type { CheckResult } from "./types";

export async function testRegistryAction(id: string, testHost?: string): Promise<ActionResult<CheckResult>> {
  return withActor("testRegistry", (ctx) => testStoredRegistry(ctx, id, testHost ? { test_host: testHost } : {}));
}

export async function testUnsavedRegistryAction(body: unknown): Promise<ActionResult<CheckResult>> {
  return withActor("testUnsavedRegistry", (ctx) => testUnsavedRegistry(ctx, body));
}
