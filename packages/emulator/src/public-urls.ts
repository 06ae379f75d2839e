/** Builds the absolute URLs the emulator hands out, all on its public origin. */
export interface PublicUrls {
  /** e.g. `http://127.0.0.1:8790` (plus any path prefix of `publicUrl`). */
  origin: string;
  /** `origin + "/v1"`, what the official client takes as `baseUrl`. */
  baseUrl: string;
  prediction(id: string): string;
  cancel(id: string): string;
  web(id: string): string;
  stream(token: string): string;
  file(id: string): string;
  delivery(token: string, name: string): string;
  /** The path of `url` below the emulator's origin when `url` points at the emulator, else null. */
  localPath(url: string): string | null;
}

/** Normalises `publicUrl` (a trailing `/v1` or `/` is dropped) and builds URLs on it. */
export function createPublicUrls(publicUrl: string, listenOrigin: string): PublicUrls {
  const origin = publicUrl.replace(/\/+$/, "").replace(/\/v1$/, "");
  const baseUrl = `${origin}/v1`;
  const prefixes = [...new Set([origin, listenOrigin.replace(/\/+$/, "")])];
  return {
    origin,
    baseUrl,
    prediction: (id) => `${baseUrl}/predictions/${id}`,
    cancel: (id) => `${baseUrl}/predictions/${id}/cancel`,
    web: (id) => `https://replicate.com/p/${id}`,
    stream: (token) => `${baseUrl}/streams/${token}`,
    file: (id) => `${baseUrl}/files/${id}`,
    delivery: (token, name) => `${origin}/delivery/${token}/${name}`,
    localPath(url) {
      for (const prefix of prefixes) {
        if (url.startsWith(`${prefix}/`)) return url.slice(prefix.length).split(/[?#]/)[0] ?? null;
      }
      return null;
    },
  };
}

/** The origin that URLs use when the server listens on `host:port` and no public URL is set. */
export function listenOrigin(host: string, port: number): string {
  const reachable = host === "0.0.0.0" || host === "" ? "127.0.0.1" : host === "::" ? "[::1]" : host;
  const bracketed = reachable.includes(":") && !reachable.startsWith("[") ? `[${reachable}]` : reachable;
  return `http://${bracketed}:${port}`;
}
