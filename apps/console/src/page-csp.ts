/** The policy of the console's server-rendered pages (sign-in, dashboard): no script, nothing from elsewhere, forms only to the console. */
export const PAGE_CSP =
  "default-src 'none'; style-src 'unsafe-inline'; img-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";
