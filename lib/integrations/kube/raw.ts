import "server-only";
import type { HttpLibrary, KubeConfig } from "@kubernetes/client-node";
import { USER_AGENT } from "./config";
import { sdk } from "./sdk";
import type { KubeRequestInfo } from "./types";

export type RawQuery = Record<string, string | number | boolean | undefined>;
export type RawRequest = {
  method: "GET" | "POST" | "PUT" | "PATCH" | "DELETE";
  path: string;
  query?: RawQuery;
  body?: unknown;
  contentType?: string;
};
/** Thrown for non-2xx answers, shaped as toKubeError expects (numeric `code`, text `body`). */
export class RawHttpError extends Error {
  constructor(
    readonly code: number,
    readonly body: string,
  ) {
    super(`HTTP ${code}`);
  }
}

let http: HttpLibrary | undefined;

export type RawSender = <T>(req: RawRequest) => Promise<T>;

/** JSON requests on arbitrary API paths with the cluster's credentials; the body is parsed without the SDK's model layer. */
export function rawSender(
  kc: KubeConfig,
  server: string,
  timeoutMs: number,
  onRequest?: (info: KubeRequestInfo) => void,
): RawSender {
  return async <T>(req: RawRequest): Promise<T> => {
    const { IsomorphicFetchHttpLibrary, RequestContext } = sdk();
    http ??= new IsomorphicFetchHttpLibrary();
    const ctx = new RequestContext(server + req.path, req.method);
    for (const [key, value] of Object.entries(req.query ?? {}))
      if (value !== undefined && value !== "") ctx.setQueryParam(key, String(value));
    await kc.applySecurityAuthentication(ctx);
    ctx.setHeaderParam("User-Agent", USER_AGENT);
    ctx.setHeaderParam("Accept", "application/json");
    ctx.setSignal(AbortSignal.timeout(timeoutMs));
    if (req.body !== undefined) {
      ctx.setHeaderParam("Content-Type", req.contentType ?? "application/json");
      ctx.setBody(JSON.stringify(req.body));
    }
    onRequest?.({ method: req.method, url: ctx.getUrl() });
    const res = await http.send(ctx).toPromise();
    const text = await res.body.text();
    if (res.httpStatusCode < 200 || res.httpStatusCode >= 300) throw new RawHttpError(res.httpStatusCode, text);
    return (text ? JSON.parse(text) : null) as T;
  };
}
