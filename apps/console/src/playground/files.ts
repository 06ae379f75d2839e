import { Hono } from "hono";
import type { ConsoleDeps } from "../deps.ts";

/** Types a file is shown as; anything else is sent as a download, never rendered. */
const INLINE_TYPES = /^(image\/(png|jpeg|webp|gif)|audio\/[\w.+-]+|video\/(webm|mp4))$/;

/**
 * GET /console/files/:id: a playground file (an image the bot posted, a visitor's voice note) by
 * its unguessable id. No session: the worker fetches voice notes from here, as it fetches a
 * Discord attachment from the CDN. Never rendered as a page (nosniff, a sandboxing CSP).
 */
export function fileRoutes(deps: Pick<ConsoleDeps, "store">): Hono {
  const app = new Hono();
  app.get("/files/:id", async (c) => {
    const file = await deps.store.getFile(c.req.param("id"));
    if (!file) return c.text("This file no longer exists.", 404);
    const inline = INLINE_TYPES.test(file.contentType);
    const name = file.name.replace(/[^\w.-]/g, "_").slice(0, 100) || "file";
    return c.body(new Uint8Array(file.data), 200, {
      "content-type": inline ? file.contentType : "application/octet-stream",
      "content-length": String(file.data.byteLength),
      "content-disposition": `${inline ? "inline" : "attachment"}; filename="${name}"`,
      "x-content-type-options": "nosniff",
      "content-security-policy": "default-src 'none'; sandbox",
      "cache-control": "private, max-age=86400, immutable",
    });
  });
  return app;
}
