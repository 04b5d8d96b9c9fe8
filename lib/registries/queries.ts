import type { ActionResult } from "../result";

export const registryKeys = {
  all: (orgId: string) => ["registries", orgId] as const,
  list: (orgId: string) => [...registryKeys.all(orgId), "list"] as const,
};

export class ActionFailure extends Error {
  constructor(readonly error: Extract<ActionResult<unknown>, { ok: false }>["error"]) {
    super(error.message);
  }
}

export function unwrap<T>(result: ActionResult<T>): T {
  if (!result.ok) throw new ActionFailure(result.error);
  return result.data;
}
