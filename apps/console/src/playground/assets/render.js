// How one message of the playground looks: every text from the server is set as text (never parsed
// as HTML), with the few marks the bot's messages use (as Discord shows them).

export function el(tag, className, text) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
}

/** `**bold**` and `code` inside a line, as elements; everything else as plain text. */
export function inline(parent, text) {
  for (const part of text.split(/(\*\*[^*\n]+\*\*|`[^`\n]+`)/)) {
    if (!part) continue;
    if (part.startsWith("**") && part.endsWith("**") && part.length > 4) {
      parent.append(el("strong", "", part.slice(2, -2)));
    } else if (part.startsWith("`") && part.endsWith("`") && part.length > 2) {
      parent.append(el("code", "", part.slice(1, -1)));
    } else {
      parent.append(document.createTextNode(part));
    }
  }
}

/** The bot's Markdown-ish text (as Discord shows it): paragraphs, code blocks, `-#` small lines. */
export function renderText(text) {
  const box = el("div", "text");
  const lines = text.split("\n");
  let paragraph = [];
  const flush = () => {
    if (paragraph.length === 0) return;
    const p = el("p");
    inline(p, paragraph.join("\n"));
    box.append(p);
    paragraph = [];
  };
  for (let i = 0; i < lines.length; i++) {
    const current = lines[i];
    if (current.startsWith("```")) {
      flush();
      const code = [];
      for (i++; i < lines.length && !lines[i].startsWith("```"); i++) code.push(lines[i]);
      const pre = el("pre");
      pre.append(el("code", "", code.join("\n")));
      box.append(pre);
    } else if (current.startsWith("-# ")) {
      flush();
      const small = el("p", "small");
      inline(small, current.slice(3));
      box.append(small);
    } else if (current.trim() === "") {
      flush();
    } else {
      paragraph.push(current);
    }
  }
  flush();
  return box;
}

export function renderFiles(files) {
  const box = el("div", "files");
  for (const file of files) {
    const url = `/console/files/${encodeURIComponent(file.id)}`;
    if (file.contentType.startsWith("image/")) {
      const img = el("img");
      img.src = url;
      img.alt = file.name;
      img.loading = "lazy";
      box.append(img);
    } else if (/^(audio|video)\//.test(file.contentType)) {
      const player = el("audio");
      player.controls = true;
      player.preload = "metadata";
      player.src = url;
      box.append(player, el("div", "small muted", file.name));
    } else {
      const link = el("a", "", file.name);
      link.href = url;
      box.append(link);
    }
  }
  return box;
}

export function renderButtons(buttons) {
  const box = el("div", "buttons");
  for (const button of buttons) {
    const node = el("button", button.style, button.label);
    node.type = "button";
    node.dataset.button = button.id;
    box.append(node);
  }
  return box;
}
