import type { FileStore } from "./file-store.ts";
import type { ResolvedInput } from "./model-definition.ts";
import type { OutputStore } from "./output-store.ts";
import type { PublicUrls } from "./public-urls.ts";

/** What the resolver needs. */
export interface InputResolverDeps {
  urls: PublicUrls;
  files: FileStore;
  outputs: OutputStore;
  fetch: typeof fetch;
  timeoutMs: number;
}

const decodeDataUri = (uri: string): ResolvedInput => {
  const match = /^data:([^,]*?)(;base64)?,(.*)$/s.exec(uri);
  if (!match) throw new Error("malformed data: URI");
  const payload = match[3] ?? "";
  const bytes = match[2] ? Buffer.from(payload, "base64") : Buffer.from(decodeURIComponent(payload), "utf8");
  return { bytes: new Uint8Array(bytes), contentType: match[1] || null };
};

/**
 * Turns a URL input into bytes: the emulator's own file (`/v1/files/<id>`) and output
 * (`/delivery/…`) URLs are read from memory, `data:` URIs decoded, anything else fetched with a timeout.
 */
export function createInputResolver(
  deps: InputResolverDeps,
): (url: string, signal: AbortSignal) => Promise<ResolvedInput> {
  return async (url, signal) => {
    if (url.startsWith("data:")) return decodeDataUri(url);
    const path = deps.urls.localPath(url);
    const fileId = path ? /^\/v1\/files\/([^/]+)$/.exec(path)?.[1] : undefined;
    if (fileId) {
      const file = deps.files.get(fileId);
      if (!file) throw new Error(`file ${fileId} does not exist or has expired`);
      return { bytes: file.bytes, contentType: file.contentType };
    }
    const delivery = path ? /^\/delivery\/([^/]+)\/([^/]+)$/.exec(path) : null;
    if (delivery) {
      const lookup = deps.outputs.get(delivery[1] ?? "", delivery[2] ?? "");
      if (!lookup.found)
        throw new Error(lookup.expired ? "the output file has expired" : "output file not found");
      return { bytes: lookup.file.bytes, contentType: lookup.file.contentType };
    }
    if (!/^https?:\/\//i.test(url)) throw new Error(`unsupported URL: ${url.slice(0, 100)}`);
    const response = await deps.fetch(url, {
      signal: AbortSignal.any([signal, AbortSignal.timeout(deps.timeoutMs)]),
    });
    if (!response.ok) {
      await response.body?.cancel().catch(() => undefined);
      throw new Error(`GET ${url} returned ${response.status}`);
    }
    return {
      bytes: new Uint8Array(await response.arrayBuffer()),
      contentType: response.headers.get("content-type"),
    };
  };
}
