import { NextResponse } from "next/server";
import { listImportableContexts } from "@/lib/clusters/startup";
import { api } from "@/lib/http";

export const GET = api(async (ctx) => NextResponse.json(await listImportableContexts(ctx)));
