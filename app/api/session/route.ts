import { createSessionRoute, deleteSessionRoute } from "@/lib/auth/session-api";
import { publicApi } from "@/lib/http";

export const POST = publicApi(createSessionRoute);
export const DELETE = publicApi(deleteSessionRoute);
