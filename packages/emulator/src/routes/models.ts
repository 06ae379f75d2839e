import { Hono } from "hono";
import type { ModelDefinition } from "../model-definition.ts";
import { openapiSchema } from "../models/openapi-schema.ts";
import { paginate } from "../pagination.ts";
import { notFound } from "../problem.ts";
import type { EmulatorServices } from "../services.ts";

/** The version object of a model. */
export function versionJson(model: ModelDefinition) {
  return {
    id: model.versionId,
    created_at: model.versionCreatedAt,
    cog_version: "0.9.4",
    openapi_schema: openapiSchema(model),
  };
}

/** The model object, as `GET /v1/models/{owner}/{name}` returns it. */
export function modelJson(model: ModelDefinition) {
  return {
    url: `https://replicate.com/${model.owner}/${model.name}`,
    owner: model.owner,
    name: model.name,
    description: model.description,
    visibility: "public",
    is_official: model.isOfficial,
    github_url: null,
    paper_url: null,
    license_url: null,
    run_count: 0,
    cover_image_url: null,
    default_example: null,
    latest_version: versionJson(model),
  };
}

/** Model and version routes under `/v1`. */
export function modelRoutes(services: EmulatorServices): Hono {
  const { registry, urls, options } = services;
  const app = new Hono();

  app.get("/models", (c) => {
    const page = paginate(registry.all(), c.req.query("cursor"), options.pageSize, (cursor) => {
      return `${urls.baseUrl}/models?cursor=${cursor}`;
    });
    return c.json({ ...page, results: page.results.map(modelJson) });
  });

  app.get("/models/:owner/:name", (c) => {
    const model = registry.byName(c.req.param("owner"), c.req.param("name"));
    return model ? c.json(modelJson(model)) : notFound("The requested model does not exist.");
  });

  app.get("/models/:owner/:name/versions", (c) => {
    const model = registry.byName(c.req.param("owner"), c.req.param("name"));
    if (!model) return notFound("The requested model does not exist.");
    return c.json({ next: null, previous: null, results: [versionJson(model)] });
  });

  app.get("/models/:owner/:name/versions/:version", (c) => {
    const model = registry.byName(c.req.param("owner"), c.req.param("name"));
    if (!model) return notFound("The requested model does not exist.");
    if (model.versionId !== c.req.param("version")) return notFound("The requested version does not exist.");
    return c.json(versionJson(model));
  });

  app.get("/webhooks/default/secret", (c) => c.json({ key: options.webhookSecret }));

  return app;
}
