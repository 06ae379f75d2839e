import type { FakeClock } from "../clock.ts";
import type { IdFactory } from "./ids.ts";
import { oauthCodeTtlMs, redirectAllowed } from "./oauth.ts";
import { fail, type MethodHandler, str } from "./params.ts";
import { liveTokens, type SlackState, type TokenGrant } from "./state.ts";

/** The events Slack sends when an app is removed from a workspace, in the order it sends them. */
export interface UninstallEvents {
  /** `tokens.bot`/`tokens.oauth` list the user ids whose bot and user tokens died, not the tokens. */
  tokensRevoked: { type: "tokens_revoked"; tokens: { oauth: string[]; bot: string[] } };
  appUninstalled: { type: "app_uninstalled" };
}

/**
 * Removes the app from a workspace: every bot and user token there is revoked (bot tokens then answer
 * `account_inactive`, user tokens `token_revoked`) and the bot leaves its channels, as `auth.revoke` documents.
 * Returns the two events for `fake.event` to deliver; throws if the app is not installed there.
 */
export function uninstall(state: SlackState, teamId: string): UninstallEvents {
  const team = state.teams.get(teamId);
  if (!team) throw new Error(`fake slack: no team ${teamId}`);
  const live = liveTokens(state, teamId);
  if (live.length === 0) throw new Error(`fake slack: the app is not installed in ${teamId}`);
  for (const grant of live) grant.revoked = true;
  for (const channel of state.channels.values())
    if (channel.teamId === teamId) channel.members.delete(team.botUserId);
  const userIds = live.flatMap((g) => (g.kind === "user" && g.userId ? [g.userId] : []));
  const hadBot = live.some((g) => (g.kind ?? "bot") === "bot");
  return {
    tokensRevoked: {
      type: "tokens_revoked",
      tokens: { oauth: [...new Set(userIds)], bot: hadBot ? [team.botUserId] : [] },
    },
    appUninstalled: { type: "app_uninstalled" },
  };
}

/** `oauth.v2.access`: exchanges a code (single use, 10 minutes, same redirect_uri) for tokens. */
export function installMethods(deps: {
  state: SlackState;
  ids: IdFactory;
  clock: FakeClock;
  clientId: string;
  clientSecret: string;
  redirectUrls: () => string[];
}) {
  const { state, ids, clock } = deps;
  /** Reinstalling keeps the live bot token and adds scopes, as Slack does; otherwise a new one. */
  const botGrant = (teamId: string, scopes: string[]): TokenGrant => {
    const current = liveTokens(state, teamId).find((g) => (g.kind ?? "bot") === "bot");
    if (current) {
      for (const s of scopes) current.scopes.add(s);
      return current;
    }
    const token = `xoxb-${teamId}-${ids.secret()}`;
    const grant: TokenGrant = { token, teamId, scopes: new Set(scopes), kind: "bot" };
    state.tokens.set(token, grant);
    return grant;
  };
  const handlers: Record<string, MethodHandler> = {
    "oauth.v2.access": (call) => {
      const { params } = call;
      if (str(params, "client_id") !== deps.clientId) return fail("invalid_client_id");
      if (str(params, "client_secret") !== deps.clientSecret) return fail("bad_client_secret");
      const grantType = str(params, "grant_type") ?? "authorization_code";
      // Token rotation is not modelled: no refresh token was ever handed out.
      if (grantType === "refresh_token") return fail("invalid_refresh_token");
      if (grantType !== "authorization_code") return fail("invalid_grant_type");
      const codeValue = str(params, "code") ?? "";
      const code = state.oauthCodes.get(codeValue);
      if (!code) return fail("invalid_code");
      // Any use spends the code, a failed one too.
      state.oauthCodes.delete(codeValue);
      if (clock.now() - code.issuedAt > oauthCodeTtlMs) return fail("invalid_code");
      const redirectUri = str(params, "redirect_uri");
      const redirectOk =
        code.redirectUri !== undefined
          ? redirectUri === code.redirectUri
          : redirectUri === undefined || deps.redirectUrls().some((c) => redirectAllowed(c, redirectUri));
      if (!redirectOk) return fail("bad_redirect_uri");
      const team = state.teams.get(code.teamId);
      if (!team) return fail("invalid_code");
      const bot = code.scopes.length > 0 ? botGrant(team.id, code.scopes) : undefined;
      const authedUser: Record<string, unknown> = { id: code.userId ?? "" };
      if (code.userScopes.length > 0 && code.userId) {
        const token = `xoxp-${team.id}-${ids.secret()}`;
        state.tokens.set(token, {
          token,
          teamId: team.id,
          scopes: new Set(code.userScopes),
          kind: "user",
          userId: code.userId,
        });
        Object.assign(authedUser, {
          scope: code.userScopes.join(","),
          access_token: token,
          token_type: "user",
        });
      }
      return {
        ok: true,
        app_id: state.appId,
        authed_user: authedUser,
        ...(bot && {
          access_token: bot.token,
          token_type: "bot",
          scope: [...bot.scopes].join(","),
          bot_user_id: team.botUserId,
        }),
        team: { id: team.id, name: team.name },
        enterprise: null,
        is_enterprise_install: false,
      };
    },
  };
  return handlers;
}
