import { attachmentJson, channelJson, type Json, memberJson, roleJson, userJson } from "./shapes.ts";
import type { FakeState } from "./state.ts";

/** An option value as a test gives it: ids for users, channels, roles and attachments. */
export type OptionValue = string | number | boolean;

/** What `fake.slashCommand` turns into `data.options` and `data.resolved`. */
export interface CommandOptionsInput {
  options?: Record<string, OptionValue>;
  subcommand?: string;
  subcommandGroup?: string;
}

type JsonObject = Record<string, unknown>;
const isObject = (value: unknown): value is JsonObject =>
  typeof value === "object" && value !== null && !Array.isArray(value);

// Option types: 3 string, 4 integer, 5 boolean, 6 user, 7 channel, 8 role, 9 mentionable, 10 number, 11 attachment.
function inferType(value: OptionValue): number {
  if (typeof value === "boolean") return 5;
  if (typeof value === "number") return Number.isInteger(value) ? 4 : 10;
  return 3;
}

function checkValue(name: string, type: number, value: OptionValue): void {
  const ok =
    type === 5
      ? typeof value === "boolean"
      : type === 4
        ? Number.isInteger(value)
        : type === 10
          ? typeof value === "number"
          : typeof value === "string";
  if (!ok) throw new Error(`option "${name}" (type ${type}) cannot take ${JSON.stringify(value)}`);
}

/**
 * Builds `data.options` and `data.resolved` for a chat-input command. With the registered command's schema,
 * option types come from it and unknown or missing required options throw, as Discord's client would refuse them.
 */
export function buildCommandOptions(
  state: FakeState,
  where: { guildId: string | null; channelId: string; userId: string },
  schema: JsonObject | null,
  input: CommandOptionsInput,
): { options: Json[]; resolved: Json | null } {
  const { guildId } = where;
  let level: unknown[] | null = schema && Array.isArray(schema.options) ? schema.options : schema ? [] : null;
  const pick = (name: string, type: number): unknown[] | null => {
    if (!level) return null;
    const found = level.find((o) => isObject(o) && o.name === name && o.type === type);
    if (!isObject(found))
      throw new Error(`the registered command has no ${type === 2 ? "group" : "subcommand"} "${name}"`);
    return Array.isArray(found.options) ? found.options : [];
  };
  const wrappers: { name: string; type: number }[] = [];
  if (input.subcommandGroup) {
    wrappers.push({ name: input.subcommandGroup, type: 2 });
    level = pick(input.subcommandGroup, 2);
  }
  if (input.subcommand) {
    wrappers.push({ name: input.subcommand, type: 1 });
    level = pick(input.subcommand, 1);
  }
  const resolved: Record<string, Record<string, unknown>> = {};
  const resolve = (kind: string, id: string, value: unknown) => {
    resolved[kind] ??= {};
    (resolved[kind] as Record<string, unknown>)[id] = value;
  };
  const given = Object.entries(input.options ?? {});
  const leaves: Json[] = given.map(([name, value]) => {
    const declared = level?.find((o) => isObject(o) && o.name === name);
    if (level && !isObject(declared)) throw new Error(`the registered command has no option "${name}"`);
    const type = isObject(declared) && typeof declared.type === "number" ? declared.type : inferType(value);
    checkValue(name, type, value);
    const id = String(value);
    if (type === 6 || type === 9) {
      const user = state.users.get(id);
      if (user) {
        resolve("users", id, userJson(user));
        const member = guildId ? state.guilds.get(guildId)?.members.get(id) : undefined;
        if (member) {
          const permissions = state.permissionsIn(where.channelId, id).toString();
          resolve("members", id, { ...memberJson(state, member, { withUser: false }), permissions });
        }
      }
      const role = guildId ? state.guilds.get(guildId)?.roles.get(id) : undefined;
      if (role) resolve("roles", id, roleJson(role));
      if (!user && !role) throw new Error(`option "${name}": no user or role ${id}`);
    } else if (type === 7) {
      const channel = state.channel(id);
      const permissions = state.permissionsIn(channel.id, where.userId).toString();
      resolve("channels", id, { ...channelJson(state, channel), permissions });
    } else if (type === 8) {
      const role = guildId ? state.guilds.get(guildId)?.roles.get(id) : undefined;
      if (!role) throw new Error(`option "${name}": no role ${id} in the guild`);
      resolve("roles", id, roleJson(role));
    } else if (type === 11) {
      const attachment = state.attachments.get(id);
      if (!attachment) throw new Error(`option "${name}": upload the file with fake.uploadCdnFile first`);
      resolve("attachments", id, attachmentJson(state, attachment, { ephemeral: true }));
    }
    return { name, type, value };
  });
  for (const declared of level ?? []) {
    if (isObject(declared) && declared.required === true && !given.some(([name]) => name === declared.name)) {
      throw new Error(`required option "${String(declared.name)}" is missing`);
    }
  }
  const options = wrappers.reduceRight<Json[]>((inner, wrapper) => [{ ...wrapper, options: inner }], leaves);
  return { options, resolved: Object.keys(resolved).length > 0 ? resolved : null };
}
