/** A Replicate list page: absolute `next` / `previous` URLs or null. */
export interface Page<T> {
  next: string | null;
  previous: string | null;
  results: T[];
}

const encodeCursor = (offset: number) => Buffer.from(`o=${offset}`).toString("base64url");

const decodeCursor = (cursor: string | undefined): number => {
  if (!cursor) return 0;
  const match = /^o=(\d+)$/.exec(Buffer.from(cursor, "base64url").toString("utf8"));
  return match ? Number(match[1]) : 0;
};

/** One page of `items` starting at the cursor; `pageUrl` turns a cursor into an absolute URL. */
export function paginate<T>(
  items: readonly T[],
  cursor: string | undefined,
  pageSize: number,
  pageUrl: (cursor: string) => string,
): Page<T> {
  const offset = Math.min(decodeCursor(cursor), items.length);
  const end = offset + pageSize;
  return {
    next: end < items.length ? pageUrl(encodeCursor(end)) : null,
    previous: offset > 0 ? pageUrl(encodeCursor(Math.max(0, offset - pageSize))) : null,
    results: items.slice(offset, end),
  };
}
