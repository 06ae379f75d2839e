import { Hono } from "hono";
import { paginate } from "../pagination.ts";
import { toPredictionJson } from "../prediction.ts";
import { notFound, problemResponse } from "../problem.ts";
import type { EmulatorServices } from "../services.ts";
import { createPrediction, readCreateBody } from "./create-prediction.ts";

const versionNotFound = () =>
  problemResponse({
    title: "Invalid version or not permitted",
    detail: "The specified version does not exist (or perhaps you don't have permission to use it?)",
    status: 404,
  });

/** Prediction routes under `/v1`: the three creates, get, list and cancel. */
export function predictionRoutes(services: EmulatorServices): Hono {
  const { registry, predictions, urls, options } = services;
  const app = new Hono();

  app.post("/predictions", async (c) => {
    const body = await readCreateBody(c);
    if (body instanceof Response) return body;
    if (!body.version) {
      return problemResponse({
        title: "Input validation failed",
        detail: "- version: version is required\n",
        status: 422,
        invalid_fields: [{ type: "required", field: "version", description: "version is required" }],
      });
    }
    const lookup = registry.byVersion(body.version);
    if (!lookup.ok) return versionNotFound();
    return createPrediction(c, services, body, { model: lookup.model, deployment: null });
  });

  app.post("/models/:owner/:name/predictions", async (c) => {
    const model = registry.byName(c.req.param("owner"), c.req.param("name"));
    if (!model) return notFound("The requested model does not exist.");
    // Only official models run without a version, as on Replicate.
    if (!model.isOfficial) return versionNotFound();
    const body = await readCreateBody(c);
    if (body instanceof Response) return body;
    return createPrediction(c, services, body, { model, deployment: null });
  });

  app.post("/deployments/:owner/:name/predictions", async (c) => {
    const deployment = `${c.req.param("owner")}/${c.req.param("name")}`;
    const model = registry.byDeployment(c.req.param("owner"), c.req.param("name"));
    if (!model) return notFound(`The deployment ${deployment} does not exist.`);
    const body = await readCreateBody(c);
    if (body instanceof Response) return body;
    return createPrediction(c, services, body, { model, deployment });
  });

  app.get("/predictions", (c) => {
    const after = Date.parse(c.req.query("created_after") ?? "");
    const before = Date.parse(c.req.query("created_before") ?? "");
    const newestFirst = predictions
      .all()
      .filter(
        (p) =>
          (Number.isNaN(after) || p.createdAtMs > after) && (Number.isNaN(before) || p.createdAtMs < before),
      )
      .reverse();
    const page = paginate(newestFirst, c.req.query("cursor"), options.pageSize, (cursor) => {
      const next = new URL(`${urls.baseUrl}/predictions`);
      for (const [key, value] of Object.entries(c.req.query()))
        if (key !== "cursor") next.searchParams.set(key, value);
      next.searchParams.set("cursor", cursor);
      return next.toString();
    });
    return c.json({ ...page, results: page.results.map((p) => toPredictionJson(p, urls)) });
  });

  app.get("/predictions/:id", (c) => {
    const record = predictions.get(c.req.param("id"));
    return record ? c.json(toPredictionJson(record, urls)) : notFound();
  });

  app.post("/predictions/:id/cancel", (c) => {
    const record = predictions.get(c.req.param("id"));
    if (!record) return notFound();
    services.runner.cancel(record);
    return c.json(toPredictionJson(record, urls));
  });

  return app;
}
