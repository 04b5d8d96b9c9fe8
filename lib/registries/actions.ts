"use server";

import { revalidatePath } from "next/cache";
import { withActor } from "../action";
import type { ActionResult } from "../result";
import type { RegistryView } from "./repo";
import type { RegistryResponse } from "./schema";
import { createRegistry, deleteRegistry, listRegistryViews, updateRegistry } from "./service";

export async function listRegistriesAction(): Promise<ActionResult<RegistryView[]>> {
  return withActor("listRegistries", (ctx) => listRegistryViews(ctx));
}

export async function createRegistryAction(body: unknown): Promise<ActionResult<RegistryResponse>> {
  const result = await withActor("createRegistry", (ctx) => createRegistry(ctx, body));
  if (result.ok) revalidatePath("/registries");
  return result;
}

export async function updateRegistryAction(id: string, body: unknown): Promise<ActionResult<RegistryResponse>> {
  const result = await withActor("updateRegistry", (ctx) => updateRegistry(ctx, id, body));
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
