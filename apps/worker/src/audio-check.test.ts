import { makeM4a, makeOggOpus, makeWav, makeWebm } from "@replibot/emulator";
import { describe, expect, it } from "vitest";
import { checkAudio } from "./audio-check.ts";

describe("checkAudio", () => {
  it("reads the real duration of every container members post", async () => {
    const cases = [
      { made: makeOggOpus({ durationSeconds: 3.2 }), mimeType: "audio/ogg", seconds: 3.2 },
      { made: makeWav({ durationSeconds: 2 }), mimeType: "audio/wav", seconds: 2 },
      { made: makeM4a({ durationSeconds: 4.5 }), mimeType: "audio/mp4", seconds: 4.5 },
      { made: makeWebm({ durationSeconds: 6 }), mimeType: "audio/webm", seconds: 6 },
    ];
    for (const { made, mimeType, seconds } of cases) {
      const checked = await checkAudio(made, 600);
      expect(checked).toMatchObject({ ok: true, mimeType });
      if (checked.ok) expect(checked.durationSecs).toBeCloseTo(seconds, 1);
    }
  });

  it("refuses what only claims to be audio: text, an image, a truncated header", async () => {
    const png = Buffer.from("89504e470d0a1a0a0000000d49484452", "hex");
    const truncated = makeOggOpus({ durationSeconds: 2 }).subarray(0, 30);
    for (const bytes of [new TextEncoder().encode("hello, not audio"), png, truncated, new Uint8Array()]) {
      expect(await checkAudio(bytes, 600)).toMatchObject({ ok: false, code: "not_audio" });
    }
  });

  it("refuses recordings longer than the cap, saying both lengths", async () => {
    expect(await checkAudio(makeWav({ durationSeconds: 75 }), 60)).toEqual({
      ok: false,
      code: "too_long",
      reason: "the recording is 1:15 long; Replibot transcribes at most 1:00",
    });
  });
});
