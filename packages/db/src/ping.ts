import type postgres from "postgres";

/** True when Postgres answers a trivial query within `timeoutMs`. */
export async function pingDatabase(sql: postgres.Sql, timeoutMs = 2_000): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<false>((resolve) => {
    timer = setTimeout(() => resolve(false), timeoutMs);
  });
  try {
    const query = sql`select 1`.then(
      () => true,
      () => false,
    );
    return await Promise.race([query, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
