import type { Budget, ChatPlatforms, EditGovernor } from "@replibot/chat";
import type { Logger } from "@replibot/core";
import type { Database } from "@replibot/db";
import type { Producer, SharedCounters } from "@replibot/queue";
import type { Catalog, ReplicateClient } from "@replibot/replicate";
import type { Redis } from "ioredis";
import type { TranscribeConfig } from "./transcribe-audio.ts";

/** Settings the pipeline reads. */
export interface PipelineConfig {
  /** Where Replicate reaches apps/webhooks; webhook URLs are built on it. */
  publicUrl: string;
  /** The monthly limit of a tenant no admin has set. */
  defaultLimitNanos: bigint;
  /** OPERATOR_MONTHLY_CAP_USD: every tenant together, when set. */
  operatorCapNanos?: bigint;
  /** A job still queued after this ends as "timed out, not charged". */
  queueTimeoutMs: number;
  /** Least time between two interim edits of one answer. */
  interimIntervalMs: number;
  /** Whether Replicate can reach our webhooks; when not, predictions are followed by polling. */
  webhooksReachable: boolean;
  /** Members' words older than this are deleted, in tenants whose admin set no retention (CONVERSATION_RETENTION_DAYS). */
  conversationRetentionMs: number;
  /** How often the reconciler sweeps, and how long a job may go quiet before it looks. */
  reconcileEveryMs: number;
  staleAfterMs: number;
  /** The deployment's queue key prefix (QUEUE_PREFIX), where heartbeats and the last sweep are kept. */
  queuePrefix?: string;
  /** Where voice notes may be downloaded from, and how large and long they may be. */
  transcribe: TranscribeConfig;
  /** Prediction creates per minute the Replicate account allows, across every worker. */
  replicateCreatesPerMinute: number;
}

/** Everything the worker's handlers use, built once per process. */
export interface WorkerDeps {
  db: Database;
  redis: Redis;
  replicate: ReplicateClient;
  catalog: Catalog;
  platforms: ChatPlatforms;
  governor: EditGovernor;
  /** The account's create budget in the governor; every prediction create takes a slot of it first. */
  createBudget: Budget;
  producer: Producer;
  logger: Logger;
  config: PipelineConfig;
  /** Events for /metrics (governor waits, platform 429s, sweep actions, Replicate errors), summed in Redis. */
  counters: SharedCounters;
  now(): number;
}
