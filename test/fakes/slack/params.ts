import type { SlackState, StoredMessage, Team, TokenGrant } from "./state.ts";

/** A Web API call's parameters: form fields (strings) or a JSON body. */
export type Params = Record<string, unknown>;

/** What a method handler gets. */
export interface MethodCall {
  params: Params;
  /** The token's grant; null only for methods that need no token (`oauth.v2.access`). */
  grant: TokenGrant | null;
  team: Team | null;
}

/** A method's JSON answer, always sent with HTTP 200. */
export type MethodResult = { ok: boolean } & Record<string, unknown>;

/** One Web API method. */
export type MethodHandler = (call: MethodCall) => MethodResult;

/** Slack's error answer. */
export function fail(error: string, extra: Record<string, unknown> = {}): MethodResult {
  return { ok: false, error, ...extra };
}

/** A string parameter, or undefined when absent or empty. */
export function str(params: Params, key: string): string | undefined {
  const value = params[key];
  if (value === undefined || value === null || value === "") return undefined;
  return typeof value === "string" ? value : String(value);
}

/** A JSON parameter: form bodies carry it as a JSON string (contract §2.5), JSON bodies as the value. */
export function json(params: Params, key: string): unknown {
  const value = params[key];
  if (typeof value !== "string") return value;
  try {
    return JSON.parse(value);
  } catch {
    return undefined;
  }
}

/** Slack's `missing_scope` answer (with `needed`/`provided`) when the token lacks `scope`, else null. */
export function missingScope(grant: TokenGrant, scope: string): MethodResult | null {
  if (grant.scopes.has(scope)) return null;
  return fail("missing_scope", { needed: scope, provided: [...grant.scopes].join(",") });
}

/** A boolean parameter: form bodies send `true`/`1`, JSON bodies `true`. */
export function flag(params: Params, key: string): boolean {
  const value = params[key];
  return value === true || value === "true" || value === "1" || value === 1;
}

/** The call's grant and team, which every authenticated method has. */
export function authed(call: MethodCall): { grant: TokenGrant; team: Team } {
  if (!call.grant || !call.team) throw new Error("fake slack: method needs a token but got none");
  return { grant: call.grant, team: call.team };
}

/** A stored message in the shape Slack's API returns it. */
export function messageJson(state: SlackState, m: StoredMessage): Record<string, unknown> {
  const out: Record<string, unknown> = {
    type: "message",
    text: m.text,
    user: m.userId,
    ts: m.ts,
    team: m.teamId,
  };
  if (m.clientMsgId) out.client_msg_id = m.clientMsgId;
  if (m.botId) Object.assign(out, { subtype: "bot_message", bot_id: m.botId, app_id: state.appId });
  if (m.blocks) out.blocks = m.blocks;
  if (m.threadTs) out.thread_ts = m.threadTs;
  if (m.history.length > 0) out.edited = { user: m.userId, ts: m.ts };
  if (m.files.length > 0) out.files = m.files.map((f) => ({ id: f.id, name: f.name, title: f.title }));
  return out;
}
