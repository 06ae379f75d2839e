import { PermissionFlagsBits } from "discord-api-types/v10";

/** A permission by its discord.js / discord-api-types name, e.g. "ManageGuild". */
export type PermissionName = keyof typeof PermissionFlagsBits;

/** One channel permission overwrite, as Discord stores it. */
export interface PermissionOverwrite {
  /** A role id (the guild id for @everyone) or a user id. */
  id: string;
  type: "role" | "member";
  allow: bigint;
  deny: bigint;
}

/** Every permission bit, what Administrator and guild owners get. */
export const allPermissions = Object.values(PermissionFlagsBits).reduce((all, bit) => all | bit, 0n);

/** What Discord gives @everyone in a new server (the contract's "1071698660929"). */
export const defaultEveryonePermissions = 1_071_698_660_929n;

/** Turns a list of permission names or a bitfield into a bitfield. */
export function permissionBits(permissions: readonly PermissionName[] | bigint | string): bigint {
  if (typeof permissions === "bigint") return permissions;
  if (typeof permissions === "string") return BigInt(permissions);
  return permissions.reduce((all, name) => all | PermissionFlagsBits[name], 0n);
}

/** Whether `bits` grants `permission` (Administrator grants everything). */
export function hasPermission(bits: bigint, permission: PermissionName): boolean {
  if ((bits & PermissionFlagsBits.Administrator) !== 0n) return true;
  const wanted = PermissionFlagsBits[permission];
  return (bits & wanted) === wanted;
}

/** Inputs of Discord's permission computation for one member in one channel. */
export interface PermissionInputs {
  guildId: string;
  ownerId: string;
  userId: string;
  /** The ids of the member's roles, without @everyone. */
  memberRoleIds: readonly string[];
  /** Every role of the guild by id, including @everyone (id = guild id). */
  rolePermissions: ReadonlyMap<string, bigint>;
  /** The channel's overwrites; omit for guild-level permissions. */
  overwrites?: readonly PermissionOverwrite[];
}

/**
 * Discord's algorithm (topics/permissions "Permission Hierarchy"): base from @everyone and roles, owner and
 * Administrator get everything, then @everyone, role and member overwrites in that order.
 */
export function computePermissions(inputs: PermissionInputs): bigint {
  if (inputs.userId === inputs.ownerId) return allPermissions;
  let base = inputs.rolePermissions.get(inputs.guildId) ?? 0n;
  for (const roleId of inputs.memberRoleIds) base |= inputs.rolePermissions.get(roleId) ?? 0n;
  if ((base & PermissionFlagsBits.Administrator) !== 0n) return allPermissions;
  const overwrites = inputs.overwrites ?? [];
  let permissions = base;
  const everyone = overwrites.find((o) => o.type === "role" && o.id === inputs.guildId);
  if (everyone) permissions = (permissions & ~everyone.deny) | everyone.allow;
  let roleAllow = 0n;
  let roleDeny = 0n;
  for (const o of overwrites) {
    if (o.type === "role" && inputs.memberRoleIds.includes(o.id)) {
      roleAllow |= o.allow;
      roleDeny |= o.deny;
    }
  }
  permissions = (permissions & ~roleDeny) | roleAllow;
  const member = overwrites.find((o) => o.type === "member" && o.id === inputs.userId);
  if (member) permissions = (permissions & ~member.deny) | member.allow;
  return permissions;
}
