import { describe, expect, it } from "vitest";
import { ASK_PROMPT_MAX, COMMAND_LINE_MAX, parseCommandLine } from "./command-line.ts";
import { looksLikeAudio } from "./voice.ts";

describe("parseCommandLine", () => {
  it("reads /ask with a multi-line question, /imagine with options, and /spend", () => {
    expect(parseCommandLine("/ask  Repeat exactly:\nhello ")).toEqual({
      ok: true,
      command: "ask",
      prompt: "Repeat exactly:\nhello",
    });
    expect(parseCommandLine("/IMAGINE a fox --ar 16:9 --seed 7 --no blur")).toEqual({
      ok: true,
      command: "imagine",
      options: { prompt: "a fox", aspectRatio: "16:9", seed: 7, negativePrompt: "blur" },
    });
    expect(parseCommandLine("/spend")).toEqual({ ok: true, command: "spend" });
    expect(parseCommandLine(" /spend show ")).toEqual({ ok: true, command: "spend" });
  });

  it("refuses empty prompts, unknown commands, plain text and lines past the limits, with the reason", () => {
    expect(parseCommandLine("")).toMatchObject({
      ok: false,
      reason: expect.stringContaining("Type a command"),
    });
    expect(parseCommandLine("hello")).toMatchObject({
      ok: false,
      reason: expect.stringContaining("Type a command"),
    });
    expect(parseCommandLine("/ask   ")).toMatchObject({
      ok: false,
      reason: expect.stringContaining("empty"),
    });
    expect(parseCommandLine("/imagine --ar 1:1")).toMatchObject({
      ok: false,
      reason: expect.stringContaining("empty"),
    });
    expect(parseCommandLine("/imagine a fox --size 3")).toMatchObject({
      ok: false,
      reason: expect.stringContaining("no option `--size`"),
    });
    expect(parseCommandLine("/dance now")).toMatchObject({
      ok: false,
      reason: expect.stringContaining("`/dance` is not a command here"),
    });
    expect(parseCommandLine("/spend export")).toMatchObject({ ok: false });
    expect(parseCommandLine(`/ask ${"a".repeat(ASK_PROMPT_MAX)}`)).toMatchObject({ ok: true });
    expect(parseCommandLine(`/ask ${"a".repeat(ASK_PROMPT_MAX + 1)}`)).toMatchObject({
      ok: false,
      reason: "Your prompt is too long: keep it under 4,000 characters.",
    });
    expect(parseCommandLine(`/imagine ${"a".repeat(2_001)}`)).toMatchObject({
      ok: false,
      reason: "Your prompt is too long: keep it under 2,000 characters.",
    });
    expect(parseCommandLine("x".repeat(COMMAND_LINE_MAX + 1))).toMatchObject({
      ok: false,
      reason: expect.stringContaining("too long"),
    });
  });
});

describe("looksLikeAudio", () => {
  it("takes audio types, WebM and MP4 recordings, and untyped files named like audio", () => {
    expect(looksLikeAudio({ name: "a.ogg", type: "audio/ogg; codecs=opus" })).toBe(true);
    expect(looksLikeAudio({ name: "rec", type: "video/webm" })).toBe(true);
    expect(looksLikeAudio({ name: "note.m4a", type: "" })).toBe(true);
    expect(looksLikeAudio({ name: "note.m4a", type: "application/octet-stream" })).toBe(true);
    expect(looksLikeAudio({ name: "page.html", type: "text/html" })).toBe(false);
    expect(looksLikeAudio({ name: "x.ogg", type: "image/png" })).toBe(false);
    expect(looksLikeAudio({ name: "notes.txt", type: "" })).toBe(false);
  });
});
