import { type Budget, createEditGovernor } from "@replibot/chat";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestRedis, type TestRedis } from "./helpers/test-redis.ts";

let r: TestRedis;
beforeAll(() => {
  r = createTestRedis("governor");
});
afterAll(async () => {
  await r.cleanup();
});

function governors() {
  // Two connections stand for two processes sharing the budgets.
  return [0, 1].map(() => createEditGovernor({ redis: r.connect("worker"), prefix: r.prefix }));
}

describe("edit governor", () => {
  it("never lets more than the limit through in any window, across processes", async () => {
    const budget: Budget = { key: "channel-1", limit: 5, windowMs: 400 };
    const [a, b] = governors();
    const times: number[] = [];
    await Promise.all(
      Array.from({ length: 16 }, async (_, i) => {
        await (i % 2 === 0 ? a! : b!).acquire([budget]);
        times.push(Date.now());
      }),
    );
    times.sort((x, y) => x - y);
    expect(times).toHaveLength(16);
    // Any 6 consecutive grants must span at least a window (less a little for the clock read after await).
    for (let i = 0; i + 5 < times.length; i++) expect(times[i + 5]! - times[i]!).toBeGreaterThanOrEqual(350);
  });

  it("serves one process's waiters in the order they came, asking Redis for the first only; an abandoned wait blocks no one", async () => {
    const budget: Budget = { key: "slack-post-C1", limit: 3, windowMs: 300 };
    const redis = r.connect("worker");
    const governor = createEditGovernor({ redis, prefix: r.prefix });
    const evals = () =>
      redis.info("commandstats").then((text) => Number(/cmdstat_eval:calls=(\d+)/.exec(text)?.[1] ?? 0));
    const before = await evals();
    const order: number[] = [];
    const abandoned = new AbortController();
    const waits = Array.from({ length: 12 }, (_, i) =>
      governor
        .acquire([budget], i === 4 ? abandoned.signal : undefined)
        .then(() => void order.push(i))
        .catch(() => void order.push(-i)),
    );
    abandoned.abort();
    await Promise.all(waits);
    // Placeholders go out in the order the commands came; the one whose request went away leaves the line.
    expect(order).toEqual([-4, 0, 1, 2, 3, 5, 6, 7, 8, 9, 10, 11]);
    // 11 grants in 4 windows: a line of 11 asks about 11 + 3 times, where 11 pollers would ask ~40 times.
    expect((await evals()) - before).toBeLessThan(25);
  });

  it("keeps a reserved slot free of interim writes, for the final one", async () => {
    const budget: Budget = { key: "token-1", limit: 3, windowMs: 10_000 };
    const [g] = governors();
    expect((await g!.tryAcquire([budget], 0.3)).ok).toBe(true);
    expect((await g!.tryAcquire([budget], 0.3)).ok).toBe(true);
    const third = await g!.tryAcquire([budget], 0.3);
    expect(third.ok).toBe(false);
    expect(third.ok === false && third.retryInMs).toBeGreaterThan(0);
    expect((await g!.tryAcquire([budget], 0)).ok).toBe(true);
    expect((await g!.tryAcquire([budget], 0)).ok).toBe(false);
  });

  it("takes a slot in all budgets or in none", async () => {
    const tight: Budget = { key: "tight", limit: 1, windowMs: 10_000 };
    const loose: Budget = { key: "loose", limit: 2, windowMs: 10_000 };
    const [g] = governors();
    expect((await g!.tryAcquire([tight, loose])).ok).toBe(true);
    expect((await g!.tryAcquire([tight, loose])).ok).toBe(false);
    // The refused attempt took nothing from the loose budget.
    expect((await g!.tryAcquire([loose])).ok).toBe(true);
  });

  it("honours a block from Retry-After for every process", async () => {
    const budget: Budget = { key: "blocked", limit: 100, windowMs: 1_000 };
    const [a, b] = governors();
    await a!.block("blocked", 300);
    const attempt = await b!.tryAcquire([budget]);
    expect(attempt.ok).toBe(false);
    expect(attempt.ok === false && attempt.retryInMs).toBeLessThanOrEqual(300);
    const started = Date.now();
    await b!.acquire([budget]);
    expect(Date.now() - started).toBeGreaterThanOrEqual(200);
  });

  it("lets no interim write start after the final one, and the final waits for one in flight", async () => {
    const [a, b] = governors();
    const budgets: Budget[] = [{ key: "msg-budget", limit: 100, windowMs: 1_000 }];
    const interim = await a!.beginInterim("msg-1", budgets);
    expect(interim.ok).toBe(true);
    let finalStarted = false;
    const final = b!.beginFinal("msg-1", budgets).then(() => {
      finalStarted = true;
    });
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(finalStarted).toBe(false);
    const late = await a!.beginInterim("msg-1", budgets);
    expect(late).toEqual({ ok: false, reason: "final", retryInMs: 0 });
    if (interim.ok) await a!.endInterim("msg-1", interim.seq);
    await final;
    expect(finalStarted).toBe(true);
  });
});
