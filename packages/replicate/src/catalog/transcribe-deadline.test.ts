import { describe, expect, it } from "vitest";
import { Catalog, transcribeDeadlineSecs, type WhisperModel } from "./catalog.ts";
import { defaultCatalogData } from "./default-catalog.ts";
import { worstCaseCostNanos } from "./worst-case-cost.ts";

const whisper = Catalog.parse(defaultCatalogData).commands.transcribe.models[0] as WhisperModel;

describe("a transcription's deadline and hold", () => {
  it("scales with the recording, within Replicate's minimum and the model's maximum", () => {
    expect(transcribeDeadlineSecs(whisper, 0)).toBe(30);
    expect(transcribeDeadlineSecs(whisper, 3.2)).toBe(32); // 30 + 1.6, rounded up
    expect(transcribeDeadlineSecs(whisper, 600)).toBe(330);
    expect(transcribeDeadlineSecs(whisper, 5_000)).toBe(whisper.maxRunSecs);
    expect(
      transcribeDeadlineSecs({ ...whisper, deadlineBaseSecs: 5, deadlineSecsPerAudioSec: 0.01 }, 0),
    ).toBe(5);
  });

  it("holds the deadline × the hardware price, not the model's longest run", () => {
    const held = worstCaseCostNanos(whisper, { audio: "https://example/a.ogg" }, { deadlineSecs: 34 });
    expect(held.costNanos).toBe(34n * 225_000n);
    expect(worstCaseCostNanos(whisper, {}).costNanos).toBe(BigInt(whisper.maxRunSecs) * 225_000n);
  });
});
