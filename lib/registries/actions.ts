"use server";

import { revalidatePath } from "next/cache";
import type { z } from "zod";
import { withActor, withInput } from "../action";
import type { ActionResult } from "../result";
import type { RegistryView } from "./repo";
import { RegistryPatch, RegistryRequestShape, type RegistryResponse } from "./schema";
import { createRegistry, deleteRegistry, listRegistryViews, updateRegistry } from "./service";

export async function listRegistriesAction(): Promise<ActionResult<RegistryView[]>> {
  return withActor("listRegistries", (ctx) => listRegistryViews(ctx));
}

export async function createRegistryAction(
  input: z.input<typeof RegistryRequestShape>,
): Promise<ActionResult<RegistryResponse>> {
  const result = await withInput("createRegistry", RegistryRequestShape, input, createRegistry);
  if (result.ok) revalidatePath("/registries");
  return result;
}

export async function updateRegistryAction(
  id: string,
  input: z.input<typeof RegistryPatch>,
): Promise<ActionResult<RegistryResponse>> {
  const result = await withInput("updateRegistry", RegistryPatch, input, (ctx, patch) =>
    updateRegistry(ctx, id, patch),
  );
  if (result.ok) revalidatePath("/registries");
  return result;
}

export async function deleteRegistryAction(id: string): Promise<ActionResult<null>> {
  const result = await withActor("deleteRegistry", async (ctx) => {
    await deleteRegistry(ctx, id);
    return null;
  });
  if (result.ok) revalidatePath("/registries");
  return result;
}
