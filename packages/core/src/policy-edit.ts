import {
  type BlockRule,
  blockEntryText,
  blocklistOf,
  DEFAULT_BLOCKLIST,
  type TenantPolicy,
} from "./tenant-policy.ts";

/** The commands whose models admins choose. */
export type ModelCommand = "ask" | "imagine";
/** The commands admins limit to roles or groups. */
export type GroupCommand = "ask" | "imagine" | "transcribe";

/** One change an admin makes to a tenant's policy, on either platform. */
export type PolicyEdit =
  | { setting: "blocklist"; action: "add" | "remove"; rule: BlockRule }
  | { setting: "blocklist"; action: "reset" }
  | { setting: "channels"; action: "everywhere" }
  | { setting: "channels"; action: "add" | "remove"; channelId: string }
  | { setting: "models"; command: ModelCommand; models: string[] | null }
  | { setting: "roles"; command: GroupCommand; action: "add" | "remove"; groupId: string }
  | { setting: "roles"; command: GroupCommand; action: "everyone" }
  | { setting: "image-safety"; allowOffInNsfw: boolean };

/** The part of the policy an edit changes (what the audit table records before and after). */
export function policyKeyOf(edit: PolicyEdit): keyof TenantPolicy {
  switch (edit.setting) {
    case "blocklist":
      return "blocklist";
    case "channels":
      return "channels";
    case "models":
      return "models";
    case "roles":
      return "roles";
    case "image-safety":
      return "imageSafetyOffInNsfw";
  }
}

const same = (a: BlockRule, b: BlockRule) => a.kind === b.kind && a.value === b.value;
const without = <T>(list: readonly T[] | undefined, item: T) => (list ?? []).filter((x) => x !== item);
const withItem = <T>(list: readonly T[] | undefined, item: T) => [...without(list, item), item];

/**
 * Applies an admin's edit: the new policy, and a note when the edit changed nothing (an entry
 * already there, or not there to remove). An emptied list means "no restriction".
 */
export function editPolicy(policy: TenantPolicy, edit: PolicyEdit): { policy: TenantPolicy; note?: string } {
  switch (edit.setting) {
    case "blocklist": {
      if (edit.action === "reset") {
        const { blocklist: _dropped, ...rest } = policy;
        return { policy: { ...rest } };
      }
      const rules = blocklistOf(policy);
      const present = rules.some((rule) => same(rule, edit.rule));
      if (edit.action === "add" && present)
        return { policy, note: `\`${blockEntryText(edit.rule)}\` is already on the blocklist.` };
      if (edit.action === "remove" && !present)
        return { policy, note: `\`${blockEntryText(edit.rule)}\` is not on the blocklist.` };
      const next =
        edit.action === "add" ? [...rules, edit.rule] : rules.filter((rule) => !same(rule, edit.rule));
      return { policy: { ...policy, blocklist: next } };
    }
    case "channels": {
      if (edit.action === "everywhere") {
        const { channels: _dropped, ...rest } = policy;
        return { policy: { ...rest } };
      }
      const next =
        edit.action === "add"
          ? withItem(policy.channels, edit.channelId)
          : without(policy.channels, edit.channelId);
      return next.length > 0
        ? { policy: { ...policy, channels: next } }
        : editPolicy(policy, { setting: "channels", action: "everywhere" });
    }
    case "models": {
      const models = { ...policy.models, [edit.command]: edit.models?.length ? edit.models : undefined };
      return { policy: { ...policy, models } };
    }
    case "roles": {
      const current = policy.roles[edit.command];
      const next =
        edit.action === "everyone"
          ? undefined
          : edit.action === "add"
            ? withItem(current, edit.groupId)
            : without(current, edit.groupId);
      return {
        policy: { ...policy, roles: { ...policy.roles, [edit.command]: next?.length ? next : undefined } },
      };
    }
    case "image-safety":
      return { policy: { ...policy, imageSafetyOffInNsfw: edit.allowOffInNsfw } };
  }
}

/** Whether the blocklist in force is Replibot's default one. */
export function usesDefaultBlocklist(policy: TenantPolicy): boolean {
  return policy.blocklist === undefined || policy.blocklist === DEFAULT_BLOCKLIST;
}
