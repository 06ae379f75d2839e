import { apiErrors, invalidFormBody } from "./api-error.ts";
import type { FakeCdn } from "./cdn.ts";
import { withComponentIds } from "./component-tree.ts";
import { bodyFiles, bodyJson, type RequestBody } from "./request-body.ts";
import type { FakeState, StoredAttachment, StoredMessage } from "./state.ts";

/** Message fields a create or edit body sets; absent ones are left as they were on edit. */
export interface MessageFields {
  content?: string;
  embeds?: unknown[];
  components?: unknown[];
  attachments?: StoredAttachment[];
  flags?: number;
  referencedMessageId?: string;
}

/** Limits Discord enforces on a message body. */
export interface MessageLimits {
  /** UTF-16 code units of `content`. */
  contentLength: number;
  embeds: number;
  attachments: number;
  /** Bytes per file (the interaction's `attachment_size_limit`). */
  fileBytes: number;
}

/** Discord's values (sapphire MessageLimits/EmbedLimits; DESIGN "Platform limits"). */
export const discordMessageLimits: MessageLimits = {
  contentLength: 2_000,
  embeds: 10,
  attachments: 10,
  fileBytes: 10 * 1024 * 1024,
};

// Bits a bot may set when sending: SUPPRESS_EMBEDS, EPHEMERAL, SUPPRESS_NOTIFICATIONS, IS_VOICE_MESSAGE, IS_COMPONENTS_V2.
const settableFlags = 4 | 64 | 4096 | 8192 | 32768;

const embedTextLimits: [field: string, max: number][] = [
  ["title", 256],
  ["description", 4096],
];

type JsonObject = Record<string, unknown>;
const isObject = (value: unknown): value is JsonObject =>
  typeof value === "object" && value !== null && !Array.isArray(value);

/**
 * Validates a message body like Discord (2,000 UTF-16 units, 10 embeds and their text limits, 10 files, known
 * attachment ids, existing reply targets) and stores new files on the CDN. Throws `ApiError` on the first problem.
 */
export function readMessagePayload(
  deps: { state: FakeState; cdn: FakeCdn; limits: MessageLimits },
  body: RequestBody,
  target: { channelId: string; existing: StoredMessage | null },
): MessageFields {
  const json = bodyJson(body) ?? {};
  if (!isObject(json))
    throw invalidFormBody([], "DICT_TYPE_CONVERT", "Only dictionaries may be used in a DictType");
  const fields: MessageFields = {};
  const { limits } = deps;

  if (json.content !== undefined) {
    if (json.content !== null && typeof json.content !== "string") {
      throw invalidFormBody(["content"], "BASE_TYPE_STRING", "Must be a string.");
    }
    const content = json.content ?? "";
    if (content.length > limits.contentLength) {
      throw invalidFormBody(
        ["content"],
        "BASE_TYPE_MAX_LENGTH",
        `Must be ${limits.contentLength} or fewer in length.`,
      );
    }
    fields.content = content;
  }

  if (json.embeds !== undefined) {
    const embeds = json.embeds ?? [];
    if (!Array.isArray(embeds)) throw invalidFormBody(["embeds"], "LIST_TYPE_CONVERT", "Must be an array.");
    if (embeds.length > limits.embeds) {
      throw invalidFormBody(
        ["embeds"],
        "BASE_TYPE_MAX_LENGTH",
        `Must be ${limits.embeds} or fewer in length.`,
      );
    }
    let total = 0;
    embeds.forEach((embed, index) => {
      if (!isObject(embed))
        throw invalidFormBody(["embeds", String(index)], "DICT_TYPE_CONVERT", "Must be an object.");
      for (const [field, max] of embedTextLimits) {
        const text = embed[field];
        if (typeof text !== "string") continue;
        total += text.length;
        if (text.length > max) {
          throw invalidFormBody(
            ["embeds", String(index), field],
            "BASE_TYPE_MAX_LENGTH",
            `Must be ${max} or fewer in length.`,
          );
        }
      }
      const embedFields = Array.isArray(embed.fields) ? embed.fields : [];
      if (embedFields.length > 25) {
        throw invalidFormBody(
          ["embeds", String(index), "fields"],
          "BASE_TYPE_MAX_LENGTH",
          "Must be 25 or fewer in length.",
        );
      }
      for (const field of embedFields) {
        if (isObject(field)) total += String(field.name ?? "").length + String(field.value ?? "").length;
      }
    });
    if (total > 6_000) {
      throw invalidFormBody(["embeds"], "MAX_EMBED_SIZE_EXCEEDED", "Embed size exceeds maximum size of 6000");
    }
    fields.embeds = embeds;
  }

  if (json.components !== undefined) {
    const components = json.components ?? [];
    if (!Array.isArray(components))
      throw invalidFormBody(["components"], "LIST_TYPE_CONVERT", "Must be an array.");
    // Classic messages take at most 5 action rows; Components V2 (flag 32768) allows 40 components.
    const maxTopLevel = typeof json.flags === "number" && json.flags & 32768 ? 40 : 5;
    if (components.length > maxTopLevel) {
      throw invalidFormBody(
        ["components"],
        "BASE_TYPE_MAX_LENGTH",
        `Must be ${maxTopLevel} or fewer in length.`,
      );
    }
    fields.components = withComponentIds(components);
  }

  if (json.flags !== undefined && json.flags !== null) {
    if (typeof json.flags !== "number")
      throw invalidFormBody(["flags"], "NUMBER_TYPE_COERCE", "Value is not int.");
    fields.flags = json.flags & settableFlags;
  }

  const reference = json.message_reference;
  if (isObject(reference) && typeof reference.message_id === "string") {
    const referenced = deps.state.messages.get(reference.message_id);
    if (!referenced || referenced.deleted || referenced.channelId !== target.channelId) {
      if (reference.fail_if_not_exists !== false) {
        throw invalidFormBody(["message_reference"], "MESSAGE_REFERENCE_UNKNOWN_MESSAGE", "Unknown message");
      }
    } else {
      fields.referencedMessageId = referenced.id;
    }
  }

  const attachments = readAttachments(deps, body, json, target);
  if (attachments) fields.attachments = attachments;
  return fields;
}

function readAttachments(
  deps: { cdn: FakeCdn; limits: MessageLimits },
  body: RequestBody,
  json: JsonObject,
  target: { channelId: string; existing: StoredMessage | null },
): StoredAttachment[] | undefined {
  const files = bodyFiles(body);
  for (const file of files)
    if (file.bytes.byteLength > deps.limits.fileBytes) throw apiErrors.requestTooLarge();
  const upload = (index: number, meta: JsonObject): StoredAttachment => {
    const file = files.find((f) => f.field === `files[${index}]`) ?? files[index];
    if (!file)
      throw invalidFormBody(
        ["attachments", String(index)],
        "ATTACHMENT_NOT_FOUND",
        "Attachment data not found",
      );
    const text = (key: string) => (typeof meta[key] === "string" ? (meta[key] as string) : null);
    return deps.cdn.store(target.channelId, file.bytes, {
      filename: text("filename") ?? file.filename,
      contentType: file.contentType,
      description: text("description"),
      title: text("title"),
      durationSecs: typeof meta.duration_secs === "number" ? meta.duration_secs : null,
      waveform: text("waveform"),
    });
  };
  let result: StoredAttachment[] | undefined;
  if (json.attachments !== undefined && json.attachments !== null) {
    if (!Array.isArray(json.attachments))
      throw invalidFormBody(["attachments"], "LIST_TYPE_CONVERT", "Must be an array.");
    const kept = target.existing?.attachments ?? [];
    result = json.attachments.map((entry, index) => {
      if (!isObject(entry))
        throw invalidFormBody(["attachments", String(index)], "DICT_TYPE_CONVERT", "Must be an object.");
      const id = String(entry.id ?? "");
      // A snowflake keeps an attachment the message already has; a small index points at files[n].
      const existing = kept.find((a) => a.id === id);
      if (existing) return existing;
      if (/^\d{1,3}$/.test(id)) return upload(Number(id), entry);
      throw invalidFormBody(
        ["attachments", String(index), "id"],
        "ATTACHMENT_NOT_FOUND",
        "Unknown attachment",
      );
    });
  } else if (files.length > 0) {
    // Without an `attachments` list every file is added to what the message already has.
    result = [...(target.existing?.attachments ?? []), ...files.map((_, index) => upload(index, {}))];
  }
  if (result && result.length > deps.limits.attachments) {
    throw invalidFormBody(
      ["attachments"],
      "BASE_TYPE_MAX_LENGTH",
      `Must be ${deps.limits.attachments} or fewer in length.`,
    );
  }
  return result;
}

/** Throws 50006 when a message would show nothing. */
export function assertNotEmpty(
  message: Pick<StoredMessage, "content" | "embeds" | "components" | "attachments">,
): void {
  if (
    !message.content &&
    message.embeds.length === 0 &&
    message.components.length === 0 &&
    message.attachments.length === 0
  ) {
    throw apiErrors.emptyMessage();
  }
}

/** User ids mentioned as `<@id>` or `<@!id>` in content, limited to users the fake knows. */
export function mentionedUserIds(state: FakeState, content: string): string[] {
  const ids = [...content.matchAll(/<@!?(\d{17,20})>/g)].map((m) => m[1] ?? "");
  return [...new Set(ids)].filter((id) => state.users.has(id));
}
