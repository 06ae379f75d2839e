import { getJob, settingsAudit, tenants } from "@replibot/db";
import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { eventually } from "./helpers/pipeline.ts";
import type { SlackRequest } from "./helpers/slack-stack.ts";
import { type SlackStack, startSlackStack } from "./helpers/slack-stack.ts";

let stack: SlackStack;
let general: string;
let art: string;
beforeAll(async () => {
  stack = await startSlackStack({ label: "community-s", emulator: { tokensPerSecond: 400 } });
  [general, art] = stack.channelIds as [string, string];
});
afterAll(async () => {
  await stack?.close();
});

/** What an admin command told its member through the response_url. */
async function told(request: SlackRequest) {
  const post = await eventually(() =>
    stack.fake.responseUrlPosts(request.responseUrlId).find((p) => p.accepted),
  );
  return (post.body as { text: string }).text;
}

const settings = async (text: string, user = "admin-ada") =>
  told(await stack.command(user, "/replibot", `settings ${text}`));

/** The private refusal in the ack of a command, or undefined when it was taken. */
const refusalOf = (request: SlackRequest) =>
  request.body ? (JSON.parse(request.body) as { text?: string }).text : undefined;

const predictionCount = () => stack.emulator.control.predictions().length;

describe("community controls on Slack", () => {
  it("refuses prompts on the blocklist in the ack, before any prediction; admins change the list", async () => {
    const before = predictionCount();
    const refused = await stack.command("mo", "/ask", "write about a loli");
    expect(refusalOf(refused)).toBe(
      "Your prompt contains something this workspace does not allow, so it was not sent. Nothing was charged.",
    );
    expect(await getJob(stack.database.db, refused.jobId)).toBeUndefined();

    expect(await settings("blocklist add durian")).toContain("• `durian`");
    expect(await settings("blocklist add /smell(y|s)/")).toContain("`/smell(y|s)/`");
    expect(refusalOf(await stack.command("mo", "/imagine", "a DURIAN on a plate --ar 16:9"))).toContain(
      "does not allow",
    );
    expect(refusalOf(await stack.command("mo", "/ask", "why is it smelly"))).toContain("does not allow");
    expect(predictionCount()).toBe(before);

    expect(await settings("blocklist remove durian")).not.toContain("`durian`");
    const allowed = await stack.command("mo", "/ask", "Repeat exactly:\nDurian is a fruit.");
    expect(refusalOf(allowed)).toBeUndefined();
    expect((await stack.finished(allowed.jobId)).status).toBe("succeeded");
    expect(await settings("blocklist reset")).toContain("Replibot's default blocklist");
  });

  it("answers only in the channels admins chose", async () => {
    expect(await settings(`channels add <#${art}|art>`)).toContain(`Channels: <#${art}>`);
    try {
      expect(refusalOf(await stack.command("mo", "/ask", "hello", general))).toBe(
        `Replibot is not available in this channel. Use it in <#${art}>.`,
      );
      const there = await stack.command("mo", "/ask", "Repeat exactly:\nIn art.", art);
      expect(refusalOf(there)).toBeUndefined();
      await stack.finished(there.jobId);
      // Workspace admins may use it anywhere.
      expect(
        refusalOf(await stack.command("admin-ada", "/ask", "Repeat exactly:\nAdmin.", general)),
      ).toBeUndefined();
    } finally {
      expect(await settings("channels everywhere")).toContain("Channels: every channel");
    }
  });

  it("limits a command to user groups; others are told which", async () => {
    const artists = stack.fake.addUserGroup(stack.teamId, {
      handle: "artists",
      userIds: [stack.member("pia")],
    });
    expect(await settings(`groups imagine add <!subteam^${artists}|@artists>`)).toContain(
      `/imagine: user groups <!subteam^${artists}>`,
    );
    try {
      expect(refusalOf(await stack.command("mo", "/imagine", "a fox"))).toBe(
        `In this workspace, /imagine is for <!subteam^${artists}> only.`,
      );
      const member = await stack.command("pia", "/imagine", "a fox");
      expect(refusalOf(member)).toBeUndefined();
      expect((await stack.finished(member.jobId)).status).toBe("succeeded");
    } finally {
      await settings("groups imagine everyone");
    }
  });

  it("lets members use only the models admins allow, defaulting to an allowed one", async () => {
    expect(await settings("models imagine nope")).toContain("No such model for /imagine");
    expect(await settings("models ask llama-3-8b")).toContain("models `llama-3-8b`");
    try {
      const asked = await stack.command("mo", "/ask", "Repeat exactly:\nSmall.");
      expect((await stack.finished(asked.jobId)).model).toBe("llama-3-8b");
      expect(await settings("models imagine sdxl")).toContain("models `sdxl`");
      expect(refusalOf(await stack.command("mo", "/imagine", "a cat --model flux-schnell"))).toBe(
        "This workspace allows only these models for /imagine: `sdxl`.",
      );
    } finally {
      await settings("models ask all");
      await settings("models imagine all");
    }
  });

  it("refuses settings to members who are not admins, explains image safety, and audits every change", async () => {
    expect(await settings("blocklist add x", "mo")).toBe("Only workspace admins and owners can use this.");
    expect(await settings("image-safety off")).toContain("Slack has no age-restricted channels");
    const shown = await settings("show");
    expect(shown).toContain("Blocklist: Replibot's default");
    expect(shown).not.toContain("Image safety");
    const tenantId = (
      await stack.database.db
        .select()
        .from(tenants)
        .where(and(eq(tenants.platform, "slack"), eq(tenants.externalId, stack.teamId)))
    )[0]!.id;
    const audit = await stack.database.db
      .select()
      .from(settingsAudit)
      .where(eq(settingsAudit.tenantId, tenantId));
    const settingsChanged = audit.map((row) => row.setting);
    expect(settingsChanged).toEqual(expect.arrayContaining(["blocklist", "channels", "roles", "models"]));
    expect(audit.every((row) => row.actorId === stack.member("admin-ada"))).toBe(true);
  });
});
