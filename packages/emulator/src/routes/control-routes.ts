import { type Context, Hono } from "hono";
import { z } from "zod";
import type { EmulatorControl } from "../emulator-control.ts";
import { notFound, problemResponse } from "../problem.ts";

const Count = z.object({ count: z.number().int().min(0) });
const Ms = z.object({ ms: z.number().min(0) });
const FailPredictions = z.object({
  count: z.number().int().min(0).optional(),
  model: z.string().optional(),
  error: z.string().optional(),
});
const ColdStart = z.object({
  ms: z.number().min(0),
  count: z.number().int().min(0).optional(),
  model: z.string().optional(),
});
const ModelColdStart = z.object({ ms: z.number().min(0).nullable() });
const RequestFaults = z.object({
  status: z.union([z.literal(500), z.literal(429)]),
  count: z.number().int().min(1).optional(),
});

/** `/_emulator/*`: the control handle over HTTP, without auth; actions answer 204. */
export function controlRoutes(control: EmulatorControl): Hono {
  const app = new Hono();
  const clock = (c: Context) => c.json({ now: new Date(control.now()).toISOString(), now_ms: control.now() });

  /** Registers `method path` taking a JSON body checked by `schema`; 400 names what is wrong. */
  const action = <T>(
    method: "post" | "put",
    path: string,
    schema: z.ZodType<T>,
    apply: (value: T, c: Context) => Response | undefined,
  ) =>
    app[method](path, async (c) => {
      const raw: unknown = await c.req.json().catch(() => ({}));
      const parsed = schema.safeParse(raw);
      if (!parsed.success) {
        const detail = parsed.error.issues
          .map((i) => `${i.path.join(".") || "body"}: ${i.message}`)
          .join("; ");
        return problemResponse({ title: "Invalid control request", detail, status: 400 });
      }
      return apply(parsed.data, c) ?? c.body(null, 204);
    });
  const none = z.unknown();

  app.get("/predictions", (c) => c.json({ results: control.predictions() }));
  app.get("/predictions/:id", (c) => {
    const found = control.prediction(c.req.param("id"));
    return found ? c.json(found) : notFound();
  });
  app.get("/requests", (c) => c.json({ results: control.requests() }));
  app.get("/clock", clock);
  app.delete("/request-faults", (c) => {
    control.clearRequestFaults();
    return c.body(null, 204);
  });

  action("post", "/predictions/fail", FailPredictions, (v) => void control.failNextPredictions(v));
  action("post", "/webhooks/drop", Count, (v) => void control.dropNextWebhooks(v.count));
  action("post", "/webhooks/duplicate", Count, (v) => void control.duplicateNextWebhooks(v.count));
  action("post", "/webhooks/reorder", Count, (v) => void control.reorderNextWebhooks(v.count));
  action("post", "/webhooks/release", none, () => void control.releaseHeldWebhooks());
  app.post("/streams/cut", (c) => c.json({ cut: control.cutStreams() }));
  action("post", "/latency", Ms, (v) => void control.setLatency(v.ms));
  action("post", "/cold-start", ColdStart, (v) => void control.forceColdStart(v));
  action("put", "/models/:owner/:name/cold-start", ModelColdStart, (v, c) => {
    control.setModelColdStart(`${c.req.param("owner")}/${c.req.param("name")}`, v.ms);
    return undefined;
  });
  action("post", "/request-faults", RequestFaults, (v) => void control.failRequests(v));
  action("post", "/clock/advance", Ms, (v, c) => {
    control.advanceClock(v.ms);
    return clock(c);
  });
  action("post", "/reset", none, () => void control.reset());
  return app;
}
