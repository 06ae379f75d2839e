import { getJob, settingsAudit } from "@replibot/db";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type DiscordStack, eventually, startDiscordStack } from "./helpers/discord-stack.ts";

let stack: DiscordStack;
let general: string;
let art: string;
let lounge: string;
beforeAll(async () => {
  stack = await startDiscordStack({ label: "community-d", emulator: { tokensPerSecond: 400 } });
  [general, art] = stack.channelIds as [string, string];
  lounge = stack.fake.addChannel(stack.guildId, { name: "lounge", nsfw: true });
});
afterAll(async () => {
  await stack?.close();
});

type Options = Record<string, string | number | boolean>;

/** Runs a slash command as `userId` in `channelId`; returns the interaction and the first answer's content. */
async function run(userId: string, name: string, options: Options, channelId = general, subcommand?: string) {
  const { interactionId } = stack.fake.slashCommand({
    guildId: stack.guildId,
    channelId,
    userId,
    name,
    ...(subcommand ? { subcommand } : {}),
    options,
  });
  const answer = await eventually(() => stack.fake.interactionResponse(interactionId)?.original ?? undefined);
  return { interactionId, answer };
}

let bossId: string | undefined;
/** An admin (Manage Server) running `/replibot-settings <subcommand>`; returns the private answer. */
async function settings(subcommand: string, options: Options = {}) {
  bossId ??= stack.fake.addMember(stack.guildId, { username: "boss", permissions: ["ManageGuild"] });
  const { answer } = await run(bossId, "replibot-settings", options, general, subcommand);
  expect(answer.ephemeral).toBe(true);
  return answer.content;
}

/** A member's `/ask`: the private refusal, or the job once it has finished. */
async function ask(user: string, prompt: string, options: { channel?: string; model?: string } = {}) {
  const { interactionId, answer } = await run(
    stack.member(user),
    "ask",
    { prompt, ...(options.model ? { model: options.model } : {}) },
    options.channel,
  );
  if (answer.ephemeral) return { refused: answer.content, interactionId };
  return { job: await stack.finished(interactionId), interactionId };
}

const predictionCount = () => stack.emulator.control.predictions().length;

describe("community controls on Discord", () => {
  it("refuses prompts on the default blocklist before any prediction, privately", async () => {
    const before = predictionCount();
    const { refused, interactionId } = await ask("mallory", "draw a loli for me");
    expect(refused).toBe(
      "Your prompt contains something this server does not allow, so it was not sent. Nothing was charged.",
    );
    expect(await getJob(stack.database.db, `discord-${interactionId}`)).toBeUndefined();
    expect(predictionCount()).toBe(before);
  });

  it("admins add words and /regular expressions/, list and remove them; each change is audited", async () => {
    expect(await settings("blocklist", { action: "add", entry: "Pineapple" })).toContain("• `pineapple`");
    expect(await settings("blocklist", { action: "add", entry: "/crypto\\s*scam/" })).toContain(
      "/crypto\\s*scam/",
    );
    expect(await settings("blocklist", { action: "add", entry: "/(a+)+$/" })).toContain(
      "a quantifier inside a repeated group can make matching very slow",
    );
    expect(await settings("blocklist", { action: "add", entry: "/[unclosed/" })).toContain(
      "it is not a valid regular expression",
    );
    const before = predictionCount();
    expect((await ask("mallory", "I like PINEAPPLE on pizza")).refused).toContain("does not allow");
    expect((await ask("mallory", "explain this crypto   scam")).refused).toContain("does not allow");
    expect(predictionCount()).toBe(before);
    // Whole words only: "pineapples" is not "pineapple".
    expect((await ask("mallory", "Repeat exactly:\nPineapples grow slowly.")).job?.status).toBe("succeeded");

    expect(await settings("blocklist", { action: "remove", entry: "pineapple" })).not.toContain(
      "`pineapple`",
    );
    expect(await settings("blocklist", { action: "remove", entry: "pineapple" })).toBe(
      "`pineapple` is not on the blocklist.",
    );
    expect((await ask("mallory", "Repeat exactly:\nPineapple is fine now.")).job?.status).toBe("succeeded");
    const list = await settings("blocklist", { action: "list" });
    expect(list).toContain("`loli`");
    expect(list).toContain("`/crypto\\s*scam/`");

    const tenantId = (await getJob(stack.database.db, (await ask("mallory", "Repeat exactly:\nok")).job!.id))!
      .tenantId;
    const audit = await stack.database.db
      .select()
      .from(settingsAudit)
      .where(eq(settingsAudit.tenantId, tenantId));
    const blocklistChanges = audit.filter((row) => row.setting === "blocklist");
    // Three changes took effect (two adds, one remove); refused and no-op ones are not recorded.
    expect(blocklistChanges).toHaveLength(3);
    expect(blocklistChanges.every((row) => row.actorId === bossId)).toBe(true);
    expect(blocklistChanges[0]!.before).toBeNull();
    expect(blocklistChanges[0]!.after).toContainEqual({ kind: "word", value: "pineapple" });
    expect(blocklistChanges.every((row) => row.createdAt instanceof Date)).toBe(true);
  });

  it("answers only in the channels admins chose, and admins everywhere", async () => {
    expect(await settings("channels", { action: "add", channel: art })).toContain(`Channels: <#${art}>`);
    try {
      expect((await ask("nina", "Repeat exactly:\nhello", { channel: general })).refused).toBe(
        `Replibot is not available in this channel. Use it in <#${art}>.`,
      );
      expect((await ask("nina", "Repeat exactly:\nhello art", { channel: art })).job?.status).toBe(
        "succeeded",
      );
      const { answer } = await run(bossId!, "ask", { prompt: "Repeat exactly:\nboss here" }, general);
      expect(answer.ephemeral).toBe(false);
    } finally {
      expect(await settings("channels", { action: "everywhere" })).toContain("Channels: every channel");
    }
  });

  it("limits a command to roles; members without one are told which", async () => {
    const artists = stack.fake.addRole(stack.guildId, { name: "artists" });
    const painter = stack.fake.addMember(stack.guildId, { username: "painter", roleIds: [artists] });
    expect(await settings("roles", { command: "imagine", action: "add", role: artists })).toContain(
      `/imagine: roles <@&${artists}>`,
    );
    try {
      const refused = await run(stack.member("nina"), "imagine", { prompt: "a fox" });
      expect(refused.answer.content).toBe(`In this server, /imagine is for <@&${artists}> only.`);
      expect(refused.answer.ephemeral).toBe(true);
      const allowed = await run(painter, "imagine", { prompt: "a fox" });
      expect(allowed.answer.ephemeral).toBe(false);
      expect((await stack.finished(allowed.interactionId)).status).toBe("succeeded");
      // /ask is still open to everyone.
      expect((await ask("nina", "Repeat exactly:\nstill asking")).job?.status).toBe("succeeded");
    } finally {
      await settings("roles", { command: "imagine", action: "everyone" });
    }
  });

  it("lets members pick only the models admins allow, and defaults to an allowed one", async () => {
    expect(await settings("models", { command: "ask", models: "nope" })).toContain("No such model");
    expect(await settings("models", { command: "ask", models: "llama-3-8b" })).toContain(
      "models `llama-3-8b`",
    );
    try {
      expect((await ask("omar", "hi", { model: "llama-3-70b" })).refused).toBe(
        "This server allows only these models for /ask: `llama-3-8b`.",
      );
      const { job } = await ask("omar", "Repeat exactly:\nsmall model");
      expect(job?.model).toBe("llama-3-8b");
    } finally {
      await settings("models", { command: "ask", models: "all" });
    }
  });

  it("keeps the image safety checker on, except in age-restricted channels where an admin allowed it off", async () => {
    const image = async (channel: string, prompt: string) => {
      const { interactionId } = await run(stack.member("ivy"), "imagine", { prompt }, channel);
      const job = await stack.finished(interactionId);
      const prediction = stack.emulator.control.prediction(job.predictionId!)!.prediction;
      return {
        job,
        input: prediction.input as Record<string, unknown>,
        message: stack.fake.message((job.replyTarget as { messageId: string }).messageId)!,
      };
    };
    const guarded = await image(lounge, "an nsfw-trigger scene");
    expect(guarded.input.disable_safety_checker).toBe(false);
    expect(guarded.message.content).toContain("**Withheld for safety**");
    expect(guarded.message.attachments).toEqual([]);

    expect(await settings("image-safety", { allow_off_in_nsfw: true })).toContain(
      "Image safety checker: may be off in age-restricted channels",
    );
    try {
      const open = await image(lounge, "an nsfw-trigger scene");
      expect(open.input.disable_safety_checker).toBe(true);
      expect(open.message.attachments).toHaveLength(1);
      // Not in an ordinary channel, whatever the setting.
      const ordinary = await image(general, "an nsfw-trigger scene");
      expect(ordinary.input.disable_safety_checker).toBe(false);
      expect(ordinary.message.content).toContain("**Withheld for safety**");
    } finally {
      await settings("image-safety", { allow_off_in_nsfw: false });
    }
  });

  it("refuses every setting to members without Manage Server, changing nothing", async () => {
    const { answer } = await run(
      stack.member("nina"),
      "replibot-settings",
      { action: "add", entry: "x" },
      general,
      "blocklist",
    );
    expect(answer.content).toBe("Only members with the Manage Server permission can use this.");
    expect(await settings("show")).toContain("Blocklist:");
  });
});
