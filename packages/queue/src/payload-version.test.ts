import { describe, expect, it } from "vitest";
import { deferDelayMs } from "./consumer.ts";
import {
  JOB_PAYLOAD_VERSION,
  PAYLOAD_VERSION_FIELD,
  payloadReaders,
  readJobPayload,
  writeJobPayload,
} from "./payload-version.ts";

describe("job payload versions", () => {
  it("writes this release's version beside the catalog's fields", () => {
    expect(writeJobPayload("run", { jobId: "discord-1" })).toEqual({
      jobId: "discord-1",
      [PAYLOAD_VERSION_FIELD]: JOB_PAYLOAD_VERSION,
    });
    expect(writeJobPayload("reconcile", {})).toEqual({ [PAYLOAD_VERSION_FIELD]: JOB_PAYLOAD_VERSION });
    expect(() => writeJobPayload("run", { jobId: "a:b" })).toThrow(/colon/);
  });

  it("reads what it writes, for every job name", () => {
    const payloads = {
      run: { jobId: "discord-1" },
      relay: { jobId: "discord-1" },
      complete: { jobId: "slack-2", predictionId: "p1", source: "webhook" },
      cancel: { jobId: "slack-2", byUserId: "U1" },
      reconcile: {},
    } as const;
    for (const [name, payload] of Object.entries(payloads) as [keyof typeof payloads, never][]) {
      expect(readJobPayload(name, writeJobPayload(name, payload))).toEqual({
        ok: true,
        version: JOB_PAYLOAD_VERSION,
        payload,
      });
    }
  });

  it("reads the previous release's payloads, which carry no version, as version 0", () => {
    expect(readJobPayload("run", { jobId: "discord-1" })).toEqual({
      ok: true,
      version: 0,
      payload: { jobId: "discord-1" },
    });
    expect(
      readJobPayload("complete", { jobId: "discord-1", predictionId: "p1", source: "reconciler" }),
    ).toMatchObject({ ok: true, version: 0 });
    expect(readJobPayload("reconcile", {})).toEqual({ ok: true, version: 0, payload: {} });
    expect(Object.keys(payloadReaders).map(Number)).toEqual([0, JOB_PAYLOAD_VERSION]);
  });

  it("reports a newer release's version as unknown, whatever its fields", () => {
    expect(readJobPayload("run", { jobId: "discord-1", [PAYLOAD_VERSION_FIELD]: 2 })).toEqual({
      ok: false,
      reason: "unknown_version",
      version: 2,
    });
    // A newer release may have renamed every field: the version decides before the schema does.
    expect(readJobPayload("complete", { job: { id: "x" }, [PAYLOAD_VERSION_FIELD]: 7 })).toEqual({
      ok: false,
      reason: "unknown_version",
      version: 7,
    });
  });

  it("refuses what no release writes: a bad version, bad fields, not an object", () => {
    for (const version of [-1, 1.5, "1", null, true, Number.MAX_VALUE]) {
      const read = readJobPayload("run", { jobId: "discord-1", [PAYLOAD_VERSION_FIELD]: version });
      expect(read).toMatchObject({ ok: false, reason: "invalid" });
    }
    expect(readJobPayload("run", { jobId: "a:b", [PAYLOAD_VERSION_FIELD]: 1 })).toMatchObject({
      ok: false,
      reason: "invalid",
      message: expect.stringMatching(/^invalid run payload \(version 1\): .*colon/),
    });
    expect(readJobPayload("complete", { jobId: "discord-1" })).toMatchObject({
      ok: false,
      reason: "invalid",
    });
    for (const data of [null, "run", [], 42]) {
      expect(readJobPayload("run", data)).toMatchObject({ ok: false, reason: "invalid" });
    }
  });

  it("reads a version it is given a reader for, as the next release will", () => {
    const readers = {
      ...payloadReaders,
      2: (_name: string, fields: Record<string, unknown>) => ({ jobId: (fields.job as { id: string }).id }),
    };
    expect(readJobPayload("run", { job: { id: "discord-9" }, [PAYLOAD_VERSION_FIELD]: 2 }, readers)).toEqual({
      ok: true,
      version: 2,
      payload: { jobId: "discord-9" },
    });
  });

  it("waits a little longer at each pick-up of a newer release's job, at most 30 s", () => {
    expect([0, 1, 2, 3, 4, 5, 6, 7, 100].map(deferDelayMs)).toEqual([
      1_000, 1_000, 2_000, 4_000, 8_000, 16_000, 30_000, 30_000, 30_000,
    ]);
  });
});
