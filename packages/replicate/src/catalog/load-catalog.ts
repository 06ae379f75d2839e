import { readFile } from "node:fs/promises";
import { AppError } from "@replibot/core";
import { type Document, LineCounter, parseDocument } from "yaml";
import type { z } from "zod";
import { Catalog } from "./catalog.ts";
import { defaultCatalogData } from "./default-catalog.ts";
import { jsonErrorOffset, lineAt } from "./json-error-offset.ts";

/** Options of {@link loadCatalog}. */
export interface LoadCatalogOptions {
  /** MODELS_FILE: a YAML or JSON catalog replacing the built-in one. Empty or absent: built-in. */
  file?: string;
  /** Reads the file; injectable for tests. */
  readText?: (file: string) => Promise<string>;
}

/**
 * The model catalog: the built-in one, or the MODELS_FILE given, which replaces it whole. A file
 * that cannot be read or parsed, or breaks a rule, is an AppError("config_invalid") naming the
 * file, the line and what is wrong.
 */
export async function loadCatalog(options: LoadCatalogOptions = {}): Promise<Catalog> {
  if (!options.file) return Catalog.parse(defaultCatalogData);
  const read = options.readText ?? ((file: string) => readFile(file, "utf8"));
  let text: string;
  try {
    text = await read(options.file);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new AppError("config_invalid", `MODELS_FILE ${options.file} cannot be read: ${reason}`);
  }
  return parseCatalogText(text, options.file);
}

/** Parses catalog text; `.json` files as JSON, anything else as YAML. */
export function parseCatalogText(text: string, fileName: string): Catalog {
  const isJson = fileName.toLowerCase().endsWith(".json");
  const lineCounter = new LineCounter();
  let data: unknown;
  let doc: Document | undefined;
  if (isJson) {
    try {
      data = JSON.parse(text);
    } catch (error) {
      const offset = jsonErrorOffset(text) ?? text.length;
      const reason = error instanceof Error ? error.message : String(error);
      throw configError(fileName, lineAt(text, offset), `not valid JSON: ${reason}`);
    }
    // JSON is YAML: parsing it again gives the positions that zod issues are reported at.
    const located = parseDocument(text, { lineCounter });
    doc = located.errors.length === 0 ? located : undefined;
  } else {
    doc = parseDocument(text, { lineCounter, uniqueKeys: true });
    const [first] = doc.errors;
    if (first) {
      const line = first.linePos?.[0].line ?? 1;
      throw configError(fileName, line, `not valid YAML: ${first.message.split(" at line ")[0]}`);
    }
    data = doc.toJS();
  }
  const parsed = Catalog.safeParse(data);
  if (parsed.success) return parsed.data;
  const problems = parsed.error.issues.slice(0, 10).map((issue) => {
    const line = doc ? lineOfPath(doc, lineCounter, issue.path) : undefined;
    const where = issue.path.length > 0 ? issue.path.join(".") : "(top level)";
    // zod says "expected string, received undefined" for a key that is simply not there.
    const message = issue.message.replace(
      /^Invalid input: expected (.+), received undefined$/,
      "missing ($1 expected)",
    );
    return `${line === undefined ? "" : `line ${line}: `}${where}: ${message}`;
  });
  throw new AppError("config_invalid", `MODELS_FILE ${fileName} is invalid: ${problems.join("; ")}`);
}

function configError(fileName: string, line: number, reason: string): AppError {
  return new AppError("config_invalid", `MODELS_FILE ${fileName} line ${line}: ${reason}`);
}

/** The line of the deepest node on `path` that exists (a missing key points at its parent). */
function lineOfPath(
  doc: Document,
  lineCounter: LineCounter,
  path: z.core.$ZodIssue["path"],
): number | undefined {
  for (let length = path.length; length >= 0; length--) {
    const keys = path.slice(0, length).map((key) => (typeof key === "symbol" ? String(key) : key));
    const node = length === 0 ? doc.contents : doc.getIn(keys, true);
    const range = (node as { range?: [number, number, number] } | null | undefined)?.range;
    if (range) return lineCounter.linePos(range[0]).line;
  }
  return undefined;
}
