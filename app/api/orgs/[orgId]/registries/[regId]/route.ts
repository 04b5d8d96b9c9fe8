import { NextResponse } from "next/server";
import { api, readJson } from "@/lib/http";
import { deleteRegistry, getRegistry, updateRegistry } from "@/lib/registries/service";

export const GET = api(async (ctx, { regId }) => NextResponse.json(await getRegistry(ctx, regId!)));

export const PATCH = api(async (ctx, { regId }) =>
  NextResponse.json(await updateRegistry(ctx, regId!, await readJson(ctx.req))),
);

export const DELETE = api(async (ctx, { regId }) => {
  await deleteRegistry(ctx, regId!);
  return new NextResponse(null, { status: 204 });
});
