import { Hono } from "hono";
import { toFileJson } from "../file-store.ts";
import { paginate } from "../pagination.ts";
import { problemResponse } from "../problem.ts";
import type { EmulatorServices } from "../services.ts";

const fileNotFound = () => problemResponse({ title: "Not found", detail: "File not found", status: 404 });

/** Reads the body, giving up as soon as it passes `limit` bytes (null then). */
async function readLimited(
  body: ReadableStream<Uint8Array> | null,
  limit: number,
): Promise<Uint8Array<ArrayBuffer> | null> {
  if (!body) return new Uint8Array();
  const reader = body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.length;
    if (total > limit) {
      await reader.cancel().catch(() => undefined);
      return null;
    }
    chunks.push(value);
  }
  return new Uint8Array(Buffer.concat(chunks));
}

const parseMetadata = async (
  part: FormDataEntryValue | null,
): Promise<Record<string, unknown> | "invalid"> => {
  if (part === null) return {};
  const text = typeof part === "string" ? part : await part.text();
  try {
    const value: unknown = JSON.parse(text);
    return value && typeof value === "object" && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : "invalid";
  } catch {
    return "invalid";
  }
};

/** Files API routes under `/v1`. */
export function fileRoutes(services: EmulatorServices): Hono {
  const { files, urls, options } = services;
  const app = new Hono();
  const limitMiB = Math.round(options.maxFileSizeBytes / 1024 / 1024);
  const tooLarge = () =>
    problemResponse({
      title: "Payload Too Large",
      detail: `Files must be less than ${limitMiB}MB in size`,
      status: 413,
    });

  app.post("/files", async (c) => {
    const declared = Number(c.req.header("content-length") ?? "0");
    // Multipart framing adds a little; the content part itself is checked exactly below.
    if (declared > options.maxFileSizeBytes + 64 * 1024) return tooLarge();
    const raw = await readLimited(c.req.raw.body, options.maxFileSizeBytes + 64 * 1024);
    if (!raw) return tooLarge();
    let form: FormData;
    try {
      form = await new Response(raw, {
        headers: { "content-type": c.req.header("content-type") ?? "" },
      }).formData();
    } catch {
      return problemResponse({
        title: "Invalid request",
        detail: "Expected a multipart/form-data body",
        status: 400,
      });
    }
    const content = form.get("content");
    if (content === null || typeof content === "string") {
      return problemResponse({
        title: "Input validation failed",
        detail: "- content: content is required\n",
        status: 422,
        invalid_fields: [{ type: "required", field: "content", description: "content is required" }],
      });
    }
    if (content.size > options.maxFileSizeBytes) return tooLarge();
    const metadata = await parseMetadata(form.get("metadata"));
    if (metadata === "invalid") {
      return problemResponse({
        title: "Invalid request",
        detail: "metadata must be a JSON object",
        status: 422,
      });
    }
    const filename = form.get("filename");
    const type = form.get("type");
    const file = files.create({
      bytes: new Uint8Array(await content.arrayBuffer()),
      name: typeof filename === "string" && filename !== "" ? filename : content.name || "file",
      contentType:
        typeof type === "string" && type !== "" ? type : content.type || "application/octet-stream",
      metadata,
    });
    return c.json(toFileJson(file, urls), 201);
  });

  app.get("/files", (c) => {
    const page = paginate(files.list(), c.req.query("cursor"), options.pageSize, (cursor) => {
      return `${urls.baseUrl}/files?cursor=${cursor}`;
    });
    return c.json({ ...page, results: page.results.map((file) => toFileJson(file, urls)) });
  });

  app.get("/files/:id", (c) => {
    const file = files.get(c.req.param("id"));
    return file ? c.json(toFileJson(file, urls)) : fileNotFound();
  });

  app.delete("/files/:id", (c) => (files.delete(c.req.param("id")) ? c.body(null, 204) : fileNotFound()));

  return app;
}
