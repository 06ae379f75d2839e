import type { ModelDefinition } from "./model-definition.ts";
import { fluxSchnellModel } from "./models/flux-schnell.ts";
import { llamaModel } from "./models/llama.ts";
import { sdxlModel } from "./models/sdxl.ts";
import { whisperModel } from "./models/whisper.ts";

/** The demo deployments: `owner/name` of the deployment → `owner/name` of its model. */
export const defaultDeployments: Readonly<Record<string, string>> = {
  "replibot/chat": "meta/meta-llama-3-8b-instruct",
  "replibot/imagine": "black-forest-labs/flux-schnell",
};

/** Where a version string in `POST /v1/predictions` points. */
export type VersionLookup = { ok: true; model: ModelDefinition } | { ok: false };

/** Models and deployments the emulator serves. */
export interface ModelRegistry {
  all(): readonly ModelDefinition[];
  byName(owner: string, name: string): ModelDefinition | undefined;
  /** Resolves a bare id (64-hex or `dp-…`), `owner/name:<id>`, or `owner/name` of an official model. */
  byVersion(version: string): VersionLookup;
  byDeployment(owner: string, name: string): ModelDefinition | undefined;
}

/** The five demo models: two Llama 3 chat models, flux-schnell, SDXL and Whisper. */
export function demoModels(): ModelDefinition[] {
  return [
    llamaModel("meta-llama-3-70b-instruct"),
    llamaModel("meta-llama-3-8b-instruct"),
    fluxSchnellModel(),
    sdxlModel(),
    whisperModel(),
  ];
}

/** Builds a registry; deployments naming an unknown model are rejected at start. */
export function createModelRegistry(
  models: readonly ModelDefinition[],
  deployments: Readonly<Record<string, string>>,
): ModelRegistry {
  const byFullName = new Map(models.map((model) => [`${model.owner}/${model.name}`, model]));
  const byVersionId = new Map(models.map((model) => [model.versionId, model]));
  const deploymentModels = new Map<string, ModelDefinition>();
  for (const [deployment, modelName] of Object.entries(deployments)) {
    const model = byFullName.get(modelName);
    if (!model) throw new Error(`deployment ${deployment} names unknown model ${modelName}`);
    deploymentModels.set(deployment, model);
  }
  return {
    all: () => models,
    byName: (owner, name) => byFullName.get(`${owner}/${name}`),
    byVersion(version) {
      const withName = /^([^/]+\/[^/:]+):(.+)$/.exec(version);
      if (withName) {
        const model = byFullName.get(withName[1] ?? "");
        return model && model.versionId === withName[2] ? { ok: true, model } : { ok: false };
      }
      const named = byFullName.get(version);
      if (named) return named.isOfficial ? { ok: true, model: named } : { ok: false };
      const model = byVersionId.get(version);
      return model ? { ok: true, model } : { ok: false };
    },
    byDeployment: (owner, name) => deploymentModels.get(`${owner}/${name}`),
  };
}
