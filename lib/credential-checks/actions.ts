"use server";

import type { z } from "zod";
import { withInput } from "../action";
import type { ActionResult } from "../result";
import { StoredTestRequest, UnsavedTestRequest } from "./schema";
import { testStoredRegistry, testUnsavedRegistry } from "./service";
import type { CheckResult } from "./types";

export async function testRegistryAction(id: string, testHost?: string): Promise<ActionResult<CheckResult>> {
  const input = testHost ? { test_host: testHost } : {};
  return withInput("testRegistry", StoredTestRequest, input, (ctx, body) => testStoredRegistry(ctx, id, body));
}

export async function testUnsavedRegistryAction(
  input: z.input<typeof UnsavedTestRequest>,
): Promise<ActionResult<CheckResult>> {
  return withInput("testUnsavedRegistry", UnsavedTestRequest, input, testUnsavedRegistry);
}
