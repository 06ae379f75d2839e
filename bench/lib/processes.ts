import { type SpawnedApp, spawnNpm } from "../../test/helpers/spawn-app.ts";

/** Every app process group this run started, so none outlives it (even when a benchmark times out). */
const started = new Set<SpawnedApp>();

const running = (app: SpawnedApp) => app.child.exitCode === null && app.child.signalCode === null;

/** `npm start -w <workspace>` with `env`, as a deployment starts one app, remembered for `stopAll`. */
export function startApp(workspace: string, env: Record<string, string>): SpawnedApp {
  const app = spawnNpm(["start", "-w", workspace], env);
  started.add(app);
  return app;
}

/** SIGTERM (a clean shutdown, within the 10 s the design allows), then SIGKILL for what is left. */
export async function stopApp(app: SpawnedApp): Promise<void> {
  if (!running(app)) return void started.delete(app);
  const exited = app.exited();
  app.signal("SIGTERM");
  const timer = setTimeout(() => running(app) && app.signal("SIGKILL"), 12_000);
  await exited;
  clearTimeout(timer);
  started.delete(app);
}

/** Stops every app this run started and has not stopped yet. */
export async function stopAll(): Promise<void> {
  await Promise.all([...started].map(stopApp));
}

// Last resort when the runner exits abruptly: kill the groups it started, by their own ids only.
process.on("exit", () => {
  for (const app of started) {
    if (running(app) && app.child.pid !== undefined) {
      try {
        process.kill(-app.child.pid, "SIGKILL");
      } catch {
        // Already gone.
      }
    }
  }
});
