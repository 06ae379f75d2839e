import type { BucketClass } from "./rate-limiter.ts";
import type { RequestBody } from "./request-body.ts";

/** HTTP methods the REST API uses. */
export type HttpMethod = "GET" | "POST" | "PUT" | "PATCH" | "DELETE";

/** What a route handler receives. */
export interface RouteContext {
  method: HttpMethod;
  /** The decoded path below `/api/v10`. */
  path: string;
  params: Record<string, string>;
  query: URLSearchParams;
  body: RequestBody;
}

/** What a route handler returns; errors are thrown as `ApiError`. */
export interface RouteResult {
  status: number;
  json?: unknown;
}

/** One REST route of the fake. */
export interface Route {
  method: HttpMethod;
  /** A template below `/api/v10`, with `:name` segments, e.g. `/channels/:channel_id/messages`. */
  path: string;
  /** "bot" needs `Authorization: Bot <token>`; "interaction" routes are authorised by the token in the path. */
  auth: "bot" | "interaction";
  bucket: BucketClass;
  /** For interaction-webhook writes: the channel whose shared cap they count against. */
  sharedChannel?: (params: Record<string, string>) => string | undefined;
  handle(context: RouteContext): RouteResult | Promise<RouteResult>;
}

/** A matched route, or why none matched. */
export type RouteMatch =
  | { kind: "found"; route: Route; params: Record<string, string> }
  | { kind: "wrong-method" }
  | { kind: "not-found" };

/** Finds the first route whose template matches `path`; literal segments such as `@original` win by order. */
export function matchRoute(routes: readonly Route[], method: string, path: string): RouteMatch {
  const segments = path.split("/").filter(Boolean);
  let pathMatched = false;
  for (const route of routes) {
    const params = matchTemplate(route.path, segments);
    if (!params) continue;
    pathMatched = true;
    if (route.method === method) return { kind: "found", route, params };
  }
  return pathMatched ? { kind: "wrong-method" } : { kind: "not-found" };
}

function matchTemplate(template: string, segments: string[]): Record<string, string> | null {
  const parts = template.split("/").filter(Boolean);
  if (parts.length !== segments.length) return null;
  const params: Record<string, string> = {};
  for (const [index, part] of parts.entries()) {
    const segment = segments[index] ?? "";
    if (part.startsWith(":")) {
      if (!segment) return null;
      params[part.slice(1)] = segment;
    } else if (part !== segment) {
      return null;
    }
  }
  return params;
}

/** The top-level resource Discord keys a route's bucket on: channel, guild or webhook+token. */
export function majorKey(template: string, params: Record<string, string>): string {
  if (template.startsWith("/channels/")) return `channel:${params.channel_id}`;
  if (template.startsWith("/guilds/")) return `guild:${params.guild_id}`;
  if (template.startsWith("/webhooks/")) return `webhook:${params.application_id}/${params.token}`;
  return "global";
}
