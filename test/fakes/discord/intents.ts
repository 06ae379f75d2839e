import { GatewayIntentBits } from "discord-api-types/v10";

/** A gateway intent by its discord.js / discord-api-types name, e.g. "MessageContent". */
export type IntentName = keyof typeof GatewayIntentBits;

/** Intents a bot must switch on in the Developer Portal; Discord closes with 4014 when they are not. */
export const privilegedIntents =
  GatewayIntentBits.GuildMembers | GatewayIntentBits.GuildPresences | GatewayIntentBits.MessageContent;

/** Every intent bit Discord knows; any other bit in Identify is closed with 4013. */
export const knownIntents = Object.values(GatewayIntentBits)
  .filter((value): value is number => typeof value === "number")
  .reduce((all, bit) => all | bit, 0);

/** Turns a list of intent names or a bitmask into a bitmask. */
export function intentBits(intents: readonly IntentName[] | number): number {
  if (typeof intents === "number") return intents;
  return intents.reduce((all, name) => all | GatewayIntentBits[name], 0);
}

/** Whether `intents` (an Identify bitmask) includes every bit of `wanted`. */
export function hasIntent(intents: number, wanted: number): boolean {
  return (intents & wanted) === wanted;
}
