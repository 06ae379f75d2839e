/** Options for {@link makeWav}. */
export interface WavOptions {
  durationSeconds: number;
  /** Default 16000 Hz. */
  sampleRate?: number;
  /** Written as a RIFF LIST/INFO comment (`ICMT`) reading `TRANSCRIPT=<text>`. */
  transcript?: string;
  /** More LIST/INFO entries, keyed by their four-character id (e.g. `INAM` title). */
  info?: Record<string, string>;
  /** Frequency of the sine tone; 0 writes silence. Default 440 Hz. */
  toneHz?: number;
}

const chunk = (id: string, body: Buffer): Buffer => {
  const header = Buffer.alloc(8);
  header.write(id, 0, 4, "latin1");
  header.writeUInt32LE(body.length, 4);
  // RIFF chunks are word-aligned: odd bodies get one pad byte that the size does not count.
  return Buffer.concat([header, body, body.length % 2 === 1 ? Buffer.alloc(1) : Buffer.alloc(0)]);
};

/** A 16-bit mono PCM WAV of the given length, optionally tagged through a LIST/INFO chunk. */
export function makeWav(options: WavOptions): Uint8Array<ArrayBuffer> {
  const sampleRate = options.sampleRate ?? 16_000;
  const toneHz = options.toneHz ?? 440;
  const samples = Math.round(options.durationSeconds * sampleRate);
  const fmt = Buffer.alloc(16);
  fmt.writeUInt16LE(1, 0); // PCM
  fmt.writeUInt16LE(1, 2); // mono
  fmt.writeUInt32LE(sampleRate, 4);
  fmt.writeUInt32LE(sampleRate * 2, 8); // byte rate
  fmt.writeUInt16LE(2, 12); // block align
  fmt.writeUInt16LE(16, 14); // bits per sample
  const data = Buffer.alloc(samples * 2);
  for (let i = 0; i < samples; i++) {
    data.writeInt16LE(Math.round(Math.sin((2 * Math.PI * toneHz * i) / sampleRate) * 8000), i * 2);
  }
  const entries = { ...options.info };
  if (options.transcript !== undefined) entries.ICMT = `TRANSCRIPT=${options.transcript}`;
  const infoChunks = Object.entries(entries).map(([id, text]) => chunk(id, Buffer.from(`${text}\0`, "utf8")));
  const list =
    infoChunks.length > 0 ? [chunk("LIST", Buffer.concat([Buffer.from("INFO"), ...infoChunks]))] : [];
  const body = Buffer.concat([Buffer.from("WAVE"), chunk("fmt ", fmt), ...list, chunk("data", data)]);
  return new Uint8Array(chunk("RIFF", body));
}
