import type { PublicUrls } from "./public-urls.ts";

/** Every status a prediction can have. */
export type PredictionStatus = "starting" | "processing" | "succeeded" | "failed" | "canceled" | "aborted";

/** Webhook event names, as in `webhook_events_filter`. */
export type WebhookEvent = "start" | "output" | "logs" | "completed";

/** All four webhook events: the default filter. */
export const allWebhookEvents: readonly WebhookEvent[] = ["start", "output", "logs", "completed"];

/** True for the states a prediction never leaves. */
export function isTerminal(status: PredictionStatus): boolean {
  return status !== "starting" && status !== "processing";
}

/** The emulator's mutable state of one prediction. */
export interface PredictionRecord {
  id: string;
  model: string;
  version: string;
  deployment: string | null;
  /** The input exactly as sent (file inputs stay URLs). */
  input: Record<string, unknown>;
  output: unknown;
  logs: string;
  error: string | null;
  status: PredictionStatus;
  createdAtMs: number;
  startedAtMs: number | null;
  completedAtMs: number | null;
  deadlineMs: number | null;
  metrics: Record<string, number> | null;
  webhook: string | null;
  webhookEventsFilter: WebhookEvent[] | null;
  /** Set for models that stream; the `/v1/streams/<token>` path segment. */
  streamToken: string | null;
}

/** The prediction object as the API returns it (and as webhooks carry it). */
export interface PredictionJson {
  id: string;
  model: string;
  version: string;
  input: Record<string, unknown>;
  logs: string;
  output: unknown;
  data_removed: boolean;
  error: string | null;
  status: PredictionStatus;
  created_at: string;
  started_at?: string;
  completed_at?: string;
  deadline?: string;
  deployment?: string;
  source: "api";
  urls: { cancel: string; get: string; stream?: string; web: string };
  metrics?: Record<string, number>;
  webhook?: string;
  webhook_events_filter?: WebhookEvent[];
}

const iso = (ms: number) => new Date(ms).toISOString();

/** The API view of a record; key order is fixed so GET and webhook bodies serialise identically. */
export function toPredictionJson(record: PredictionRecord, urls: PublicUrls): PredictionJson {
  const optional = <K extends string, V>(key: K, value: V | null) =>
    (value === null ? {} : { [key]: value }) as Partial<Record<K, V>>;
  const json: PredictionJson = {
    id: record.id,
    model: record.model,
    version: record.version,
    input: record.input,
    logs: record.logs,
    output: record.output,
    data_removed: false,
    error: record.error,
    status: record.status,
    created_at: iso(record.createdAtMs),
    ...optional("started_at", record.startedAtMs === null ? null : iso(record.startedAtMs)),
    ...optional("completed_at", record.completedAtMs === null ? null : iso(record.completedAtMs)),
    ...optional("deadline", record.deadlineMs === null ? null : iso(record.deadlineMs)),
    ...optional("deployment", record.deployment),
    source: "api",
    urls: {
      cancel: urls.cancel(record.id),
      get: urls.prediction(record.id),
      ...(record.streamToken ? { stream: urls.stream(record.streamToken) } : {}),
      web: urls.web(record.id),
    },
    ...optional("metrics", record.metrics),
    ...optional("webhook", record.webhook),
    ...optional("webhook_events_filter", record.webhookEventsFilter),
  };
  return json;
}
