/** Options for {@link makeM4a}. */
export interface M4aOptions {
  durationSeconds: number;
  /** Written as an iTunes tag (see `transcriptAtom`). */
  transcript?: string;
  /**
   * `----` (default) writes the freeform atom `----:com.apple.iTunes:TRANSCRIPT`, as tag editors do;
   * `©cmt` writes a comment reading `TRANSCRIPT=<text>`.
   */
  transcriptAtom?: "----" | "©cmt";
  /** An AAC sampling frequency up to 48000 Hz (AudioSampleEntry keeps it as 16.16). Default 44100 Hz. */
  sampleRate?: number;
}

// AudioSpecificConfig's samplingFrequencyIndex values (ISO/IEC 14496-3, table 1.18), by rate.
const frequencyIndex: Record<number, number> = {
  48000: 3,
  44100: 4,
  32000: 5,
  24000: 6,
  22050: 7,
  16000: 8,
  12000: 9,
  11025: 10,
  8000: 11,
};

const samplesPerFrame = 1024; // every AAC-LC access unit decodes to 1024 samples
const movieTimescale = 1000;

/**
 * One silent AAC-LC raw_data_block, spelled out bit by bit: an SCE (id 0, tag 0) with global_gain 100,
 * ics_info for one long window with max_sfb 0 (so no sections, scale factors or spectral data), the
 * pulse/TNS/gain-control flags off, then END (id 7). That is exactly 32 bits: 0x00 0xc8 0x00 0x07.
 */
const silentFrame = Buffer.from([0x00, 0xc8, 0x00, 0x07]);

const box = (type: string, ...payload: Buffer[]): Buffer => {
  const body = Buffer.concat(payload);
  const header = Buffer.alloc(8);
  header.writeUInt32BE(8 + body.length, 0);
  // latin1 so `©` (0xa9 in iTunes atom names) stays one byte.
  header.write(type, 4, 4, "latin1");
  return Buffer.concat([header, body]);
};

// A FullBox starts with a version byte and 24 bits of flags.
const fullBox = (type: string, flags: number, ...payload: Buffer[]): Buffer =>
  box(type, u32(flags & 0xffffff), ...payload);

const u32 = (...values: number[]): Buffer => {
  const out = Buffer.alloc(4 * values.length);
  for (const [i, value] of values.entries()) out.writeUInt32BE(value >>> 0, 4 * i);
  return out;
};

const u16 = (...values: number[]): Buffer => {
  const out = Buffer.alloc(2 * values.length);
  for (const [i, value] of values.entries()) out.writeUInt16BE(value, 2 * i);
  return out;
};

const latin1 = (text: string) => Buffer.from(text, "latin1");
const identityMatrix = u32(0x10000, 0, 0, 0, 0x10000, 0, 0, 0, 0x40000000);

// MPEG-4 descriptors (ISO/IEC 14496-1) carry a tag and a size of 7-bit groups, each but the last with
// the high bit set; writing all four groups (as many encoders do) keeps every size the same width.
const descriptor = (tag: number, ...payload: Buffer[]): Buffer => {
  const body = Buffer.concat(payload);
  const size = [21, 14, 7, 0].map((shift, i) => ((body.length >> shift) & 0x7f) | (i < 3 ? 0x80 : 0));
  return Buffer.concat([Buffer.from([tag, ...size]), body]);
};

const esds = (sampleRate: number, index: number): Buffer => {
  // AudioSpecificConfig: object type 2 (AAC LC, 5 bits), frequency index (4), channel config 1 (4), then
  // GASpecificConfig's three zero flags (1024-sample frames, no core coder, no extension).
  const audioSpecificConfig = u16((2 << 11) | (index << 7) | (1 << 3));
  const bitrate = Math.round((silentFrame.length * 8 * sampleRate) / samplesPerFrame);
  const decoderConfig = descriptor(
    0x04,
    Buffer.from([0x40, (0x05 << 2) | 0x01]), // Audio ISO/IEC 14496-3; AudioStream, reserved bit set
    Buffer.from([0, 0, silentFrame.length]), // bufferSizeDB
    u32(bitrate, bitrate), // max and average bitrate
    descriptor(0x05, audioSpecificConfig),
  );
  const slConfig = descriptor(0x06, Buffer.from([0x02])); // predefined: reserved for MP4 files
  return fullBox("esds", 0, descriptor(0x03, u16(1), Buffer.from([0]), decoderConfig, slConfig));
};

const mp4aEntry = (sampleRate: number, index: number): Buffer =>
  box(
    "mp4a",
    Buffer.alloc(6), // SampleEntry reserved
    u16(1), // data_reference_index: the self-contained `url ` in dref
    Buffer.alloc(8), // AudioSampleEntry reserved (QuickTime's version, revision, vendor)
    u16(1, 16, 0, 0), // channel count, sample size, pre_defined, reserved
    u32(sampleRate * 0x10000), // 16.16 fixed point
    esds(sampleRate, index),
  );

// What the track is: its rate and frequency index, its length in samples and in 1024-sample frames.
interface Track {
  sampleRate: number;
  index: number;
  samples: number;
  frames: number;
}

const sampleTable = ({ sampleRate, index, samples, frames }: Track, chunkOffset: number) => {
  // The last frame's duration is cut short so that the table adds up to the media duration exactly.
  const lastDuration = samples - (frames - 1) * samplesPerFrame;
  const timeToSample = frames > 1 ? [frames - 1, samplesPerFrame, 1, lastDuration] : [1, lastDuration];
  return box(
    "stbl",
    fullBox("stsd", 0, u32(1), mp4aEntry(sampleRate, index)),
    fullBox("stts", 0, u32(timeToSample.length / 2, ...timeToSample)),
    fullBox("stsc", 0, u32(1, 1, frames, 1)), // all frames in one chunk
    fullBox("stsz", 0, u32(silentFrame.length, frames)), // one size for every sample, so no table
    fullBox("stco", 0, u32(1, chunkOffset)),
  );
};

const itunesData = (text: string) => fullBox("data", 1, u32(0), Buffer.from(text, "utf8")); // type 1: UTF-8

const metadata = (options: M4aOptions): Buffer[] => {
  if (options.transcript === undefined) return [];
  const item =
    options.transcriptAtom === "©cmt"
      ? box("©cmt", itunesData(`TRANSCRIPT=${options.transcript}`))
      : box(
          "----",
          fullBox("mean", 0, latin1("com.apple.iTunes")),
          fullBox("name", 0, latin1("TRANSCRIPT")),
          itunesData(options.transcript),
        );
  // iTunes' metadata handler: 'mdir' with 'appl' in the first reserved word, and an empty name.
  const handler = fullBox("hdlr", 0, u32(0), latin1("mdirappl"), Buffer.alloc(9));
  return [box("udta", fullBox("meta", 0, handler, box("ilst", item)))];
};

const movie = (options: M4aOptions, track: Track, chunkOffset: number): Buffer => {
  const { sampleRate, samples } = track;
  const movieDuration = Math.round((samples / sampleRate) * movieTimescale);
  const mvhd = fullBox(
    "mvhd",
    0,
    u32(0, 0, movieTimescale, movieDuration, 0x10000), // times, timescale, duration, rate 1.0
    u16(0x0100), // volume 1.0
    Buffer.alloc(10),
    identityMatrix,
    Buffer.alloc(24), // pre_defined
    u32(2), // next_track_ID
  );
  const tkhd = fullBox(
    "tkhd",
    0x000003, // enabled, in movie
    u32(0, 0, 1, 0, movieDuration, 0, 0), // times, track_ID 1, reserved, duration, reserved
    u16(0, 0, 0x0100, 0), // layer, alternate_group, volume 1.0, reserved
    identityMatrix,
    u32(0, 0), // width, height: none for audio
  );
  const mdhd = fullBox("mdhd", 0, u32(0, 0, sampleRate, samples), u16(0x55c4, 0)); // language 'und'
  const hdlr = fullBox("hdlr", 0, u32(0), latin1("soun"), Buffer.alloc(12), latin1("SoundHandler\0"));
  const dinf = box("dinf", fullBox("dref", 0, u32(1), fullBox("url ", 0x000001))); // data in this file
  const minf = box(
    "minf",
    fullBox("smhd", 0, u32(0)), // balance 0, reserved
    dinf,
    sampleTable(track, chunkOffset),
  );
  const trak = box("trak", tkhd, box("mdia", mdhd, hdlr, minf));
  return box("moov", mvhd, trak, ...metadata(options));
};

// mdhd's duration (samples at the sample rate) is what readers report; the tag is in moov/udta/meta/ilst.
/** An AAC-LC mono M4A (ftyp, moov, mdat) of silent frames, optionally carrying an iTunes TRANSCRIPT tag. */
export function makeM4a(options: M4aOptions): Uint8Array<ArrayBuffer> {
  const sampleRate = options.sampleRate ?? 44_100;
  const index = frequencyIndex[sampleRate];
  if (index === undefined) throw new RangeError(`makeM4a: unsupported sample rate ${sampleRate}`);
  const ftyp = box("ftyp", latin1("M4A "), u32(0), latin1("M4A mp42isom"));
  // moov comes first (as "fast start" files have it), so the chunk offset depends on moov's own size,
  // which the offset's value does not change: measure once, then build it for real.
  const samples = Math.max(1, Math.round(options.durationSeconds * sampleRate));
  const track = { sampleRate, index, samples, frames: Math.ceil(samples / samplesPerFrame) };
  const moovSize = movie(options, track, 0).length;
  const moov = movie(options, track, ftyp.length + moovSize + 8);
  const mdat = box("mdat", ...Array.from({ length: track.frames }, () => silentFrame));
  return new Uint8Array(Buffer.concat([ftyp, moov, mdat]));
}
