import { isAppError } from "@replibot/core";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  decodePredictionStream,
  type PredictionStreamEvent,
  readPredictionStream,
} from "./prediction-stream.ts";

// replicate-contract.md §4.3, byte for byte (note the space after every `data:`).
const contractExample = [
  ": hi",
  "",
  "event: output",
  "id: 1728065255:0",
  "data: ",
  "data: ",
  "data: ",
  "",
  "event: output",
  "id: 1728065255:1",
  "data: Fuzzy",
  "",
  "event: output",
  "id: 1728065255:2",
  "data: , gentle",
  "",
  "event: output",
  "id: 1728065255:3",
  "data:  soul",
  "data: ",
  "",
  "event: output",
  "id: 1728065255:4",
  "data: ",
  "",
  "event: done",
  "id: 1728065255:5",
  "data: {}",
  "",
  "",
].join("\n");
const contractTokens = ["\n\n", "Fuzzy", ", gentle", " soul\n", ""];

const utf8 = new TextEncoder();

function streamOf(chunks: Uint8Array[]): ReadableStream<Uint8Array> {
  return new ReadableStream({
    start(controller) {
      for (const chunk of chunks) controller.enqueue(chunk);
      controller.close();
    },
  });
}

/** Splits `bytes` at the given offsets (any order, duplicates allowed). */
function splitAt(bytes: Uint8Array, offsets: number[]): Uint8Array[] {
  const cuts = [...new Set(offsets.map((offset) => offset % (bytes.length + 1)))].sort((a, b) => a - b);
  const chunks: Uint8Array[] = [];
  let start = 0;
  for (const cut of [...cuts, bytes.length]) {
    chunks.push(bytes.slice(start, cut));
    start = cut;
  }
  return chunks;
}

async function collect(events: AsyncIterable<PredictionStreamEvent>): Promise<PredictionStreamEvent[]> {
  const out: PredictionStreamEvent[] = [];
  for await (const event of events) out.push(event);
  return out;
}

/** Frames tokens the way the contract says a server must (one `data: ` line per text line). */
function frame(tokens: string[]): string {
  const events = tokens.map(
    (token, index) =>
      `event: output\nid: 7:${index}\n${token
        .split("\n")
        .map((line) => `data: ${line}\n`)
        .join("")}\n`,
  );
  return `: hi\n\n${events.join("")}event: done\nid: 7:${tokens.length}\ndata: {}\n\n`;
}

describe("decodePredictionStream", () => {
  it("decodes the contract's worked example to the exact tokens, ids and done", async () => {
    const events = await collect(decodePredictionStream(streamOf([utf8.encode(contractExample)])));
    expect(events).toEqual([
      ...contractTokens.map((text, index) => ({ type: "output", id: `1728065255:${index}`, text })),
      { type: "done", id: "1728065255:5" },
    ]);
  });

  it("gives the same tokens wherever the byte stream is cut", async () => {
    const bytes = utf8.encode(contractExample);
    await fc.assert(
      fc.asyncProperty(fc.array(fc.nat({ max: bytes.length }), { maxLength: 40 }), async (offsets) => {
        const events = await collect(decodePredictionStream(streamOf(splitAt(bytes, offsets))));
        const texts = events.flatMap((event) => (event.type === "output" ? [event.text] : []));
        expect(texts).toEqual(contractTokens);
        expect(events.at(-1)?.type).toBe("done");
      }),
    );
  });

  it("keeps any token exact, multi-byte characters split across chunks included", async () => {
    const token = fc.string({ unit: fc.constantFrom("a", " ", "\n", "é", "🦙", "語", ":", "data: ", "{}") });
    await fc.assert(
      fc.asyncProperty(
        fc.array(token, { maxLength: 12 }),
        fc.array(fc.nat(), { maxLength: 30 }),
        async (tokens, offsets) => {
          const bytes = utf8.encode(frame(tokens));
          const events = await collect(decodePredictionStream(streamOf(splitAt(bytes, offsets))));
          const texts = events.flatMap((event) => (event.type === "output" ? [event.text] : []));
          expect(texts).toEqual(tokens);
          expect(texts.join("")).toBe(tokens.join(""));
        },
      ),
    );
  });

  it("reports logs, errors with their detail, and the done reason", async () => {
    const text =
      "event: logs\nid: 1\ndata: loading\n\n" +
      'event: error\nid: 2\ndata: {"detail":"CUDA out of memory"}\n\n' +
      'event: done\nid: 3\ndata: {"reason":"error"}\n\n';
    expect(await collect(decodePredictionStream(streamOf([utf8.encode(text)])))).toEqual([
      { type: "logs", id: "1", text: "loading" },
      { type: "error", id: "2", message: "CUDA out of memory" },
      { type: "done", id: "3", reason: "error" },
    ]);
  });

  it("handles CRLF line endings", async () => {
    const text = "event: output\r\nid: 1\r\ndata:  hi\r\n\r\nevent: done\r\nid: 2\r\ndata: {}\r\n\r\n";
    const events = await collect(decodePredictionStream(streamOf([utf8.encode(text)])));
    expect(events[0]).toEqual({ type: "output", id: "1", text: " hi" });
  });

  it("stops reading after done, even if the server keeps the connection open", async () => {
    let cancelled = false;
    const body = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(utf8.encode("event: output\nid: 1\ndata: x\n\nevent: done\nid: 2\ndata: {}\n\n"));
      },
      cancel() {
        cancelled = true;
      },
    });
    expect(await collect(decodePredictionStream(body))).toHaveLength(2);
    expect(cancelled).toBe(true);
  });

  it("fails when the stream is cut before done", async () => {
    const body = streamOf([utf8.encode("event: output\nid: 1\ndata: half\n\n")]);
    const seen: PredictionStreamEvent[] = [];
    await expect(async () => {
      for await (const event of decodePredictionStream(body)) seen.push(event);
    }).rejects.toSatisfy((error) => isAppError(error, "upstream_error"));
    expect(seen).toEqual([{ type: "output", id: "1", text: "half" }]);
  });
});

describe("readPredictionStream", () => {
  it("asks for SSE without credentials and stops with the signal's reason when aborted", async () => {
    const controller = new AbortController();
    let seenHeaders: Headers | undefined;
    const fetch = async (_input: string | URL | Request, init?: RequestInit) => {
      seenHeaders = new Headers(init?.headers);
      const body = new ReadableStream<Uint8Array>({
        start(stream) {
          stream.enqueue(utf8.encode("event: output\nid: 1\ndata: first\n\n"));
          init?.signal?.addEventListener("abort", () => stream.error(init.signal?.reason));
        },
      });
      return new Response(body, { headers: { "content-type": "text/event-stream" } });
    };
    const reason = new Error("member pressed stop");
    const texts: string[] = [];
    await expect(async () => {
      for await (const event of readPredictionStream("http://stream.test/v1/streams/x", {
        fetch,
        signal: controller.signal,
      })) {
        if (event.type === "output") texts.push(event.text);
        controller.abort(reason);
      }
    }).rejects.toBe(reason);
    expect(texts).toEqual(["first"]);
    expect(seenHeaders?.get("accept")).toBe("text/event-stream");
    expect(seenHeaders?.has("authorization")).toBe(false);
  });

  it("turns a non-2xx stream response into an AppError", async () => {
    const fetch = async () => new Response("gone", { status: 404 });
    await expect(collect(readPredictionStream("http://stream.test/x", { fetch }))).rejects.toSatisfy(
      (error) => isAppError(error, "not_found"),
    );
  });
});
