import { describe, expect, it } from "vitest";
import { attachmentOrigins } from "./attachment-env.ts";
import { consolePublicOrigin } from "./console-url.ts";

describe("consolePublicOrigin", () => {
  it("is CONSOLE_PUBLIC_URL's origin when set, else where the console listens, loopback for every address", () => {
    expect(consolePublicOrigin({ CONSOLE_PUBLIC_URL: "https://console.example.com/console" })).toBe(
      "https://console.example.com",
    );
    expect(consolePublicOrigin({})).toBe("http://127.0.0.1:8090");
    expect(consolePublicOrigin({ CONSOLE_PORT: 9000, CONSOLE_HOST: "0.0.0.0" })).toBe(
      "http://127.0.0.1:9000",
    );
    expect(consolePublicOrigin({ CONSOLE_PORT: 9000, CONSOLE_HOST: "::1" })).toBe("http://[::1]:9000");
    expect(consolePublicOrigin({ CONSOLE_PORT: 9000, CONSOLE_HOST: "10.0.0.5" })).toBe(
      "http://10.0.0.5:9000",
    );
  });

  it("is the console's only allowed origin, and no other platform's", () => {
    const origins = attachmentOrigins({ CONSOLE_PORT: 8095 });
    expect(origins.console).toEqual(["http://127.0.0.1:8095"]);
    expect(origins.discord).not.toContain("http://127.0.0.1:8095");
    expect(origins.slack).not.toContain("http://127.0.0.1:8095");
  });
});
