import { randomBytes } from "node:crypto";

const discordEpochMs = 1_420_070_400_000n;

/** Makes ids and tokens that look like Discord's. */
export interface IdFactory {
  /** A snowflake (17–19 digits) whose timestamp is the fake clock's now. */
  snowflake(): string;
  /** An opaque, URL-safe token such as an interaction token. */
  token(prefix: string): string;
}

/**
 * Creates snowflakes from the fake clock. They must be 17–19 digits: @discordjs/rest only finds a route's
 * major parameter with /\d{17,19}/, and discord.js derives `createdTimestamp` from the id.
 */
export function createIdFactory(now: () => number): IdFactory {
  let lastMs = 0n;
  let increment = 0n;
  return {
    snowflake() {
      const ms = BigInt(Math.floor(now()));
      if (ms === lastMs) increment = (increment + 1n) & 0xfffn;
      else increment = 0n;
      lastMs = ms;
      // Worker 1, process 0: fixed bits keep ids unique within one fake.
      return (((ms - discordEpochMs) << 22n) | (1n << 17n) | increment).toString();
    },
    token(prefix) {
      return `${Buffer.from(prefix).toString("base64url")}.${randomBytes(48).toString("base64url")}`;
    },
  };
}
