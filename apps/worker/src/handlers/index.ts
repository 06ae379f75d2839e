import type { Handlers } from "@replibot/queue";
import type { WorkerDeps } from "../deps.ts";
import { cancelJob } from "./cancel.ts";
import { completeJob } from "./complete.ts";
import { reconcile } from "./reconcile.ts";
import { resumeRelay } from "./relay.ts";
import { runJob } from "./run.ts";

/** The jobs queue's handlers, bound to this process's dependencies: each returns within moments. */
export function pipelineHandlers(deps: WorkerDeps): Handlers {
  return {
    run: (payload, context) => runJob(deps, payload, context),
    // A relay handed back to the jobs queue by a worker older than the relays queue moves there.
    relay: (payload, context) => deps.producer.enqueue("relay", payload, { jobId: context.queueJobId }),
    complete: (payload) => completeJob(deps, payload),
    cancel: (payload) => cancelJob(deps, payload),
    reconcile: () => reconcile(deps),
  };
}

/** The relays queue's handler: follows a running prediction's stream or progress for minutes. */
export function relayHandlers(deps: WorkerDeps): Handlers {
  return {
    relay: (payload, context) => resumeRelay(deps, payload.jobId, context.signal),
  };
}
