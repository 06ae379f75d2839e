import { formatSseEvent, type StreamEvent, sseOpening } from "@replibot/emulator";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { decodePredictionStream, type PredictionStreamEvent } from "./prediction-stream.ts";

const utf8 = new TextEncoder();

/** The bytes in chunks cut at the given offsets, as TCP might deliver them. */
function streamOf(bytes: Uint8Array, offsets: number[]): ReadableStream<Uint8Array> {
  const cuts = [...new Set(offsets.map((offset) => offset % (bytes.length + 1)))].sort((a, b) => a - b);
  return new ReadableStream({
    start(controller) {
      let start = 0;
      for (const cut of [...cuts, bytes.length]) {
        controller.enqueue(bytes.slice(start, cut));
        start = cut;
      }
      controller.close();
    },
  });
}

async function collect(events: AsyncIterable<PredictionStreamEvent>): Promise<PredictionStreamEvent[]> {
  const out: PredictionStreamEvent[] = [];
  for await (const event of events) out.push(event);
  return out;
}

/**
 * What the emulator's framing promises to carry: the text itself, except that `\r\n` arrives as `\n`
 * and a lone `\r` is dropped (SSE reads both as line ends), and a lone surrogate, which UTF-8 cannot
 * carry, arrives as U+FFFD.
 */
const carried = (text: string) => text.replace(/\r\n/g, "\n").replace(/\r/g, "").toWellFormed();

/** Token text with what breaks framings: line ends of every kind, `data:` look-alikes, any UTF-16. */
const tokenText = fc.string({
  unit: fc.oneof(
    { weight: 3, arbitrary: fc.string({ unit: "binary", minLength: 1, maxLength: 1 }) },
    fc.constantFrom(
      "\n",
      "\r",
      "\r\n",
      "\n\n",
      " ",
      ":",
      "data: ",
      "event: done",
      "id: 9",
      "\u2028",
      "😀",
      "\uFEFF",
    ),
  ),
  maxLength: 20,
});

type Emitted = { event: "output" | "logs"; data: string };

describe("the emulator's SSE framing, read by decodePredictionStream", () => {
  it("reads back what was framed, for any tokens, logs and error, wherever the bytes are cut", async () => {
    const emitted = fc.array(
      fc.oneof(
        { weight: 4, arbitrary: tokenText.map((data): Emitted => ({ event: "output", data })) },
        tokenText.map((data): Emitted => ({ event: "logs", data })),
      ),
      { maxLength: 15 },
    );
    const ending = fc.option(tokenText, { nil: undefined });
    await fc.assert(
      fc.asyncProperty(
        emitted,
        ending,
        fc.array(fc.nat(), { maxLength: 20 }),
        async (events, failure, offsets) => {
          const framed: StreamEvent[] = events.map((e, index) => ({ ...e, id: `1728065255:${index}` }));
          if (failure !== undefined)
            framed.push({ event: "error", id: "1728065255:e", data: JSON.stringify({ detail: failure }) });
          const doneData = failure === undefined ? "{}" : JSON.stringify({ reason: "error" });
          framed.push({ event: "done", id: "1728065255:d", data: doneData });
          const bytes = utf8.encode(sseOpening + framed.map(formatSseEvent).join(""));

          const read = await collect(decodePredictionStream(streamOf(bytes, offsets)));
          const expected: PredictionStreamEvent[] = events.map((e, index) => ({
            type: e.event,
            id: `1728065255:${index}`,
            text: carried(e.data),
          }));
          if (failure !== undefined)
            expected.push(
              { type: "error", id: "1728065255:e", message: failure },
              {
                type: "done",
                id: "1728065255:d",
                reason: "error",
              },
            );
          else expected.push({ type: "done", id: "1728065255:d" });
          expect(read).toEqual(expected);
        },
      ),
    );
  });

  it("keeps an answer's text exact when its tokens hold no carriage return or lone surrogate", async () => {
    const wellFormed = fc.string({ unit: "grapheme", maxLength: 12 }).map((t) => t.replaceAll("\r", ""));
    await fc.assert(
      fc.asyncProperty(fc.array(wellFormed, { maxLength: 20 }), async (tokens) => {
        const framed = tokens.map((data, index) =>
          formatSseEvent({ event: "output", id: `1:${index}`, data }),
        );
        const done = formatSseEvent({ event: "done", id: "1:d", data: "{}" });
        const bytes = utf8.encode(sseOpening + framed.join("") + done);
        const read = await collect(decodePredictionStream(streamOf(bytes, [])));
        const texts = read.flatMap((event) => (event.type === "output" ? [event.text] : []));
        expect(texts).toEqual(tokens);
      }),
    );
  });
});
