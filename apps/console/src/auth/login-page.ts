import { escapeHtml, page } from "../layout.ts";

/** What the sign-in page says above its form. */
export interface LoginPageOptions {
  /** A refusal (wrong password, too many tries), shown in red. */
  error?: string;
  /** A neutral note (signed out). */
  note?: string;
  /** Where to go once signed in (already checked by safeNextPath). */
  next: string;
}

/** The sign-in page: one password field, readable on a phone, no script. */
export function loginPage(options: LoginPageOptions): string {
  const message = options.error
    ? `<p class="error" role="alert" id="login-error">${escapeHtml(options.error)}</p>`
    : options.note
      ? `<p class="muted" id="login-note">${escapeHtml(options.note)}</p>`
      : "";
  return page({
    title: "Sign in",
    body: `<h1>Sign in</h1>
<div class="card" style="max-width:24rem">
${message}
<form method="post" action="/console/login">
<input type="hidden" name="next" value="${escapeHtml(options.next)}">
<label for="password">Admin password</label>
<input type="password" id="password" name="password" autocomplete="current-password" required autofocus>
<p><button class="primary" type="submit">Sign in</button></p>
</form>
<p class="muted">The password is the console's ADMIN_PASSWORD setting.</p>
</div>`,
  });
}

/** A short page that says why a request was refused (demo mode's proxy and host rules, cross-site posts). */
export function refusalPage(title: string, reason: string): string {
  return page({
    title,
    body: `<h1>${escapeHtml(title)}</h1><p class="error" role="alert">${escapeHtml(reason)}</p>`,
  });
}
