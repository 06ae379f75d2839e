import { makeWav } from "@replibot/emulator";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { InteractionView } from "./fakes/discord/views.ts";
import { type DiscordStack, eventually, startDiscordStack } from "./helpers/discord-stack.ts";

let stack: DiscordStack;
beforeAll(async () => {
  stack = await startDiscordStack({
    label: "bad-discord",
    emulator: { tokensPerSecond: 1_000 },
    // Discord's client only offers registered commands; a stale client or a forged payload need not.
    fake: { requireRegisteredCommands: false },
    workerEnv: { TRANSCRIBE_MAX_BYTES: 200_000 },
  });
});
afterAll(async () => {
  await stack?.close();
});

const jobCount = async () => (await stack.database.sql`select count(*)::int as n from jobs`)[0]!.n as number;

/** The interaction's first answer, once there is one. */
const answerOf = (interactionId: string) =>
  eventually(() => {
    const view = stack.fake.interactionResponse(interactionId);
    return view?.original && !view.original.loading ? view : undefined;
  });

/** Runs a command as `user` with raw option values, as a payload would carry them. */
function run(user: string, name: string, options: Record<string, string | number>, subcommand?: string) {
  return stack.fake.slashCommand({
    guildId: stack.guildId,
    channelId: stack.channelId,
    userId: stack.member(user),
    name,
    options,
    ...(subcommand ? { subcommand } : {}),
  }).interactionId;
}

/** Routes that write a message: channel posts and edits, interaction webhooks, interaction callbacks. */
const messageRoutes =
  /^\/channels\/:channel_id\/messages(\/:message_id)?$|^\/webhooks\/:application_id\/:token(\/messages\/.+)?$|\/callback$/;

/**
 * Every message body Replibot sent since `from` (replies, edits, follow-ups, channel posts), with the
 * route it went to. Deferrals (callback types 5 and 6) carry no message and are left out.
 */
function messageWrites(from: number) {
  return stack.fake
    .requests()
    .slice(from)
    .filter((r) => (r.method === "POST" || r.method === "PATCH") && r.route !== null)
    .filter((r) => messageRoutes.test(r.route!))
    .flatMap((r) => {
      const body = (r.body ?? {}) as { type?: number; data?: Record<string, unknown> };
      if (!r.route!.endsWith("/callback"))
        return [{ route: r.route!, payload: body as Record<string, unknown> }];
      return body.type === 4 || body.type === 7 ? [{ route: r.route!, payload: body.data ?? {} }] : [];
    });
}

/** No message Replibot sent since `from` could ping anyone: each says `allowed_mentions: { parse: [] }`. */
function expectNoPings(from: number, atLeast: number) {
  const writes = messageWrites(from);
  expect(writes.length).toBeGreaterThanOrEqual(atLeast);
  for (const { route, payload } of writes) {
    const allowed = payload.allowed_mentions as
      | { parse?: unknown; users?: unknown[]; roles?: unknown[] }
      | undefined;
    expect({ route, parse: allowed?.parse }).toEqual({ route, parse: [] });
    expect(allowed?.users ?? []).toEqual([]);
    expect(allowed?.roles ?? []).toEqual([]);
  }
}

const privately = (view: InteractionView) => ({
  ephemeral: view.original!.ephemeral,
  content: view.original!.content,
});

describe("bad /ask and /imagine options on Discord", () => {
  it("answer each privately with its reason, queue nothing, and ping no one", async () => {
    const from = stack.fake.requests().length;
    const before = await jobCount();
    const huge = "x".repeat(100_000);
    const cases: [string, string, Record<string, string | number>][] = [
      ["ask", "Your prompt is empty: type a question after `/ask`.", { prompt: "\n\t \u3000 " }],
      ["ask", "Your prompt is too long: keep it under 4,000 characters.", { prompt: huge }],
      ["ask", "There is no model `@everyone` here.", { prompt: "hi", model: "@everyone" }],
      ["imagine", "Your prompt is empty: describe the image after `/imagine`.", { prompt: "   " }],
      ["imagine", "The option `prompt` is not right:", { prompt: huge }],
      ["imagine", "The option `negative_prompt` is not right:", { prompt: "a fox", negative_prompt: huge }],
      ["imagine", "The option `seed` is not right:", { prompt: "a fox", seed: -1 }],
      ["imagine", "The option `seed` is not right:", { prompt: "a fox", seed: 2 ** 40 }],
      ["imagine", "The option `aspect_ratio` is not right:", { prompt: "a fox", aspect_ratio: "<@&1>" }],
    ];
    const asked = cases.map(([name, , options]) => run("eve", name, options));
    for (const [index, [, reason]] of cases.entries()) {
      const answer = privately(await answerOf(asked[index]!));
      expect(answer.ephemeral, answer.content).toBe(true);
      expect(answer.content.startsWith(reason), `${answer.content} / ${reason}`).toBe(true);
    }
    expect(await jobCount()).toBe(before);
    expectNoPings(from, cases.length);
  });

  it("answers odd but valid prompts normally: markdown, control characters, lone surrogates, mentions", async () => {
    const from = stack.fake.requests().length;
    const role = stack.fake.addRole(stack.guildId, { name: "mods" });
    const victim = stack.member("victim");
    const prompts = [
      "**bold** _it_ `code` ||spoiler|| > quote\n# heading",
      "bell\u0007 escape\u001b[31m red nul\u0000 tab\t end",
      "half a pair: \ud83d and \ude00 alone",
      `@everyone @here <@&${role}> <@${victim}> <@!${victim}> please look`,
    ];
    const asked = prompts.map((prompt) => run("odd", "ask", { prompt: `Repeat exactly:\n${prompt}` }));
    // The prompt heads the finished image's message, mentions and all.
    asked.push(run("odd", "imagine", { prompt: prompts.at(-1)!, negative_prompt: "\u0000\ud800" }));
    for (const interactionId of asked) {
      const job = await stack.finished(interactionId);
      expect(job.status).toBe("succeeded");
      expect(stack.fake.interactionResponse(interactionId)!.original!.ephemeral).toBe(false);
    }
    // What could not be stored (NUL, half a surrogate pair) reaches the model as U+FFFD; the rest is exact.
    const answers = await Promise.all(
      asked.slice(0, 4).map(async (id) => stack.answerOf(await stack.finished(id))),
    );
    expect(answers[0]).toBe(prompts[0]);
    expect(answers[1]).toBe(prompts[1]!.replace("\u0000", "\uFFFD"));
    expect(answers[2]).toBe("half a pair: \uFFFD and \uFFFD alone");
    expect(answers[3]).toBe(prompts[3]);
    const image = stack.fake.interactionResponse(asked[4]!)!.original!;
    expect(image.content).toContain(`@everyone @here <@&${role}>`);
    expectNoPings(from, asked.length);
  });
});

describe("Discord payloads Replibot does not expect", () => {
  it("answers an unknown command privately and keeps serving the next one", async () => {
    const from = stack.fake.requests().length;
    const unknown = run("eve", "frobnicate", { target: "@everyone" });
    const answer = privately(await answerOf(unknown));
    expect(answer).toEqual({
      ephemeral: true,
      content: "This command is not available in this version of Replibot yet.",
    });
    const menu = stack.fake.messageContextMenu({
      messageId: stack.fake.interactionResponse(unknown)!.original!.id,
      name: "Summon @everyone",
      userId: stack.member("eve"),
    });
    expect(privately(await answerOf(menu.interactionId)).ephemeral).toBe(true);
    const next = await stack.finished(run("eve", "ask", { prompt: "Repeat exactly:\nstill here" }));
    expect(next.status).toBe("succeeded");
    expectNoPings(from, 3);
  });

  it("refuses admin commands to members without Manage Server, changing nothing, then serves them", async () => {
    const from = stack.fake.requests().length;
    const refusals = [
      run("nosy", "transcribe", {}, "on"),
      run("nosy", "spend", {}, "export"),
      run("nosy", "replibot-settings", { text: "@everyone obey" }, "system-prompt"),
    ];
    for (const interactionId of refusals) {
      expect(privately(await answerOf(interactionId))).toEqual({
        ephemeral: true,
        content: "Only members with the Manage Server permission can use this.",
      });
    }
    const [tenant] = await stack.database
      .sql`select system_prompt from tenants where external_id = ${stack.guildId}`;
    expect(tenant?.system_prompt ?? null).toBeNull();
    const [auto] = await stack.database.sql`select count(*)::int as n from settings_audit`;
    expect(auto!.n).toBe(0);
    expect((await stack.finished(run("nosy", "ask", { prompt: "Repeat exactly:\nok" }))).status).toBe(
      "succeeded",
    );
    expectNoPings(from, refusals.length);
  });

  it("answers a command from a server that removed it privately, runs nothing, and keeps serving", async () => {
    const left = stack.fake.addGuild({ name: "Left server", channels: [{ name: "lobby" }] });
    const member = stack.fake.addMember(left.guildId, { username: "stranger" });
    // Removed from the server: Discord sends GUILD_DELETE without `unavailable`, but the commands stay.
    stack.fake.dispatch("GUILD_DELETE", { id: left.guildId });
    const before = await jobCount();
    const from = stack.fake.requests().length;
    const { interactionId } = stack.fake.slashCommand({
      guildId: left.guildId,
      channelId: left.channelIds[0]!,
      userId: member,
      name: "ask",
      options: { prompt: "Repeat exactly:\nhello from outside" },
    });
    expect(privately(await answerOf(interactionId))).toEqual({
      ephemeral: true,
      content:
        "Replibot is no longer a member of this server, so it cannot answer here. Ask an admin to add it back.",
    });
    const [tenant] = await stack.database.sql`select id from tenants where external_id = ${left.guildId}`;
    expect(tenant).toBeUndefined();
    expect(await jobCount()).toBe(before);
    expect((await stack.finished(run("eve", "ask", { prompt: "Repeat exactly:\nand inside" }))).status).toBe(
      "succeeded",
    );
    expectNoPings(from, 1);
  });

  it("refuses a recording over TRANSCRIBE_MAX_BYTES in its thread, without downloading or charging", async () => {
    const from = stack.fake.requests().length;
    const predictions = stack.emulator.control.predictions().length;
    // 16 kHz 16-bit mono: 10 s is 320 kB, over this deployment's cap of 200 kB.
    const wav = makeWav({ durationSeconds: 10, transcript: "Far too big." });
    const posted = stack.fake.postUserMessage({
      channelId: stack.channelId,
      userId: stack.member("otto"),
      attachments: [{ bytes: wav, filename: "big.wav", contentType: "audio/wav" }],
    });
    const menu = stack.fake.messageContextMenu({
      messageId: posted.id,
      name: "Transcribe",
      userId: stack.member("otto"),
    });
    const job = await stack.finished(menu.interactionId);
    expect(job.status).toBe("refused");
    const target = job.replyTarget as { messageId: string };
    expect(stack.fake.message(target.messageId)!.content).toBe(
      "**Not transcribed**: the file is larger than 0.2 MB, the most Replibot transcribes. Not charged.",
    );
    expect(
      stack.fake
        .requests()
        .slice(from)
        .filter((r) => r.route === "cdn"),
    ).toEqual([]);
    expect(stack.emulator.control.predictions().length).toBe(predictions);
    const [held] = await stack.database.sql`select count(*)::int as n from holds where job_id = ${job.id}`;
    expect(held!.n).toBe(0);
    expectNoPings(from, 2);
  });
});
