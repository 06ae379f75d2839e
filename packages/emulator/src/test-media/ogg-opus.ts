/** Options for {@link makeOggOpus}. */
export interface OggOpusOptions {
  durationSeconds: number;
  /** Written as the Vorbis comment `TRANSCRIPT=<text>` in OpusTags. */
  transcript?: string;
  /** More comments, e.g. `{ TITLE: "Voice message" }`. */
  comments?: Record<string, string>;
  /** Default 312 samples at 48 kHz, what libopus writes. */
  preSkip?: number;
}

// Ogg's CRC-32: polynomial 0x04c11db7, not reflected, initial value 0, no final xor.
const crcTable = (() => {
  const table = new Uint32Array(256);
  for (let i = 0; i < 256; i++) {
    let r = i << 24;
    for (let bit = 0; bit < 8; bit++) r = r & 0x80000000 ? (r << 1) ^ 0x04c11db7 : r << 1;
    table[i] = r >>> 0;
  }
  return table;
})();

const oggCrc = (bytes: Uint8Array): number => {
  let crc = 0;
  for (const byte of bytes) crc = ((crc << 8) ^ (crcTable[((crc >>> 24) ^ byte) & 0xff] ?? 0)) >>> 0;
  return crc;
};

/** A 20 ms CELT fullband mono Opus frame of silence (TOC 0xf8), the packet Discord sends between speech. */
export const silentFrame = Buffer.from([0xf8, 0xff, 0xfe]);
const samplesPerFrame = 960;
const serial = 0x5245504c;

const page = (packets: Buffer[], flags: number, granule: bigint, sequence: number): Buffer => {
  const lacing: number[] = [];
  for (const packet of packets) {
    let left = packet.length;
    while (left >= 255) {
      lacing.push(255);
      left -= 255;
    }
    lacing.push(left);
  }
  const header = Buffer.alloc(27);
  header.write("OggS", 0, "latin1");
  header.writeUInt8(0, 4);
  header.writeUInt8(flags, 5);
  header.writeBigInt64LE(granule, 6);
  header.writeUInt32LE(serial, 14);
  header.writeUInt32LE(sequence, 18);
  header.writeUInt8(lacing.length, 26);
  const bytes = Buffer.concat([header, Buffer.from(lacing), ...packets]);
  bytes.writeUInt32LE(oggCrc(bytes), 22);
  return bytes;
};

/** The 19-byte OpusHead of a mono 48 kHz stream (RFC 7845), also Matroska's Opus CodecPrivate. */
export const opusHead = (preSkip: number): Buffer => {
  const head = Buffer.alloc(19);
  head.write("OpusHead", 0, "latin1");
  head.writeUInt8(1, 8); // version
  head.writeUInt8(1, 9); // channels
  head.writeUInt16LE(preSkip, 10);
  head.writeUInt32LE(48_000, 12); // input sample rate
  head.writeInt16LE(0, 16); // output gain
  head.writeUInt8(0, 18); // channel mapping family
  return head;
};

const opusTags = (comments: Record<string, string>): Buffer => {
  const vendor = Buffer.from("replibot test-media", "utf8");
  const parts = [
    Buffer.from("OpusTags", "latin1"),
    u32(vendor.length),
    vendor,
    u32(Object.keys(comments).length),
  ];
  for (const [key, value] of Object.entries(comments)) {
    const text = Buffer.from(`${key}=${value}`, "utf8");
    parts.push(u32(text.length), text);
  }
  return Buffer.concat(parts);
};

const u32 = (value: number) => {
  const out = Buffer.alloc(4);
  out.writeUInt32LE(value, 0);
  return out;
};

/**
 * A valid Ogg/Opus file of silent 20 ms frames: OpusHead, OpusTags (with the comments) and audio pages;
 * the last page's granule position (pre-skip + 48 kHz samples) is what gives readers the duration.
 */
export function makeOggOpus(options: OggOpusOptions): Uint8Array<ArrayBuffer> {
  const preSkip = options.preSkip ?? 312;
  const comments = { ...options.comments };
  if (options.transcript !== undefined) comments.TRANSCRIPT = options.transcript;
  const totalSamples = Math.round(options.durationSeconds * 48_000);
  const frames = Math.max(1, Math.ceil(totalSamples / samplesPerFrame));
  const pages = [page([opusHead(preSkip)], 0x02, 0n, 0), page([opusTags(comments)], 0x00, 0n, 1)];
  const framesPerPage = 50;
  for (let first = 0; first < frames; first += framesPerPage) {
    const count = Math.min(framesPerPage, frames - first);
    const last = first + count >= frames;
    // The final granule is exact (it may end mid-frame); earlier pages count whole frames.
    const samples = last ? totalSamples : (first + count) * samplesPerFrame;
    const packets = Array.from({ length: count }, () => silentFrame);
    pages.push(page(packets, last ? 0x04 : 0x00, BigInt(preSkip + samples), pages.length));
  }
  return new Uint8Array(Buffer.concat(pages));
}
