import { createContext, Script } from "node:vm";
import { z } from "zod";
import type { JobKind } from "./job-catalog.ts";

/** One blocklist entry: a whole word or phrase (case-insensitive), or a regular expression. */
export const BlockRule = z.object({
  kind: z.enum(["word", "regex"]),
  value: z.string().min(1).max(200),
});
export type BlockRule = z.infer<typeof BlockRule>;

/** Per-command lists; a command without a list is open to all. */
const perCommand = z
  .object({
    ask: z.array(z.string()).max(100).optional(),
    imagine: z.array(z.string()).max(100).optional(),
    transcribe: z.array(z.string()).max(100).optional(),
  })
  .default({});

/** Where and how a tenant's members may use the bot, as its admins set it. */
export const TenantPolicy = z.object({
  /** The blocklist; Replibot's default list until an admin changes it. */
  blocklist: z.array(BlockRule).max(500).optional(),
  /** Image models may run without their safety checker in age-restricted (NSFW) Discord channels. */
  imageSafetyOffInNsfw: z.boolean().default(false),
  /** Channels where commands and automatic transcription work; every channel when absent. */
  channels: z.array(z.string()).max(500).optional(),
  /** Catalog model ids members may pick, per command; every model when absent. */
  models: perCommand,
  /** Role ids (Discord) or user group ids (Slack) that may use each command; everyone when absent. */
  roles: perCommand,
});
export type TenantPolicy = z.infer<typeof TenantPolicy>;

/** A stored policy (a JSON column), read leniently: anything unreadable means the defaults. */
export function readTenantPolicy(stored: unknown): TenantPolicy {
  const parsed = TenantPolicy.safeParse(stored ?? {});
  return parsed.success ? parsed.data : TenantPolicy.parse({});
}

/**
 * The blocklist a tenant starts with: prompts that sexualise minors, which no server may allow and
 * no model should be asked for. Admins add their own words; removing these is possible (a tenant's
 * list is its own) but the README advises against it.
 */
export const DEFAULT_BLOCKLIST: readonly BlockRule[] = [
  { kind: "word", value: "loli" },
  { kind: "word", value: "lolicon" },
  { kind: "word", value: "shotacon" },
  { kind: "word", value: "child porn" },
  {
    kind: "regex",
    value:
      "\\b(child|children|kid|kids|minor|minors|underage|preteen|toddler|schoolgirl|schoolboy)\\b.*\\b(nude|naked|sexy|sexual|porn|nsfw|explicit|erotic)\\b",
  },
  {
    kind: "regex",
    value:
      "\\b(nude|naked|sexy|sexual|porn|nsfw|explicit|erotic)\\b.*\\b(child|children|kid|kids|minor|minors|underage|preteen|toddler|schoolgirl|schoolboy)\\b",
  },
];

/** The blocklist in force for a tenant. */
export function blocklistOf(policy: TenantPolicy): readonly BlockRule[] {
  return policy.blocklist ?? DEFAULT_BLOCKLIST;
}

const letter = "[\\p{L}\\p{N}_]";
const escapeRegex = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
// Nested quantifiers such as (a+)+ can take exponential time on a crafted prompt.
const nestedQuantifier = /\((?:[^()\\]|\\.)*[+*}](?:[^()\\]|\\.)*\)\s*[+*{?]/;

/** A rule as a regular expression (Unicode, case-insensitive), or why it cannot be one. */
export function compileBlockRule(
  rule: BlockRule,
): { ok: true; regex: RegExp } | { ok: false; reason: string } {
  if (rule.kind === "word") {
    const words = rule.value.trim().split(/\s+/).map(escapeRegex).join("\\s+");
    return { ok: true, regex: new RegExp(`(?<!${letter})${words}(?!${letter})`, "iu") };
  }
  if (nestedQuantifier.test(rule.value)) {
    return { ok: false, reason: "a quantifier inside a repeated group can make matching very slow" };
  }
  try {
    return { ok: true, regex: new RegExp(rule.value, "iu") };
  } catch (error) {
    return { ok: false, reason: `it is not a valid regular expression (${(error as Error).message})` };
  }
}

/** An admin's rule checked when it is added: compiles, and decides quickly even on hostile text. */
export function checkNewBlockRule(rule: BlockRule): { ok: true } | { ok: false; reason: string } {
  const compiled = compileBlockRule(rule);
  if (!compiled.ok) return compiled;
  if (!fastEnough(compiled.regex)) {
    return { ok: false, reason: "it can take very long to match some text (catastrophic backtracking)" };
  }
  return { ok: true };
}

/** The first rule a prompt matches (compared in Unicode NFKC form), or undefined. */
export function blockedBy(prompt: string, rules: readonly BlockRule[]): BlockRule | undefined {
  const text = prompt.normalize("NFKC");
  for (const rule of rules) {
    const compiled = compileBlockRule(rule);
    if (!compiled.ok) continue;
    const matched = boundedTest(compiled.regex, text);
    // A pattern that cannot decide in time counts as a match: the prompt is refused, the app lives on.
    if (matched !== false) return rule;
  }
  return undefined;
}

/** How long one blocklist pattern may take on one prompt before it counts as matching. */
const MATCH_BUDGET_MS = 50;
const sandbox = createContext({ pattern: /$^/, text: "" });
const testScript = new Script("pattern.test(text)");

/**
 * `regex.test(text)` stopped after {@link MATCH_BUDGET_MS}: JavaScript's regular expressions can take
 * exponential time on a crafted input (`/(a|a)*$/`), and one server's blocklist must never freeze the
 * app for every server. V8 interrupts a running match at a script timeout. Returns "timeout" then.
 */
function boundedTest(regex: RegExp, text: string): boolean | "timeout" {
  if (!regex.source.includes("(") && !/[*+}]/.test(regex.source)) return regex.test(text);
  sandbox.pattern = regex;
  sandbox.text = text;
  try {
    return testScript.runInContext(sandbox, { timeout: MATCH_BUDGET_MS }) === true;
  } catch {
    return "timeout";
  } finally {
    regex.lastIndex = 0;
  }
}

/** Inputs that make backtracking patterns slow; an admin's pattern must decide each in time. */
const probes = [
  "a".repeat(40),
  `${"a".repeat(40)}!`,
  `${"ab".repeat(30)}!`,
  `${" ".repeat(60)}x`,
  `${"1".repeat(40)}a`,
];

/** Whether a pattern stays fast on inputs that make backtracking patterns explode. */
function fastEnough(regex: RegExp): boolean {
  return probes.every((probe) => boundedTest(regex, probe) !== "timeout");
}

/** Who asks for what, where: what the policy is checked against. */
export interface PolicyRequest {
  kind: JobKind;
  channelId: string;
  /** The member's role ids (Discord) or user group ids (Slack). */
  groupIds: readonly string[];
  /** Admins may use every command in every channel. */
  isAdmin: boolean;
  /** The words sent to a model, when the request has any. */
  prompt?: string;
  /** The catalog model id the request would use. */
  modelId?: string;
}

/** Why a policy refuses a request, in a form each platform words for itself. */
export type PolicyRefusal =
  | { reason: "channel"; channels: string[] }
  | { reason: "group"; groups: string[] }
  | { reason: "model"; models: string[] }
  | { reason: "blocked" };

/** Checks a request against a tenant's policy: channel, role or group, model, blocklist. */
export function policyRefusal(policy: TenantPolicy, request: PolicyRequest): PolicyRefusal | undefined {
  const channels = policy.channels;
  if (!request.isAdmin && channels && channels.length > 0 && !channels.includes(request.channelId)) {
    return { reason: "channel", channels };
  }
  const groups = policy.roles[request.kind];
  if (
    !request.isAdmin &&
    groups &&
    groups.length > 0 &&
    !groups.some((id) => request.groupIds.includes(id))
  ) {
    return { reason: "group", groups };
  }
  const models = policy.models[request.kind];
  if (request.modelId && models && models.length > 0 && !models.includes(request.modelId)) {
    return { reason: "model", models };
  }
  if (request.prompt !== undefined && blockedBy(request.prompt, blocklistOf(policy)))
    return { reason: "blocked" };
  return undefined;
}

/** The model a request uses when it names none: the catalog's default, unless the tenant allows only others. */
export function defaultModelFor(policy: TenantPolicy, kind: JobKind, catalogDefault: string): string {
  const allowed = policy.models[kind];
  return allowed && allowed.length > 0 && !allowed.includes(catalogDefault)
    ? (allowed[0] ?? catalogDefault)
    : catalogDefault;
}

/** An admin's blocklist entry: `/…/` is a regular expression, anything else a word or phrase. */
export function parseBlockEntry(text: string): { ok: true; rule: BlockRule } | { ok: false; reason: string } {
  const trimmed = text.trim();
  const regex = /^\/(.+)\/$/s.exec(trimmed);
  const rule: BlockRule = regex
    ? { kind: "regex", value: regex[1]! }
    : { kind: "word", value: trimmed.toLowerCase() };
  if (!rule.value.trim())
    return { ok: false, reason: "The entry is empty: give a word, or a /regular expression/." };
  if (rule.value.length > 200)
    return { ok: false, reason: "The entry is too long: keep it under 200 characters." };
  const checked = checkNewBlockRule(rule);
  if (!checked.ok) return { ok: false, reason: `That entry cannot be used: ${checked.reason}.` };
  return { ok: true, rule };
}

/** A blocklist entry as admins type and see it. */
export function blockEntryText(rule: BlockRule): string {
  return rule.kind === "regex" ? `/${rule.value}/` : rule.value;
}
