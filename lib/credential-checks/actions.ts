"use server";

import type { z } from "zod";
import { withActor, withInput } from "../action";
import { RegistryPatch } from "../registries/schema";
import type { ActionResult } from "../result";
import { testStoredRegistry, testUnsavedRegistry } from "./service";
import type { CheckResult } from "./types";

export async function testRegistryAction(id: string): Promise<ActionResult<CheckResult>> {
  return withActor("testRegistry", (ctx) => testStoredRegistry(ctx, id));
}

export async function testUnsavedRegistryAction(
  input: z.input<typeof RegistryPatch>,
): Promise<ActionResult<CheckResult>> {
  return withInput("testUnsavedRegistry", RegistryPatch, input, testUnsavedRegistry);
}
