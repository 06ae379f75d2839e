import { createHash } from "node:crypto";
import { newFileId } from "./ids.ts";
import type { PublicUrls } from "./public-urls.ts";

/** How long an uploaded file lives, like Replicate's Files API. */
export const fileLifetimeMs = 24 * 60 * 60 * 1000;

/** A file uploaded through `POST /v1/files`. */
export interface StoredFile {
  id: string;
  name: string;
  contentType: string;
  bytes: Uint8Array;
  metadata: Record<string, unknown>;
  createdAtMs: number;
  expiresAtMs: number;
  md5: string;
  sha256: string;
}

/** The Files API object. */
export interface FileJson {
  id: string;
  name: string;
  content_type: string;
  size: number;
  etag: string;
  checksums: { sha256: string; md5: string };
  metadata: Record<string, unknown>;
  created_at: string;
  expires_at: string;
  urls: { get: string };
}

/** Uploaded files; expired ones read as missing. */
export interface FileStore {
  create(file: {
    bytes: Uint8Array;
    name: string;
    contentType: string;
    metadata: Record<string, unknown>;
  }): StoredFile;
  get(id: string): StoredFile | undefined;
  /** Live files, newest first. */
  list(): StoredFile[];
  delete(id: string): boolean;
  clear(): void;
}

/** Creates an empty store on the given clock. */
export function createFileStore(now: () => number): FileStore {
  const files = new Map<string, StoredFile>();
  const live = (file: StoredFile | undefined) => (file && file.expiresAtMs > now() ? file : undefined);
  return {
    create(input) {
      const createdAtMs = now();
      const file: StoredFile = {
        ...input,
        id: newFileId(),
        createdAtMs,
        expiresAtMs: createdAtMs + fileLifetimeMs,
        md5: createHash("md5").update(input.bytes).digest("hex"),
        sha256: createHash("sha256").update(input.bytes).digest("hex"),
      };
      files.set(file.id, file);
      return file;
    },
    get: (id) => live(files.get(id)),
    list: () => [...files.values()].filter((file) => live(file)).reverse(),
    delete: (id) => files.delete(id),
    clear: () => files.clear(),
  };
}

/** The API view of a stored file. */
export function toFileJson(file: StoredFile, urls: PublicUrls): FileJson {
  return {
    id: file.id,
    name: file.name,
    content_type: file.contentType,
    size: file.bytes.length,
    etag: file.md5,
    checksums: { sha256: file.sha256, md5: file.md5 },
    metadata: file.metadata,
    created_at: new Date(file.createdAtMs).toISOString(),
    expires_at: new Date(file.expiresAtMs).toISOString(),
    urls: { get: urls.file(file.id) },
  };
}
