import type { NextRequest } from "next/server";
import { NextResponse } from "next/server";
import { testUnsavedRegistry } from "@/lib/credential-checks/service";
import { api, readJson } from "@/lib/http";
import * as registry from "../[regId]/route";

export const POST = api(async (ctx) => NextResponse.json(await testUnsavedRegistry(ctx, await readJson(ctx.req))));

// This static segment shadows a registry whose id is "test"; serve it here too.
type Route = { params: Promise<Record<string, string>> };
const asRegistry = (route: Route): Route => ({ params: route.params.then((p) => ({ ...p, regId: "test" })) });
export const GET = (req: NextRequest, route: Route) => registry.GET(req, asRegistry(route));
export const PATCH = (req: NextRequest, route: Route) => registry.PATCH(req, asRegistry(route));
export const DELETE = (req: NextRequest, route: Route) => registry.DELETE(req, asRegistry(route));
