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
    throw new AppError("VALIDATION_FAILED", "image: is required (?image=REF)", {
      fields: { image: "is required" },
    });
  const rows = await listRegistryRows(ctx.db, ctx.actor.orgId);
  const result = resolveImage(image, rows);
  if (!result.ok)
    throw new AppError("VALIDATION_FAILED", `image: ${result.reason}`, {
      fields: { image: result.reason },
    });
  const { ok: _ok, ...resolved } = result;
  return NextResponse.json(resolved satisfies ResolvedImage);
});
