import { apiErrors } from "./api-error.ts";

/** A `files[n]` part of a multipart request. */
export interface UploadedFile {
  /** The form field, e.g. `files[0]`. */
  field: string;
  filename: string;
  contentType: string;
  bytes: Uint8Array;
}

/** A request body: nothing, JSON, or multipart with `payload_json` and file parts. */
export type RequestBody =
  | { kind: "none" }
  | { kind: "json"; json: unknown }
  | { kind: "multipart"; json: unknown; files: UploadedFile[] };

/** Parses a body the way Discord does: JSON, or multipart/form-data whose `payload_json` holds the JSON. */
export async function parseRequestBody(raw: Buffer, contentType: string | undefined): Promise<RequestBody> {
  if (raw.byteLength === 0) return { kind: "none" };
  const type = (contentType ?? "").toLowerCase();
  if (type.startsWith("multipart/form-data")) {
    // Node's fetch Response parses multipart with no dependency (contract §1.5).
    const form = await new Response(new Uint8Array(raw), {
      headers: { "content-type": contentType ?? "" },
    }).formData();
    const files: UploadedFile[] = [];
    let json: unknown = {};
    for (const [field, value] of form.entries()) {
      if (typeof value === "string") {
        if (field === "payload_json") json = parseJson(value);
        continue;
      }
      files.push({
        field,
        filename: value.name,
        contentType: value.type || "application/octet-stream",
        bytes: new Uint8Array(await value.arrayBuffer()),
      });
    }
    return { kind: "multipart", json, files };
  }
  if (type.startsWith("application/json")) return { kind: "json", json: parseJson(raw.toString("utf8")) };
  throw apiErrors.invalidJson();
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    throw apiErrors.invalidJson();
  }
}

/** The JSON of a body (`payload_json` for multipart), or undefined when there is none. */
export function bodyJson(body: RequestBody): unknown {
  return body.kind === "none" ? undefined : body.json;
}

/** The uploaded files of a body (none unless multipart). */
export function bodyFiles(body: RequestBody): UploadedFile[] {
  return body.kind === "multipart" ? body.files : [];
}
