/** Discord's limit on one message's content, in UTF-16 code units (JavaScript string length). */
export const DISCORD_MESSAGE_LIMIT = 2_000;

/** One piece of a split message: a slice of the original text and the fence lines added around it. */
export interface MessagePiece {
  /** Reopens the code block the previous piece closed, e.g. "```ts\n". */
  reopen: string;
  /** A slice of the original text, in order. */
  body: string;
  /** Closes a code block left open at the end of `body`, e.g. "\n```". */
  close: string;
}

const fenceLine = /^ {0,3}(`{3,}|~{3,})([^`\n]*)$/;

/** An open code block: its fence marker ("```") and info string ("ts"). */
interface OpenFence {
  marker: string;
  info: string;
}

/** Follows fence lines through `text`, starting inside `open`; returns the block open at its end. */
function fenceAfter(text: string, open: OpenFence | undefined): OpenFence | undefined {
  let state = open;
  for (const line of text.split("\n")) {
    const match = fenceLine.exec(line);
    if (!match) continue;
    const marker = match[1] ?? "";
    const info = (match[2] ?? "").trim();
    if (state === undefined) state = { marker, info };
    else if (marker[0] === state.marker[0] && marker.length >= state.marker.length && info === "")
      state = undefined;
  }
  return state;
}

/** Where to cut so the first part fits `room` units: after a newline, else after a space, else hard. */
function cutPoint(text: string, room: number): number {
  if (text.length <= room) return text.length;
  const window = text.slice(0, room);
  const newline = window.lastIndexOf("\n");
  if (newline >= room / 2) return newline + 1;
  const space = window.lastIndexOf(" ");
  if (space >= room / 2) return space + 1;
  // Never cut a surrogate pair in half.
  const code = text.charCodeAt(room - 1);
  return code >= 0xd800 && code <= 0xdbff ? room - 1 : room;
}

/**
 * Splits text into pieces that each fit `limit` once their fence lines are added: on line ends where
 * it can, then on spaces, and never leaving a code block open (it is closed, then reopened with its
 * language in the next piece). Concatenating the bodies gives back the text exactly.
 */
export function splitMessagePieces(text: string, limit = DISCORD_MESSAGE_LIMIT): MessagePiece[] {
  const pieces: MessagePiece[] = [];
  let rest = text;
  let open: OpenFence | undefined;
  do {
    const reopen = open ? `${open.marker}${open.info}\n` : "";
    let room = limit - reopen.length - 4;
    for (;;) {
      let length = cutPoint(rest, room);
      let next = fenceAfter(rest.slice(0, length), open);
      // Cutting right after an opening fence line would leave an empty block: cut before that line.
      const lastLine = rest.slice(0, length).replace(/\n$/, "").split("\n").pop() ?? "";
      if (length < rest.length && next && next !== open && fenceLine.test(lastLine)) {
        const before = rest.slice(0, length).replace(/\n$/, "").lastIndexOf("\n") + 1;
        if (before > 0) {
          length = before;
          next = fenceAfter(rest.slice(0, length), open);
        }
      }
      const body = rest.slice(0, length);
      const close = next ? `${body.endsWith("\n") ? "" : "\n"}${next.marker}` : "";
      const overflow = reopen.length + body.length + close.length - limit;
      if (overflow <= 0 || room <= 1) {
        pieces.push({ reopen, body, close });
        rest = rest.slice(length);
        open = next;
        break;
      }
      room -= overflow;
    }
  } while (rest.length > 0);
  return pieces;
}

/** Splits text into messages of at most `limit` UTF-16 units, code blocks closed and reopened. */
export function splitMessage(text: string, limit = DISCORD_MESSAGE_LIMIT): string[] {
  return splitMessagePieces(text, limit).map((piece) => piece.reopen + piece.body + piece.close);
}

/**
 * Closes a code block left open at the end of `text`, so a partial answer shown mid-stream renders
 * as code instead of swallowing the rest of the message.
 */
export function closeOpenFence(text: string): string {
  const open = fenceAfter(text, undefined);
  return open ? `${text}${text.endsWith("\n") ? "" : "\n"}${open.marker}` : text;
}
