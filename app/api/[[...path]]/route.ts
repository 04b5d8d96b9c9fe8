import type { NextRequest } from "next/server";
import { AppError } from "@/lib/errors";
import { jsonError, unmatchedApi } from "@/lib/http";

/** Every /api path no route handles answers in the API's JSON error shape, not Next's HTML 404 page. */
const notFound = unmatchedApi((req: NextRequest): Response => {
  const path = req.nextUrl.pathname.slice(0, 200);
  return jsonError(
    new AppError(
      "NOT_FOUND",
      `No API endpoint answers ${req.method} ${path}; the API is described at /api/openapi.json.`,
    ),
  );
});

export const GET = notFound;
export const HEAD = notFound;
export const POST = notFound;
export const PUT = notFound;
export const PATCH = notFound;
export const DELETE = notFound;
export const OPTIONS = notFound;
