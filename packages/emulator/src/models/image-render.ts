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
}): Promise<Uint8Array> {
  const { width, height } = options;
  const random = seededRandom(hash32(`${options.prompt}\u0000${options.seed}\u0000${options.index}`));
  const from = [random() * 255, random() * 255, random() * 255];
  const to = [random() * 255, random() * 255, random() * 255];
  const angle = random() * Math.PI * 2;
  const bands = 2 + Math.floor(random() * 12);
  const dx = Math.cos(angle);
  const dy = Math.sin(angle);
  const span = Math.abs(dx) * width + Math.abs(dy) * height || 1;
  const pixels = Buffer.alloc(width * height * 3);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const t = Math.abs(x * dx + y * dy) / span;
      const band = Math.floor((t * bands * 2 + (y / height) * bands) % 2) === 0 ? 1 : 0.82;
      const offset = (y * width + x) * 3;
      for (let channel = 0; channel < 3; channel++) {
        const a = from[channel] ?? 0;
        const b = to[channel] ?? 0;
        pixels[offset + channel] = Math.round((a + (b - a) * t) * band);
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
