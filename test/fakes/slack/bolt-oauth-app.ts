import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import { App, type Installation, type InstallationQuery, type InstallationStore } from "@slack/bolt";
import type { FakeSlack } from "./fake-slack.ts";
import { quietLogger } from "./quiet-logger.ts";

/** An installation store over a Map keyed by team id, so tests can look inside. */
export interface MapInstallationStore extends InstallationStore {
  installations: Map<string, Installation>;
}

/** Creates an empty in-memory installation store (workspace installs only). */
export function mapInstallationStore(): MapInstallationStore {
  const installations = new Map<string, Installation>();
  const key = (query: InstallationQuery<boolean>) => query.teamId ?? "";
  return {
    installations,
    storeInstallation: async (installation) => {
      installations.set(installation.team?.id ?? "", installation);
    },
    fetchInstallation: async (query) => {
      const found = installations.get(key(query));
      if (!found) throw new Error(`no installation for ${key(query)}`);
      return found;
    },
    deleteInstallation: async (query) => {
      installations.delete(key(query));
    },
  };
}

/** What the browser saw during an install. */
export interface InstallRun {
  /** The authorize URL Bolt redirected to, and the state cookie it set. */
  authorizeUrl: string;
  cookie: string;
  /** Bolt's answer on `/slack/oauth_redirect`. */
  status: number;
  body: string;
}

/** A real Bolt App in OAuth mode (no token) wired to the fake, listening on a free port. */
export interface BoltOAuthApp {
  app: App;
  url: string;
  store: MapInstallationStore;
  logs: string[];
  /** Runs the browser side: `/slack/install` → `approve(authorizeUrl)` → `/slack/oauth_redirect` with the cookie. */
  install(
    approve: (authorizeUrl: string) => string | Promise<string>,
    options?: { withCookie?: boolean },
  ): Promise<InstallRun>;
  stop(): Promise<void>;
}

/** Bolt's default name for the OAuth state cookie (`@slack/oauth` InstallProvider `stateCookieName`). */
export const stateCookieName = "slack-app-oauth-state";

/**
 * Builds the App (scopes `chat:write,commands`, `directInstall`, the fake's authorize page), lets `register` add
 * listeners, starts it, and adds its `/slack/oauth_redirect` to the fake's Redirect URLs.
 */
export async function startBoltOAuthApp(
  fake: FakeSlack,
  register: (app: App) => void,
): Promise<BoltOAuthApp> {
  const logs: string[] = [];
  const store = mapInstallationStore();
  const app = new App({
    signingSecret: fake.signingSecret,
    clientId: fake.clientId,
    clientSecret: fake.clientSecret,
    stateSecret: "fake-slack-state-secret",
    scopes: ["chat:write", "commands"],
    installationStore: store,
    installerOptions: { directInstall: true, authorizationUrl: `${fake.origin}/oauth/v2/authorize` },
    logger: quietLogger(logs),
    clientOptions: { slackApiUrl: fake.apiUrl, retryConfig: { retries: 2, minTimeout: 0, maxTimeout: 10 } },
  });
  register(app);
  const server = (await app.start({ port: 0, host: "127.0.0.1" })) as Server;
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  fake.redirectUrls.push(`${url}/slack/oauth_redirect`);
  return {
    app,
    url,
    store,
    logs,
    async install(approve, options = {}) {
      const start = await fetch(`${url}/slack/install`, { redirect: "manual" });
      const authorizeUrl = start.headers.get("location") ?? "";
      const cookie = (start.headers.get("set-cookie") ?? "").split(";")[0] ?? "";
      const headers: Record<string, string> = options.withCookie === false ? {} : { cookie };
      const done = await fetch(await approve(authorizeUrl), { headers, redirect: "manual" });
      return { authorizeUrl, cookie, status: done.status, body: await done.text() };
    },
    stop: () => app.stop().then(() => undefined),
  };
}
