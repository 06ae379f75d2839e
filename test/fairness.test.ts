import { backlogPosition, enqueueRun, getJob, insertJob, MAX_RUN_PRIORITY, upsertTenant } from "@replibot/db";
import { connectRedis, createProducer, JOBS_QUEUE } from "@replibot/queue";
import { PRIORITY_LIMIT, Queue } from "bullmq";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type DiscordStack, eventually, startDiscordStack } from "./helpers/discord-stack.ts";
import { createTestDatabase, type TestDatabase } from "./helpers/test-database.ts";
import { createTestRedis, type TestRedis } from "./helpers/test-redis.ts";

/** The jobs queue as BullMQ sees it, for reading priorities and order. */
function jobsQueue(stack: DiscordStack): Queue {
  return new Queue(JOBS_QUEUE, { connection: stack.redis.connect("worker"), prefix: stack.redis.prefix });
}

describe("a run's priority is its place in its tenant's backlog", () => {
  let database: TestDatabase;
  let redis: TestRedis;
  beforeAll(async () => {
    database = await createTestDatabase("backlog");
    redis = createTestRedis("backlog");
  });
  afterAll(async () => {
    await redis?.cleanup();
    await database?.drop();
  });

  it("counts the tenant's queued jobs up to this one, and enqueueRun gives BullMQ that priority", async () => {
    const { db } = database;
    const busy = await upsertTenant(db, "discord", "100000000000000001");
    const quiet = await upsertTenant(db, "discord", "100000000000000002");
    const replyTarget = {
      platform: "discord" as const,
      applicationId: "1",
      interactionToken: "t",
      channelId: "2",
      messageId: "3",
      tokenExpiresAtMs: 0,
    };
    const add = async (id: string, tenantId: string) => {
      await insertJob(db, { id, tenantId, userId: "u", kind: "ask", input: { prompt: "hi" }, replyTarget });
    };
    for (const id of ["busy-1", "busy-2", "busy-3"]) await add(id, busy.id);
    await add("quiet-1", quiet.id);
    await database.sql`update jobs set status = 'running' where id = 'busy-1'`;
    await add("busy-4", busy.id);

    // busy-1 left the backlog: the others count only queued jobs of their own tenant.
    const positions = await Promise.all(
      ["busy-1", "busy-2", "busy-3", "busy-4", "quiet-1", "nobody"].map((id) => backlogPosition(db, id)),
    );
    expect(positions).toEqual([0, 1, 2, 3, 1, 0]);

    const connection = redis.connect("producer");
    await connectRedis(connection, redis.url);
    const producer = createProducer({ connection, prefix: redis.prefix });
    const queue = new Queue(JOBS_QUEUE, { connection: redis.connect("worker"), prefix: redis.prefix });
    try {
      for (const id of ["busy-2", "busy-3", "busy-4", "quiet-1"]) await enqueueRun(producer, db, id);
      const waiting = await queue.getPrioritized();
      expect(waiting.map((job) => [job.id, job.opts.priority])).toEqual([
        ["run-busy-2", 1],
        ["run-quiet-1", 1],
        ["run-busy-3", 2],
        ["run-busy-4", 3],
      ]);
      // "Queued: N ahead of you" counts the runs BullMQ takes first.
      expect(await producer.waitingAhead("run-quiet-1")).toBe(1);
      expect(await producer.waitingAhead("run-busy-4")).toBe(3);
      // The cap is BullMQ's own: it refuses any priority above it.
      expect(MAX_RUN_PRIORITY).toBe(PRIORITY_LIMIT);
    } finally {
      await queue.close();
      await producer.close();
    }
  });
});

describe("one server flooding the queue", () => {
  let stack: DiscordStack;
  beforeAll(async () => {
    stack = await startDiscordStack({
      label: "flood",
      emulator: { tokensPerSecond: 400 },
      slots: { concurrency: 2 },
      defaultLimitUsd: 50n,
    });
  });
  afterAll(async () => {
    await stack?.close();
  });

  it("does not starve another: its one /ask starts before the flood's tenth", async () => {
    // No worker while the flood arrives, as when one server's members outpace every worker.
    await stack.worker.close();
    const { db } = stack.database;
    const connection = stack.redis.connect("producer");
    await connectRedis(connection, stack.redis.url);
    const producer = createProducer({ connection, prefix: stack.redis.prefix });
    const queue = jobsQueue(stack);
    try {
      // The flood as the ack path leaves it: 500 queued rows of the busy server, each enqueued
      // through enqueueRun. (Written directly: the ack path's abuse limits would refuse a flood this
      // size, and this test is about the order the worker serves what was let in.) Answers go to
      // the channel with the bot token, as answers to messages do.
      const busyGuild = stack.fake.addGuild({
        name: "Busy server",
        channels: ["one", "two", "three", "four", "five"].map((name) => ({ name })),
      });
      const busy = await upsertTenant(db, "discord", busyGuild.guildId, "Busy server");
      const floodIds = Array.from({ length: 500 }, (_, i) => `flood-${i}`);
      for (const [i, id] of floodIds.entries()) {
        await insertJob(db, {
          id,
          tenantId: busy.id,
          userId: `member${i % 10}`,
          kind: "ask",
          model: "llama-3-70b",
          input: { prompt: `Repeat exactly:\nFlood answer ${i}.` },
          replyTarget: {
            platform: "discord",
            applicationId: stack.fake.applicationId,
            channelId: busyGuild.channelIds[i % 5]!,
            messageId: "@original",
            tokenExpiresAtMs: 0,
          },
        });
        await enqueueRun(producer, db, id);
      }
      const flood = await queue.getPrioritized();
      expect(flood.map((job) => [job.id, job.opts.priority])).toEqual(
        floodIds.map((id, i) => [`run-${id}`, i + 1]),
      );

      // A member of another server asks once, through the real ack path.
      const ask = stack.ask("quinn", "Repeat exactly:\nMy turn.");
      const quietJobId = `discord-${ask.interactionId}`;
      await eventually(async () => ((await queue.getPrioritizedCount()) === 501 ? true : undefined));
      const order = (await queue.getPrioritized()).map((job) => job.id);
      // Priority 1, like the flood's first: it waits behind that one run only.
      expect(order.indexOf(`run-${quietJobId}`)).toBe(1);
      const notice = await eventually(() => {
        const content = stack.fake.interactionResponse(ask.interactionId)?.original?.content;
        return content?.startsWith("Queued:") ? content : undefined;
      });
      expect(notice).toBe("Queued: 1 ahead of you.");

      // One worker with two run slots: the order it starts jobs in is the queue's.
      await stack.startWorker();
      const quietStartedAt = await eventually(
        async () => (await getJob(db, quietJobId))?.startedAt ?? undefined,
        60_000,
      );
      const [before] = await stack.database.sql<{ n: number }[]>`
        select count(*)::int as n from jobs
         where id in ${stack.database.sql(floodIds)} and started_at <= ${quietStartedAt.toISOString()}`;
      expect(before!.n).toBeLessThan(10);
      const finished = await stack.finished(quietJobId, 60_000);
      expect(finished.status).toBe("succeeded");
      expect(stack.answerOf(finished)).toBe("My turn.");
    } finally {
      await queue.close();
      await producer.close();
    }
  });
});

describe("long streams", () => {
  let stack: DiscordStack;
  beforeAll(async () => {
    // Two run slots, and answers that stream for half a minute.
    stack = await startDiscordStack({
      label: "streams",
      emulator: { tokensPerSecond: 20 },
      slots: { concurrency: 2 },
    });
  });
  afterAll(async () => {
    await stack?.close();
  });

  it("do not hold the run slots: new jobs start, cancels and completions land while they stream", async () => {
    const long = Array.from({ length: 3 }, (_, i) =>
      stack.ask(`streamer${i}`, `Repeat exactly 100 times:\nA long answer that takes a while. `),
    );
    const longIds = long.map((l) => `discord-${l.interactionId}`);
    // Three streams at once on two run slots: each run handed its stream to the relays queue.
    await eventually(async () => {
      const jobs = await Promise.all(longIds.map((id) => getJob(stack.database.db, id)));
      return jobs.every((job) => job?.status === "running") ? true : undefined;
    }, 30_000);

    const streaming = await eventually(() => {
      const message = stack.fake.interactionResponse(long[0]!.interactionId)?.original;
      return message && message.components.length > 0 && message.content.length > 20 ? message : undefined;
    });
    stack.fake.pressButton({
      messageId: streaming.id,
      customId: `cancel:${longIds[0]}`,
      userId: stack.member("streamer0"),
    });
    const short = stack.ask("late", "Repeat exactly:\nA short answer.");
    const shortJob = await stack.finished(short.interactionId, 30_000);
    expect(shortJob.status).toBe("succeeded");
    expect(stack.fake.interactionResponse(short.interactionId)!.original!.content).toMatch(
      /^A short answer\./,
    );
    const canceled = await stack.finished(long[0]!.interactionId, 30_000);
    expect(canceled.status).toBe("canceled");

    // All of that happened while the other two were still streaming.
    for (const id of longIds.slice(1)) {
      const job = await getJob(stack.database.db, id);
      expect(job?.status).toBe("running");
      expect(job?.finalWrittenAt).toBeNull();
    }
  });
});

describe("Replicate's create budget", () => {
  let stack: DiscordStack;
  beforeAll(async () => {
    stack = await startDiscordStack({
      label: "creates",
      emulator: { tokensPerSecond: 400 },
      pipeline: { replicateCreatesPerMinute: 2 },
    });
  });
  afterAll(async () => {
    await stack?.close();
  });

  it("is shared through Redis: past it, a job waits queued instead of asking Replicate", async () => {
    const asks = ["one", "two", "three"].map((word) => stack.ask(word, `Repeat exactly:\nAnswer ${word}.`));
    const done = await eventually(async () => {
      const jobs = await Promise.all(
        asks.map((a) => getJob(stack.database.db, `discord-${a.interactionId}`)),
      );
      const finished = jobs.filter((job) => job?.finalWrittenAt);
      return finished.length === 2 ? jobs : undefined;
    }, 30_000);
    expect(done.filter((job) => job?.status === "succeeded")).toHaveLength(2);
    const waiting = done.find((job) => !job?.finalWrittenAt)!;
    expect((await getJob(stack.database.db, waiting.id))?.status).toBe("queued");
    expect(stack.emulator.control.predictions()).toHaveLength(2);
    // The window is in Redis under the account's key: any process asking now finds it full.
    const { deps } = stack.worker;
    const slot = await deps.governor.tryAcquire([deps.createBudget]);
    expect(slot.ok).toBe(false);
  });
});
