import { readFileSync } from "node:fs";
import type { Context } from "hono";
import { Hono } from "hono";
import { bodyLimit } from "hono/body-limit";
import { signOutForm } from "../auth/index.ts";
import type { ConsoleDeps } from "../deps.ts";
import { COMMAND_LINE_MAX, playgroundText } from "./command-line.ts";
import { type CommandResult, pressButton, runCommandLine } from "./commands.ts";
import { demoTenant } from "./demo-tenant.ts";
import { eventStream } from "./events.ts";
import { PLAYGROUND_CSP, playgroundPage } from "./page.ts";
import { visitorOf } from "./visitor.ts";
import { transcribeUpload } from "./voice.ts";

/** The page's scripts, read once: small vanilla ES modules, no build step, no CDN. */
const SCRIPTS = new Map(
  ["playground.js", "render.js"].map((name) => [
    name,
    readFileSync(new URL(`./assets/${name}`, import.meta.url), "utf8"),
  ]),
);

/** Room for a multipart body's headers and boundaries around the largest voice note. */
const MULTIPART_OVERHEAD_BYTES = 64 * 1024;

function answer(c: Context, result: CommandResult) {
  return result.ok ? c.json(result, 200) : c.json(result, 400);
}

/**
 * The playground under /console: the page (GET /console), its scripts, the visitor's event stream,
 * and the command line, button presses and voice notes it posts (the access guard has already
 * refused any POST from another site). Each request's visitor is the
 * cookie's; every answer is written into their conversation and reaches the page as an event.
 */
export function playgroundRoutes(deps: ConsoleDeps): Hono {
  const app = new Hono();
  app.get("/", async (c) => {
    visitorOf(c);
    const tenant = await demoTenant(deps).catch(() => undefined);
    c.header("content-security-policy", PLAYGROUND_CSP);
    c.header("x-content-type-options", "nosniff");
    c.header("referrer-policy", "same-origin");
    return c.html(
      playgroundPage({
        limitNanos: tenant?.monthlyLimitNanos ?? deps.env.CONSOLE_DEMO_LIMIT_USD,
        replicate: deps.env.REPLICATE_API_TOKEN ? "real" : "emulator",
        maxAudioBytes: deps.env.TRANSCRIBE_MAX_BYTES,
        navEnd: signOutForm(deps),
      }),
    );
  });
  app.get("/playground/:script{[a-z]+\\.js}", (c) => {
    const script = SCRIPTS.get(c.req.param("script"));
    if (script === undefined) return c.notFound();
    return c.body(script, 200, {
      "content-type": "text/javascript; charset=utf-8",
      "cache-control": "no-cache",
    });
  });
  app.get("/playground/events", (c) => eventStream(deps, c));

  app.post(
    "/playground/commands",
    bodyLimit({
      maxSize: COMMAND_LINE_MAX * 4 + 1024,
      onError: (c) => c.json({ ok: false, reason: playgroundText.lineTooLong }, 413),
    }),
    async (c) => {
      const visitor = visitorOf(c);
      const body = await c.req.parseBody();
      const line = typeof body.line === "string" ? body.line : "";
      return answer(c, await runCommandLine(deps, visitor, line));
    },
  );
  app.post("/playground/buttons", bodyLimit({ maxSize: 4096 }), async (c) => {
    const visitor = visitorOf(c);
    const body = await c.req.parseBody();
    const id = typeof body.id === "string" ? body.id : "";
    return answer(c, await pressButton(deps, visitor, id));
  });
  app.post(
    "/playground/voice",
    bodyLimit({
      maxSize: deps.env.TRANSCRIBE_MAX_BYTES + MULTIPART_OVERHEAD_BYTES,
      onError: (c) =>
        c.json({ ok: false, reason: playgroundText.audioTooLarge(deps.env.TRANSCRIBE_MAX_BYTES) }, 413),
    }),
    async (c) => {
      const visitor = visitorOf(c);
      const body = await c.req.parseBody().catch(() => ({}) as Record<string, unknown>);
      const file = body.audio instanceof File ? body.audio : undefined;
      const result = await transcribeUpload(deps, visitor, file);
      return c.json(result, result.ok ? 200 : 400);
    },
  );
  return app;
}
