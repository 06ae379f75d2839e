import { describe, expect, it } from "vitest";
import { editPolicy } from "./policy-edit.ts";
import {
  blockedBy,
  DEFAULT_BLOCKLIST,
  defaultModelFor,
  parseBlockEntry,
  policyRefusal,
  readTenantPolicy,
} from "./tenant-policy.ts";

const open = readTenantPolicy({});

describe("the blocklist", () => {
  it("matches whole words in any case and width, and phrases across spaces", () => {
    const rules = [
      { kind: "word" as const, value: "durian" },
      { kind: "word" as const, value: "bad idea" },
    ];
    expect(blockedBy("I love DURIAN", rules)).toEqual(rules[0]);
    expect(blockedBy("ｄｕｒｉａｎ, full width", rules)).toEqual(rules[0]);
    expect(blockedBy("a bad   idea", rules)).toEqual(rules[1]);
    expect(blockedBy("durians and durianfest", rules)).toBeUndefined();
    expect(blockedBy("été-durian", rules)).toEqual(rules[0]);
  });

  it("refuses the default list's cases and lets ordinary prompts through", () => {
    expect(blockedBy("a naked child", DEFAULT_BLOCKLIST)).toBeDefined();
    expect(blockedBy("explicit pictures of a minor", DEFAULT_BLOCKLIST)).toBeDefined();
    expect(blockedBy("a child flying a kite", DEFAULT_BLOCKLIST)).toBeUndefined();
    expect(blockedBy("explain minor keys in music theory", DEFAULT_BLOCKLIST)).toBeUndefined();
  });

  it("parses admins' entries: /regex/ or words, refusing empty, invalid and catastrophic ones", () => {
    expect(parseBlockEntry(" Durian ")).toEqual({ ok: true, rule: { kind: "word", value: "durian" } });
    expect(parseBlockEntry("/du+rian/")).toEqual({ ok: true, rule: { kind: "regex", value: "du+rian" } });
    expect(parseBlockEntry("  ")).toMatchObject({ ok: false });
    expect(parseBlockEntry("/(/")).toMatchObject({
      ok: false,
      reason: expect.stringContaining("not a valid"),
    });
    expect(parseBlockEntry("/(x+)+y/")).toMatchObject({ ok: false, reason: expect.stringContaining("slow") });
    expect(parseBlockEntry("/(a|b)*c/")).toMatchObject({ ok: true });
  });
});

describe("a tenant's policy", () => {
  it("checks channel, group and model in that order; admins pass channels and groups", () => {
    const policy = readTenantPolicy({ channels: ["c1"], roles: { ask: ["r1"] }, models: { ask: ["m1"] } });
    const base = { kind: "ask" as const, channelId: "c2", groupIds: [], isAdmin: false, modelId: "m2" };
    expect(policyRefusal(policy, base)).toEqual({ reason: "channel", channels: ["c1"] });
    expect(policyRefusal(policy, { ...base, channelId: "c1" })).toEqual({ reason: "group", groups: ["r1"] });
    expect(policyRefusal(policy, { ...base, channelId: "c1", groupIds: ["r1"] })).toEqual({
      reason: "model",
      models: ["m1"],
    });
    expect(policyRefusal(policy, { ...base, isAdmin: true, modelId: "m1" })).toBeUndefined();
    expect(policyRefusal(open, { ...base, prompt: "lolicon" })).toEqual({ reason: "blocked" });
  });

  it("defaults to the first allowed model only when the catalog default is not allowed", () => {
    expect(defaultModelFor(open, "ask", "big")).toBe("big");
    expect(defaultModelFor(readTenantPolicy({ models: { ask: ["small"] } }), "ask", "big")).toBe("small");
    expect(defaultModelFor(readTenantPolicy({ models: { ask: ["small", "big"] } }), "ask", "big")).toBe(
      "big",
    );
  });

  it("reads a damaged stored policy as the defaults", () => {
    expect(readTenantPolicy({ channels: "everywhere" })).toEqual(open);
    expect(readTenantPolicy(null)).toEqual(open);
  });

  it("edits: adding twice or removing what is absent changes nothing and says so; emptied lists mean everyone", () => {
    const added = editPolicy(open, {
      setting: "blocklist",
      action: "add",
      rule: { kind: "word", value: "x" },
    });
    expect(added.policy.blocklist).toEqual([...DEFAULT_BLOCKLIST, { kind: "word", value: "x" }]);
    expect(
      editPolicy(added.policy, { setting: "blocklist", action: "add", rule: { kind: "word", value: "x" } })
        .note,
    ).toBe("`x` is already on the blocklist.");
    const channel = editPolicy(open, { setting: "channels", action: "add", channelId: "c1" }).policy;
    expect(
      editPolicy(channel, { setting: "channels", action: "remove", channelId: "c1" }).policy.channels,
    ).toBeUndefined();
    const roles = editPolicy(open, { setting: "roles", command: "ask", action: "add", groupId: "r" }).policy;
    expect(
      editPolicy(roles, { setting: "roles", command: "ask", action: "remove", groupId: "r" }).policy.roles
        .ask,
    ).toBeUndefined();
    expect(
      editPolicy(added.policy, { setting: "blocklist", action: "reset" }).policy.blocklist,
    ).toBeUndefined();
  });
});

describe("slow patterns", () => {
  it("refuses an admin's pattern that backtracks catastrophically, even one the shape check lets by", () => {
    expect(parseBlockEntry("/(a|a)*$/")).toMatchObject({
      ok: false,
      reason: expect.stringContaining("very long to match"),
    });
    expect(parseBlockEntry("/(a|aa)+b/")).toMatchObject({ ok: false });
    expect(parseBlockEntry("/colou?r/")).toMatchObject({ ok: true });
  });

  it("a stored pattern that runs long on a prompt counts as a match and returns at once", () => {
    // Stored before the check existed (or written into the database): it must not freeze the app.
    const rules = [{ kind: "regex" as const, value: "(a|a)*$" }];
    const started = Date.now();
    expect(blockedBy(`${"a".repeat(40)}!`, rules)).toEqual(rules[0]);
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(blockedBy("hello", rules)).toEqual(rules[0]); // (a|a)*$ matches the empty end of any text
  });
});
