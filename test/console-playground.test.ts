import { formatUsd } from "@replibot/core";
import { getTenant, periodOf, setTenantLimit, spendReport, upsertTenant } from "@replibot/db";
import { makeOggOpus } from "@replibot/emulator";
import type { Browser, Locator, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { launchBrowser, screenshot } from "./helpers/browser.ts";
import { type ConsoleStack, startConsoleStack } from "./helpers/console-stack.ts";
import { eventually } from "./helpers/pipeline.ts";

/** What the page's POSTs answer. */
interface Posted {
  ok: boolean;
  jobId?: string;
  reason?: string;
}

/** The streamed texts a page saw in its newest bot message, recorded in the page as they change. */
interface SeenWindow {
  __seen: string[];
}

/** `expect.poll` with room for a whole job (its default gives up after a second). */
const poll = <T>(read: () => T | Promise<T>) => expect.poll(read, { timeout: 20_000, interval: 50 });

let stack: ConsoleStack;
let browser: Browser;
let page: Page;

beforeAll(async () => {
  stack = await startConsoleStack({
    label: "console-playground",
    emulator: { tokensPerSecond: 40, imageStepMs: 10 },
  });
  browser = await launchBrowser();
  page = await browser.newPage({ viewport: { width: 960, height: 900 } });
  await page.goto(`${stack.origin}/console`);
  await page.waitForSelector("html[data-stream=open]");
});

afterAll(async () => {
  await browser?.close();
  await stack?.close();
});

/** Types a line into the page's command bar and sends it with Enter; returns what the console answered. */
async function send(line: string, path = "/console/playground/commands"): Promise<Posted> {
  const answered = page.waitForResponse((response) => response.url().endsWith(path));
  await page.fill("#line", line);
  await page.press("#line", "Enter");
  return (await (await answered).json()) as Posted;
}

/** The newest top-level bot message in the conversation. */
const lastBotMessage = (): Locator => page.locator("#log > article.msg.bot").last();

/** The first paragraph of a message: the answer itself, without the footer line under it. */
const answerOf = (message: Locator) => message.locator(".text p").first();

/** The newest bot message, once its final state (the footer line) is shown. */
async function finalMessage(): Promise<Locator> {
  const message = lastBotMessage();
  await message.locator(".text p.small").waitFor();
  return message;
}

describe("the console's playground, in Chromium, through the whole pipeline", () => {
  it("serves /healthz and reports the console's heartbeat to the deployment's /healthz", async () => {
    const own = await fetch(`${stack.origin}/healthz`);
    expect(own.status).toBe(200);
    expect(await own.json()).toEqual({ ok: true, database: "up", redis: "up", events: "up" });
    const deployment = await eventually(async () => {
      const report = (await (await fetch(`${stack.webhooks.url}/healthz`)).json()) as {
        ok: boolean;
        processes: { app: string; healthy: boolean }[];
      };
      return report.processes.some((p) => p.app === "console") ? report : undefined;
    });
    expect(deployment.processes.find((p) => p.app === "console")?.healthy).toBe(true);
  });

  it("/ask streams the answer into one message, which grows and then reads exactly the model's output", async () => {
    await page.evaluate(() => {
      const seen: string[] = [];
      (window as unknown as SeenWindow).__seen = seen;
      const log = document.getElementById("log") as HTMLElement;
      new MutationObserver(() => {
        const bots = log.querySelectorAll(":scope > article.msg.bot");
        const text = bots[bots.length - 1]?.querySelector(".text p")?.textContent;
        if (text && seen.at(-1) !== text) seen.push(text);
      }).observe(log, { childList: true, subtree: true, characterData: true });
    });
    const posted = await send(
      "/ask Repeat exactly 16 times:\nThe playground streams this answer word by word. ",
    );
    expect(posted).toMatchObject({ ok: true });
    const job = await stack.finished(posted.jobId ?? "");
    expect(job.status).toBe("succeeded");
    const expected = stack.answerOf(job);
    expect(expected.length).toBeGreaterThan(500);

    const message = await finalMessage();
    expect(await answerOf(message).textContent()).toBe(expected);
    // The visitor's own line is above the answer, as the command is on Discord.
    await poll(() => page.locator("#log > article.msg.visitor").last().textContent()).toContain(
      "/ask Repeat exactly 16 times:",
    );
    const seen = await page.evaluate(() => (window as unknown as SeenWindow).__seen);
    const interim = seen
      .filter((text) => text !== "Thinking…" && !text.startsWith("Queued:") && text !== expected)
      .map((text) => text.replace(/ ▌$/, ""));
    expect(interim.length).toBeGreaterThanOrEqual(3);
    for (const [i, text] of interim.entries()) {
      expect(expected.startsWith(text)).toBe(true);
      if (i > 0) expect(text.length).toBeGreaterThan(interim[i - 1]?.length ?? 0);
    }
    await screenshot(page, "console-ask");
  });

  it("Cancel under a streaming answer stops it, and the message says so", async () => {
    const posted = await send("/ask Repeat exactly 300 times:\nThis answer is long enough to cancel. ");
    expect(posted.ok).toBe(true);
    const message = lastBotMessage();
    // Cancel once the answer is streaming (a prediction is running), not while it is still queued.
    await poll(() => answerOf(message).textContent()).toContain("This answer");
    await message.getByRole("button", { name: "Cancel" }).click();
    const job = await stack.finished(posted.jobId ?? "");
    expect(job.status).toBe("canceled");
    await poll(() => message.textContent()).toContain("Cancelled");
    await poll(() => message.getByRole("button", { name: "Cancel" }).count()).toBe(0);
  });

  it("/imagine shows the image, at the size the model made for the aspect ratio asked", async () => {
    const posted = await send("/imagine a red fox in fresh snow --ar 16:9");
    expect(posted).toMatchObject({ ok: true });
    const job = await stack.finished(posted.jobId ?? "");
    expect(job.status).toBe("succeeded");
    const message = lastBotMessage();
    const image = message.locator("img");
    await image.waitFor();
    const size = await eventually(() =>
      image.evaluate((img: HTMLImageElement) =>
        img.complete && img.naturalWidth > 0
          ? { width: img.naturalWidth, height: img.naturalHeight }
          : undefined,
      ),
    );
    // FLUX.1 [schnell] at one megapixel, 16:9 on its 64-pixel grid (the emulator's fluxDimensions).
    expect(size).toEqual({ width: 1344, height: 768 });
    await poll(() => message.getByRole("button", { name: "Regenerate" }).count()).toBe(1);
    await screenshot(page, "console-imagine");
    // Regenerate: the same prompt and size, a new seed, as a new job of this visitor.
    const regenerated = page.waitForResponse((r) => r.url().endsWith("/console/playground/buttons"));
    await message.getByRole("button", { name: "Regenerate" }).click();
    const again = (await (await regenerated).json()) as Posted;
    expect(again).toMatchObject({ ok: true });
    expect((await stack.finished(again.jobId ?? "")).parentJobId).toBe(job.id);
    await poll(() => lastBotMessage().locator("img").count()).toBe(1);
    await poll(() => page.locator("#log img").count()).toBe(2);
  });

  it("an uploaded voice note is transcribed in a thread under it", async () => {
    const transcript = "Hello from the playground, this is a voice note.";
    const answered = page.waitForResponse((response) => response.url().endsWith("/console/playground/voice"));
    await page.setInputFiles("#audio", {
      name: "voice-note.ogg",
      mimeType: "audio/ogg",
      buffer: Buffer.from(makeOggOpus({ durationSeconds: 3, transcript })),
    });
    const posted = (await (await answered).json()) as Posted;
    expect(posted).toMatchObject({ ok: true });
    const job = await stack.finished(posted.jobId ?? "");
    expect(job.status).toBe("succeeded");
    const note = page.locator("#log > article.msg.visitor").last();
    await poll(() => note.locator(":scope > .files audio").count()).toBe(1);
    const reply = note.locator(":scope > .thread > article.msg.bot");
    await poll(() => reply.textContent()).toContain(transcript);
    await poll(() => reply.count()).toBe(1);
    await screenshot(page, "console-voice");
  });

  it("bad input gets a clear reason and queues nothing", async () => {
    const before = await page.locator("#log article.msg").count();
    const unknown = await send("/dance like nobody is watching");
    expect(unknown.reason).toContain("`/dance` is not a command here");
    await poll(() => page.locator("#error").textContent()).toContain("/dance is not a command here");
    expect((await send("/ask   ")).reason).toBe("Your prompt is empty: type a question after `/ask`.");
    await poll(() => page.locator("#error").textContent()).toContain("Your prompt is empty");
    expect((await send(`/ask ${"a".repeat(4_001)}`)).reason).toContain("keep it under 4,000 characters");
    expect((await send("/imagine a cat --ar 5:4")).reason).toContain("The option `--ar` is not right");
    expect((await send("hello there")).reason).toContain("Type a command");
    await screenshot(page, "console-errors");
    expect(await page.locator("#log article.msg").count()).toBe(before);
  });

  it("HTML in a prompt is shown as text, in the question and in the answer", async () => {
    const html = `<img src="x" onerror="document.title='pwned'"><b>bold?</b><script>document.title='pwned'</script>`;
    const posted = await send(`/ask Repeat exactly:\n${html}`);
    expect(posted.ok).toBe(true);
    const job = await stack.finished(posted.jobId ?? "");
    const message = await finalMessage();
    expect(await answerOf(message).textContent()).toBe(stack.answerOf(job));
    expect(stack.answerOf(job)).toContain("<b>bold?</b>");
    await poll(() => page.locator("#log > article.msg.visitor").last().textContent()).toContain(
      '<img src="x" onerror=',
    );
    // The only images are the two /imagine made; no element came from the prompt.
    expect(await page.locator("#log img").count()).toBe(2);
    expect(await page.locator("#log b, #log script").count()).toBe(0);
    expect(await page.title()).not.toContain("pwned");
  });

  it("/spend shows the demo tenant's month with the amount the ledger holds", async () => {
    const posted = await send("/spend");
    expect(posted.ok).toBe(true);
    const tenant = await upsertTenant(stack.database.db, "console", "demo");
    const report = await spendReport(stack.database.db, tenant.id, periodOf(new Date()));
    expect(report.spentNanos).toBeGreaterThan(0n);
    expect(report.heldNanos).toBe(0n);
    const message = lastBotMessage();
    await poll(() => message.textContent()).toContain("Spend this month");
    const text = (await message.textContent()) ?? "";
    expect(text).toContain(`${formatUsd(report.spentNanos)} of $0.50`);
    expect(text).toContain("you ");
    await screenshot(page, "console-spend");
  });

  it("holds the demo tenant at CONSOLE_DEMO_LIMIT_USD or below, and refuses past its limit without a charge", async () => {
    const tenant = await upsertTenant(stack.database.db, "console", "demo");
    // An admin raised it past the setting: the next request puts it back.
    await setTenantLimit(stack.database.db, tenant.id, 5_000_000_000n);
    expect((await send("/spend")).ok).toBe(true);
    expect((await getTenant(stack.database.db, tenant.id))?.monthlyLimitNanos).toBe(500_000_000n);
    // Lowered below what is spent: the worker refuses at admission, as on every platform.
    await setTenantLimit(stack.database.db, tenant.id, 1n);
    const posted = await send("/ask Repeat exactly:\nToo expensive now.");
    expect(posted.ok).toBe(true);
    const job = await stack.finished(posted.jobId ?? "");
    expect(job.predictionId).toBeNull();
    await poll(() => lastBotMessage().textContent()).toContain(
      "This playground has reached its monthly spend limit of $0.000000001",
    );
    await setTenantLimit(stack.database.db, tenant.id, null);
  });

  it("gives each browser its own conversation, by an HttpOnly, SameSite=Strict cookie", async () => {
    const response = await fetch(`${stack.origin}/console`);
    expect(response.status).toBe(200);
    const cookie = response.headers.get("set-cookie") ?? "";
    expect(cookie).toMatch(/^replibot_playground=[\w-]{32};/);
    expect(cookie).toContain("HttpOnly");
    expect(cookie).toContain("SameSite=Strict");
    expect(cookie).toContain("Path=/console");
    const other = await browser.newPage();
    await other.goto(`${stack.origin}/console`);
    await other.waitForSelector("html[data-stream=open]");
    expect(await other.locator("#log article.msg").count()).toBe(0);
    expect(await page.locator("#log article.msg").count()).toBeGreaterThan(0);
    await other.close();
  });

  it("is readable on a phone: nothing wider than the screen", async () => {
    await page.setViewportSize({ width: 390, height: 844 });
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect(overflow).toBeLessThanOrEqual(0);
    await screenshot(page, "console-phone");
  });
});

describe("the playground in password mode", () => {
  const password = "a long console password";
  let secured: ConsoleStack;

  beforeAll(async () => {
    secured = await startConsoleStack({ label: "console-playground-password", adminPassword: password });
  });

  afterAll(async () => {
    await secured?.close();
  });

  it("needs a session for the page and its stream, while the worker still fetches voice notes without one", async () => {
    expect(secured.access.mode).toBe("password");
    const stream = await fetch(`${secured.origin}/console/playground/events`);
    expect(stream.status).toBe(401);
    const signedIn = await browser.newPage();
    try {
      await signedIn.goto(`${secured.origin}/console`);
      expect(new URL(signedIn.url()).pathname).toBe("/console/login");
      await signedIn.fill("#password", password);
      await signedIn.click("button[type=submit]");
      await signedIn.waitForSelector("html[data-stream=open]");
      const transcript = "Signed in and transcribed.";
      const answered = signedIn.waitForResponse((r) => r.url().endsWith("/console/playground/voice"));
      await signedIn.setInputFiles("#audio", {
        name: "note.ogg",
        mimeType: "audio/ogg",
        buffer: Buffer.from(makeOggOpus({ durationSeconds: 2, transcript })),
      });
      const posted = (await (await answered).json()) as Posted;
      expect(posted).toMatchObject({ ok: true });
      expect((await secured.finished(posted.jobId ?? "")).status).toBe("succeeded");
      const reply = signedIn.locator("#log > article.msg.visitor .thread article.msg.bot");
      await poll(() => reply.textContent()).toContain(transcript);
      await poll(() => signedIn.getByRole("button", { name: "Sign out" }).count()).toBe(1);
    } finally {
      await signedIn.close();
    }
  });
});
