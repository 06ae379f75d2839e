import type { RequestLimits } from "@replibot/chat";
import { getJob, type JobRow } from "@replibot/db";
import type { Emulator } from "@replibot/emulator";
import type { Catalog } from "@replibot/replicate";
import { loadSlackEnv, SLACK_BOT_SCOPES, type SlackApp, startSlackApp } from "@replibot/slack";
import type { WebhooksServer } from "@replibot/webhooks";
import type { WorkerApp } from "@replibot/worker";
import {
  createFakeSlack,
  type FakeSlack,
  type FakeSlackOptions,
  type InteractionAnswer,
  type MessageView,
} from "../fakes/slack/index.ts";
import { type PipelineOptions, type PlatformEnv, startPipeline } from "./pipeline.ts";
import type { TestDatabase } from "./test-database.ts";
import type { TestRedis } from "./test-redis.ts";

/** Options for {@link startSlackStack}. */
export interface SlackStackOptions extends PipelineOptions {
  /** One workspace by SLACK_BOT_TOKEN (default), or many through OAuth installs. */
  mode?: "single" | "oauth";
  fake?: FakeSlackOptions;
  allowedTenants?: string[];
  /** DM_TENANT set to this test's own server or workspace, so direct messages are answered. */
  dmToSelf?: boolean;
  /** Socket Mode (SLACK_APP_TOKEN) instead of HTTP; requests then go through `fake.socket`. */
  socketMode?: boolean;
  /** The app's abuse limits; raised far above the defaults unless given. */
  limits?: Partial<RequestLimits>;
  /** Settings every worker of the stack starts with (TRANSCRIBE_MAX_SECONDS, say). */
  workerEnv?: PlatformEnv;
}

/** A command or button press sent to the app, with the job id it becomes. */
export interface SlackRequest extends InteractionAnswer {
  jobId: string;
}

/** Every process of Replibot on Slack, in-process, against the fake Slack and real Postgres and Redis. */
export interface SlackStack {
  fake: FakeSlack;
  emulator: Emulator;
  database: TestDatabase;
  redis: TestRedis;
  webhooks: WebhooksServer;
  worker: WorkerApp;
  slack: SlackApp;
  catalog: Catalog;
  /** The app's base URL (`…/slack/events` is Bolt's endpoint). */
  appUrl: string;
  teamId: string;
  /** The first channel ("general"); `channelIds` holds all five, the bot a member of each. */
  channelId: string;
  channelIds: string[];
  secretsKey: string;
  /** SLACK_STATE_SECRET in OAuth mode. */
  stateSecret: string;
  /** A member of the workspace, by name (created on first use; `admin:` names are workspace admins). */
  member(name: string): string;
  /** Runs a slash command as `user` in `channel` (the first one by default). */
  command(
    user: string,
    command: string,
    text: string,
    channel?: string,
    teamId?: string,
  ): Promise<SlackRequest>;
  /** Presses the button `actionId` under message `ts`. */
  press(user: string, actionId: string, ts: string, channel?: string, teamId?: string): Promise<SlackRequest>;
  /** The job, once its final message was written. */
  finished(jobId: string, timeoutMs?: number): Promise<JobRow>;
  /** The job's reply message as members see it now. */
  replyOf(jobId: string): Promise<MessageView>;
  /** The text a job's prediction produced, as the emulator reports it. */
  answerOf(job: JobRow): string;
  /** Starts another worker (as a second replica would), with extra settings. */
  startWorker(env?: PlatformEnv): Promise<WorkerApp>;
  restartSlack(): Promise<void>;
  close(): Promise<void>;
}

/** Starts the fake Slack, the emulator, webhooks, worker and Slack app for one test file. */
export async function startSlackStack(options: SlackStackOptions): Promise<SlackStack> {
  const pipeline = await startPipeline(options);
  const { database, redis, emulator, catalog, logger } = pipeline;
  const mode = options.mode ?? "single";
  // Bot tokens get the scopes the manifest asks for (chat:write.public and im:write among them).
  const fake = await createFakeSlack({ scopes: SLACK_BOT_SCOPES, ...options.fake });
  const teamId = fake.teamId;
  const channelIds = ["general", "art", "random", "help", "music"].map((name) =>
    fake.addChannel(teamId, { name }),
  );
  const channelId = channelIds[0]!;
  const members = new Map<string, string>();
  const secretsKey = "test-secrets-key-0123456789abcdef-0123456789";
  const stateSecret = "test-state-secret";
  const slackCredentials =
    mode === "single"
      ? { SLACK_BOT_TOKEN: fake.botToken }
      : {
          SLACK_CLIENT_ID: fake.clientId,
          SLACK_CLIENT_SECRET: fake.clientSecret,
          SLACK_STATE_SECRET: stateSecret,
          SECRETS_KEY: secretsKey,
        };

  const launchWorker = (env: PlatformEnv = {}) =>
    pipeline.startWorker({
      SLACK_API_URL: fake.apiUrl,
      ...(mode === "single" ? { SLACK_BOT_TOKEN: fake.botToken } : { SECRETS_KEY: secretsKey }),
      ...options.workerEnv,
      ...env,
    });
  await launchWorker();
  const launchSlack = () =>
    startSlackApp({
      env: loadSlackEnv({
        DATABASE_URL: database.url,
        REDIS_URL: redis.url,
        SLACK_SIGNING_SECRET: fake.signingSecret,
        SLACK_API_URL: fake.apiUrl,
        DEFAULT_TENANT_LIMIT_USD: String(options.defaultLimitUsd ?? 5n),
        // Most suites send many requests as few members: the abuse limits are raised unless a test sets them.
        USER_REQUESTS_PER_MINUTE: String(options.limits?.requestsPerMinute ?? 10_000),
        USER_ACTIVE_JOBS: String(options.limits?.activePerKind ?? 1_000),
        TENANT_QUEUED_JOBS_MAX: String(options.limits?.tenantQueuedMax ?? 100_000),
        ...slackCredentials,
        ...(options.dmToSelf ? { DM_TENANT: teamId } : {}),
        ...(options.socketMode ? { SLACK_APP_TOKEN: fake.appToken } : {}),
        ...(options.allowedTenants ? { ALLOWED_TENANTS: options.allowedTenants.join(",") } : {}),
      }),
      logger,
      catalog,
      prefix: redis.prefix,
      host: "127.0.0.1",
      port: 0,
      retryConfig: { retries: 2, minTimeout: 0, maxTimeout: 10 },
    });
  let slack = await launchSlack();

  const member = (name: string) => {
    let id = members.get(name);
    if (!id) {
      id = fake.addUser(teamId, { name, isAdmin: name.startsWith("admin") });
      members.set(name, id);
    }
    return id;
  };
  const appUrl = () => slack.url ?? "";
  // Bolt's stop() returns before its socket has closed: wait for the fake to see it go.
  const closeSlack = async () => {
    await slack.close();
    if (options.socketMode) await fake.waitFor(() => fake.socket.connected() === 0);
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
    get slack() {
      return slack;
    },
    get appUrl() {
      return appUrl();
    },
    catalog,
    teamId,
    channelId,
    channelIds,
    secretsKey,
    stateSecret,
    member,
    async command(user, command, text, channel = channelId, team = teamId) {
      const answer = await fake.slashCommand({
        appUrl: appUrl(),
        teamId: team,
        channelId: channel,
        userId: member(user),
        command,
        text,
      });
      return { ...answer, jobId: `slack-${answer.triggerId}` };
    },
    async press(user, actionId, ts, channel = channelId, team = teamId) {
      const answer = await fake.blockAction({
        appUrl: appUrl(),
        teamId: team,
        channelId: channel,
        userId: member(user),
        actionId,
        value: actionId,
        messageTs: ts,
      });
      return { ...answer, jobId: `slack-${answer.triggerId}` };
    },
    finished: (jobId, timeoutMs) => pipeline.finished(jobId, timeoutMs),
    async replyOf(jobId) {
      const job = await getJob(database.db, jobId);
      const target = job?.replyTarget as { channelId: string; messageTs: string } | undefined;
      const message = target && fake.messages(target.channelId).find((m) => m.ts === target.messageTs);
      if (!message) throw new Error(`no reply message for ${jobId}`);
      return message;
    },
    answerOf: (job) => pipeline.answerOf(job),
    async restartSlack() {
      await closeSlack();
      slack = await launchSlack();
    },
    startWorker: launchWorker,
    async close() {
      await closeSlack();
      await pipeline.close();
      await fake.close();
    },
  };
}
