import type { Handlers } from "@replibot/queue";
import type { WorkerDeps } from "../deps.ts";
import { cancelJob } from "./cancel.ts";
import { completeJob } from "./complete.ts";
import { reconcile } from "./reconcile.ts";
import { resumeRelay } from "./relay.ts";
import { runJob } from "./run.ts";

/** Every catalog job's handler, bound to this process's dependencies. */
export function pipelineHandlers(deps: WorkerDeps): Handlers {
  return {
    run: (payload, context) => runJob(deps, payload, context),
    relay: (payload, context) => resumeRelay(deps, payload.jobId, context.signal),
    complete: (payload) => completeJob(deps, payload),
    cancel: (payload) => cancelJob(deps, payload),
    reconcile: () => reconcile(deps),
  };
}
