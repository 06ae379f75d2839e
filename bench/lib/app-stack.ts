import { randomBytes } from "node:crypto";
import { createEmulator, type Emulator, type EmulatorOptions } from "@replibot/emulator";
import { freePort } from "../../test/chaos/private-services.ts";
import type { SpawnedApp } from "../../test/helpers/spawn-app.ts";
import { type PlatformFakes, startPlatformFakes } from "./platform-fakes.ts";
import { startApp, stopApp } from "./processes.ts";

/** What to run: how many workers, which apps, and the emulator's model speed. */
export interface AppStackOptions {
  databaseUrl: string;
  redisUrl: string;
  workers: number;
  webhooks: boolean;
  discord: boolean;
  slack: boolean;
  channels: number;
  emulator?: EmulatorOptions;
}

/** Replibot as a deployment runs it: each app its own `npm start -w …` process, against the fakes. */
export interface AppStack {
  emulator: Emulator;
  fakes: PlatformFakes;
  /** Where the Slack app listens for signed requests (empty without Slack). */
  slackUrl: string;
  /** This stack's queue prefix: its own, so no stack takes jobs another benchmark left in Redis. */
  prefix: string;
  /** Where the webhooks process listens (empty without it). */
  webhooksUrl: string;
  /** Every app process by name: worker-1…, webhooks, discord, slack. */
  apps: Map<string, SpawnedApp>;
  close(): Promise<void>;
}

const limits = {
  // Benchmarks send many commands from few tenants: the abuse limits would refuse them, so they are raised.
  USER_REQUESTS_PER_MINUTE: "10000",
  USER_ACTIVE_JOBS: "1000",
  TENANT_QUEUED_JOBS_MAX: "1000000",
  // A run of hundreds of answers must not exhaust the default $5 month.
  DEFAULT_TENANT_LIMIT_USD: "100",
  MAX_TENANT_LIMIT_USD: "100",
};

/** Starts the emulator and fakes in this process and the apps as child processes; waits until each is ready. */
export async function startAppStack(options: AppStackOptions): Promise<AppStack> {
  const emulator = await createEmulator(options.emulator ?? {});
  const fakes = await startPlatformFakes(options.channels);
  const apps = new Map<string, SpawnedApp>();
  const prefix = `{bench-${randomBytes(3).toString("hex")}}`;
  const common = {
    DATABASE_URL: options.databaseUrl,
    REDIS_URL: options.redisUrl,
    QUEUE_PREFIX: prefix,
    LOG_LEVEL: "info",
    NODE_ENV: "production",
    REPLICATE_API_TOKEN: "r8_bench",
    REPLICATE_API_BASE_URL: emulator.baseUrl,
    REPLICATE_WEBHOOK_SECRET: emulator.webhookSecret,
    ...limits,
  };
  const close = async () => {
    await Promise.all([...apps.values()].map(stopApp));
    await emulator.close();
    await fakes.close();
  };
  try {
    let publicUrl = "http://127.0.0.1:9";
    if (options.webhooks) {
      const port = await freePort();
      const app = startApp("@replibot/webhooks", { ...common, PORT: String(port) });
      apps.set("webhooks", app);
      await app.waitFor(/webhooks listening on/, 90_000);
      publicUrl = `http://127.0.0.1:${port}`;
    }
    const workers = Array.from({ length: options.workers }, (_, i) => {
      const app = startApp("@replibot/worker", {
        ...common,
        PUBLIC_URL: publicUrl,
        DISCORD_TOKEN: fakes.discord.botToken,
        DISCORD_API_BASE_URL: fakes.discord.apiUrl,
        SLACK_BOT_TOKEN: fakes.slack.botToken,
        SLACK_API_URL: fakes.slack.apiUrl,
      });
      apps.set(`worker-${i + 1}`, app);
      return app.waitFor(/worker consuming jobs/, 90_000);
    });
    let slackUrl = "";
    const platforms: Promise<unknown>[] = [];
    if (options.discord) {
      const app = startApp("@replibot/discord", {
        ...common,
        DISCORD_TOKEN: fakes.discord.botToken,
        DISCORD_APPLICATION_ID: fakes.applicationId,
        DISCORD_API_BASE_URL: fakes.discord.apiUrl,
        DISCORD_MESSAGE_CONTENT: "false",
      });
      apps.set("discord", app);
      platforms.push(app.waitFor(/discord bot connected/, 90_000));
    }
    if (options.slack) {
      const port = await freePort();
      const app = startApp("@replibot/slack", {
        ...common,
        SLACK_SIGNING_SECRET: fakes.slack.signingSecret,
        SLACK_BOT_TOKEN: fakes.slack.botToken,
        SLACK_API_URL: fakes.slack.apiUrl,
        SLACK_PORT: String(port),
      });
      apps.set("slack", app);
      slackUrl = `http://127.0.0.1:${port}`;
      platforms.push(app.waitFor(/Slack app listening on/, 90_000));
    }
    await Promise.all([...workers, ...platforms]);
    return { emulator, fakes, slackUrl, prefix, webhooksUrl: options.webhooks ? publicUrl : "", apps, close };
  } catch (error) {
    await close();
    throw error;
  }
}
