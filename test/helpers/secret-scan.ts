/** A credential in play during a test, named for failure messages. */
export interface Secret {
  name: string;
  value: string;
}

/** Text a person or an operator could read, and where it came from. */
export interface Exposure {
  where: string;
  text: string;
}

// An Authorization header's value, whatever the token: "Bot …", "Bearer …", "Basic …".
const authorizationValue = /\b(?:Bot|Bearer|Basic)\s+(?!\[redacted\])[A-Za-z0-9._~+/=-]{16,}/;

/** The ways a secret can be written in logs and messages: as is, URL-encoded, JSON-escaped. */
function spellings(value: string): string[] {
  return [...new Set([value, encodeURIComponent(value), JSON.stringify(value).slice(1, -1)])];
}

/**
 * Every place a secret shows up, as "<where>: <secret's name>". The secret itself is never part of
 * the answer, so a failing test does not print it.
 */
export function findSecrets(exposures: Iterable<Exposure>, secrets: readonly Secret[]): string[] {
  const usable = secrets.filter((secret) => secret.value.length >= 8);
  const hits: string[] = [];
  for (const { where, text } of exposures) {
    for (const secret of usable) {
      if (spellings(secret.value).some((spelling) => text.includes(spelling))) {
        hits.push(`${where}: ${secret.name}`);
      }
    }
    if (authorizationValue.test(text)) hits.push(`${where}: an Authorization header value`);
  }
  return [...new Set(hits)];
}

/** Secrets with the same name and value once. */
export function uniqueSecrets(secrets: readonly Secret[]): Secret[] {
  const seen = new Set<string>();
  return secrets.filter((secret) => {
    const key = `${secret.name}\u0000${secret.value}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
