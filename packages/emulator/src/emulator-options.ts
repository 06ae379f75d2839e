import type { Logger } from "@replibot/core";
import { newWebhookSecret } from "./ids.ts";
import type { ModelSettings } from "./model-definition.ts";
import { defaultDeployments } from "./model-registry.ts";

/** Options of {@link createEmulator}; every field has a default. */
export interface EmulatorOptions {
  /** Interface to listen on. Default `127.0.0.1`. */
  host?: string;
  /** Port; default 0 (a random free port). */
  port?: number;
  /** Origin clients reach the emulator at (a trailing `/v1` is ignored); default `http://host:port`. */
  publicUrl?: string;
  /** Accepted API tokens; default any non-empty token. */
  tokens?: string[];
  /** `whsec_…` webhook signing secret; default a fresh random one. */
  webhookSecret?: string;
  /** Prediction creates per minute per token (token bucket, burst = the same). Default 600. */
  createLimitPerMinute?: number;
  /** Other API requests per minute per token. Default 3000. */
  otherLimitPerMinute?: number;
  /** LLM output rate. Default 200 tokens/s; 0 or Infinity emits without pausing. */
  tokensPerSecond?: number;
  /** Time every prediction spends in `starting` before it runs. Default 0. */
  coldStartMs?: number;
  /** Time per diffusion step of the image models. Default 50 ms. */
  imageStepMs?: number;
  /**
   * Grain added to every pixel of the image models' pictures, 0–255 (seeded, so still deterministic).
   * Default 0: smooth gradients that compress to a few tens of KB. Photo-like sizes (a 1024² PNG of about
   * 1 MB at 16) are for benchmarks that move realistic files.
   */
  imageGrain?: number;
  /** Multiplies simulated model work (Whisper's 0.1 s per audio second). Default 1. */
  timeScale?: number;
  /** A prompt containing this word trips the image safety checker. Default `nsfw-trigger`. */
  nsfwTriggerWord?: string;
  /** Attempt offsets of the `completed` webhook from its first attempt. Default 0, 2, 5, 10, 20, 40, 60 s. */
  webhookRetryScheduleMs?: number[];
  /** Timeout of one webhook attempt. Default 10 s. */
  webhookTimeoutMs?: number;
  /** Minimum gap between throttled `output`/`logs` webhooks of one prediction. Default 500 ms. */
  webhookThrottleMs?: number;
  /** Timeout when downloading a URL input from another origin. Default 30 s. */
  inputFetchTimeoutMs?: number;
  /** Largest upload accepted by `POST /v1/files`. Default 100 MiB. */
  maxFileSizeBytes?: number;
  /** Page size of list endpoints. Default 100. */
  pageSize?: number;
  /** Deployment `owner/name` → model `owner/name`. Default `replibot/chat` and `replibot/imagine`. */
  deployments?: Record<string, string>;
  /** Used for outbound webhooks and input downloads. Default `globalThis.fetch`. */
  fetch?: typeof fetch;
  logger?: Pick<Logger, "info" | "warn" | "error">;
}

/** Options with every default filled in. */
export interface ResolvedOptions {
  host: string;
  port: number;
  publicUrl: string | undefined;
  tokens: ReadonlySet<string> | null;
  webhookSecret: string;
  createLimitPerMinute: number;
  otherLimitPerMinute: number;
  coldStartMs: number;
  settings: ModelSettings;
  webhookRetryScheduleMs: number[];
  webhookTimeoutMs: number;
  webhookThrottleMs: number;
  inputFetchTimeoutMs: number;
  maxFileSizeBytes: number;
  pageSize: number;
  deployments: Record<string, string>;
  fetch: typeof fetch;
  logger: Pick<Logger, "info" | "warn" | "error"> | null;
}

/** Fills in defaults; rejects a malformed webhook secret early. */
export function resolveOptions(options: EmulatorOptions): ResolvedOptions {
  const webhookSecret = options.webhookSecret ?? newWebhookSecret();
  if (!/^whsec_[A-Za-z0-9+/]+={0,2}$/.test(webhookSecret)) {
    throw new Error("webhookSecret must look like whsec_<base64>");
  }
  return {
    host: options.host ?? "127.0.0.1",
    port: options.port ?? 0,
    publicUrl: options.publicUrl,
    tokens: options.tokens && options.tokens.length > 0 ? new Set(options.tokens) : null,
    webhookSecret,
    createLimitPerMinute: options.createLimitPerMinute ?? 600,
    otherLimitPerMinute: options.otherLimitPerMinute ?? 3000,
    coldStartMs: options.coldStartMs ?? 0,
    settings: {
      tokensPerSecond: options.tokensPerSecond ?? 200,
      imageStepMs: options.imageStepMs ?? 50,
      imageGrain: Math.min(255, Math.max(0, options.imageGrain ?? 0)),
      timeScale: options.timeScale ?? 1,
      nsfwTriggerWord: options.nsfwTriggerWord ?? "nsfw-trigger",
    },
    webhookRetryScheduleMs: options.webhookRetryScheduleMs ?? [
      0, 2_000, 5_000, 10_000, 20_000, 40_000, 60_000,
    ],
    webhookTimeoutMs: options.webhookTimeoutMs ?? 10_000,
    webhookThrottleMs: options.webhookThrottleMs ?? 500,
    inputFetchTimeoutMs: options.inputFetchTimeoutMs ?? 30_000,
    maxFileSizeBytes: options.maxFileSizeBytes ?? 100 * 1024 * 1024,
    pageSize: options.pageSize ?? 100,
    deployments: options.deployments ?? { ...defaultDeployments },
    fetch: options.fetch ?? globalThis.fetch,
    logger: options.logger ?? null,
  };
}
