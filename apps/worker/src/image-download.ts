import type { ChatFile } from "@replibot/chat";

/** Discord's upload limit for a bot in a server without boosts. */
export const MAX_IMAGE_BYTES = 10 * 1024 * 1024;

const extensions: Record<string, string> = {
  "image/webp": "webp",
  "image/png": "png",
  "image/jpeg": "jpg",
  "image/gif": "gif",
};

/** Image URLs in a prediction's output (a list of URLs, or one). */
export function imageUrls(output: unknown): string[] {
  const list = Array.isArray(output) ? output : [output];
  return list.filter((item): item is string => typeof item === "string" && /^https?:\/\//.test(item));
}

/**
 * Downloads a prediction's images at once (Replicate's output URLs expire after an hour), or says
 * why it could not, in words a member can read.
 */
export async function downloadImages(
  urls: string[],
  baseName: string,
  options: { fetch?: typeof fetch; timeoutMs?: number } = {},
): Promise<{ ok: true; files: ChatFile[] } | { ok: false; reason: string }> {
  if (urls.length === 0) return { ok: false, reason: "the model returned no image" };
  const files: ChatFile[] = [];
  for (const [index, url] of urls.entries()) {
    let response: Response;
    try {
      response = await (options.fetch ?? fetch)(url, {
        signal: AbortSignal.timeout(options.timeoutMs ?? 30_000),
      });
    } catch {
      return { ok: false, reason: "the image could not be downloaded from Replicate" };
    }
    if (response.status === 404 || response.status === 410) {
      return { ok: false, reason: "the image expired at Replicate before it could be downloaded" };
    }
    if (!response.ok) return { ok: false, reason: `Replicate answered ${response.status} for the image` };
    const contentType = (response.headers.get("content-type") ?? "").split(";")[0]!.trim();
    const length = Number(response.headers.get("content-length") ?? "0");
    if (length > MAX_IMAGE_BYTES) return { ok: false, reason: "the image is larger than Discord accepts" };
    const data = new Uint8Array(await response.arrayBuffer());
    if (data.byteLength > MAX_IMAGE_BYTES)
      return { ok: false, reason: "the image is larger than Discord accepts" };
    const extension = extensions[contentType] ?? url.split("?")[0]!.split(".").pop() ?? "png";
    files.push({
      name: `${baseName}${urls.length > 1 ? `-${index + 1}` : ""}.${extension}`,
      contentType,
      data,
    });
  }
  return { ok: true, files };
}
