import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { downloadMemberFile } from "./audio-download.ts";

type Handler = (request: IncomingMessage, response: ServerResponse) => void;

async function serve(handler: Handler): Promise<{ server: Server; origin: string; hits: string[] }> {
  const hits: string[] = [];
  const server = createServer((request, response) => {
    hits.push(`${request.url} ${request.headers.authorization ?? "-"}`);
    handler(request, response);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return { server, origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, hits };
}

const bytes = Buffer.from("OggS fake audio bytes");
let files: Awaited<ReturnType<typeof serve>>;
let foreign: Awaited<ReturnType<typeof serve>>;

beforeAll(async () => {
  foreign = await serve((_request, response) => response.end(bytes));
  files = await serve((request, response) => {
    const url = request.url ?? "";
    if (url === "/ok") return response.writeHead(200, { "content-type": "audio/ogg" }).end(bytes);
    if (url === "/hop") return response.writeHead(302, { location: "/ok" }).end();
    if (url === "/away") return response.writeHead(302, { location: `${foreign.origin}/ok` }).end();
    if (url === "/loop") return response.writeHead(302, { location: "/loop" }).end();
    if (url === "/login")
      return response.writeHead(200, { "content-type": "text/html" }).end("<html>Sign in</html>");
    if (url === "/big") return response.writeHead(200, { "content-length": "5000" }).end(Buffer.alloc(5000));
    if (url === "/chunked-big") {
      // No Content-Length: the cap must hold while reading.
      response.writeHead(200, { "content-type": "audio/ogg" });
      for (let i = 0; i < 10; i++) response.write(Buffer.alloc(1000));
      return response.end();
    }
    response.writeHead(404).end();
  });
});
afterAll(async () => {
  for (const { server } of [files, foreign]) await new Promise((resolve) => server.close(resolve));
});

const options = () => ({
  origins: [files.origin],
  maxBytes: 2_000,
  headers: { authorization: "Bearer xoxb-secret" },
});

describe("downloadMemberFile", () => {
  it("downloads from an allowed origin with the platform's credentials, following same-host redirects", async () => {
    const result = await downloadMemberFile(`${files.origin}/hop`, options());
    expect(result).toEqual({ ok: true, bytes: new Uint8Array(bytes), contentType: "audio/ogg" });
    expect(files.hits.slice(-2)).toEqual(["/hop Bearer xoxb-secret", "/ok Bearer xoxb-secret"]);
  });

  it("refuses a URL on another origin without fetching it, and never sends it the credentials", async () => {
    const before = foreign.hits.length;
    const lookalikes = [
      `${foreign.origin}/ok`,
      `${files.origin.replace("http:", "https:")}/ok`,
      `${files.origin}@evil.example/ok`.replace("http://", "http://user:"),
      "file:///etc/passwd",
      "not a url",
    ];
    for (const url of lookalikes) {
      const result = await downloadMemberFile(url, options());
      expect(result).toMatchObject({ ok: false, code: "foreign_origin" });
    }
    expect(foreign.hits.length).toBe(before);
  });

  it("does not follow a redirect to another origin", async () => {
    const before = foreign.hits.length;
    const result = await downloadMemberFile(`${files.origin}/away`, options());
    expect(result).toEqual({
      ok: false,
      code: "foreign_origin",
      reason: "the file's link led to another host, so Replibot did not follow it",
    });
    expect(foreign.hits.length).toBe(before);
  });

  it("stops at a redirect loop, a login page, a missing file", async () => {
    expect(await downloadMemberFile(`${files.origin}/loop`, options())).toMatchObject({
      ok: false,
      reason: "the file's link redirected too many times",
    });
    expect(await downloadMemberFile(`${files.origin}/login`, options())).toMatchObject({
      ok: false,
      reason: expect.stringContaining("sent a web page instead of the file"),
    });
    expect(await downloadMemberFile(`${files.origin}/gone`, options())).toMatchObject({
      ok: false,
      reason: "the file is no longer available",
    });
  });

  it("refuses files over the cap, whether the size is declared or only seen while reading", async () => {
    for (const path of ["/big", "/chunked-big"]) {
      const result = await downloadMemberFile(`${files.origin}${path}`, options());
      expect(result).toMatchObject({ ok: false, code: "too_large" });
    }
  });
});
