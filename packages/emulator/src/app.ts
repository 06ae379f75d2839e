import { Hono } from "hono";
import type { EmulatorControl } from "./emulator-control.ts";
import { notFound, problemResponse } from "./problem.ts";
import { apiGuard } from "./routes/api-guard.ts";
import { controlRoutes } from "./routes/control-routes.ts";
import { fileRoutes } from "./routes/files.ts";
import { modelRoutes } from "./routes/models.ts";
import { predictionRoutes } from "./routes/predictions.ts";
import { publicRoutes } from "./routes/public-routes.ts";
import type { EmulatorServices } from "./services.ts";

/** The whole HTTP surface: public stream and file routes, the guarded `/v1` API, and `/_emulator`. */
export function createApp(services: EmulatorServices, control: EmulatorControl): Hono {
  const app = new Hono();

  app.use("*", async (c, next) => {
    await next();
    if (!c.req.path.startsWith("/_emulator")) {
      services.requests.add({
        method: c.req.method,
        path: c.req.path,
        status: c.res.status,
        at: new Date(services.clock.now()).toISOString(),
      });
    }
  });

  app.route("/", publicRoutes(services));
  app.route("/_emulator", controlRoutes(control));

  const api = new Hono();
  api.use("*", apiGuard(services));
  api.route("/", predictionRoutes(services));
  api.route("/", modelRoutes(services));
  api.route("/", fileRoutes(services));
  api.notFound(() => notFound());
  app.route("/v1", api);

  app.notFound(() => notFound());
  app.onError((error) => {
    services.options.logger?.error({ err: error }, "emulator request failed");
    return problemResponse({ title: "Internal Server Error", detail: error.message, status: 500 });
  });
  return app;
}
