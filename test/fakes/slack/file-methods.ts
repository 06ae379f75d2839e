import type { FakeClock } from "../clock.ts";
import { botMessage, postRefusal } from "./chat-methods.ts";
import { fileJson, mimetypeOf } from "./file-json.ts";
import type { IdFactory } from "./ids.ts";
import { authed, fail, json, type MethodHandler, missingScope, str } from "./params.ts";
import type { SlackState, StoredFile } from "./state.ts";

/** The v2 upload flow WebClient.filesUploadV2 uses (contract §2.5), and files.info. */
export function fileMethods(deps: { state: SlackState; ids: IdFactory; clock: FakeClock; origin: string }) {
  const { state, ids, clock, origin } = deps;
  const handlers: Record<string, MethodHandler> = {
    "files.getUploadURLExternal": (call) => {
      const { team } = authed(call);
      const name = str(call.params, "filename");
      const length = Number(str(call.params, "length"));
      if (!name || !Number.isInteger(length) || length < 0) return fail("invalid_arguments");
      const id = ids.id("F");
      state.files.set(id, {
        id,
        teamId: team.id,
        name,
        title: name,
        mimetype: mimetypeOf(name),
        declaredLength: length,
        bytes: null,
        userId: team.botUserId,
        created: clock.now(),
      });
      return { ok: true, upload_url: `${origin}/upload/v1/${id}`, file_id: id };
    },
    "files.completeUploadExternal": (call) => {
      const { grant, team } = authed(call);
      const entries = json(call.params, "files");
      if (!Array.isArray(entries) || entries.length === 0) return fail("invalid_arguments");
      const files: StoredFile[] = [];
      for (const entry of entries as { id?: unknown; title?: unknown }[]) {
        const file = typeof entry.id === "string" ? state.files.get(entry.id) : undefined;
        if (!file || file.teamId !== team.id) return fail("file_not_found");
        // Slack completes only files whose bytes arrived at the upload URL.
        if (!file.bytes) return fail("file_upload_not_found");
        if (typeof entry.title === "string") file.title = entry.title;
        files.push(file);
      }
      const channelId = str(call.params, "channel_id") ?? str(call.params, "channels");
      if (channelId) {
        const refusal = postRefusal(state, grant, team, channelId);
        if (refusal) return fail(refusal);
        const isPublic = state.channels.get(channelId)?.isPrivate === false;
        for (const file of files) file.isPublic = isPublic;
        botMessage(deps, team, {
          channelId,
          text: str(call.params, "initial_comment") ?? "",
          blocks: undefined,
          threadTs: str(call.params, "thread_ts"),
          files,
        });
      }
      return { ok: true, files: files.map((f) => fileJson(origin, f)) };
    },
    // files.info needs files:read (Slack's method page), checked before the file, as Slack checks scopes first.
    "files.info": (call) => {
      const { grant, team } = authed(call);
      const refused = missingScope(grant, "files:read");
      if (refused) return refused;
      const file = state.files.get(str(call.params, "file") ?? "");
      if (!file || file.teamId !== team.id || !file.bytes) return fail("file_not_found");
      return { ok: true, file: fileJson(origin, file) };
    },
  };
  return handlers;
}
