import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { passwordMatches } from "./password.ts";
import {
  crossSiteReason,
  isHttpsRequest,
  isLoopbackAddress,
  isLoopbackHost,
  proxyHeadersOf,
  safeNextPath,
  wantsPage,
} from "./request-checks.ts";

const headers = (values: Record<string, string>) => new Headers(values);

describe("demo mode's request checks", () => {
  it("sees every usual proxy header", () => {
    expect(proxyHeadersOf(headers({}))).toEqual([]);
    expect(proxyHeadersOf(headers({ "X-Forwarded-For": "127.0.0.1", Via: "1.1 nginx" }))).toEqual([
      "x-forwarded-for",
      "via",
    ]);
    for (const name of [
      "Forwarded",
      "X-Real-IP",
      "X-Forwarded-Host",
      "X-Forwarded-Proto",
      "CF-Connecting-IP",
    ])
      expect(proxyHeadersOf(headers({ [name]: "x" })), name).toHaveLength(1);
  });

  it("takes only loopback names as the Host", () => {
    for (const host of [
      "127.0.0.1:8090",
      "localhost:8090",
      "LOCALHOST",
      "[::1]:8090",
      "127.1.2.3",
      "localhost.",
    ])
      expect(isLoopbackHost(host), host).toBe(true);
    for (const host of [
      "",
      null,
      "evil.example:8090",
      "localhost.evil.example",
      "127.0.0.1.evil.example",
      "192.168.0.2:8090",
      "[::2]:8090",
      "0.0.0.0:8090",
      "127.0.0.1:8090@evil",
      "127.0.0.1 evil",
    ])
      expect(isLoopbackHost(host), String(host)).toBe(false);
  });

  it("knows a loopback peer address", () => {
    expect(isLoopbackAddress("127.0.0.1")).toBe(true);
    expect(isLoopbackAddress("::ffff:127.0.0.1")).toBe(true);
    expect(isLoopbackAddress("::1")).toBe(true);
    expect(isLoopbackAddress("10.0.0.1")).toBe(false);
    expect(isLoopbackAddress("::ffff:10.0.0.1")).toBe(false);
  });
});

describe("cross-site requests", () => {
  it("takes Sec-Fetch-Site: same-origin, and refuses any other value", () => {
    expect(crossSiteReason(headers({ "sec-fetch-site": "same-origin" }))).toBeUndefined();
    for (const site of ["cross-site", "same-site", "none"])
      expect(crossSiteReason(headers({ "sec-fetch-site": site, origin: "http://h", host: "h" }))).toMatch(
        /cross-site/,
      );
  });

  it("otherwise needs an Origin naming the host the request was sent to", () => {
    expect(
      crossSiteReason(headers({ origin: "http://127.0.0.1:8090", host: "127.0.0.1:8090" })),
    ).toBeUndefined();
    expect(
      crossSiteReason(headers({ origin: "https://console.example", host: "console.example" })),
    ).toBeUndefined();
    expect(
      crossSiteReason(headers({ origin: "https://console.example:443", host: "console.example" })),
    ).toBeUndefined();
    expect(
      crossSiteReason(
        headers({
          origin: "https://console.example",
          host: "10.0.0.2:8090",
          "x-forwarded-host": "console.example",
        }),
      ),
    ).toBeUndefined();
    expect(crossSiteReason(headers({ origin: "http://evil.example", host: "127.0.0.1:8090" }))).toMatch(
      /Origin/,
    );
    expect(crossSiteReason(headers({ origin: "http://127.0.0.1:9999", host: "127.0.0.1:8090" }))).toMatch(
      /Origin/,
    );
    expect(crossSiteReason(headers({ origin: "null", host: "127.0.0.1:8090" }))).toMatch(/Origin/);
    expect(crossSiteReason(headers({ host: "127.0.0.1:8090" }))).toMatch(/Origin/);
  });
});

describe("where a sign-in leads", () => {
  it("keeps console paths and drops anything else", () => {
    expect(safeNextPath("/console/dashboard?x=1")).toBe("/console/dashboard?x=1");
    expect(safeNextPath("/console")).toBe("/console");
    for (const next of [
      undefined,
      "",
      "/consoleevil",
      "//evil",
      "https://evil",
      "/console//evil",
      "/console\\x",
      "/x",
    ])
      expect(safeNextPath(next), String(next)).toBe("/console");
  });

  it("never leads off the console, whatever is typed", () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 80 }), (suffix) => {
        for (const next of [suffix, `/console${suffix}`, `/console/${suffix}`]) {
          const path = safeNextPath(next);
          const url = new URL(path, "http://console.test");
          expect(url.origin).toBe("http://console.test");
          expect(url.pathname.startsWith("/console")).toBe(true);
          expect(path.includes("//")).toBe(false);
        }
      }),
    );
  });
});

describe("what a request wants", () => {
  it("tells a page navigation from fetch, htmx and event streams", () => {
    expect(wantsPage("GET", headers({ "sec-fetch-mode": "navigate", accept: "text/html" }))).toBe(true);
    expect(wantsPage("GET", headers({ accept: "text/html,application/xhtml+xml" }))).toBe(true);
    expect(wantsPage("GET", headers({ "sec-fetch-mode": "cors", accept: "text/html" }))).toBe(false);
    expect(wantsPage("GET", headers({ accept: "text/event-stream" }))).toBe(false);
    expect(wantsPage("GET", headers({ accept: "text/html", "hx-request": "true" }))).toBe(false);
    expect(wantsPage("POST", headers({ accept: "text/html" }))).toBe(false);
  });

  it("knows an https request, directly or through a proxy that says so", () => {
    expect(isHttpsRequest("https://c/console", headers({}))).toBe(true);
    expect(isHttpsRequest("http://c/console", headers({ "x-forwarded-proto": "https" }))).toBe(true);
    expect(isHttpsRequest("http://c/console", headers({ forwarded: "for=1.2.3.4;proto=https" }))).toBe(true);
    expect(isHttpsRequest("http://c/console", headers({}))).toBe(false);
  });
});

describe("the password", () => {
  it("matches only itself", () => {
    expect(passwordMatches("correct horse", "correct horse")).toBe(true);
    expect(passwordMatches("correct hors", "correct horse")).toBe(false);
    expect(passwordMatches("correct horse ", "correct horse")).toBe(false);
    expect(passwordMatches("", "correct horse")).toBe(false);
  });
});
