/** Which nav link is the current page. */
export type ConsoleSection = "playground" | "dashboard";

export interface PageOptions {
  /** The page's title; escaped here. */
  title: string;
  /** The page's main content: HTML the caller built (escape user text with `escapeHtml`). */
  body: string;
  /** The nav link to mark as current; none when unset (the login page). */
  active?: ConsoleSection;
  /** Extra HTML for the end of <head>, such as `<script type="module" src="…"></script>`. */
  head?: string;
  /** Extra HTML at the right of the nav bar, such as a sign-out form. */
  navEnd?: string;
}

const NAV: readonly { section: ConsoleSection; href: string; label: string }[] = [
  { section: "playground", href: "/console", label: "Playground" },
  { section: "dashboard", href: "/console/dashboard", label: "Dashboard" },
];

const HTML_ESCAPES: Record<string, string> = {
  "&": "&amp;",
  "<": "&lt;",
  ">": "&gt;",
  '"': "&quot;",
  "'": "&#39;",
};

/** Escapes text for HTML element content and quoted attribute values. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (ch) => HTML_ESCAPES[ch] ?? ch);
}

/** The console's page shell (head, styles, nav) around `body`, as one HTML string. */
export function page(options: PageOptions): string {
  const nav = NAV.map(({ section, href, label }) => {
    const current = section === options.active ? ' aria-current="page"' : "";
    return `<a href="${href}"${current}>${label}</a>`;
  }).join("");
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(options.title)} · Replibot console</title>
<style>${CONSOLE_CSS}</style>
${options.head ?? ""}
</head>
<body>
<header class="top"><strong class="brand">Replibot</strong><nav>${nav}</nav>${options.navEnd ?? ""}</header>
<main>
${options.body}
</main>
</body>
</html>`;
}

/** One small stylesheet for every console page: readable on a phone, light and dark. */
const CONSOLE_CSS = `
:root { color-scheme: light dark; --bg: #fff; --fg: #1d1d1f; --muted: #6b6b70; --line: #d9d9de;
  --card: #f5f5f7; --accent: #3b5bdb; --bad: #c92a2a; --good: #2b8a3e; }
@media (prefers-color-scheme: dark) { :root { --bg: #16161a; --fg: #ececf0; --muted: #9a9aa3;
  --line: #33333b; --card: #202026; --accent: #748ffc; --bad: #ff8787; --good: #69db7c; } }
* { box-sizing: border-box; }
body { margin: 0; font: 16px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif;
  background: var(--bg); color: var(--fg); }
.top { display: flex; flex-wrap: wrap; align-items: center; gap: .5rem 1rem; padding: .6rem 1rem;
  border-bottom: 1px solid var(--line); }
.top nav { display: flex; gap: .25rem; flex: 1; }
.top nav a { padding: .3rem .6rem; border-radius: .4rem; color: inherit; text-decoration: none; }
.top nav a[aria-current="page"] { background: var(--card); font-weight: 600; }
main { max-width: 52rem; margin: 0 auto; padding: 1rem; }
h1 { font-size: 1.4rem; margin: .2rem 0 .8rem; }
h2 { font-size: 1.1rem; }
a { color: var(--accent); }
button, input, select, textarea { font: inherit; color: inherit; }
button { padding: .45rem .9rem; border: 1px solid var(--line); border-radius: .4rem; background: var(--card);
  cursor: pointer; }
button.primary { background: var(--accent); border-color: var(--accent); color: #fff; }
button:disabled { opacity: .5; cursor: default; }
input[type=text], input[type=password], input[type=number], textarea, select { width: 100%;
  padding: .5rem .6rem; border: 1px solid var(--line); border-radius: .4rem; background: var(--bg); }
table { width: 100%; border-collapse: collapse; }
th, td { text-align: left; padding: .35rem .5rem; border-bottom: 1px solid var(--line); vertical-align: top; }
.table-wrap { overflow-x: auto; }
.muted { color: var(--muted); }
.error { color: var(--bad); }
.ok { color: var(--good); }
.card { background: var(--card); border: 1px solid var(--line); border-radius: .6rem; padding: .8rem 1rem; }
code, pre { font-family: ui-monospace, "SFMono-Regular", Menlo, Consolas, monospace; font-size: .92em; }
pre { white-space: pre-wrap; word-break: break-word; }
`;
