import { REST } from "@discordjs/rest";
import { createLogger, type Logger } from "@replibot/core";
import { getJob, type JobRow } from "@replibot/db";
import { type DiscordApp, loadDiscordEnv, registerCommands, startDiscordApp } from "@replibot/discord";
import { createEmulator, type Emulator, type EmulatorOptions } from "@replibot/emulator";
import { type Catalog, loadCatalog } from "@replibot/replicate";
import { startWebhooksServer, type WebhooksServer } from "@replibot/webhooks";
import { type PipelineConfig, startWorker, type WorkerApp } from "@replibot/worker";
import { createFakeDiscord, type FakeDiscord, type FakeDiscordOptions } from "../fakes/discord/index.ts";
import { createTestDatabase, type TestDatabase } from "./test-database.ts";
import { createTestRedis, type TestRedis } from "./test-redis.ts";

/** Options for {@link startDiscordStack}. */
export interface DiscordStackOptions {
  label: string;
  emulator?: EmulatorOptions;
  fake?: FakeDiscordOptions;
  pipeline?: Partial<PipelineConfig>;
  /** Changes the built-in catalog before anything uses it. */
  catalog?: (catalog: Catalog) => Catalog;
  defaultLimitUsd?: bigint;
  /** Ask for the Message Content intent (DISCORD_MESSAGE_CONTENT); off by default. */
  messageContent?: boolean;
  /** Where every app logs; silent by default. */
  logger?: Logger;
  /** ALLOWED_TENANTS for the Discord app. */
  allowedTenants?: string[];
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
  /** Starts another worker process's worth of handlers (as a second replica would). */
  startWorker(): Promise<WorkerApp>;
  /** Stops the Discord app and starts it again, as a restart of that process would. */
  restartDiscord(): Promise<void>;
  close(): Promise<void>;
}

/** Starts the fake Discord, the emulator, webhooks, worker and Discord app for one test file. */
export async function startDiscordStack(options: DiscordStackOptions): Promise<DiscordStack> {
  const logger =
    options.logger ?? createLogger({ name: options.label, level: process.env.TEST_LOG_LEVEL ?? "silent" });
  const database = await createTestDatabase(options.label);
  const redis = createTestRedis(options.label);
  const emulator = await createEmulator({ tokensPerSecond: 40, ...options.emulator });
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
  const catalog = (options.catalog ?? ((c) => c))(await loadCatalog());

  await registerCommands({
    rest: new REST({ api: fake.apiUrl }).setToken(fake.botToken),
    applicationId: fake.applicationId,
    guildId: guild.guildId,
    catalog,
  });
  const webhooks = await startWebhooksServer({
    env: { DATABASE_URL: database.url, REDIS_URL: redis.url, PORT: 0 },
    logger,
    webhookSecrets: [emulator.webhookSecret],
    host: "127.0.0.1",
    prefix: redis.prefix,
  });
  const launchWorker = () =>
    startWorker({
      env: {
        DATABASE_URL: database.url,
        REDIS_URL: redis.url,
        PUBLIC_URL: webhooks.url,
        MODELS_FILE: undefined,
        DEFAULT_TENANT_LIMIT_USD: (options.defaultLimitUsd ?? 5n) * 1_000_000_000n,
        DISCORD_TOKEN: fake.botToken,
        DISCORD_API_BASE_URL: fake.apiUrl,
      },
      logger,
      replicate: { baseUrl: emulator.baseUrl, token: "r8_test" },
      catalog,
      prefix: redis.prefix,
      config: { interimIntervalMs: 250, reconcileEveryMs: 500, staleAfterMs: 1_500, ...options.pipeline },
    });
  const workers = [await launchWorker()];
  const launchDiscord = () =>
    startDiscordApp({
      env: loadDiscordEnv({
        DATABASE_URL: database.url,
        REDIS_URL: redis.url,
        DISCORD_TOKEN: fake.botToken,
        DISCORD_APPLICATION_ID: fake.applicationId,
        DISCORD_API_BASE_URL: fake.apiUrl,
        DISCORD_MESSAGE_CONTENT: options.messageContent ? "true" : "false",
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
    webhooks,
    get worker() {
      return workers.at(-1)!;
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
    finished(idOrInteraction, timeoutMs = 30_000) {
      const jobId = idOrInteraction.includes("-") ? idOrInteraction : `discord-${idOrInteraction}`;
      return eventually(
        async () => {
          const job = await getJob(database.db, jobId);
          return job?.finalWrittenAt ? job : undefined;
        },
        timeoutMs,
        `${jobId} to finish`,
      );
    },
    answerOf(job) {
      const output = emulator.control.prediction(job.predictionId ?? "")?.prediction.output;
      return Array.isArray(output) ? output.join("") : "";
    },
    async restartDiscord() {
      await discord.close();
      discord = await launchDiscord();
    },
    async startWorker() {
      const worker = await launchWorker();
      workers.push(worker);
      return worker;
    },
    async close() {
      await discord.close();
      for (const worker of workers) await worker.close().catch(() => {});
      await webhooks.close();
      await emulator.close();
      await fake.close();
      await redis.cleanup();
      await database.drop();
    },
  };
}

/** Polls `check` until it returns a value other than undefined, or fails after `timeoutMs`. */
export async function eventually<T>(
  check: () => T | undefined | Promise<T | undefined>,
  timeoutMs = 20_000,
  what = "condition",
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
