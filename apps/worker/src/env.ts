import {
  databaseEnv,
  parseEnv,
  redisEnv,
  replicateEnv,
  requireTokenInProduction,
  runtimeEnv,
  spendEnv,
} from "@replibot/core";
import type { z } from "zod";

/** apps/worker settings: the only place this app reads process.env. */
export const WorkerEnv = databaseEnv
  .extend(redisEnv.shape)
  .extend(runtimeEnv.shape)
  .extend(replicateEnv.shape)
  .extend(spendEnv.shape)
  .superRefine(requireTokenInProduction);
export type WorkerEnv = z.output<typeof WorkerEnv>;

/** Parses this app's settings; throws one config_invalid line naming the variable. */
export function loadWorkerEnv(source: Record<string, string | undefined> = process.env): WorkerEnv {
  return parseEnv(WorkerEnv, source);
}
