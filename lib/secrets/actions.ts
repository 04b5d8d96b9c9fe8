"use server";

import { withActor } from "../action";
import type { ActionResult } from "../result";
import type { SecretsView } from "./schema";
import { getSecretsView } from "./service";

/** The whole view, unfiltered: the screen filters, counts and sorts locally with lib/secrets/view.ts. */
export async function getSecretsViewAction(): Promise<ActionResult<SecretsView>> {
  return withActor("getSecretsView", (ctx) => getSecretsView(ctx, {}));
}
