import { Hono } from "hono";
import { notFound, problemResponse } from "../problem.ts";
import type { EmulatorServices } from "../services.ts";

/** Routes that need no token, like Replicate's separate stream and delivery hosts: SSE and output files. */
export function publicRoutes(services: EmulatorServices): Hono {
  const app = new Hono();

  app.get("/v1/streams/:token", (c) => {
    const body = services.streams.subscribe(c.req.param("token"), c.req.header("last-event-id") ?? null);
    if (!body) return notFound("Stream not found.");
    return new Response(body, {
      status: 200,
      headers: {
        "Content-Type": "text/event-stream",
        "Cache-Control": "no-cache",
        "X-Accel-Buffering": "no",
      },
    });
  });

  app.get("/delivery/:token/:name", (c) => {
    const lookup = services.outputs.get(c.req.param("token"), c.req.param("name"));
    if (lookup.found) {
      return new Response(new Uint8Array(lookup.file.bytes), {
        headers: { "Content-Type": lookup.file.contentType, "Cache-Control": "private, max-age=3600" },
      });
    }
    if (lookup.expired)
      return problemResponse({ title: "Gone", detail: "This file has expired.", status: 410 });
    return notFound("File not found.");
  });

  return app;
}
