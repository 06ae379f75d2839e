/** An image size in pixels. */
export interface ImageDimensions {
  width: number;
  height: number;
}

/**
 * Width and height for an aspect ratio such as "16:9": multiples of 8 (what SDXL's latent space
 * needs) with about `targetPixels` pixels (SDXL is trained near one megapixel).
 */
export function dimensionsForAspectRatio(aspectRatio: string, targetPixels = 1024 * 1024): ImageDimensions {
  const [w = 1, h = 1] = aspectRatio.split(":").map(Number);
  const ratio = w > 0 && h > 0 && Number.isFinite(w / h) ? w / h : 1;
  const width = Math.sqrt(targetPixels * ratio);
  const roundTo8 = (value: number) => Math.max(8, Math.round(value / 8) * 8);
  return { width: roundTo8(width), height: roundTo8(width / ratio) };
}
