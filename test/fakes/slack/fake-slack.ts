import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { createFakeClock, type FakeClock } from "../clock.ts";
import { createAppSender } from "./app-sender.ts";
import { chatMethods } from "./chat-methods.ts";
import { createDirectory, type Directory } from "./directory.ts";
import { directoryMethods } from "./directory-methods.ts";
import { defaultScopes, type FakeSlackOptions } from "./fake-slack-options.ts";
import { createFaultQueue, type FaultSpec } from "./faults.ts";
import { fileMethods } from "./file-methods.ts";
import { createHttpHandler, type RecordedRequest } from "./http-handler.ts";
import { createIdFactory } from "./ids.ts";
import { installMethods, type UninstallEvents, uninstall } from "./install-methods.ts";
import { createOAuth, type OAuthControls } from "./oauth.ts";
import { createPayloads } from "./payloads.ts";
import {
  createRateLimiter,
  type RateLimitConfig,
  type RateLimitHit,
  slackRateLimits,
} from "./rate-limiter.ts";
import { createResponseUrls, type ResponseUrlPost } from "./response-urls.ts";
import { createSocketControls, type SocketControls, socketMethods } from "./socket-actions.ts";
import { createSocketServer } from "./socket-mode.ts";
import { createSlackState } from "./state.ts";
import { createUserActions, type UserActions } from "./user-actions.ts";
import { createUserGroups, type UserGroupControls } from "./user-groups.ts";
import { createUserMessages, defaultBotEvents } from "./user-messages.ts";
import { userGroupMethods } from "./usergroup-methods.ts";
import { channelView, type MessageView } from "./views.ts";
import { waitFor } from "./wait-for.ts";

/** A running fake Slack: the Web API, the upload host, response_urls, OAuth, Socket Mode, and the test-side controls. */
export interface FakeSlack extends Directory, UserGroupControls, UserActions, OAuthControls {
  /** What WebClient takes as `slackApiUrl`, e.g. `http://127.0.0.1:PORT/api/`. */
  apiUrl: string;
  /** `http://127.0.0.1:PORT`; the install page is `${origin}/oauth/v2/authorize`. */
  origin: string;
  signingSecret: string;
  /** The bot token of the default workspace. */
  botToken: string;
  /** The app-level token (`xapp-…`) for Socket Mode's `apps.connections.open`. */
  appToken: string;
  /** The default workspace, where `botToken` belongs. */
  teamId: string;
  /** The bot user and bot ids in the default workspace (what auth.test reports). */
  botUserId: string;
  botId: string;
  appId: string;
  clientId: string;
  clientSecret: string;
  /**
   * The Redirect URLs of the app's config (live, assignable): an authorize request's `redirect_uri` must equal
   * one or lie below one (same origin); without it Slack redirects to the first. Empty until a test sets it.
   */
  redirectUrls: string[];
  clock: FakeClock;
  /** The live rate-limit settings; change a field to tighten or loosen limits mid-test. */
  rateLimits: RateLimitConfig;
  /** Slack acting toward an app connected over Socket Mode. */
  socket: SocketControls;
  /**
   * A person's DM with the bot (`D…`), the one `conversations.open` returns: created on first use, then the
   * same. For `userSays({ channelId: fake.dmChannel(teamId, userId), … })`.
   */
  dmChannel(teamId: string, userId: string): string;
  /**
   * Removes the app from a workspace: its bot and user tokens are revoked (calls answer `account_inactive` /
   * `token_revoked`) and the bot leaves its channels. Returns the `tokens_revoked` and `app_uninstalled` events,
   * for `fake.event` or `fake.socket.event` to deliver.
   */
  uninstall(teamId: string): UninstallEvents;
  /** A channel's messages as a user sees them now; with `as`, that user's ephemeral messages too. */
  messages(channelId: string, options?: { as?: string }): MessageView[];
  /** Every request the fake received, oldest first. */
  requests(): readonly RecordedRequest[];
  /** Each 429 the fake has sent. */
  rateLimitLog(): readonly RateLimitHit[];
  /** Every POST to one response_url (by the id `slashCommand` returns), refused ones included. */
  responseUrlPosts(id: string): readonly ResponseUrlPost[];
  /** Hands out a response_url without sending anything to an app (commands and actions get one each). */
  issueResponseUrl(input: { teamId: string; channelId: string; userId: string; originalTs?: string }): {
    id: string;
    url: string;
  };
  /** Modals opened with `views.open`. */
  openedViews(): readonly Record<string, unknown>[];
  /** Queues a one-off answer for the next call to a method. */
  failNext(spec: FaultSpec): void;
  /** Polls `check` until it returns something truthy, and resolves with that. */
  waitFor<T>(check: () => T | undefined | null | false, options?: { timeoutMs?: number }): Promise<T>;
  /** Closes the server, its connections and Socket Mode sockets. Stop Bolt apps first. */
  close(): Promise<void>;
}

/** Starts a fake Slack on 127.0.0.1 with an ephemeral port. */
export async function createFakeSlack(options: FakeSlackOptions = {}): Promise<FakeSlack> {
  const clock = createFakeClock();
  const ids = createIdFactory(clock.now);
  const state = createSlackState(ids.id("A"));
  const scopes = options.scopes ?? defaultScopes;
  const signingSecret = options.signingSecret ?? ids.secret(16);
  const clientId = options.clientId ?? `${ids.secret(4)}.${ids.secret(4)}`;
  const clientSecret = options.clientSecret ?? ids.secret(16);
  const rateLimits: RateLimitConfig = { ...slackRateLimits(), ...options.rateLimits };
  let redirectUrls = [...(options.redirectUrls ?? [])];

  let handler: ReturnType<typeof createHttpHandler> | null = null;
  const server = createServer((request, response) => {
    if (handler) handler(request, response);
    else response.writeHead(503).end();
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      server.off("error", reject);
      resolve();
    });
  });
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  const directory = createDirectory({ state, ids, clock });
  const teamId = directory.addTeam(options.team);
  const team = state.teams.get(teamId);
  if (!team) throw new Error("fake slack: default team missing");
  const botToken = options.botToken ?? `xoxb-${ids.secret(6)}-${ids.secret(12)}`;
  state.tokens.set(botToken, { token: botToken, teamId, scopes: new Set(scopes), kind: "bot" });
  const appToken = options.appToken ?? `xapp-1-${state.appId}-${ids.secret(6)}-${ids.secret(16)}`;
  state.tokens.set(appToken, {
    token: appToken,
    teamId,
    scopes: new Set(["connections:write"]),
    kind: "app",
  });

  const deps = { state, ids, clock, origin };
  const responseUrls = createResponseUrls(deps);
  const limiter = createRateLimiter({ clock, config: rateLimits });
  const faults = createFaultQueue();
  const requests: RecordedRequest[] = [];
  const oauth = createOAuth({
    ...deps,
    clientId,
    appScopes: scopes,
    redirectUrls: () => redirectUrls,
    defaultTeamId: teamId,
    addInstaller: (id) => directory.addUser(id, { name: "installer", isAdmin: true }),
  });
  const sockets = createSocketServer({ server, clock, ids, appId: state.appId });
  handler = createHttpHandler({
    state,
    clock,
    methods: {
      ...chatMethods(deps),
      ...directoryMethods(deps),
      ...fileMethods(deps),
      ...userGroupMethods(deps),
      ...installMethods({ ...deps, clientId, clientSecret, redirectUrls: () => redirectUrls }),
      ...socketMethods({ server: sockets, origin }),
    },
    limiter,
    faults,
    responseUrls,
    requests,
    authorizePage: oauth.authorizePage,
  });
  const payloads = createPayloads({ state, ids, clock, responseUrls });
  const sender = createAppSender({ clock, signingSecret });
  const messages = createUserMessages({
    state,
    ids,
    clock,
    origin,
    botEvents: [...(options.botEvents ?? defaultBotEvents)],
  });

  return {
    ...directory,
    ...createUserGroups(deps),
    ...createUserActions({ payloads, sender, messages, origin }),
    ...oauth.controls,
    apiUrl: `${origin}/api/`,
    origin,
    signingSecret,
    botToken,
    appToken,
    teamId,
    botUserId: team.botUserId,
    botId: team.botId,
    appId: state.appId,
    clientId,
    clientSecret,
    get redirectUrls() {
      return redirectUrls;
    },
    set redirectUrls(urls: string[]) {
      redirectUrls = urls;
    },
    clock,
    rateLimits,
    socket: createSocketControls({ server: sockets, payloads, messages, origin }),
    dmChannel: (id, userId) => messages.dmChannel(id, userId),
    uninstall: (id) => uninstall(state, id),
    messages: (channelId, viewOptions) => channelView(state, channelId, viewOptions),
    requests: () => requests,
    rateLimitLog: () => limiter.hits(),
    responseUrlPosts: (id) => responseUrls.posts(id),
    issueResponseUrl: (input) => responseUrls.issue(input),
    openedViews: () => state.views,
    failNext: (spec) => faults.add(spec),
    waitFor,
    async close() {
      await sockets.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
