"use server";

import { revalidatePath } from "next/cache";
import type { z } from "zod";
import { withActor, withInput } from "../action";
import type { ActionResult } from "../result";
import { CreateTokenInput, type TokenView } from "./schema";
import { createToken, listTokens, revokeToken } from "./service";

export async function listTokensAction(): Promise<ActionResult<TokenView[]>> {
  return withActor("listTokens", (ctx) => listTokens(ctx));
}

export async function createTokenAction(
  input: z.input<typeof CreateTokenInput>,
): Promise<ActionResult<{ token: string; view: TokenView }>> {
  const result = await withInput("createToken", CreateTokenInput, input, createToken);
  if (result.ok) revalidatePath("/settings");
  return result;
}

export async function revokeTokenAction(id: string): Promise<ActionResult<null>> {
  const result = await withActor("revokeToken", async (ctx) => {
    await revokeToken(ctx, id);
    return null;
  });
  if (result.ok) revalidatePath("/settings");
  return result;
}
