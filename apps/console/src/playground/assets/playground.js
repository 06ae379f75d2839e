// The playground's page: shows the conversation the event stream sends, and posts what the visitor
// types, uploads or records.

import { el, inline, renderButtons, renderFiles, renderText } from "./render.js";

const log = document.getElementById("log");
const empty = document.getElementById("empty");
const form = document.getElementById("command");
const line = document.getElementById("line");
const audio = document.getElementById("audio");
const record = document.getElementById("record");
const status = document.getElementById("status");
const error = document.getElementById("error");

/** Each message's latest state by id, and its element. */
const messages = new Map();
const elements = new Map();

/** Builds (or rebuilds) one message's element, keeping its thread of replies. */
function render(message) {
  let node = elements.get(message.id);
  const thread = node?.querySelector(":scope > .thread");
  const fresh = el("article", `msg ${message.author}`);
  fresh.id = `msg-${message.id}`;
  fresh.dataset.author = message.author;
  fresh.dataset.version = String(message.version);
  fresh.append(el("div", "who", message.author === "bot" ? "Replibot" : "You"));
  if (message.text) fresh.append(renderText(message.text));
  if (message.files.length > 0) fresh.append(renderFiles(message.files));
  if (message.buttons.length > 0) fresh.append(renderButtons(message.buttons));
  if (thread) fresh.append(thread);
  if (node) {
    node.replaceWith(fresh);
  } else {
    const parent = message.parentId ? elements.get(message.parentId) : undefined;
    if (parent) {
      let replies = parent.querySelector(":scope > .thread");
      if (!replies) {
        replies = el("div", "thread");
        replies.setAttribute("aria-label", "Thread");
        parent.append(replies);
      }
      replies.append(fresh);
    } else {
      log.append(fresh);
    }
  }
  node = fresh;
  elements.set(message.id, node);
  empty.hidden = true;
}

/** Applies one message state, unless the page already shows a newer one. */
function apply(message) {
  const known = messages.get(message.id);
  if (known && known.version >= message.version) return;
  const atBottom = window.innerHeight + window.scrollY >= document.body.scrollHeight - 80;
  messages.set(message.id, message);
  render(message);
  if (atBottom) window.scrollTo(0, document.body.scrollHeight);
}

function connect() {
  const events = new EventSource("/console/playground/events");
  events.addEventListener("snapshot", (event) => {
    for (const message of JSON.parse(event.data)) apply(message);
    status.textContent = "";
    document.documentElement.dataset.stream = "open";
  });
  events.addEventListener("message", (event) => apply(JSON.parse(event.data)));
  events.addEventListener("error", () => {
    status.textContent = "Reconnecting…";
    document.documentElement.dataset.stream = "closed";
  });
}

function showError(text) {
  error.textContent = "";
  if (text) inline(error, text);
}

async function post(path, body) {
  showError("");
  try {
    const response = await fetch(path, { method: "POST", body, credentials: "same-origin" });
    const result = await response
      .json()
      .catch(() => ({ ok: false, reason: `The console answered ${response.status}.` }));
    if (!result.ok) showError(result.reason);
    return result;
  } catch {
    showError("The console cannot be reached. Is npm start still running?");
    return { ok: false };
  }
}

form.addEventListener("submit", async (event) => {
  event.preventDefault();
  const text = line.value;
  const body = new URLSearchParams({ line: text });
  const result = await post("/console/playground/commands", body);
  if (result.ok && line.value === text) line.value = "";
  line.focus();
});

line.addEventListener("keydown", (event) => {
  if (event.key === "Enter" && !event.shiftKey && !event.isComposing) {
    event.preventDefault();
    form.requestSubmit();
  }
});

log.addEventListener("click", async (event) => {
  const button = event.target.closest("button[data-button]");
  if (!button) return;
  button.disabled = true;
  const result = await post(
    "/console/playground/buttons",
    new URLSearchParams({ id: button.dataset.button }),
  );
  if (!result.ok) button.disabled = false;
});

async function sendAudio(blob, name) {
  const max = Number(audio.dataset.maxBytes);
  if (blob.size > max) {
    showError(`That file is larger than ${(max / 1_000_000).toFixed(1)} MB, the most Replibot transcribes.`);
    return;
  }
  const body = new FormData();
  body.append("audio", blob, name);
  status.textContent = "Uploading…";
  await post("/console/playground/voice", body);
  status.textContent = "";
}

audio.addEventListener("change", async () => {
  const file = audio.files?.[0];
  if (file) await sendAudio(file, file.name);
  audio.value = "";
});

/** Recording a voice note where the browser can (a secure context: localhost counts). */
if (window.MediaRecorder && navigator.mediaDevices?.getUserMedia) {
  record.hidden = false;
  let recorder;
  record.addEventListener("click", async () => {
    if (recorder?.state === "recording") {
      recorder.stop();
      return;
    }
    try {
      const stream = await navigator.mediaDevices.getUserMedia({ audio: true });
      const chunks = [];
      recorder = new MediaRecorder(stream);
      recorder.addEventListener("dataavailable", (event) => chunks.push(event.data));
      recorder.addEventListener("stop", async () => {
        for (const track of stream.getTracks()) track.stop();
        record.textContent = "Record";
        const type = recorder.mimeType || "audio/webm";
        const extension = type.includes("ogg") ? "ogg" : type.includes("mp4") ? "m4a" : "webm";
        await sendAudio(new Blob(chunks, { type }), `voice-note.${extension}`);
      });
      recorder.start();
      record.textContent = "Stop and send";
      status.textContent = "Recording…";
    } catch {
      showError("The browser did not allow recording: upload an audio file instead.");
    }
  });
}

connect();
