import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import { App } from "@slack/bolt";
import type { FakeSlack } from "./fake-slack.ts";
import { quietLogger } from "./quiet-logger.ts";

/** A real Bolt App in HTTP mode wired to the fake, listening on a free port. */
export interface BoltTestApp {
  app: App;
  /** The app's base URL, e.g. `http://127.0.0.1:PORT`. */
  url: string;
  logs: string[];
  stop(): Promise<void>;
}

/** Builds the App, lets `register` add listeners, then starts it on 127.0.0.1 port 0. */
export async function startBoltApp(fake: FakeSlack, register: (app: App) => void): Promise<BoltTestApp> {
  const logs: string[] = [];
  const app = new App({
    token: fake.botToken,
    signingSecret: fake.signingSecret,
    logger: quietLogger(logs),
    // Fast retries: the default policy would sleep for minutes on a fault (contract §2.7, gotcha 10).
    clientOptions: { slackApiUrl: fake.apiUrl, retryConfig: { retries: 2, minTimeout: 0, maxTimeout: 10 } },
  });
  register(app);
  const server = (await app.start({ port: 0, host: "127.0.0.1" })) as Server;
  const { port } = server.address() as AddressInfo;
  return { app, url: `http://127.0.0.1:${port}`, logs, stop: () => app.stop().then(() => undefined) };
}
