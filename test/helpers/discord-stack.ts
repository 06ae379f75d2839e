import { REST } from "@discordjs/rest";
import type { RequestLimits } from "@replibot/chat";
import type { JobRow } from "@replibot/db";
import { type DiscordApp, loadDiscordEnv, registerCommands, startDiscordApp } from "@replibot/discord";
import type { Emulator } from "@replibot/emulator";
import type { Catalog } from "@replibot/replicate";
import type { WebhooksServer } from "@replibot/webhooks";
import type { WorkerApp } from "@replibot/worker";
import { createFakeDiscord, type FakeDiscord, type FakeDiscordOptions } from "../fakes/discord/index.ts";
import { type PipelineOptions, type PlatformEnv, startPipeline } from "./pipeline.ts";
import type { TestDatabase } from "./test-database.ts";
import type { TestRedis } from "./test-redis.ts";

/** Options for {@link startDiscordStack}. */
export interface DiscordStackOptions extends PipelineOptions {
  fake?: FakeDiscordOptions;
  /** Ask for the Message Content intent (DISCORD_MESSAGE_CONTENT); off by default. */
  messageContent?: boolean;
  /** ALLOWED_TENANTS for the Discord app. */
  allowedTenants?: string[];
  /** DM_TENANT set to this test's own server or workspace, so direct messages are answered. */
  dmToSelf?: boolean;
  /** The app's abuse limits; raised far above the defaults unless given. */
  limits?: Partial<RequestLimits>;
  /** Settings every worker of the stack starts with (TRANSCRIBE_MAX_SECONDS, say). */
  workerEnv?: PlatformEnv;
}

/** Every process of /ask on Discord, in-process, against the fakes and real Postgres and Redis. */
export interface DiscordStack {
  fake: FakeDiscord;
  emulator: Emulator;
  database: TestDatabase;
  redis: TestRedis;
  webhooks: WebhooksServer;
  worker: WorkerApp;
  discord: DiscordApp;
  catalog: Catalog;
  guildId: string;
  /** The first channel ("general"); `channelIds` holds all five. */
  channelId: string;
  channelIds: string[];
  /** A member of the guild, by name. */
  member(name: string): string;
  /** Types `/ask prompt` in the test channel (or `channel`) as the member `user`. */
  ask(user: string, prompt: string, channel?: string): { interactionId: string; token: string };
  /** Types `/imagine prompt …options` as the member `user`. */
  imagine(
    user: string,
    options: Record<string, string | number>,
    channel?: string,
  ): { interactionId: string; token: string };
  /** The job `jobId` (or the job of an interaction), once its final message was written. */
  finished(idOrInteraction: string, timeoutMs?: number): Promise<JobRow>;
  /** The text a job's prediction produced, as the emulator reports it. */
  answerOf(job: JobRow): string;
  /** Starts another worker process's worth of handlers (as a second replica would), with extra settings. */
  startWorker(env?: PlatformEnv): Promise<WorkerApp>;
  /** Stops the Discord app and starts it again, as a restart of that process would. */
  restartDiscord(): Promise<void>;
  close(): Promise<void>;
}

/** Starts the fake Discord, the emulator, webhooks, worker and Discord app for one test file. */
export async function startDiscordStack(options: DiscordStackOptions): Promise<DiscordStack> {
  const pipeline = await startPipeline(options);
  const { database, redis, emulator, catalog, logger } = pipeline;
  // A token shaped like Discord's (base64 of the bot's id, a timestamp, an HMAC), as env.ts checks.
  const applicationId = "1187654321098765432";
  const botToken = `${Buffer.from(applicationId).toString("base64url")}.GfAk3d.${"t3st".repeat(8)}`;
  const fake = await createFakeDiscord({ applicationId, botToken, ...options.fake });
  const guild = fake.addGuild({
    name: "Test server",
    channels: ["general", "art", "random", "help", "music"].map((name) => ({ name })),
  });
  const channelId = guild.channelIds[0]!;
  const members = new Map<string, string>();

  await registerCommands({
    rest: new REST({ api: fake.apiUrl }).setToken(fake.botToken),
    applicationId: fake.applicationId,
    guildId: guild.guildId,
    catalog,
  });
  const launchWorker = (env: PlatformEnv = {}) =>
    pipeline.startWorker({
      DISCORD_TOKEN: fake.botToken,
      DISCORD_API_BASE_URL: fake.apiUrl,
      ...options.workerEnv,
      ...env,
    });
  await launchWorker();
  const launchDiscord = () =>
    startDiscordApp({
      env: loadDiscordEnv({
        DATABASE_URL: database.url,
        REDIS_URL: redis.url,
        DISCORD_TOKEN: fake.botToken,
        DISCORD_APPLICATION_ID: fake.applicationId,
        DISCORD_API_BASE_URL: fake.apiUrl,
        DISCORD_MESSAGE_CONTENT: options.messageContent ? "true" : "false",
        // Most suites send many requests as few members: the abuse limits are raised unless a test sets them.
        USER_REQUESTS_PER_MINUTE: String(options.limits?.requestsPerMinute ?? 10_000),
        USER_ACTIVE_JOBS: String(options.limits?.activePerKind ?? 1_000),
        TENANT_QUEUED_JOBS_MAX: String(options.limits?.tenantQueuedMax ?? 100_000),
        ...(options.dmToSelf ? { DM_TENANT: guild.guildId } : {}),
        ...(options.allowedTenants ? { ALLOWED_TENANTS: options.allowedTenants.join(",") } : {}),
      }),
      logger,
      catalog,
      prefix: redis.prefix,
    });
  let discord = await launchDiscord();

  const member = (name: string) => {
    let id = members.get(name);
    if (!id) {
      id = fake.addMember(guild.guildId, { username: name });
      members.set(name, id);
    }
    return id;
  };

  return {
    fake,
    emulator,
    database,
    redis,
    webhooks: pipeline.webhooks,
    get worker() {
      return pipeline.worker;
    },
    get discord() {
      return discord;
    },
    catalog,
    guildId: guild.guildId,
    channelId,
    channelIds: guild.channelIds,
    member,
    ask(user, prompt, channel = channelId) {
      return fake.slashCommand({
        guildId: guild.guildId,
        channelId: channel,
        userId: member(user),
        name: "ask",
        options: { prompt },
      });
    },
    imagine(user, options, channel = channelId) {
      return fake.slashCommand({
        guildId: guild.guildId,
        channelId: channel,
        userId: member(user),
        name: "imagine",
        options,
      });
    },
    finished(idOrInteraction, timeoutMs) {
      const jobId = idOrInteraction.includes("-") ? idOrInteraction : `discord-${idOrInteraction}`;
      return pipeline.finished(jobId, timeoutMs);
    },
    answerOf: (job) => pipeline.answerOf(job),
    async restartDiscord() {
      await discord.close();
      discord = await launchDiscord();
    },
    startWorker: launchWorker,
    async close() {
      await discord.close();
      await pipeline.close();
      await fake.close();
    },
  };
}

export { eventually } from "./pipeline.ts";
