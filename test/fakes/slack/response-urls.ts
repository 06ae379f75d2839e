import type { FakeClock } from "../clock.ts";
import { blockErrors } from "./block-kit.ts";
import { botMessage } from "./chat-methods.ts";
import type { IdFactory } from "./ids.ts";
import { findMessage, type SlackState } from "./state.ts";

/** Slack: "up to 5 times within 30 minutes" (contract §2.3). */
export const responseUrlLimits = { maxPosts: 5, ttlMs: 30 * 60_000 };

/** One POST to a response_url, accepted or not. */
export interface ResponseUrlPost {
  at: number;
  body: unknown;
  status: number;
  accepted: boolean;
  /** The message it created or changed, if any. */
  ts: string | undefined;
}

interface ResponseUrl {
  id: string;
  teamId: string;
  channelId: string;
  userId: string;
  createdAt: number;
  /** The message `replace_original`/`delete_original` act on: the clicked one, or the last response. */
  originalTs: string | undefined;
  posts: ResponseUrlPost[];
}

/** The response_urls the fake handed out. */
export interface ResponseUrls {
  /** Hands out a new URL for a command or action in a channel; returns its id and URL. */
  issue(input: { teamId: string; channelId: string; userId: string; originalTs?: string }): {
    id: string;
    url: string;
  };
  /** Handles a POST to `/response/<id>`; returns the HTTP status and text. */
  post(id: string, body: unknown): { status: number; text: string };
  /** Every POST to one URL, refused ones included. */
  posts(id: string): readonly ResponseUrlPost[];
}

const truthy = (value: unknown) => value === true || value === "true";

/** Why Slack answers a response_url post with 400 (its body text), or null when the post is fine. */
function refuse(text: string, blocks: unknown, deleting: boolean): string | null {
  if (blocks !== undefined && blockErrors(blocks).length > 0) return "invalid_blocks";
  if (!deleting && text === "" && (!Array.isArray(blocks) || blocks.length === 0)) return "no_text";
  return null;
}

/** Creates the response_url host. */
export function createResponseUrls(deps: {
  state: SlackState;
  ids: IdFactory;
  clock: FakeClock;
  origin: string;
}): ResponseUrls {
  const { state, clock } = deps;
  const urls = new Map<string, ResponseUrl>();
  return {
    issue(input) {
      const id = deps.ids.secret();
      urls.set(id, { id, ...input, originalTs: input.originalTs, createdAt: clock.now(), posts: [] });
      return { id, url: `${deps.origin}/response/${id}` };
    },
    post(id, body) {
      const entry = urls.get(id);
      if (!entry) return { status: 404, text: "no_such_url" };
      const at = clock.now();
      const accepted = entry.posts.filter((p) => p.accepted).length;
      const record = (status: number, ok: boolean, ts?: string) => {
        entry.posts.push({ at, body, status, accepted: ok, ts });
      };
      if (accepted >= responseUrlLimits.maxPosts || at - entry.createdAt > responseUrlLimits.ttlMs) {
        record(404, false);
        return { status: 404, text: "expired_url" };
      }
      const fields = (typeof body === "object" && body !== null ? body : {}) as Record<string, unknown>;
      const team = state.teams.get(entry.teamId);
      if (!team) return { status: 404, text: "no_such_url" };
      const text = typeof fields.text === "string" ? fields.text : "";
      const blocks = fields.blocks === undefined || fields.blocks === null ? undefined : fields.blocks;
      const refusal = refuse(text, blocks, truthy(fields.delete_original));
      if (refusal) {
        record(400, false);
        return { status: 400, text: refusal };
      }
      const original = entry.originalTs ? findMessage(state, entry.channelId, entry.originalTs) : undefined;
      if (truthy(fields.delete_original) && original) {
        original.deleted = true;
        record(200, true, original.ts);
        return { status: 200, text: "ok" };
      }
      if (truthy(fields.replace_original) && original) {
        original.history.push({ text: original.text, blocks: original.blocks, at });
        original.text = text;
        original.blocks = blocks as unknown[] | undefined;
        record(200, true, original.ts);
        return { status: 200, text: "ok" };
      }
      const message = botMessage(deps, team, {
        channelId: entry.channelId,
        text,
        blocks: blocks as unknown[] | undefined,
        threadTs: typeof fields.thread_ts === "string" ? fields.thread_ts : undefined,
        // Slack's default for response_url posts is ephemeral.
        visibleTo: fields.response_type === "in_channel" ? undefined : entry.userId,
      });
      entry.originalTs = message.ts;
      record(200, true, message.ts);
      return { status: 200, text: "ok" };
    },
    posts: (id) => urls.get(id)?.posts ?? [],
  };
}
