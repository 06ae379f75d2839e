import type { SlackState, TokenGrant } from "./state.ts";

/** What `GET /files-pri/…` answers, and a note for the requests log. */
export interface DownloadAnswer {
  status: number;
  headers: Record<string, string>;
  body: string | Buffer;
  /** Why it answered so: `<n> bytes`, `login page: <reason>` or `file_not_found: <reason>`. */
  note: string;
  /** The file the path names, when it exists. */
  fileId: string | undefined;
  teamId: string | undefined;
}

/** The scope `url_private`/`url_private_download` need (contract §2.4: "requires … the files:read scope"). */
export const downloadScope = "files:read";

/**
 * Slack's sign-in page. Slack is commonly reported to answer a download without a usable token with HTTP 200 and
 * an HTML page instead of the file (contract §2.4, unverified), so an app that skips the content-type check
 * saves HTML as audio: the fake does the same to catch that.
 */
export const loginPageHtml = `<!DOCTYPE html>
<html lang="en">
<head><meta charset="utf-8"><title>Sign in | Slack</title></head>
<body>
<h1>Sign in to your workspace</h1>
<p>This is the fake Slack's stand-in for the page Slack shows instead of a file when the request carries no
valid token with files:read.</p>
<form action="/signin" method="post"><input type="email" name="email"><button>Sign in</button></form>
</body>
</html>
`;

/** `/files-pri/T…-F…/<name>` (url_private) or `/files-pri/T…-F…/download/<name>` (url_private_download). */
const filePath = /^\/files-pri\/([A-Z0-9]+)-(F[A-Z0-9]+)\/(download\/)?([^/]+)$/;

/**
 * Serves a file download as strictly as Slack: a live bot token (`Authorization: Bearer`, `grant`) with
 * `files:read`, else the login page with 200; the file must exist in that token's workspace under this exact
 * path, else 404; then the exact bytes with the file's mimetype and length.
 */
export function serveDownload(state: SlackState, grant: TokenGrant | null, path: string): DownloadAnswer {
  const match = filePath.exec(path);
  const file = match?.[2] ? state.files.get(match[2]) : undefined;
  const ids = { fileId: file?.id, teamId: file?.teamId };
  const login = (reason: string): DownloadAnswer => ({
    status: 200,
    headers: { "content-type": "text/html; charset=utf-8" },
    body: loginPageHtml,
    note: `login page: ${reason}`,
    ...ids,
  });
  const notFound = (reason: string): DownloadAnswer => ({
    status: 404,
    headers: { "content-type": "text/plain" },
    body: "file_not_found",
    note: `file_not_found: ${reason}`,
    ...ids,
  });
  if (!grant) return login("no live bot token in the Authorization header");
  if (!grant.scopes.has(downloadScope)) return login(`the bot token lacks ${downloadScope}`);
  if (!match || !file) return notFound("no such file");
  if (file.teamId !== grant.teamId)
    return notFound(`the file belongs to ${file.teamId}, the token to ${grant.teamId}`);
  if (match[1] !== file.teamId || match[4] !== file.name) return notFound("the path does not match the file");
  // A file whose upload never completed has no bytes and no URL a person could have seen.
  if (!file.bytes) return notFound("the file has no bytes yet");
  const body = Buffer.from(file.bytes);
  const headers: Record<string, string> = {
    "content-type": file.mimetype,
    "content-length": String(body.byteLength),
  };
  // url_private_download asks the browser to save; RFC 5987 form, since names may hold non-ASCII characters.
  if (match[3])
    headers["content-disposition"] = `attachment; filename*=UTF-8''${encodeURIComponent(file.name)}`;
  return { status: 200, headers, body, note: `${body.byteLength} bytes`, ...ids };
}
