/** Headers a reverse proxy, load balancer or CDN adds: their presence means the request was relayed. */
export const PROXY_HEADERS = [
  "forwarded",
  "x-forwarded-for",
  "x-forwarded-host",
  "x-forwarded-proto",
  "x-forwarded-port",
  "x-forwarded-server",
  "x-forwarded-prefix",
  "x-original-forwarded-for",
  "x-real-ip",
  "x-client-ip",
  "x-cluster-client-ip",
  "client-ip",
  "true-client-ip",
  "cf-connecting-ip",
  "fastly-client-ip",
  "x-original-host",
  "via",
] as const;

/** A minimal view of request headers (the Fetch API's `Headers` fits). */
export interface HeaderReader {
  get(name: string): string | null;
}

/** The proxy headers a request carries (lower-case names), empty for a direct one. */
export function proxyHeadersOf(headers: HeaderReader): string[] {
  return PROXY_HEADERS.filter((name) => headers.get(name) !== null);
}

/** Whether an IP address is on this machine's loopback (127.0.0.0/8, ::1, or v4-mapped loopback). */
export function isLoopbackAddress(address: string): boolean {
  const plain = address.replace(/^::ffff:/i, "");
  return plain === "::1" || /^127(\.\d{1,3}){3}$/.test(plain);
}

/**
 * Whether a Host header names this machine's loopback: `localhost`, `127.x.x.x` or `[::1]`, with an
 * optional port. Anything else (a LAN name, a public name pointed at 127.0.0.1 by DNS rebinding) is not.
 */
export function isLoopbackHost(host: string | null | undefined): boolean {
  if (!host) return false;
  const match = /^(\[[0-9a-f:.]+\]|[^:[\]]+)(?::(\d{1,5}))?$/i.exec(host.trim());
  if (!match) return false;
  const name = (match[1] ?? "").toLowerCase().replace(/\.$/, "");
  if (name === "localhost") return true;
  if (name.startsWith("[")) return name === "[::1]";
  return isLoopbackAddress(name);
}

/** Methods that change nothing, so a cross-site request of them is harmless. */
export function isSafeMethod(method: string): boolean {
  return method === "GET" || method === "HEAD" || method === "OPTIONS";
}

/**
 * Why a state-changing request must be refused as cross-site, or undefined when it came from the
 * console's own pages. `Sec-Fetch-Site` decides when the browser sent it (only browsers can set it);
 * otherwise `Origin` must name the host the request was sent to (the `Host` header, or the
 * `X-Forwarded-Host` a proxy in front sets, which a page cannot make a browser send). A request with
 * neither header is refused too: every current browser sends `Origin` with a POST.
 */
export function crossSiteReason(headers: HeaderReader): string | undefined {
  const site = headers.get("sec-fetch-site");
  if (site !== null) {
    return site === "same-origin"
      ? undefined
      : `cross-site request refused (Sec-Fetch-Site: ${site.slice(0, 20)}): changes are made only from the console's own pages`;
  }
  const origin = headers.get("origin");
  if (origin === null)
    return "request refused: a change needs the Origin header browsers send (none was sent)";
  let originHost: string;
  try {
    const url = new URL(origin);
    if (url.protocol !== "http:" && url.protocol !== "https:") throw new Error("scheme");
    originHost = url.host.toLowerCase();
  } catch {
    return "cross-site request refused: the Origin header is not a web address of this console";
  }
  const targets = [headers.get("host"), firstValue(headers.get("x-forwarded-host"))]
    .filter((h): h is string => Boolean(h))
    .map((h) => normalHost(h, origin.startsWith("https:") ? "443" : "80"));
  return targets.includes(normalHost(originHost, origin.startsWith("https:") ? "443" : "80"))
    ? undefined
    : "cross-site request refused: its Origin is not this console";
}

/** Whether the browser reached us over https (directly, or through a proxy that says so). */
export function isHttpsRequest(url: string, headers: HeaderReader): boolean {
  if (url.startsWith("https:")) return true;
  if (firstValue(headers.get("x-forwarded-proto"))?.toLowerCase() === "https") return true;
  return /(?:^|[;,\s])proto=(?:"?)https\b/i.test(headers.get("forwarded") ?? "");
}

/** Where to go after signing in: a console path of this site only (never `//evil`, a scheme, or `\`). */
export function safeNextPath(next: string | null | undefined): string {
  if (!next || next.length > 500) return "/console";
  if (!/^\/console(?:[/?#]|$)/.test(next) || next.includes("\\") || next.includes("//")) return "/console";
  if ([...next].some((ch) => ch.charCodeAt(0) < 0x20 || ch === "\u007f")) return "/console";
  return next;
}

/** Whether a request wants a page (a browser navigating) rather than data (fetch, htmx, an event stream). */
export function wantsPage(method: string, headers: HeaderReader): boolean {
  if (method !== "GET" && method !== "HEAD") return false;
  if (headers.get("hx-request") !== null) return false;
  const mode = headers.get("sec-fetch-mode");
  if (mode !== null) return mode === "navigate";
  return (headers.get("accept") ?? "").includes("text/html");
}

function firstValue(value: string | null): string | undefined {
  return value?.split(",")[0]?.trim() || undefined;
}

function normalHost(host: string, defaultPort: string): string {
  const lower = host.trim().toLowerCase();
  return lower.endsWith(`:${defaultPort}`) ? lower.slice(0, -defaultPort.length - 1) : lower;
}
