import type { FakeClock } from "../clock.ts";
import type { IdFactory } from "./ids.ts";
import type { OAuthCode, SlackState } from "./state.ts";

/** Slack's OAuth codes expire after 10 minutes (fake clock). */
export const oauthCodeTtlMs = 10 * 60_000;

/** A scope as Slack spells them: `commands`, `chat:write`, `chat:write.public`, `incoming-webhook`. */
const scopeName = /^[a-z][a-z0-9_-]*(:[a-z0-9_-]+(\.[a-z0-9_-]+)*)?$/;

/** The test side of Slack's install flow. */
export interface OAuthControls {
  /** Issues an OAuth code that `oauth.v2.access` exchanges for a bot token in `teamId` (the app's scopes, no redirect_uri). */
  createOAuthCode(teamId: string): string;
  /**
   * A user approving the install page at `authorizeUrl` for `teamId` (the installer: `userId`, else the team's first
   * admin, else a new admin user). Checks the URL as Slack does and throws `Error(<reason>)` where Slack would show
   * an error page; returns where Slack redirects the browser: `redirect_uri?code=…&state=…`.
   */
  approveInstall(
    authorizeUrl: string,
    teamId: string,
    options?: { userId?: string },
  ): { location: string; code: string };
}

/** What a parsed, valid authorize request asks for. */
interface AuthorizeRequest {
  scopes: string[];
  userScopes: string[];
  state: string;
  /** The redirect_uri parameter, when given. */
  redirectUri: string | undefined;
  /** Where the browser goes: the parameter or the first configured Redirect URL. */
  redirectTo: string;
  team: string | undefined;
}

/** True when `candidate` is `configured` or below it (same origin, path at or under it), as Slack matches Redirect URLs. */
export function redirectAllowed(configured: string, candidate: string): boolean {
  const base = URL.canParse(configured) ? new URL(configured) : null;
  const url = URL.canParse(candidate) ? new URL(candidate) : null;
  if (!base || !url || base.origin !== url.origin) return false;
  const path = base.pathname.endsWith("/") ? base.pathname : `${base.pathname}/`;
  return url.pathname === base.pathname || url.pathname.startsWith(path);
}

/** A comma-separated scope list; null when malformed (spaces, empty items, unknown spelling). */
function scopeList(value: string | null): string[] | null {
  if (value === null || value === "") return [];
  const items = value.split(",");
  return items.every((s) => scopeName.test(s)) ? items : null;
}

/** Parses and checks an authorize URL; a string is the reason Slack's page would show. */
function parseAuthorize(
  authorizeUrl: string,
  config: { origin: string; clientId: string; appScopes: readonly string[]; redirectUrls: () => string[] },
): AuthorizeRequest | string {
  const redirectUrls = config.redirectUrls();
  if (!URL.canParse(authorizeUrl)) return "invalid_request: not a URL";
  const url = new URL(authorizeUrl);
  if (`${url.origin}${url.pathname}` !== `${config.origin}/oauth/v2/authorize`)
    return "oauth_authorization_url_mismatch: the flow must start at /oauth/v2/authorize";
  const q = url.searchParams;
  if (q.get("client_id") !== config.clientId) return "invalid_client_id";
  const scopes = scopeList(q.get("scope"));
  const userScopes = scopeList(q.get("user_scope"));
  if (!scopes || !userScopes) return "invalid_scope: scope and user_scope are comma-separated scope names";
  if (scopes.length === 0 && userScopes.length === 0) return "no_scopes";
  const unknown = scopes.filter((s) => !config.appScopes.includes(s));
  if (unknown.length > 0) return `invalid_scope: not in the app's bot scopes: ${unknown.join(",")}`;
  const state = q.get("state");
  if (!state) return "missing_state";
  const redirectUri = q.get("redirect_uri") ?? undefined;
  if (redirectUri !== undefined) {
    if (!URL.canParse(redirectUri) || !/^https?:$/.test(new URL(redirectUri).protocol))
      return "bad_redirect_uri: redirect_uri must be an absolute http(s) URL";
    if (!redirectUrls.some((c) => redirectAllowed(c, redirectUri)))
      return "bad_redirect_uri: redirect_uri did not match any configured URIs";
  }
  const redirectTo = redirectUri ?? redirectUrls[0];
  if (!redirectTo) return "bad_redirect_uri: no redirect_uri and no Redirect URL configured";
  return { scopes, userScopes, state, redirectUri, redirectTo, team: q.get("team") ?? undefined };
}

/** Creates the authorize page, the test-side approval and the code store. */
export function createOAuth(deps: {
  state: SlackState;
  ids: IdFactory;
  clock: FakeClock;
  origin: string;
  clientId: string;
  appScopes: readonly string[];
  /** The app config's Redirect URLs, read on every request. */
  redirectUrls: () => string[];
  defaultTeamId: string;
  /** Adds a workspace admin to install as when the team has none. */
  addInstaller(teamId: string): string;
}) {
  const { state, ids, clock } = deps;
  const issue = (code: Omit<OAuthCode, "issuedAt">) => {
    const value = `${Math.floor(clock.now() / 1000)}.${ids.secret(16)}`;
    state.oauthCodes.set(value, { ...code, issuedAt: clock.now() });
    return value;
  };
  const installer = (teamId: string, userId: string | undefined) => {
    if (userId !== undefined) {
      if (state.users.get(userId)?.teamId !== teamId)
        throw new Error(`fake slack: ${userId} is not in ${teamId}`);
      return userId;
    }
    const humans = [...state.users.values()].filter((u) => u.teamId === teamId && !u.isBot);
    return (humans.find((u) => u.isAdmin || u.isOwner) ?? humans[0])?.id ?? deps.addInstaller(teamId);
  };
  const approve = (authorizeUrl: string, teamId: string, userId?: string) => {
    if (!state.teams.has(teamId)) throw new Error(`fake slack: no team ${teamId}`);
    const request = parseAuthorize(authorizeUrl, deps);
    if (typeof request === "string") throw new Error(request);
    if (request.team !== undefined && request.team !== teamId)
      throw new Error(`invalid_team: the URL asks for team ${request.team}`);
    const code = issue({
      teamId,
      scopes: request.scopes,
      userScopes: request.userScopes,
      userId: installer(teamId, userId),
      redirectUri: request.redirectUri,
    });
    const location = new URL(request.redirectTo);
    location.searchParams.append("code", code);
    location.searchParams.append("state", request.state);
    return { location: location.toString(), code };
  };
  const controls: OAuthControls = {
    createOAuthCode(teamId) {
      if (!state.teams.has(teamId)) throw new Error(`fake slack: no team ${teamId}; call addTeam first`);
      return issue({
        teamId,
        scopes: [...deps.appScopes],
        userScopes: [],
        userId: installer(teamId, undefined),
        redirectUri: undefined,
      });
    },
    approveInstall: (authorizeUrl, teamId, options = {}) => approve(authorizeUrl, teamId, options.userId),
  };
  /** `GET /oauth/v2/authorize`: the default team's user approves at once (302), or 400 with the reason. */
  const authorizePage = (path: string): { status: number; headers: Record<string, string>; body: string } => {
    try {
      const { location } = approve(`${deps.origin}${path}`, deps.defaultTeamId);
      return { status: 302, headers: { location }, body: "" };
    } catch (error) {
      return { status: 400, headers: { "content-type": "text/plain" }, body: (error as Error).message };
    }
  };
  return { controls, authorizePage };
}
