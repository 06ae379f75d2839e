import { describe, expect, it } from "vitest";
import { formatSseEvent } from "./sse-format.ts";
import { createStreamHub } from "./stream-hub.ts";

const readAll = async (stream: ReadableStream<Uint8Array>) => new Response(stream).text();

describe("SSE framing", () => {
  it("writes the contract's worked example byte for byte", async () => {
    const hub = createStreamHub();
    hub.open("t", 1_728_065_255_000);
    for (const token of ["\n\n", "Fuzzy", ", gentle", " soul\n", ""]) hub.publish("t", "output", token);
    hub.publish("t", "done", "{}");
    const body = await readAll(hub.subscribe("t", null)!);
    expect(body).toBe(
      [
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
      ].join("\n"),
    );
  });

  it("turns \\r\\n into \\n and drops a lone \\r", () => {
    expect(formatSseEvent({ event: "output", id: "1:0", data: "a\r\nb\rc" })).toBe(
      "event: output\nid: 1:0\ndata: a\ndata: bc\n\n",
    );
  });

  it("replays only the events after Last-Event-ID, then streams live ones until done", async () => {
    const hub = createStreamHub();
    hub.open("t", 1_000);
    hub.publish("t", "output", "one");
    hub.publish("t", "output", "two");
    const stream = hub.subscribe("t", "1:0")!;
    hub.publish("t", "output", "three");
    hub.publish("t", "done", "{}");
    hub.publish("t", "output", "after done is ignored");
    expect(await readAll(stream)).toBe(
      ": hi\n\nevent: output\nid: 1:1\ndata: two\n\nevent: output\nid: 1:2\ndata: three\n\nevent: done\nid: 1:3\ndata: {}\n\n",
    );
  });
});
