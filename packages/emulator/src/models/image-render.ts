import sharp from "sharp";
import { hash32, seededRandom } from "../hash.ts";

/** Output formats the image models can write. */
export type ImageFormat = "webp" | "jpg" | "png";

/** Content type of each output format. */
export const imageContentType: Record<ImageFormat, string> = {
  webp: "image/webp",
  jpg: "image/jpeg",
  png: "image/png",
};

/** The last few encoded pictures: the same (prompt, seed, size, format) is drawn once, as it is the same picture. */
const recent = new Map<string, Uint8Array>();
const RECENT_MAX = 16;

/**
 * Encodes a deterministic picture for (prompt, seed, index): a two-colour diagonal gradient crossed by
 * bands, all parameters drawn from a hash, so any change of prompt or seed changes the pixels.
 */
export async function renderImage(options: {
  prompt: string;
  seed: number;
  index: number;
  width: number;
  height: number;
  format: ImageFormat;
  quality: number;
  /** Seeded per-pixel noise, 0 (none) to 255, for photo-like file sizes. */
  grain?: number;
}): Promise<Uint8Array> {
  const key = JSON.stringify(options);
  const cached = recent.get(key);
  if (cached) return cached;
  const bytes = await drawImage(options);
  recent.set(key, bytes);
  if (recent.size > RECENT_MAX) recent.delete(recent.keys().next().value as string);
  return bytes;
}

async function drawImage(options: Parameters<typeof renderImage>[0]): Promise<Uint8Array> {
  const { width, height } = options;
  const random = seededRandom(hash32(`${options.prompt}\u0000${options.seed}\u0000${options.index}`));
  const from = [random() * 255, random() * 255, random() * 255];
  const to = [random() * 255, random() * 255, random() * 255];
  const angle = random() * Math.PI * 2;
  const bands = 2 + Math.floor(random() * 12);
  const dx = Math.cos(angle);
  const dy = Math.sin(angle);
  const span = Math.abs(dx) * width + Math.abs(dy) * height || 1;
  const grain = options.grain ?? 0;
  const pixels = Buffer.alloc(width * height * 3);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const t = Math.abs(x * dx + y * dy) / span;
      const band = Math.floor((t * bands * 2 + (y / height) * bands) % 2) === 0 ? 1 : 0.82;
      const offset = (y * width + x) * 3;
      for (let channel = 0; channel < 3; channel++) {
        const a = from[channel] ?? 0;
        const b = to[channel] ?? 0;
        const noise = grain > 0 ? (random() - 0.5) * grain : 0;
        pixels[offset + channel] = Math.min(255, Math.max(0, Math.round((a + (b - a) * t) * band + noise)));
      }
    }
  }
  const image = sharp(pixels, { raw: { width, height, channels: 3 } });
  const quality = Math.min(100, Math.max(1, Math.round(options.quality)));
  switch (options.format) {
    case "webp":
      return image.webp({ quality, effort: 0 }).toBuffer();
    case "jpg":
      return image.jpeg({ quality }).toBuffer();
    case "png":
      return image.png({ compressionLevel: 1, effort: 1 }).toBuffer();
  }
}
