import { type JobName, type JobPayload, jobCatalog } from "@replibot/core";

/**
 * The version of the job payloads this release writes. Bump it when a payload's shape changes, and
 * keep a reader of the previous version in {@link payloadReaders}: during a rolling deploy workers of
 * both releases take jobs from the same queues.
 */
export const JOB_PAYLOAD_VERSION = 1;

/** The payload field that carries the version. Payloads written before versions existed have none. */
export const PAYLOAD_VERSION_FIELD = "payloadVersion";

/** Turns the fields of one payload version (the version field removed) into this release's fields. */
export type PayloadReader = (name: JobName, fields: Record<string, unknown>) => Record<string, unknown>;

/**
 * The versions this release reads. 0 is the release before versions (the same fields, no version
 * field); 1 is this release's. A version missing here is a newer release's: see {@link readJobPayload}.
 */
export const payloadReaders: Readonly<Record<number, PayloadReader>> = {
  0: (_name, fields) => fields,
  1: (_name, fields) => fields,
};

/** What {@link readJobPayload} made of a job's data. */
export type ReadPayload<N extends JobName> =
  | { ok: true; version: number; payload: JobPayload<N> }
  /** Written by a newer release: leave it for a worker that knows it, never drop or fail it. */
  | { ok: false; reason: "unknown_version"; version: number }
  /** Not a payload any release writes: retrying cannot help. */
  | { ok: false; reason: "invalid"; message: string };

/** The data BullMQ stores for a job: this release's version and the catalog's validated fields. */
export function writeJobPayload<N extends JobName>(name: N, payload: JobPayload<N>): Record<string, unknown> {
  const fields = jobCatalog[name].parse(payload) as Record<string, unknown>;
  return { ...fields, [PAYLOAD_VERSION_FIELD]: JOB_PAYLOAD_VERSION };
}

/**
 * Reads a job's data: its version (none means 0, the release before versions), that version's reader,
 * then the catalog's schema. An unknown version is reported, not guessed at: a newer release may have
 * changed what the fields mean.
 */
export function readJobPayload<N extends JobName>(
  name: N,
  data: unknown,
  readers: Readonly<Record<number, PayloadReader>> = payloadReaders,
): ReadPayload<N> {
  if (typeof data !== "object" || data === null || Array.isArray(data)) {
    return { ok: false, reason: "invalid", message: `invalid ${name} payload: not an object` };
  }
  const { [PAYLOAD_VERSION_FIELD]: given, ...fields } = data as Record<string, unknown>;
  const version = given === undefined ? 0 : given;
  if (typeof version !== "number" || !Number.isSafeInteger(version) || version < 0) {
    return {
      ok: false,
      reason: "invalid",
      message: `invalid ${name} payload: ${PAYLOAD_VERSION_FIELD} ${JSON.stringify(given)} is not a version`,
    };
  }
  const reader = Object.hasOwn(readers, version) ? readers[version] : undefined;
  if (!reader) return { ok: false, reason: "unknown_version", version };
  const parsed = jobCatalog[name].safeParse(reader(name, fields));
  if (!parsed.success) {
    return {
      ok: false,
      reason: "invalid",
      message: `invalid ${name} payload (version ${version}): ${parsed.error.issues[0]?.message}`,
    };
  }
  return { ok: true, version, payload: parsed.data as JobPayload<N> };
}
