import type { IncomingMessage, ServerResponse } from "node:http";
import type { FakeClock } from "../clock.ts";
import { ApiError, apiErrors } from "./api-error.ts";
import type { FakeCdn } from "./cdn.ts";
import type { FaultQueue } from "./faults.ts";
import type { RateLimiter } from "./rate-limiter.ts";
import { parseRequestBody, type RequestBody } from "./request-body.ts";
import { type HttpMethod, majorKey, matchRoute, type Route } from "./router.ts";

/** One HTTP request the fake received, with what it answered. */
export interface RecordedRequest {
  method: string;
  /** The decoded path, e.g. `/api/v10/webhooks/…/messages/@original`. */
  path: string;
  /** The route template below `/api/v10`, "cdn" for attachment downloads, null when nothing matched. */
  route: string | null;
  query: Record<string, string>;
  auth: "bot" | "none" | "invalid";
  status: number;
  /** Discord's JSON error code of the answer, if it was an error. */
  errorCode: number | null;
  /** The fake clock's time when it arrived. */
  at: number;
  /** Real epoch ms when it arrived. */
  realAt: number;
  /** The JSON body (`payload_json` for multipart). */
  body: unknown;
  files: { field: string; filename: string; contentType: string; size: number }[];
}

const apiPrefix = "/api/v10";

/** Creates the `http` request listener: CDN downloads, then REST with auth, faults, rate limits and routes. */
export function createHttpHandler(deps: {
  routes: readonly Route[];
  botToken: string;
  clock: FakeClock;
  cdn: FakeCdn;
  limiter: RateLimiter;
  faults: FaultQueue;
  requests: RecordedRequest[];
  problem: (text: string) => void;
}): (request: IncomingMessage, response: ServerResponse) => void {
  const respond = async (request: IncomingMessage, response: ServerResponse) => {
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    const raw = Buffer.concat(chunks);
    const url = new URL(request.url ?? "/", "http://fake");
    const method = (request.method ?? "GET").toUpperCase();
    let path: string;
    try {
      // discord.js sends `@original` as %40original (contract §4.1): route on the decoded path.
      path = decodeURIComponent(url.pathname);
    } catch {
      path = url.pathname;
    }
    const authHeader = request.headers.authorization;
    const record: RecordedRequest = {
      method,
      path,
      route: null,
      query: Object.fromEntries(url.searchParams),
      auth: authHeader === undefined ? "none" : authHeader === `Bot ${deps.botToken}` ? "bot" : "invalid",
      status: 0,
      errorCode: null,
      at: deps.clock.now(),
      realAt: Date.now(),
      body: undefined,
      files: [],
    };
    deps.requests.push(record);
    const send = (status: number, json: unknown, headers: Record<string, string> = {}) => {
      record.status = status;
      if (json && typeof json === "object" && "code" in json) record.errorCode = Number(json.code);
      if (status === 204 || json === undefined) {
        response.writeHead(status, headers).end();
        return;
      }
      response
        .writeHead(status, { ...headers, "content-type": "application/json" })
        .end(JSON.stringify(json));
    };

    if ((method === "GET" || method === "HEAD") && path.startsWith("/attachments/")) {
      record.route = "cdn";
      const file = deps.cdn.serve(path, url.searchParams);
      record.status = file ? 200 : 404;
      if (!file)
        return void response
          .writeHead(404, { "content-type": "text/plain" })
          .end("This content is no longer available.");
      response.writeHead(200, {
        "content-type": file.contentType,
        "content-length": String(file.bytes.byteLength),
      });
      return void response.end(method === "HEAD" ? undefined : Buffer.from(file.bytes));
    }

    let body: RequestBody = { kind: "none" };
    let bodyError: ApiError | null = null;
    try {
      body = await parseRequestBody(raw, request.headers["content-type"]);
    } catch (error) {
      bodyError = error instanceof ApiError ? error : apiErrors.invalidJson();
    }
    record.body = body.kind === "none" ? undefined : body.json;
    record.files = (body.kind === "multipart" ? body.files : []).map((f) => ({
      field: f.field,
      filename: f.filename,
      contentType: f.contentType,
      size: f.bytes.byteLength,
    }));

    if (!path.startsWith(`${apiPrefix}/`)) {
      deps.problem(`REST: ${method} ${path} is outside ${apiPrefix}`);
      return send(404, apiErrors.notFound().toJson());
    }
    const apiPath = path.slice(apiPrefix.length);
    const match = matchRoute(deps.routes, method, apiPath);
    if (match.kind !== "found") {
      deps.problem(`REST: no route for ${method} ${apiPath}`);
      const error = match.kind === "wrong-method" ? apiErrors.methodNotAllowed() : apiErrors.notFound();
      return send(error.status, error.toJson());
    }
    const { route, params } = match;
    record.route = route.path;
    if (route.auth === "bot" && record.auth !== "bot") return send(401, apiErrors.unauthorized().toJson());

    const fault = deps.faults.take(method, route.path, apiPath);
    if (fault) return sendFault(fault.status, fault.body, fault.headers ?? {});

    const verdict = deps.limiter.check({
      method,
      route: route.path,
      path: apiPath,
      bucketClass: route.bucket,
      majorKey: majorKey(route.path, params),
      ...(method !== "GET" && route.sharedChannel ? { sharedChannelId: route.sharedChannel(params) } : {}),
      ...(route.auth === "bot" ? { botToken: deps.botToken } : {}),
    });
    if (verdict.refusal) return send(429, verdict.refusal.body, verdict.headers);
    try {
      if (bodyError) throw bodyError;
      const result = await route.handle({
        method: method as HttpMethod,
        path: apiPath,
        params,
        query: url.searchParams,
        body,
      });
      return send(result.status, result.json, verdict.headers);
    } catch (error) {
      if (error instanceof ApiError) return send(error.status, error.toJson(), verdict.headers);
      deps.problem(
        `REST: ${method} ${apiPath} threw ${error instanceof Error ? error.stack : String(error)}`,
      );
      return send(500, { message: "500: Internal Server Error", code: 0 }, verdict.headers);
    }

    function sendFault(status: number, faultBody: unknown, headers: Record<string, string>) {
      if (status !== 429) return send(status, faultBody, headers);
      // Never a 429 without Retry-After: @discordjs/rest would resend at once in a tight loop (contract §1.7).
      const retryAfterSec = Number(headers["retry-after"] ?? headers["Retry-After"] ?? 1);
      const global = Object.keys(headers).some((h) => h.toLowerCase() === "x-ratelimit-global");
      deps.limiter.recordHit({
        at: deps.clock.now(),
        method,
        path: apiPath,
        route: route.path,
        scope: global ? "global" : "user",
        global,
        retryAfterMs: retryAfterSec * 1000,
      });
      return send(
        429,
        faultBody ?? { message: "You are being rate limited.", retry_after: retryAfterSec, global },
        {
          "retry-after": String(retryAfterSec),
          "x-ratelimit-scope": global ? "global" : "user",
          ...headers,
        },
      );
    }
  };

  return (request, response) => {
    respond(request, response).catch((error: unknown) => {
      deps.problem(`HTTP handler failed: ${error instanceof Error ? error.stack : String(error)}`);
      if (!response.headersSent) response.writeHead(500).end();
    });
  };
}
