import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { AppError } from "@replibot/core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { postToResponseUrl } from "./slack-response-url.ts";

let server: Server;
let origin: string;
const received: { path: string; type: string; body: unknown }[] = [];

beforeAll(async () => {
  server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on("data", (chunk: Buffer) => chunks.push(chunk));
    request.on("end", () => {
      const path = request.url ?? "";
      received.push({
        path,
        type: request.headers["content-type"] ?? "",
        body: JSON.parse(Buffer.concat(chunks).toString("utf8")),
      });
      if (path.includes("expired")) response.writeHead(404).end("expired_url");
      else if (path.includes("echo")) response.writeHead(500).end(`error at ${origin}${path}`);
      else if (path.includes("slow")) setTimeout(() => response.writeHead(200).end("ok"), 1_000);
      else response.writeHead(200).end("ok");
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

async function failure(promise: Promise<unknown>): Promise<AppError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(AppError);
  return error as AppError;
}

describe("postToResponseUrl", () => {
  it("POSTs JSON visible in the channel: mrkdwn text and section blocks, replacing or not", async () => {
    await postToResponseUrl(`${origin}/response/a-secret`, { text: "**Hi** <!channel>" }, true);
    await postToResponseUrl(`${origin}/response/a-secret`, { text: "more" }, false);
    const [first, second] = received.slice(-2);
    expect(first?.type).toBe("application/json");
    expect(first?.body).toEqual({
      response_type: "in_channel",
      replace_original: true,
      text: "*Hi* &lt;!channel&gt;",
      blocks: [{ type: "section", text: { type: "mrkdwn", text: "*Hi* &lt;!channel&gt;", verbatim: true } }],
    });
    expect(second?.body).toMatchObject({ replace_original: false, text: "more" });
  });

  it("fails on a refusal with an AppError that never names the URL", async () => {
    const expired = await failure(
      postToResponseUrl(`${origin}/response/expired-secret`, { text: "x" }, true),
    );
    expect(expired.code).toBe("upstream_error");
    expect(expired.message).toContain("404 expired_url");
    expect(expired.message).not.toContain("secret");
    const echoed = await failure(postToResponseUrl(`${origin}/response/echo-secret`, { text: "x" }, true));
    expect(echoed.message).toContain("500");
    expect(echoed.message).not.toContain("secret");
    expect(echoed.message).not.toContain(origin);
  });

  it("gives up after its timeout, and an unreachable URL fails without naming it", async () => {
    const slow = await failure(
      postToResponseUrl(`${origin}/response/slow-secret`, { text: "x" }, true, { timeoutMs: 100 }),
    );
    expect(slow.message).toContain("timed out");
    expect(slow.message).not.toContain("secret");
    const unreachable = await failure(
      postToResponseUrl("http://127.0.0.1:1/response/closed-secret", { text: "x" }, true),
    );
    expect(unreachable.message).not.toContain("secret");
    expect(unreachable.cause).toBeUndefined();
  });
});
