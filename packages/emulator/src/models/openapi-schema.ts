import type { ModelDefinition } from "../model-definition.ts";

/** The cog-style OpenAPI document of a model version, as `openapi_schema` carries it. */
export function openapiSchema(model: ModelDefinition): Record<string, unknown> {
  return {
    openapi: "3.0.2",
    info: { title: "Cog", version: "0.1.0" },
    paths: {},
    components: {
      schemas: {
        Input: model.input,
        Output: model.output,
        Status: {
          type: "string",
          title: "Status",
          enum: ["starting", "processing", "succeeded", "canceled", "failed"],
        },
      },
    },
  };
}
