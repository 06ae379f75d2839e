/**
 * Postgres stores neither NUL (in text or jsonb) nor a lone surrogate (jsonb refuses it; text turns it
 * into U+FFFD on the way). Text from outside (a member's prompt, a model's answer, an error) gets
 * U+FFFD for either, so an odd character stays an odd character instead of failing the write.
 */
export function storableText(text: string): string {
  return text.toWellFormed().replaceAll("\u0000", "\uFFFD");
}

/** {@link storableText} applied to every string of a JSON value, keys included. */
export function storableJson<T>(value: T): T {
  if (typeof value === "string") return storableText(value) as T;
  if (Array.isArray(value)) return value.map(storableJson) as T;
  if (value === null || typeof value !== "object" || Object.getPrototypeOf(value) !== Object.prototype)
    return value;
  return Object.fromEntries(
    Object.entries(value).map(([key, item]) => [storableText(key), storableJson(item)]),
  ) as T;
}
