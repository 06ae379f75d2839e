/** One HTTP request the emulator answered. */
export interface RequestLogEntry {
  method: string;
  path: string;
  status: number;
  /** Emulated time, ISO 8601. */
  at: string;
}

/** A bounded log of requests (oldest dropped first), so tests can count retries. */
export interface RequestLog {
  add(entry: RequestLogEntry): void;
  all(): RequestLogEntry[];
  clear(): void;
}

const maxEntries = 10_000;

/** Creates an empty log. */
export function createRequestLog(): RequestLog {
  let entries: RequestLogEntry[] = [];
  return {
    add(entry) {
      entries.push(entry);
      if (entries.length > maxEntries) entries = entries.slice(-maxEntries);
    },
    all: () => [...entries],
    clear() {
      entries = [];
    },
  };
}
