import { parseBuffer } from "music-metadata";
import { describe, expect, it } from "vitest";
import { readAudioInfo } from "../models/audio-info.ts";
import { makeM4a } from "./m4a.ts";

interface Box {
  type: string;
  start: number;
  end: number;
  children: Box[];
}

// Boxes that hold boxes after a fixed prefix (a FullBox header, an entry count, sample entry fields), so the walk reaches
// every box the maker writes and checks that each size nests exactly inside its parent.
const containers: Record<string, number> = {
  moov: 0,
  trak: 0,
  mdia: 0,
  minf: 0,
  stbl: 0,
  dinf: 0,
  udta: 0,
  ilst: 0,
  "----": 0,
  meta: 4,
  stsd: 8,
  mp4a: 28, // SampleEntry and AudioSampleEntry fields come before esds
  dref: 8,
};

const walk = (bytes: Buffer, start: number, end: number): Box[] => {
  const boxes: Box[] = [];
  for (let at = start; at < end; ) {
    const size = bytes.readUInt32BE(at);
    const type = bytes.toString("latin1", at + 4, at + 8);
    expect(size, `${type} at ${at}`).toBeGreaterThanOrEqual(8);
    expect(at + size, `${type} at ${at}`).toBeLessThanOrEqual(end);
    const skip = containers[type];
    const children = skip === undefined ? [] : walk(bytes, at + 8 + skip, at + size);
    boxes.push({ type, start: at, end: at + size, children });
    at += size;
  }
  return boxes;
};

const find = (boxes: Box[], path: string): Box => {
  const [head, ...rest] = path.split("/");
  const box = boxes.find((b) => b.type === head);
  if (!box) throw new Error(`no ${head} box`);
  return rest.length === 0 ? box : find(box.children, rest.join("/"));
};

describe("makeM4a", () => {
  it.each([
    [0.01, 16_000],
    [2.5, 44_100],
    [7.3, 48_000],
    [61.37, 22_050],
  ])("lasts %s s at %s Hz as music-metadata reads it", async (durationSeconds, sampleRate) => {
    const bytes = makeM4a({ durationSeconds, sampleRate, transcript: "Hi." });
    const { format } = await parseBuffer(bytes, { mimeType: "audio/mp4" }, { duration: true });
    expect(format.duration).toBeCloseTo(durationSeconds, 2);
    expect(Math.abs((format.duration ?? 0) - durationSeconds)).toBeLessThan(0.05);
    expect(format).toMatchObject({ container: "M4A/mp42/isom", codec: "MPEG-4/AAC", sampleRate });
    expect(format.numberOfChannels).toBe(1);
  });

  it("carries the transcript as a ----:com.apple.iTunes:TRANSCRIPT freeform atom by default", async () => {
    const bytes = makeM4a({ durationSeconds: 3.25, transcript: "Café at noon? Sure — see you." });
    const metadata = await parseBuffer(bytes, { mimeType: "audio/mp4" });
    expect(metadata.native.iTunes).toEqual([
      { id: "----:com.apple.iTunes:TRANSCRIPT", value: "Café at noon? Sure — see you." },
    ]);
    expect(await readAudioInfo(bytes, "audio/mp4")).toEqual({
      durationSeconds: 3.25,
      transcript: "Café at noon? Sure — see you.",
    });
  });

  it("can carry it as a ©cmt comment instead, which readAudioInfo also reads", async () => {
    const bytes = makeM4a({ durationSeconds: 1, transcript: "Call me back.", transcriptAtom: "©cmt" });
    const metadata = await parseBuffer(bytes, { mimeType: "audio/mp4" });
    expect(metadata.native.iTunes).toEqual([{ id: "©cmt", value: "TRANSCRIPT=Call me back." }]);
    expect((await readAudioInfo(bytes, "audio/mp4")).transcript).toBe("Call me back.");
  });

  it("is recognised without a content type, and has no tag when no transcript is given", async () => {
    const bytes = makeM4a({ durationSeconds: 4 });
    expect(await readAudioInfo(bytes, null)).toEqual({ durationSeconds: 4, transcript: null });
    expect(walk(Buffer.from(bytes), 0, bytes.length).map((b) => b.type)).toEqual(["ftyp", "moov", "mdat"]);
    expect(find(walk(Buffer.from(bytes), 0, bytes.length), "moov").children.map((b) => b.type)).toEqual([
      "mvhd",
      "trak",
    ]);
  });

  it("is a consistent ISO BMFF file: nested sizes, sample tables adding up, stco pointing into mdat", () => {
    const sampleRate = 44_100;
    const bytes = Buffer.from(makeM4a({ durationSeconds: 5.5, sampleRate, transcript: "x" }));
    const boxes = walk(bytes, 0, bytes.length);
    expect(boxes.map((b) => b.type)).toEqual(["ftyp", "moov", "mdat"]);
    expect(boxes.at(-1)?.end).toBe(bytes.length);
    const stbl = find(boxes, "moov/trak/mdia/minf/stbl");
    expect(stbl.children.map((b) => b.type)).toEqual(["stsd", "stts", "stsc", "stsz", "stco"]);
    expect(find(stbl.children, "stsd/mp4a").children.map((b) => b.type)).toEqual(["esds"]);
    expect(find(boxes, "moov/udta/meta/ilst/----").children.map((b) => b.type)).toEqual([
      "mean",
      "name",
      "data",
    ]);
    const body = (path: string) => find(boxes, path).start + 8;
    const hdlr = body("moov/trak/mdia/hdlr");
    expect(bytes.toString("latin1", hdlr + 8, hdlr + 12)).toBe("soun");
    const mdhd = body("moov/trak/mdia/mdhd");
    expect(bytes.readUInt32BE(mdhd + 12)).toBe(sampleRate);
    const mediaSamples = bytes.readUInt32BE(mdhd + 16);
    expect(mediaSamples).toBe(5.5 * sampleRate);
    // stts: the per-sample durations sum to mdhd's duration.
    const stts = body("moov/trak/mdia/minf/stbl/stts");
    let sttsTotal = 0;
    let sampleCount = 0;
    for (let i = 0; i < bytes.readUInt32BE(stts + 4); i++) {
      const count = bytes.readUInt32BE(stts + 8 + 8 * i);
      sampleCount += count;
      sttsTotal += count * bytes.readUInt32BE(stts + 12 + 8 * i);
    }
    expect(sttsTotal).toBe(mediaSamples);
    // stsz (one size for all) and stco (one chunk) describe exactly the mdat payload.
    const stsz = body("moov/trak/mdia/minf/stbl/stsz");
    expect(bytes.readUInt32BE(stsz + 8)).toBe(sampleCount);
    const mdat = find(boxes, "mdat");
    expect(bytes.readUInt32BE(stsz + 4) * sampleCount).toBe(mdat.end - mdat.start - 8);
    const stco = body("moov/trak/mdia/minf/stbl/stco");
    expect([bytes.readUInt32BE(stco + 4), bytes.readUInt32BE(stco + 8)]).toEqual([1, mdat.start + 8]);
  });

  it("refuses a sample rate AAC has no index for", () => {
    expect(() => makeM4a({ durationSeconds: 1, sampleRate: 12_345 })).toThrow(RangeError);
  });
});
