import { describe, expect, it } from "vitest";
import { parseCancelAfter } from "./cancel-after.ts";
import { parsePreferWait } from "./prefer-wait.ts";

describe("parseCancelAfter", () => {
  it.each([
    ["30s", 30_000],
    ["5m", 300_000],
    ["1h30m45s", 5_445_000],
    ["90", 90_000],
    ["5", 5_000],
    ["1.5m", 90_000],
  ])("reads %s as %d ms", (header, ms) => {
    expect(parseCancelAfter(header)).toEqual({ ok: true, ms });
  });

  it.each(["4s", "4", "4999ms", "abc", "5x", ""])("rejects %j", (header) => {
    expect(parseCancelAfter(header).ok).toBe(false);
  });
});

describe("parsePreferWait", () => {
  it("clamps to 1..60 and echoes what was applied", () => {
    expect(parsePreferWait("wait")).toEqual({ seconds: 60, applied: "wait" });
    expect(parsePreferWait("wait=10")).toEqual({ seconds: 10, applied: "wait=10" });
    expect(parsePreferWait("wait=120")).toEqual({ seconds: 60, applied: "wait=60" });
    expect(parsePreferWait("wait=0")).toEqual({ seconds: 1, applied: "wait=1" });
    expect(parsePreferWait("respond-async")).toBeNull();
    expect(parsePreferWait(undefined)).toBeNull();
  });
});
