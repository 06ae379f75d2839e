import { createHmac, randomBytes, timingSafeEqual } from "node:crypto";
import type { FakeClock } from "../clock.ts";
import type { IdFactory } from "./snowflake.ts";
import type { StoredAttachment } from "./state.ts";

/** What an upload needs besides its bytes. */
export interface AttachmentInput {
  filename: string;
  contentType?: string;
  description?: string | null;
  title?: string | null;
  durationSecs?: number | null;
  waveform?: string | null;
}

/** The fake CDN: stores uploaded bytes and serves them back at signed, expiring URLs. */
export interface FakeCdn {
  /** Stores bytes under a channel and returns the attachment record. */
  store(channelId: string, bytes: Uint8Array, input: AttachmentInput): StoredAttachment;
  /** Signs a path the way Discord does since Dec 2023 (`?ex=&is=&hm=`). */
  url(path: string): string;
  /** The bytes for a CDN request, or null for unknown, unsigned or expired links (Discord answers 404). */
  serve(path: string, query: URLSearchParams): StoredAttachment | null;
}

// Discord's CDN rewrites anything outside this set to an underscore.
const sanitize = (name: string) => name.replace(/[^\w.-]/g, "_") || "unknown";

/** Creates a CDN that signs with a per-fake secret and checks expiry on the fake clock. */
export function createFakeCdn(deps: {
  origin: string;
  clock: FakeClock;
  ids: IdFactory;
  /** How long a signed link works; Discord's last about 24 h. */
  urlTtlMs: number;
}): FakeCdn {
  const secret = randomBytes(32);
  const files = new Map<string, StoredAttachment>();
  const sign = (path: string, ex: string, is: string) =>
    createHmac("sha256", secret).update(`${path}|${ex}|${is}`).digest("hex");

  return {
    store(channelId, bytes, input) {
      const id = deps.ids.snowflake();
      const filename = sanitize(input.filename);
      const attachment: StoredAttachment = {
        id,
        filename,
        contentType: input.contentType ?? "application/octet-stream",
        bytes: new Uint8Array(bytes),
        path: `/attachments/${channelId}/${id}/${filename}`,
        description: input.description ?? null,
        title: input.title ?? null,
        durationSecs: input.durationSecs ?? null,
        waveform: input.waveform ?? null,
      };
      files.set(attachment.path, attachment);
      return attachment;
    },
    url(path) {
      const issuedSec = Math.floor(deps.clock.now() / 1000);
      const ex = Math.floor((deps.clock.now() + deps.urlTtlMs) / 1000).toString(16);
      const is = issuedSec.toString(16);
      return `${deps.origin}${path}?ex=${ex}&is=${is}&hm=${sign(path, ex, is)}&`;
    },
    serve(path, query) {
      const attachment = files.get(path);
      const ex = query.get("ex");
      const is = query.get("is");
      const hm = query.get("hm");
      if (!attachment || !ex || !is || !hm) return null;
      const expected = Buffer.from(sign(path, ex, is));
      const given = Buffer.from(hm);
      if (expected.length !== given.length || !timingSafeEqual(expected, given)) return null;
      if (Number.parseInt(ex, 16) * 1000 < deps.clock.now()) return null;
      return attachment;
    },
  };
}
