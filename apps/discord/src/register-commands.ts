import type { REST } from "@discordjs/rest";
import type { Catalog } from "@replibot/replicate";
import { Routes } from "discord.js";
import { commandTree } from "./commands.ts";

/** Options for {@link registerCommands}. */
export interface RegisterCommandsOptions {
  rest: REST;
  applicationId: string;
  /** One guild (instant, for development) instead of globally (may take up to an hour to appear). */
  guildId?: string;
  catalog: Catalog;
}

/** Replaces the application's commands with the whole tree; returns how many are registered. */
export async function registerCommands(options: RegisterCommandsOptions): Promise<number> {
  const choices = (kind: "ask" | "imagine") =>
    options.catalog.commands[kind].models.map((model) => ({ id: model.id, label: model.label }));
  const body = commandTree({ ask: choices("ask"), imagine: choices("imagine") });
  const route = options.guildId
    ? Routes.applicationGuildCommands(options.applicationId, options.guildId)
    : Routes.applicationCommands(options.applicationId);
  const registered = (await options.rest.put(route, { body })) as unknown[];
  return registered.length;
}
