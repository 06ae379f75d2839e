import type { IncomingMessage, ServerResponse } from "node:http";
import type { FakeClock } from "../clock.ts";
import type { FaultQueue } from "./faults.ts";
import { serveDownload } from "./file-downloads.ts";
import type { MethodHandler, MethodResult, Params } from "./params.ts";
import type { RateLimiter } from "./rate-limiter.ts";
import type { ResponseUrls } from "./response-urls.ts";
import type { SlackState, TokenGrant } from "./state.ts";

/** One request the fake received: a Web API call, an upload, a response_url post or a file download. */
export interface RecordedRequest {
  at: number;
  /** The Web API method (`chat.postMessage`), or `upload`, `response_url`, `file_download`. */
  method: string;
  path: string;
  params: Params;
  teamId: string | undefined;
  status: number;
  /** The JSON answer of Web API calls, the text of the others; for downloads a note (`<n> bytes`, `login page: …`). */
  result: unknown;
}

/** Methods callable without a token. */
const tokenless = new Set(["oauth.v2.access"]);
/** Methods that take the app-level token (`xapp-`), and only it, in the Authorization header. */
const appTokenMethods = new Set(["apps.connections.open"]);

/** Why Slack refuses this token for this method, or null when it may call it. */
function tokenRefusal(method: string, grant: TokenGrant | "missing" | "invalid", fromHeader: boolean) {
  if (grant === "missing") return "not_authed";
  if (grant === "invalid") return "invalid_auth";
  // Slack's docs: account_inactive for bot tokens of a removed app, token_revoked for user tokens.
  if (grant.revoked) return grant.kind === "user" ? "token_revoked" : "account_inactive";
  const appMethod = appTokenMethods.has(method);
  if ((grant.kind === "app") !== appMethod) return "not_allowed_token_type";
  // apps.connections.open: "passing it as a POST parameter will result in an error".
  if (appMethod && !fromHeader) return "not_authed";
  // The fake does not model acting as a user: user tokens only identify themselves.
  if (grant.kind === "user" && method !== "auth.test") return "not_allowed_token_type";
  return null;
}

async function readBody(request: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

/** Parses form, JSON or multipart bodies into params; multipart file parts become Uint8Arrays. */
async function parseParams(raw: Buffer, contentType: string): Promise<Params> {
  const type = contentType.toLowerCase();
  if (raw.byteLength === 0) return {};
  if (type.startsWith("application/json")) return JSON.parse(raw.toString("utf8")) as Params;
  if (type.startsWith("multipart/form-data")) {
    const form = await new Response(new Uint8Array(raw), {
      headers: { "content-type": contentType },
    }).formData();
    const out: Params = {};
    for (const [key, value] of form.entries())
      out[key] = typeof value === "string" ? value : new Uint8Array(await value.arrayBuffer());
    return out;
  }
  return Object.fromEntries(new URLSearchParams(raw.toString("utf8")));
}

/** Creates the request handler for every route of the fake. */
export function createHttpHandler(deps: {
  state: SlackState;
  clock: FakeClock;
  methods: Record<string, MethodHandler>;
  limiter: RateLimiter;
  faults: FaultQueue;
  responseUrls: ResponseUrls;
  requests: RecordedRequest[];
  /** `GET /oauth/v2/authorize` (path with query): a redirect or an error page. */
  authorizePage(pathWithQuery: string): { status: number; headers: Record<string, string>; body: string };
}) {
  const { state, clock, requests } = deps;
  const tokenOf = (request: IncomingMessage, params: Params) => {
    const header = request.headers.authorization ?? "";
    if (header.startsWith("Bearer ")) return { token: header.slice(7), fromHeader: true };
    return { token: typeof params.token === "string" ? params.token : "", fromHeader: false };
  };
  const grantOf = (request: IncomingMessage, params: Params): TokenGrant | "missing" | "invalid" => {
    const { token } = tokenOf(request, params);
    if (!token) return "missing";
    return state.tokens.get(token) ?? "invalid";
  };
  /** A live bot token's grant, for the upload and download hosts. */
  const botGrantOf = (request: IncomingMessage) => {
    const grant = grantOf(request, {});
    return typeof grant === "object" && !grant.revoked && (grant.kind ?? "bot") === "bot" ? grant : null;
  };

  const api = (request: IncomingMessage, method: string, params: Params) => {
    const send = (status: number, result: unknown, teamId?: string, headers: Record<string, string> = {}) => {
      requests.push({ at: clock.now(), method, path: request.url ?? "", params, teamId, status, result });
      return {
        status,
        headers: { "content-type": "application/json", ...headers },
        body: JSON.stringify(result),
      };
    };
    const handler = deps.methods[method];
    if (!handler) return send(200, { ok: false, error: "unknown_method" });
    const grant = grantOf(request, params);
    const teamId = typeof grant === "object" ? grant.teamId : undefined;
    const fault = deps.faults.take(method);
    if (fault) {
      const status = fault.status ?? 200;
      if (status === 429) {
        const seconds = Number(fault.headers?.["retry-after"] ?? 0);
        deps.limiter.recordHit({
          at: clock.now(),
          method,
          teamId: teamId ?? "",
          rule: "injected",
          retryAfterSeconds: seconds,
        });
      }
      return send(status, fault.body ?? { ok: false, error: "internal_error" }, teamId, fault.headers);
    }
    const refusal = tokenless.has(method)
      ? null
      : tokenRefusal(method, grant, tokenOf(request, params).fromHeader);
    if (refusal) return send(200, { ok: false, error: refusal }, teamId);
    if (teamId) {
      const channel = params.channel ?? params.channel_id;
      const retryAfter = deps.limiter.check({
        method,
        teamId,
        channelId: typeof channel === "string" ? channel : undefined,
      });
      if (retryAfter !== null)
        return send(429, { ok: false, error: "ratelimited" }, teamId, { "retry-after": String(retryAfter) });
    }
    const team = teamId ? (state.teams.get(teamId) ?? null) : null;
    const result: MethodResult = handler({ params, grant: typeof grant === "object" ? grant : null, team });
    return send(200, result, teamId);
  };

  const upload = (request: IncomingMessage, fileId: string, params: Params, raw: Buffer) => {
    const grant = botGrantOf(request);
    const file = state.files.get(fileId);
    const record = (status: number, text: string) => {
      requests.push({
        at: clock.now(),
        method: "upload",
        path: request.url ?? "",
        params: { file_id: fileId },
        teamId: file?.teamId,
        status,
        result: text,
      });
      return { status, headers: { "content-type": "text/plain" }, body: text };
    };
    if (!grant) return record(401, "unauthorized");
    if (!file || file.teamId !== grant.teamId) return record(404, "file_not_found");
    // filesUploadV2 sends one multipart part named `body` (contract §4.11); raw bytes are accepted too.
    const part = params.body;
    file.bytes = part instanceof Uint8Array ? part : new Uint8Array(raw);
    return record(200, `OK - ${file.bytes.byteLength}`);
  };

  const download = (request: IncomingMessage, path: string) => {
    const answer = serveDownload(state, botGrantOf(request), path);
    requests.push({
      at: clock.now(),
      method: "file_download",
      path,
      params: answer.fileId ? { file_id: answer.fileId } : {},
      teamId: answer.teamId,
      status: answer.status,
      result: answer.note,
    });
    return answer;
  };

  const route = async (request: IncomingMessage) => {
    const path = decodeURIComponent(new URL(request.url ?? "/", "http://fake").pathname);
    const raw = await readBody(request);
    if (request.method === "GET" && path.startsWith("/files-pri/")) return download(request, path);
    if (request.method === "GET" && path === "/oauth/v2/authorize")
      return deps.authorizePage(request.url ?? path);
    if (request.method !== "POST") return { status: 405, headers: {}, body: "method_not_allowed" };
    const params = await parseParams(raw, request.headers["content-type"] ?? "");
    const [, root, id] = path.split("/");
    if (root === "api" && id) return api(request, path.slice(5), params);
    if (root === "upload" && path.startsWith("/upload/v1/"))
      return upload(request, path.slice(11), params, raw);
    if (root === "response" && id) {
      const answer = deps.responseUrls.post(id, params);
      requests.push({
        at: clock.now(),
        method: "response_url",
        path,
        params,
        teamId: undefined,
        status: answer.status,
        result: answer.text,
      });
      return { status: answer.status, headers: { "content-type": "text/plain" }, body: answer.text };
    }
    return { status: 404, headers: {}, body: "not_found" };
  };

  return (request: IncomingMessage, response: ServerResponse) => {
    route(request).then(
      (answer) => response.writeHead(answer.status, answer.headers).end(answer.body),
      (error: unknown) => response.writeHead(500, { "content-type": "text/plain" }).end(String(error)),
    );
  };
}
