import { apiErrors, invalidFormBody } from "./api-error.ts";
import { bodyJson } from "./request-body.ts";
import type { RouteDeps } from "./route-deps.ts";
import type { Route, RouteContext } from "./router.ts";
import type { Json } from "./shapes.ts";
import type { StoredCommand } from "./state.ts";

type JsonObject = Record<string, unknown>;
const isObject = (value: unknown): value is JsonObject =>
  typeof value === "object" && value !== null && !Array.isArray(value);

// Discord's rule for chat-input command and option names (application-commands.mdx "Naming").
const chatInputName = /^[-_'\p{L}\p{N}\p{sc=Deva}\p{sc=Thai}]{1,32}$/u;

/** Checks one command the way Discord's 50035 does: names, descriptions, option counts. */
function validateCommand(command: unknown, index: number | null): JsonObject {
  const at = (...path: string[]) => (index === null ? path : [String(index), ...path]);
  if (!isObject(command))
    throw invalidFormBody(at(), "DICT_TYPE_CONVERT", "Only dictionaries may be used in a DictType");
  const type = command.type ?? 1;
  const name = command.name;
  if (typeof name !== "string")
    throw invalidFormBody(at("name"), "BASE_TYPE_REQUIRED", "This field is required");
  if (type === 1) {
    if (!chatInputName.test(name) || name !== name.toLowerCase()) {
      throw invalidFormBody(at("name"), "APPLICATION_COMMAND_INVALID_NAME", `Command name is invalid`);
    }
    const description = command.description;
    if (typeof description !== "string" || description.length < 1 || description.length > 100) {
      throw invalidFormBody(
        at("description"),
        "BASE_TYPE_BAD_LENGTH",
        "Must be between 1 and 100 in length.",
      );
    }
    const options = Array.isArray(command.options) ? command.options : [];
    if (options.length > 25)
      throw invalidFormBody(at("options"), "BASE_TYPE_MAX_LENGTH", "Must be 25 or fewer in length.");
    validateOptions(options, at("options"));
  } else if (name.length < 1 || name.length > 32) {
    throw invalidFormBody(at("name"), "BASE_TYPE_BAD_LENGTH", "Must be between 1 and 32 in length.");
  }
  return command;
}

function validateOptions(options: unknown[], path: string[]): void {
  options.forEach((option, index) => {
    const at = [...path, String(index)];
    if (!isObject(option))
      throw invalidFormBody(at, "DICT_TYPE_CONVERT", "Only dictionaries may be used in a DictType");
    if (
      typeof option.name !== "string" ||
      !chatInputName.test(option.name) ||
      option.name !== option.name.toLowerCase()
    ) {
      throw invalidFormBody([...at, "name"], "APPLICATION_COMMAND_INVALID_NAME", "Command name is invalid");
    }
    if (
      typeof option.description !== "string" ||
      option.description.length < 1 ||
      option.description.length > 100
    ) {
      throw invalidFormBody(
        [...at, "description"],
        "BASE_TYPE_BAD_LENGTH",
        "Must be between 1 and 100 in length.",
      );
    }
    if (typeof option.type !== "number" || option.type < 1 || option.type > 11) {
      throw invalidFormBody(
        [...at, "type"],
        "BASE_TYPE_CHOICES",
        "Value must be one of (1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11).",
      );
    }
    if (Array.isArray(option.options)) validateOptions(option.options, [...at, "options"]);
  });
}

/** Application command registration: bulk overwrite, create, list, fetch, edit and delete, global and per guild. */
export function commandRoutes(deps: RouteDeps): Route[] {
  const { state } = deps;
  const scopeOf = ({ params }: RouteContext): string => {
    if (params.application_id !== state.applicationId) throw apiErrors.missingAccess();
    if (params.guild_id === undefined) return "global";
    const guild = state.guilds.get(params.guild_id);
    // Discord answers Missing Access when the application is not in the guild.
    if (!guild?.members.has(state.applicationId)) throw apiErrors.missingAccess();
    return guild.id;
  };
  const store = (scope: string, input: JsonObject, previous: StoredCommand | undefined): StoredCommand => {
    const guildId = scope === "global" ? null : scope;
    const id = previous?.id ?? deps.ids.snowflake();
    const json: Json = {
      type: 1,
      description: "",
      default_member_permissions: null,
      nsfw: false,
      contexts: null,
      integration_types: [0],
      name_localizations: null,
      description_localizations: null,
      ...input,
      id,
      application_id: state.applicationId,
      version: deps.ids.snowflake(),
      ...(guildId ? { guild_id: guildId } : {}),
    };
    return { id, guildId, json };
  };
  const findIn = (scope: string, id: string | undefined) => {
    const command = (state.commands.get(scope) ?? []).find((c) => c.id === id);
    if (!command) throw apiErrors.unknownApplicationCommand();
    return command;
  };
  const sameCommand = (input: JsonObject) => (c: StoredCommand) =>
    c.json.name === input.name && (c.json.type ?? 1) === (input.type ?? 1);

  const routesFor = (base: string): Route[] => {
    const route = (method: Route["method"], path: string, handle: Route["handle"]): Route => ({
      method,
      path: `${base}${path}`,
      auth: "bot",
      bucket: "otherRoutes",
      handle,
    });
    return [
      route("GET", "", (context) => ({
        status: 200,
        json: (state.commands.get(scopeOf(context)) ?? []).map((c) => c.json),
      })),
      route("PUT", "", (context) => {
        const scope = scopeOf(context);
        const input = bodyJson(context.body);
        if (!Array.isArray(input)) throw invalidFormBody([], "LIST_TYPE_CONVERT", "Must be an array.");
        const commands = input.map((command, index) => validateCommand(command, index));
        const names = new Set(commands.map((c) => `${c.type ?? 1}:${String(c.name)}`));
        if (names.size !== commands.length) {
          throw invalidFormBody(
            [],
            "APPLICATION_COMMANDS_DUPLICATE_NAME",
            "Application command names must be unique",
          );
        }
        const previous = state.commands.get(scope) ?? [];
        // Overwriting keeps the id of a command with the same name and type, as Discord does.
        const stored = commands.map((c) => store(scope, c, previous.find(sameCommand(c))));
        state.commands.set(scope, stored);
        return { status: 200, json: stored.map((c) => c.json) };
      }),
      route("POST", "", (context) => {
        const scope = scopeOf(context);
        const input = validateCommand(bodyJson(context.body), null);
        const list = state.commands.get(scope) ?? [];
        const previous = list.find(sameCommand(input));
        const stored = store(scope, input, previous);
        state.commands.set(scope, [...list.filter((c) => c !== previous), stored]);
        return { status: previous ? 200 : 201, json: stored.json };
      }),
      route("GET", "/:command_id", (context) => ({
        status: 200,
        json: findIn(scopeOf(context), context.params.command_id).json,
      })),
      route("PATCH", "/:command_id", (context) => {
        const scope = scopeOf(context);
        const current = findIn(scope, context.params.command_id);
        const patch = bodyJson(context.body);
        const input = validateCommand({ ...current.json, ...(isObject(patch) ? patch : {}) }, null);
        const stored = store(scope, input, current);
        state.commands.set(
          scope,
          (state.commands.get(scope) ?? []).map((c) => (c === current ? stored : c)),
        );
        return { status: 200, json: stored.json };
      }),
      route("DELETE", "/:command_id", (context) => {
        const scope = scopeOf(context);
        const current = findIn(scope, context.params.command_id);
        state.commands.set(
          scope,
          (state.commands.get(scope) ?? []).filter((c) => c !== current),
        );
        return { status: 204 };
      }),
    ];
  };
  return [
    ...routesFor("/applications/:application_id/guilds/:guild_id/commands"),
    ...routesFor("/applications/:application_id/commands"),
  ];
}
