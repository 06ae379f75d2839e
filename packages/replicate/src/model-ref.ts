import { AppError } from "@replibot/core";

/** A model named `owner/name`, optionally pinned to a version (`owner/name:version`). */
export interface ModelRef {
  owner: string;
  name: string;
  version?: string;
}

const refPattern = /^([A-Za-z0-9][\w.-]*)\/([A-Za-z0-9][\w.-]*)(?::([A-Za-z0-9]+))?$/;

/** Parses `owner/name` or `owner/name:version`; anything else is an AppError("invalid_input"). */
export function parseModelRef(ref: string): ModelRef {
  const match = refPattern.exec(ref);
  if (!match) {
    throw new AppError(
      "invalid_input",
      `not a model reference: "${ref.slice(0, 80)}" (use owner/name[:version])`,
    );
  }
  const [, owner = "", name = "", version] = match;
  return version === undefined ? { owner, name } : { owner, name, version };
}

/** `owner/name` or `owner/name:version`, the inverse of {@link parseModelRef}. */
export function formatModelRef(ref: ModelRef): string {
  const base = `${ref.owner}/${ref.name}`;
  return ref.version === undefined ? base : `${base}:${ref.version}`;
}
