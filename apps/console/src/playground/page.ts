import { formatUsd } from "@replibot/core";
import { escapeHtml, page } from "../layout.ts";
import { COMMAND_LINE_MAX } from "./command-line.ts";

/** What the playground's page says about where it runs. */
export interface PlaygroundPageInfo {
  /** The demo tenant's monthly limit. */
  limitNanos: bigint;
  /** Real Replicate (a token is set) or the built-in emulator. */
  replicate: "real" | "emulator";
  /** The largest voice note, in bytes. */
  maxAudioBytes: number;
  /** Extra HTML at the right of the nav bar (the sign-out form in password mode). */
  navEnd?: string;
}

/** Extra styles of the playground: the conversation, threads, and the command bar. */
const PLAYGROUND_CSS = `
.pg-intro { margin: 0 0 .8rem; }
.pg-log { display: flex; flex-direction: column; gap: .6rem; min-height: 12rem; margin-bottom: 1rem; }
.msg { background: var(--card); border: 1px solid var(--line); border-radius: .6rem; padding: .55rem .8rem;
  max-width: 100%; overflow-wrap: anywhere; }
.msg.visitor { align-self: flex-end; background: transparent; max-width: 90%; }
.msg .who { font-size: .8rem; font-weight: 600; color: var(--muted); margin-bottom: .15rem; }
.msg .text p { margin: 0 0 .35rem; white-space: pre-wrap; }
.msg .text p:last-child { margin-bottom: 0; }
.msg .text .small { font-size: .82rem; color: var(--muted); }
.msg .text pre { background: var(--bg); border: 1px solid var(--line); border-radius: .4rem; padding: .5rem;
  overflow-x: auto; margin: .3rem 0; }
.msg img { display: block; max-width: 100%; height: auto; border-radius: .4rem; margin-top: .4rem; }
.msg audio { display: block; width: 100%; max-width: 22rem; margin-top: .3rem; }
.msg .buttons { display: flex; flex-wrap: wrap; gap: .4rem; margin-top: .5rem; }
.msg .buttons .danger { color: var(--bad); }
.thread { margin: .5rem 0 0 .6rem; padding-left: .7rem; border-left: 3px solid var(--line);
  display: flex; flex-direction: column; gap: .5rem; }
.thread .msg { background: var(--bg); }
.pg-bar { position: sticky; bottom: 0; background: var(--bg); padding: .6rem 0 .8rem;
  border-top: 1px solid var(--line); }
.pg-bar form { display: flex; gap: .5rem; }
.pg-bar textarea { flex: 1; min-width: 0; resize: vertical; max-height: 40vh; }
.pg-tools { display: flex; flex-wrap: wrap; align-items: center; gap: .5rem; margin-top: .5rem; }
.pg-tools label.button { display: inline-block; padding: .45rem .9rem; border: 1px solid var(--line);
  border-radius: .4rem; background: var(--card); cursor: pointer; }
.pg-tools input[type=file] { position: absolute; width: 1px; height: 1px; opacity: 0; }
.pg-error { margin: .4rem 0 0; min-height: 1.2em; }
.pg-status { font-size: .85rem; }
`;

/** GET /console: the playground's page. The conversation itself arrives over the event stream. */
export function playgroundPage(info: PlaygroundPageInfo): string {
  const where =
    info.replicate === "real"
      ? "Requests run on <strong>real Replicate models</strong>"
      : "Requests run on the built-in <strong>Replicate emulator</strong> (set REPLICATE_API_TOKEN for real models)";
  const body = `
<h1>Playground</h1>
<p class="pg-intro muted">Use Replibot as a Discord or Slack member would: the same queue, worker,
webhooks and spend ledger. ${where}; this demo has its own limit of
<strong>${escapeHtml(formatUsd(info.limitNanos))}</strong> a month.</p>
<section id="log" class="pg-log" role="log" aria-live="polite" aria-label="Conversation">
<p class="muted" id="empty">Nothing here yet. Try <code>/ask What is a haiku?</code>,
<code>/imagine a red fox --ar 16:9</code>, a voice note, or <code>/spend</code>.</p>
</section>
<div class="pg-bar">
<form id="command" method="post" action="/console/playground/commands" autocomplete="off">
<textarea id="line" name="line" rows="1" maxlength="${COMMAND_LINE_MAX}" required
  placeholder="/ask your question" aria-label="Command (Enter sends, Shift+Enter starts a new line)"
  enterkeyhint="send"></textarea>
<button type="submit" class="primary">Send</button>
</form>
<div class="pg-tools">
<label class="button" for="audio">Upload voice note</label>
<input type="file" id="audio" name="audio" accept="audio/*,.ogg,.opus,.wav,.m4a,.webm,.mp3"
  data-max-bytes="${info.maxAudioBytes}">
<button type="button" id="record" hidden>Record</button>
<span class="pg-status muted" id="status" role="status"></span>
</div>
<p class="pg-error error" id="error" role="alert"></p>
</div>`;
  return page({
    title: "Playground",
    active: "playground",
    body,
    ...(info.navEnd ? { navEnd: info.navEnd } : {}),
    head: `<style>${PLAYGROUND_CSS}</style>\n<script type="module" src="/console/playground/playground.js"></script>`,
  });
}

/** The page's Content-Security-Policy: its own script and connections only, nothing inline but styles. */
export const PLAYGROUND_CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' blob: data:",
  "media-src 'self' blob:",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join("; ");
