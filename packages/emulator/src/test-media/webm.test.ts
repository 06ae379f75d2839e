import { parseBuffer } from "music-metadata";
import { describe, expect, it } from "vitest";
import { readAudioInfo } from "../models/audio-info.ts";
import { makeWebm } from "./webm.ts";

interface Element {
  id: number;
  start: number;
  end: number;
  children: Element[];
}

// Master elements the maker writes: EBML, Segment, Info, Tracks, TrackEntry, Audio, Cluster, BlockGroup,
// Tags, Tag, Targets, SimpleTag. Everything else is a leaf.
const masters = new Set([
  0x1a45dfa3, 0x18538067, 0x1549a966, 0x1654ae6b, 0xae, 0xe1, 0x1f43b675, 0xa0, 0x1254c367, 0x7373, 0x63c0,
  0x67c8,
]);

const vint = (bytes: Buffer, at: number, keepMarker: boolean) => {
  const first = bytes[at] ?? 0;
  const width = Math.clz32(first) - 23; // leading zeros within the byte, plus one
  let value = keepMarker ? first : first & (0xff >> width);
  for (let i = 1; i < width; i++) value = value * 256 + (bytes[at + i] ?? 0);
  return { value, width };
};

// Walks EBML elements, checking that each size fits exactly inside its parent.
const walk = (bytes: Buffer, start: number, end: number): Element[] => {
  const elements: Element[] = [];
  for (let at = start; at < end; ) {
    const id = vint(bytes, at, true);
    const size = vint(bytes, at + id.width, false);
    const dataStart = at + id.width + size.width;
    expect(dataStart + size.value, `element 0x${id.value.toString(16)} at ${at}`).toBeLessThanOrEqual(end);
    const dataEnd = dataStart + size.value;
    const children = masters.has(id.value) ? walk(bytes, dataStart, dataEnd) : [];
    elements.push({ id: id.value, start: dataStart, end: dataEnd, children });
    at = dataEnd;
  }
  return elements;
};

const child = (parent: Element[], id: number): Element => {
  const found = parent.find((e) => e.id === id);
  if (!found) throw new Error(`no element 0x${id.toString(16)}`);
  return found;
};

const uintOf = (bytes: Buffer, e: Element) => bytes.readUIntBE(e.start, e.end - e.start);
const textOf = (bytes: Buffer, e: Element) => bytes.toString("utf8", e.start, e.end);

describe("makeWebm", () => {
  it.each([0.01, 2.5, 7.37, 61.25])("lasts %s s as music-metadata reads it", async (durationSeconds) => {
    const bytes = makeWebm({ durationSeconds, transcript: "Hi." });
    const { format } = await parseBuffer(bytes, { mimeType: "audio/webm" }, { duration: true });
    expect(Math.abs((format.duration ?? 0) - durationSeconds)).toBeLessThan(0.05);
    expect(format.duration).toBeCloseTo(durationSeconds, 6);
    expect(format).toMatchObject({ container: "EBML/webm", codec: "OPUS", sampleRate: 48_000 });
  });

  it("carries the transcript as a Matroska SimpleTag TRANSCRIPT, next to other tags", async () => {
    const transcript = "Ça marche! Back at 5 — promise.";
    const bytes = makeWebm({ durationSeconds: 4.5, transcript, tags: { TITLE: "Voice clip" } });
    const metadata = await parseBuffer(bytes, { mimeType: "audio/webm" });
    expect(metadata.native.matroska).toEqual(
      expect.arrayContaining([
        { id: "album:TITLE", value: "Voice clip" },
        { id: "album:TRANSCRIPT", value: transcript },
      ]),
    );
    expect(await readAudioInfo(bytes, "audio/webm")).toEqual({ durationSeconds: 4.5, transcript });
    expect(await readAudioInfo(bytes, null)).toEqual({ durationSeconds: 4.5, transcript });
  });

  it("has no transcript when none is given", async () => {
    expect(await readAudioInfo(makeWebm({ durationSeconds: 1 }), "audio/webm")).toEqual({
      durationSeconds: 1,
      transcript: null,
    });
  });

  it("is consistent Matroska: the blocks, less CodecDelay and DiscardPadding, last exactly the Duration", () => {
    const durationSeconds = 12.345;
    const bytes = Buffer.from(makeWebm({ durationSeconds, transcript: "x" }));
    const top = walk(bytes, 0, bytes.length);
    expect(top.map((e) => e.id)).toEqual([0x1a45dfa3, 0x18538067]);
    expect(textOf(bytes, child(child(top, 0x1a45dfa3).children, 0x4282))).toBe("webm");
    const segment = child(top, 0x18538067);
    expect(segment.end).toBe(bytes.length);
    const order = [...new Set(segment.children.map((e) => e.id))];
    expect(order).toEqual([0x1549a966, 0x1654ae6b, 0x1254c367, 0x1f43b675]); // Info, Tracks, Tags, Clusters
    const info = child(segment.children, 0x1549a966);
    expect(uintOf(bytes, child(info.children, 0x2ad7b1))).toBe(1_000_000);
    expect(bytes.readDoubleBE(child(info.children, 0x4489).start)).toBeCloseTo(durationSeconds * 1000, 9);
    const track = child(child(segment.children, 0x1654ae6b).children, 0xae);
    expect(textOf(bytes, child(track.children, 0x86))).toBe("A_OPUS");
    const codecPrivate = child(track.children, 0x63a2);
    expect(bytes.toString("latin1", codecPrivate.start, codecPrivate.start + 8)).toBe("OpusHead");
    const codecDelayNs = uintOf(bytes, child(track.children, 0x56aa));
    let frames = 0;
    let discardNs = 0;
    let expectedMs = 0;
    for (const cluster of segment.children.filter((e) => e.id === 0x1f43b675)) {
      const clusterMs = uintOf(bytes, child(cluster.children, 0xe7));
      for (const block of cluster.children.filter((e) => e.id !== 0xe7)) {
        const body = block.id === 0xa0 ? child(block.children, 0xa1) : block;
        if (block.id === 0xa0) discardNs += uintOf(bytes, child(block.children, 0x75a2));
        expect(bytes[body.start]).toBe(0x81); // track 1
        expect(clusterMs + bytes.readInt16BE(body.start + 1)).toBe(expectedMs);
        expectedMs += 20;
        frames++;
      }
    }
    const audibleNs = frames * 20_000_000 - codecDelayNs - discardNs;
    expect(Math.abs(audibleNs - durationSeconds * 1e9)).toBeLessThan(1000);
  });
});
