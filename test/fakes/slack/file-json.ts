import type { StoredFile } from "./state.ts";

/** Per extension: the mimetype the fake assumes for uploads, Slack's `filetype` and its `pretty_type`. */
const kinds: Record<string, { mimetype: string; filetype: string; pretty: string }> = {
  png: { mimetype: "image/png", filetype: "png", pretty: "PNG" },
  jpg: { mimetype: "image/jpeg", filetype: "jpg", pretty: "JPEG" },
  jpeg: { mimetype: "image/jpeg", filetype: "jpg", pretty: "JPEG" },
  gif: { mimetype: "image/gif", filetype: "gif", pretty: "GIF" },
  txt: { mimetype: "text/plain", filetype: "text", pretty: "Plain Text" },
  json: { mimetype: "application/json", filetype: "json", pretty: "JSON" },
  // "MPEG 4 Audio" is the contract's clip example; the other pretty types follow the same style.
  m4a: { mimetype: "audio/mp4", filetype: "m4a", pretty: "MPEG 4 Audio" },
  mp4: { mimetype: "video/mp4", filetype: "mp4", pretty: "MPEG 4 Video" },
  mp3: { mimetype: "audio/mpeg", filetype: "mp3", pretty: "MP3" },
  webm: { mimetype: "audio/webm", filetype: "webm", pretty: "WebM" },
  ogg: { mimetype: "audio/ogg", filetype: "ogg", pretty: "Ogg Vorbis" },
  wav: { mimetype: "audio/wav", filetype: "wav", pretty: "WAV" },
  pdf: { mimetype: "application/pdf", filetype: "pdf", pretty: "PDF" },
};

const extension = (name: string): string => (name.includes(".") ? (name.split(".").pop() ?? "") : "");

/** The mimetype the fake gives an upload named `name` (WebClient does not send one). */
export function mimetypeOf(name: string): string {
  return kinds[extension(name).toLowerCase()]?.mimetype ?? "application/octet-stream";
}

/** `url_private` and `url_private_download` of a file: both served by the fake's `/files-pri/`. */
export function fileUrls(origin: string, f: StoredFile): { urlPrivate: string; urlPrivateDownload: string } {
  const path = `${origin}/files-pri/${f.teamId}-${f.id}`;
  const name = encodeURIComponent(f.name);
  return { urlPrivate: `${path}/${name}`, urlPrivateDownload: `${path}/download/${name}` };
}

/** A file as Slack's API and events carry it (contract §2.4), with the clip fields on `slack_audio` clips. */
export function fileJson(origin: string, f: StoredFile): Record<string, unknown> {
  const ext = extension(f.name).toLowerCase();
  const kind = kinds[ext];
  const created = Math.floor(f.created / 1000);
  const urls = fileUrls(origin, f);
  return {
    id: f.id,
    created,
    timestamp: created,
    name: f.name,
    title: f.title,
    mimetype: f.mimetype,
    filetype: kind?.filetype ?? (ext || "binary"),
    pretty_type: kind?.pretty ?? (ext.toUpperCase() || "Binary"),
    user: f.userId,
    editable: false,
    size: f.bytes?.byteLength ?? 0,
    mode: "hosted",
    is_external: false,
    external_type: "",
    is_public: f.isPublic ?? false,
    public_url_shared: false,
    display_as_bot: false,
    username: "",
    ...(f.clip && {
      subtype: "slack_audio",
      media_display_type: "audio",
      duration_ms: f.clip.durationMs,
      audio_wave_samples: f.clip.waveSamples,
      transcription: f.clip.transcription,
    }),
    url_private: urls.urlPrivate,
    url_private_download: urls.urlPrivateDownload,
    permalink: `${origin}/files/${f.userId}/${f.id}/${encodeURIComponent(f.name)}`,
  };
}

/** What a Slack Connect event may carry instead of the file: the app must call `files.info` (contract §2.4). */
export function fileStub(f: StoredFile): Record<string, unknown> {
  return { id: f.id, file_access: "check_file_info" };
}
