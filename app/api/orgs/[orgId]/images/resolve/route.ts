import { NextResponse } from "next/server";
import { authorize } from "@/lib/auth/authenticate";
import { AppError } from "@/lib/errors";
import { api } from "@/lib/http";
import { resolveImage } from "@/lib/images/resolve";
import type { ResolvedImage } from "@/lib/images/schema";
import { listRegistryRows } from "@/lib/registries/repo";

export const GET = api(async (ctx) => {
  authorize(ctx.actor, "viewer");
  const image = ctx.req.nextUrl.searchParams.get("image");
  if (!image)
    throw new AppError("VALIDATION_FAILED", "Image reference is required (?image=REF)", {
      fields: { image: "Image reference is required" },
    });
  const rows = await listRegistryRows(ctx.db, ctx.actor.orgId);
  const result = resolveImage(image, rows);
  if (!result.ok) {
    const message = `Image reference is not valid: ${result.reason}`;
    throw new AppError("VALIDATION_FAILED", message, { fields: { image: message } });
  }
  const { ok: _ok, ...resolved } = result;
  return NextResponse.json(resolved satisfies ResolvedImage);
});
