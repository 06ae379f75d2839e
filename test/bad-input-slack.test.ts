import { createLogger } from "@replibot/core";
import { loadSlackEnv, type SlackApp, startSlackApp } from "@replibot/slack";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { slackSignature } from "./fakes/slack/signing.ts";
import { type CountingProxy, startCountingProxy } from "./helpers/counting-proxy.ts";
import { type SlackStack, startSlackStack } from "./helpers/slack-stack.ts";

let stack: SlackStack;
beforeAll(async () => {
  stack = await startSlackStack({ label: "bad-slack", emulator: { tokensPerSecond: 1_000 } });
});
afterAll(async () => {
  await stack?.close();
});

const jobCount = async () => (await stack.database.sql`select count(*)::int as n from jobs`)[0]!.n as number;
const broadcasts = ["<!everyone", "<!here", "<!channel", "<!subteam^"];

/** Every text Replibot showed in Slack since request `from`: posts, edits, ephemerals, response_url answers. */
function shownSince(from: number): string[] {
  const shown = ["chat.postMessage", "chat.update", "chat.postEphemeral", "response_url"];
  return stack.fake
    .requests()
    .slice(from)
    .filter((r) => shown.includes(r.method))
    .map((r) => `${String(r.params.text ?? "")}\n${JSON.stringify(r.params.blocks ?? "")}`);
}

describe("bad /ask and /imagine text on Slack", () => {
  it("is answered privately in the ack with its reason, queues nothing, and pings no one", async () => {
    const before = await jobCount();
    const huge = "x".repeat(100_000);
    const cases: [string, string, string][] = [
      ["/ask", "\u3000\n\t", "Your prompt is empty: type a question after `/ask`."],
      ["/ask", huge, "Your prompt is too long: keep it under 4,000 characters."],
      ["/imagine", "", "Your prompt is empty: describe the image after `/imagine`"],
      ["/imagine", "--ar 16:9", "Your prompt is empty: describe the image after `/imagine`"],
      ["/imagine", "a fox --ar", "The option `--ar` needs a value."],
      ["/imagine", "a fox --seed 99999999999999999999", "The option `--seed` is not right:"],
      ["/imagine", "a fox --<!everyone>", "There is no option `--&lt;!everyone&gt;`"],
      ["/imagine", `<!here> ${huge}`, "The option `prompt` is not right:"],
      ["/imagine", `a fox --no ${"y".repeat(3_000)}`, "The option `--no` is not right:"],
      ["/imagine", "a fox --model <!channel>", "There is no model `&lt;!channel&gt;` here."],
    ];
    for (const [command, text, reason] of cases) {
      const answer = await stack.command("eve", command, text);
      expect(answer.status).toBe(200);
      const body = JSON.parse(answer.body) as { response_type: string; text: string };
      expect(body.response_type).toBe("ephemeral");
      expect(body.text.startsWith(reason), `${body.text} / ${reason}`).toBe(true);
      for (const broadcast of broadcasts) expect(body.text).not.toContain(broadcast);
    }
    expect(await jobCount()).toBe(before);
  });

  it("answers odd but valid text normally, with every mention shown escaped", async () => {
    const from = stack.fake.requests().length;
    const victim = stack.member("victim");
    const texts = [
      "*bold* _it_ `code` ~strike~ > quote",
      "bell\u0007 escape\u001b[31m nul\u0000 end",
      `<!everyone> <!here> <!channel> <@${victim}> <!subteam^S0ALL|@all> look`,
    ];
    const asked = await Promise.all(
      texts.map((text) => stack.command("odd", "/ask", `Repeat exactly:\n${text}`)),
    );
    const drawn = await stack.command("odd", "/imagine", `${texts[2]} a fox --ar 16:9`);
    for (const request of [...asked, drawn]) {
      expect(request.body).toBe("");
      expect((await stack.finished(request.jobId)).status).toBe("succeeded");
    }
    // NUL cannot be stored: it reaches the model as U+FFFD; the rest is exact.
    expect(stack.answerOf(await stack.finished(asked[1]!.jobId))).toBe(texts[1]!.replace("\u0000", "\uFFFD"));
    expect((await stack.replyOf(asked[2]!.jobId)).text).toContain("&lt;!everyone&gt; &lt;!here&gt;");
    const shown = shownSince(from);
    expect(shown.length).toBeGreaterThanOrEqual(4);
    for (const text of shown) {
      for (const ping of [...broadcasts, `<@${victim}`]) expect(text).not.toContain(ping);
    }
  });
});

describe("Slack requests with a bad signature", () => {
  it("refuses a replay after five minutes and a signature made for another body or time", async () => {
    const good = await stack.command("ada", "/ask", "Repeat exactly:\nonce");
    expect(good.status).toBe(200);
    await stack.finished(good.jobId);
    const before = await jobCount();
    const { delivery } = good;
    // The same signature over another member's request, and over another timestamp.
    const forged = new URLSearchParams(delivery.body);
    forged.set("text", "Repeat exactly:\ntwice");
    forged.set("trigger_id", `${forged.get("trigger_id")}9`);
    const timestamp = Number(delivery.headers["x-slack-request-timestamp"]);
    const attempts = [
      { ...delivery, body: forged.toString() },
      { ...delivery, headers: { ...delivery.headers, "x-slack-request-timestamp": String(timestamp + 1) } },
      {
        ...delivery,
        headers: {
          ...delivery.headers,
          "x-slack-signature": delivery.headers["x-slack-signature"]!.replace("v0=", "v1="),
        },
      },
      {
        ...delivery,
        headers: {
          ...delivery.headers,
          "x-slack-signature": slackSignature("not-the-secret", timestamp, forged.toString()),
        },
        body: forged.toString(),
      },
    ];
    const answers = await Promise.all(attempts.map((attempt) => stack.fake.replay(attempt)));
    expect(answers.map((a) => a.status)).toEqual([401, 401, 401, 401]);

    // Captured and sent again five minutes later: the timestamp is stale, whatever the signature.
    const later = Date.now() + 5 * 60_000 + 1_000;
    vi.useFakeTimers({ toFake: ["Date"], now: later });
    const replayed = await stack.fake.replay(delivery).finally(() => vi.useRealTimers());
    expect(replayed.status).toBe(401);
    expect(await jobCount()).toBe(before);
    const placeholders = stack.fake
      .messages(stack.channelId)
      .filter((m) => m.text.includes("asked: Repeat exactly: once"));
    expect(placeholders).toHaveLength(1);
  });
});

describe("a flood of bad signatures at the Slack endpoint", () => {
  let app: SlackApp;
  let postgres: CountingProxy;
  let redis: CountingProxy;
  beforeAll(async () => {
    // A second Slack app whose Postgres and Redis traffic passes through counters.
    postgres = await startCountingProxy(stack.database.url);
    redis = await startCountingProxy(stack.redis.url);
    app = await startSlackApp({
      env: loadSlackEnv({
        DATABASE_URL: postgres.url,
        REDIS_URL: redis.url,
        SLACK_SIGNING_SECRET: stack.fake.signingSecret,
        SLACK_BOT_TOKEN: stack.fake.botToken,
        SLACK_API_URL: stack.fake.apiUrl,
      }),
      logger: createLogger({ name: "bad-slack-flood", level: "silent" }),
      catalog: stack.catalog,
      prefix: stack.redis.prefix,
      host: "127.0.0.1",
      port: 0,
      retryConfig: { retries: 0 },
    });
  });
  afterAll(async () => {
    await app?.close();
    await postgres?.close();
    await redis?.close();
  });

  it("is refused before any listener runs: not a byte to Postgres or Redis; the next good request is served", async () => {
    // Start-up is over (BullMQ writes its queue's meta data once connected) before anything is counted.
    await Promise.all([postgres.quiet(), redis.quiet()]);
    const sent = { postgres: postgres.sentBytes(), redis: redis.sentBytes() };
    const base = {
      appUrl: app.url!,
      teamId: stack.teamId,
      channelId: stack.channelId,
      userId: stack.member("mallory"),
      command: "/ask",
      text: "Repeat exactly:\nflood",
    };
    const flood = Array.from({ length: 150 }, (_, i) =>
      stack.fake.slashCommand({
        ...base,
        signing: i % 2 === 0 ? { badSignature: true } : { ageSeconds: 301 + i },
      }),
    );
    const unsigned = Array.from({ length: 50 }, () =>
      fetch(`${app.url}/slack/events`, {
        method: "POST",
        headers: { "content-type": "application/x-www-form-urlencoded" },
        body: "command=%2Fask&text=hi",
      }),
    );
    const statuses = [
      ...(await Promise.all(flood)).map((a) => a.status),
      ...(await Promise.all(unsigned)).map((r) => r.status),
    ];
    expect(statuses.filter((status) => status !== 401)).toEqual([]);
    expect({ postgres: postgres.sentBytes(), redis: redis.sentBytes() }).toEqual(sent);
    expect(postgres.connections()).toBe(0);

    // The same app, asked properly, reaches both at once: the counters do see real work.
    const good = await stack.fake.slashCommand({ ...base, userId: stack.member("ada") });
    expect(good.status).toBe(200);
    expect((await stack.finished(`slack-${good.triggerId}`)).status).toBe("succeeded");
    expect(postgres.sentBytes()).toBeGreaterThan(sent.postgres);
    expect(redis.sentBytes()).toBeGreaterThan(sent.redis);
  });
});
