import { isAppError } from "@replibot/core";
import type { ReplicateClient } from "../replicate-client.ts";
import { type Catalog, catalogModels } from "./catalog.ts";

/** A catalog entry Replicate does not know. */
export interface CatalogModelProblem {
  id: string;
  model: string;
  version?: string;
  reason: "model_not_found" | "version_not_found";
  message: string;
}

/**
 * Asks Replicate whether each catalog model (and its pinned version) exists; returns those that do
 * not, empty when all do. Other failures (bad token, outage) throw: they say nothing about the catalog.
 */
export async function checkCatalogModels(
  client: Pick<ReplicateClient, "getModel" | "getModelVersion">,
  catalog: Catalog,
  options: { signal?: AbortSignal } = {},
): Promise<CatalogModelProblem[]> {
  const checks = catalogModels(catalog).map(async (entry): Promise<CatalogModelProblem | undefined> => {
    try {
      await client.getModel(entry.model, options);
    } catch (error) {
      if (!isAppError(error, "not_found")) throw error;
      return {
        id: entry.id,
        model: entry.model,
        reason: "model_not_found",
        message: `${entry.id}: model ${entry.model} does not exist on Replicate (or this token cannot see it)`,
      };
    }
    if (entry.version === undefined) return undefined;
    try {
      await client.getModelVersion(entry.model, entry.version, options);
      return undefined;
    } catch (error) {
      if (!isAppError(error, "not_found")) throw error;
      return {
        id: entry.id,
        model: entry.model,
        version: entry.version,
        reason: "version_not_found",
        message: `${entry.id}: ${entry.model} has no version ${entry.version}`,
      };
    }
  });
  const results = await Promise.all(checks);
  return results.filter((problem): problem is CatalogModelProblem => problem !== undefined);
}
