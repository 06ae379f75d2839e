import { opusHead, silentFrame } from "./ogg-opus.ts";

/** Options for {@link makeWebm}. */
export interface WebmOptions {
  durationSeconds: number;
  /** Written as the Matroska SimpleTag `TRANSCRIPT`. */
  transcript?: string;
  /** More SimpleTags, e.g. `{ TITLE: "Voice clip" }`. */
  tags?: Record<string, string>;
  /** Default 312 samples at 48 kHz, what libopus writes; stored as the track's CodecDelay. */
  preSkip?: number;
}

const samplesPerFrame = 960; // 20 ms at 48 kHz
const framesPerCluster = 250; // 5 s, well inside a block's signed 16-bit millisecond offset
const samplesPerMs = 48; // block timestamps are in 1 ms ticks (TimestampScale 1000000)
const nsPerSample = 1e9 / 48_000;

// Matroska element ids, with their length-marker bits, as the spec writes them.
const id = {
  ebml: 0x1a45dfa3,
  ebmlVersion: 0x4286,
  ebmlReadVersion: 0x42f7,
  ebmlMaxIdLength: 0x42f2,
  ebmlMaxSizeLength: 0x42f3,
  docType: 0x4282,
  docTypeVersion: 0x4287,
  docTypeReadVersion: 0x4285,
  segment: 0x18538067,
  info: 0x1549a966,
  timestampScale: 0x2ad7b1,
  duration: 0x4489,
  muxingApp: 0x4d80,
  writingApp: 0x5741,
  tracks: 0x1654ae6b,
  trackEntry: 0xae,
  trackNumber: 0xd7,
  trackUid: 0x73c5,
  trackType: 0x83,
  flagLacing: 0x9c,
  codecId: 0x86,
  codecPrivate: 0x63a2,
  codecDelay: 0x56aa,
  seekPreRoll: 0x56bb,
  audio: 0xe1,
  samplingFrequency: 0xb5,
  channels: 0x9f,
  cluster: 0x1f43b675,
  timestamp: 0xe7,
  simpleBlock: 0xa3,
  blockGroup: 0xa0,
  block: 0xa1,
  discardPadding: 0x75a2,
  tags: 0x1254c367,
  tag: 0x7373,
  targets: 0x63c0,
  targetTypeValue: 0x68ca,
  simpleTag: 0x67c8,
  tagName: 0x45a3,
  tagString: 0x4487,
} as const;

const bigEndian = (value: number, bytes: number): Buffer => {
  const out = Buffer.alloc(bytes);
  for (let i = bytes - 1, rest = value; i >= 0; i--, rest = Math.floor(rest / 256)) out[i] = rest % 256;
  return out;
};

// An element size is a VINT: n bytes hold 7n bits, and the all-ones value is reserved for "unknown".
const vintSize = (size: number): Buffer => {
  let width = 1;
  while (size >= 2 ** (7 * width) - 1) width++;
  const out = bigEndian(size, width);
  out[0] = (out[0] ?? 0) | (0x80 >> (width - 1));
  return out;
};

const element = (elementId: number, ...payload: Buffer[]): Buffer => {
  const body = Buffer.concat(payload);
  const idBytes = elementId > 0xffffff ? 4 : elementId > 0xffff ? 3 : elementId > 0xff ? 2 : 1;
  return Buffer.concat([bigEndian(elementId, idBytes), vintSize(body.length), body]);
};

const uint = (elementId: number, value: number): Buffer => {
  let bytes = 1;
  while (value >= 2 ** (8 * bytes)) bytes++;
  return element(elementId, bigEndian(value, bytes));
};

// Signed integers are two's complement; only non-negative values are written here, so keep the top bit clear.
const sint = (elementId: number, value: number): Buffer => {
  let bytes = 1;
  while (value >= 2 ** (8 * bytes - 1)) bytes++;
  return element(elementId, bigEndian(value, bytes));
};

const float = (elementId: number, value: number): Buffer => {
  const out = Buffer.alloc(8);
  out.writeDoubleBE(value, 0);
  return element(elementId, out);
};

const text = (elementId: number, value: string) => element(elementId, Buffer.from(value, "utf8"));

// SimpleBlock and Block share a header: track number (VINT), signed 16-bit timestamp offset, flags.
const blockBody = (offsetMs: number, flags: number): Buffer => {
  const header = Buffer.from([0x81, 0, 0, flags]);
  header.writeInt16BE(offsetMs, 1);
  return Buffer.concat([header, silentFrame]);
};

const clusters = (frames: number, paddingNs: number): Buffer[] => {
  const out: Buffer[] = [];
  for (let first = 0; first < frames; first += framesPerCluster) {
    const count = Math.min(framesPerCluster, frames - first);
    const blocks = Array.from({ length: count }, (_, i) => {
      const offsetMs = (i * samplesPerFrame) / samplesPerMs;
      const last = first + i === frames - 1;
      // The final frame runs past the end; a BlockGroup's DiscardPadding tells decoders to drop the excess.
      if (last && paddingNs > 0)
        return element(
          id.blockGroup,
          element(id.block, blockBody(offsetMs, 0)),
          sint(id.discardPadding, paddingNs),
        );
      return element(id.simpleBlock, blockBody(offsetMs, 0x80)); // 0x80: keyframe
    });
    out.push(element(id.cluster, uint(id.timestamp, (first * samplesPerFrame) / samplesPerMs), ...blocks));
  }
  return out;
};

const tagsElement = (tags: Record<string, string>): Buffer[] => {
  const simpleTags = Object.entries(tags).map(([name, value]) =>
    element(id.simpleTag, text(id.tagName, name), text(id.tagString, value)),
  );
  if (simpleTags.length === 0) return [];
  // TargetTypeValue 50 (album/movie/episode) is how muxers mark tags about the whole file.
  const targets = element(id.targets, uint(id.targetTypeValue, 50));
  return [element(id.tags, element(id.tag, targets, ...simpleTags))];
};

// The Segment Info Duration is what readers report; the tags are SimpleTags in the Segment's Tags.
/** A WebM (Matroska, DocType webm) with one mono Opus track of silent 20 ms frames and optional tags. */
export function makeWebm(options: WebmOptions): Uint8Array<ArrayBuffer> {
  const preSkip = options.preSkip ?? 312;
  const totalSamples = Math.max(1, Math.round(options.durationSeconds * 48_000));
  // Decoders drop CodecDelay (the pre-skip) from the start and DiscardPadding from the end, so the frames
  // cover both and what is left is exactly the duration asked for.
  const frames = Math.ceil((preSkip + totalSamples) / samplesPerFrame);
  const paddingNs = Math.round((frames * samplesPerFrame - preSkip - totalSamples) * nsPerSample);
  const header = element(
    id.ebml,
    uint(id.ebmlVersion, 1),
    uint(id.ebmlReadVersion, 1),
    uint(id.ebmlMaxIdLength, 4),
    uint(id.ebmlMaxSizeLength, 8),
    text(id.docType, "webm"),
    uint(id.docTypeVersion, 4),
    uint(id.docTypeReadVersion, 2),
  );
  const info = element(
    id.info,
    uint(id.timestampScale, 1_000_000), // 1 ms ticks
    text(id.muxingApp, "replibot test-media"),
    text(id.writingApp, "replibot test-media"),
    float(id.duration, (totalSamples / 48_000) * 1000), // in ticks, as a float so it can be fractional
  );
  const track = element(
    id.trackEntry,
    uint(id.trackNumber, 1),
    uint(id.trackUid, 0x5245504c),
    uint(id.trackType, 2), // audio
    uint(id.flagLacing, 0),
    text(id.codecId, "A_OPUS"),
    element(id.codecPrivate, opusHead(preSkip)),
    uint(id.codecDelay, Math.round(preSkip * nsPerSample)),
    uint(id.seekPreRoll, 80_000_000), // 80 ms, what the WebM spec asks of Opus
    element(id.audio, float(id.samplingFrequency, 48_000), uint(id.channels, 1)),
  );
  const tags = { ...options.tags };
  if (options.transcript !== undefined) tags.TRANSCRIPT = options.transcript;
  const segment = element(
    id.segment,
    info,
    element(id.tracks, track),
    // Tags before the clusters: without a SeekHead, readers that stop at the first Cluster (ffmpeg) see them.
    ...tagsElement(tags),
    ...clusters(frames, paddingNs),
  );
  return new Uint8Array(Buffer.concat([header, segment]));
}
