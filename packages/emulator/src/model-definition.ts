import type { InputSchema } from "./input-validation.ts";

/** Bytes fetched for a URL input, with their content type when known. */
export interface ResolvedInput {
  bytes: Uint8Array;
  contentType: string | null;
}

/** What a demo model can do while it runs. */
export interface ModelRunContext {
  /** Validated input with schema defaults applied. */
  input: Record<string, unknown>;
  /** Aborted when the prediction is canceled, hits its deadline, or the emulator closes. */
  signal: AbortSignal;
  /** Appends one line (a newline is added) to the logs. */
  log(line: string): void;
  /** Appends one item to an array output (LLM tokens, image URLs) and streams it. */
  appendOutput(item: string): void;
  /** Replaces the whole output. */
  setOutput(output: unknown): void;
  /** Waits on the emulator's clock; rejects when `signal` aborts. */
  sleep(ms: number): Promise<void>;
  /** The emulator's current time in epoch ms. */
  now(): number;
  /** Stores an output file and returns its absolute URL on the emulator. */
  saveFile(bytes: Uint8Array, contentType: string, name: string): string;
  /** Bytes of a URL input: an emulator file or output URL, a `data:` URI, or any http(s) URL. */
  fetchInput(url: string): Promise<ResolvedInput>;
  settings: ModelSettings;
}

/** Emulator-wide knobs the demo models read. */
export interface ModelSettings {
  tokensPerSecond: number;
  imageStepMs: number;
  /** Seeded per-pixel noise of the image models, 0 (none) to 255. */
  imageGrain: number;
  timeScale: number;
  nsfwTriggerWord: string;
}

/** What a finished run reports; the runner adds `predict_time` (measured unless given) and `total_time`. */
export interface ModelRunResult {
  metrics?: Record<string, number>;
  /** Billed seconds when the model simulates its work rather than measuring it (Whisper). */
  predictTimeSeconds?: number;
}

/** A failure the model reports as the prediction's `error` (status `failed`). */
export class ModelError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "ModelError";
  }
}

/** A model the emulator serves: its identity, version, schema and behaviour. */
export interface ModelDefinition {
  owner: string;
  name: string;
  description: string;
  isOfficial: boolean;
  /** A 64-hex id for community models; `dp-<32hex>` for official ones. */
  versionId: string;
  versionCreatedAt: string;
  input: InputSchema;
  output: Record<string, unknown>;
  /** Text models get a `urls.stream` under `/v1/streams/`. */
  streamsText: boolean;
  run(context: ModelRunContext): Promise<ModelRunResult>;
  /** Unit counters of a run that ended early (canceled, failed), so unit billing sees what was produced. */
  partialMetrics?(input: Record<string, unknown>, output: unknown): Record<string, number>;
}
