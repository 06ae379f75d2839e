import { RETENTION_DAYS_MAX, RETENTION_DAYS_MIN } from "@replibot/core";
import {
  ApplicationCommandType,
  ChannelType,
  ContextMenuCommandBuilder,
  InteractionContextType,
  PermissionFlagsBits,
  SlashCommandBuilder,
} from "discord.js";

/** Choices for a model option: the catalog's models of one command. */
export interface ModelChoice {
  id: string;
  label: string;
}

/** Longest /ask prompt a member can type (Discord allows 6,000 characters in one option). */
export const ASK_PROMPT_MAX = 4_000;

const adminOnly = String(PermissionFlagsBits.ManageGuild);

const modelOption = (choices: ModelChoice[]) => (option: import("discord.js").SlashCommandStringOption) =>
  option
    .setName("model")
    .setDescription("Which model answers")
    .addChoices(
      ...choices.slice(0, 25).map((choice) => ({ name: choice.label.slice(0, 100), value: choice.id })),
    );

/**
 * The whole command tree of DESIGN.md, registered from the start: members' commands, the
 * Transcribe context menu, and admin commands limited to Manage Server (checked again in the bot).
 */
export function commandTree(models: { ask: ModelChoice[]; imagine: ModelChoice[] }) {
  const ask = new SlashCommandBuilder()
    .setName("ask")
    .setDescription("Ask a language model; the answer is written as it streams")
    .setContexts(InteractionContextType.Guild, InteractionContextType.BotDM)
    .addStringOption((o) =>
      o.setName("prompt").setDescription("Your question").setRequired(true).setMaxLength(ASK_PROMPT_MAX),
    )
    .addStringOption(modelOption(models.ask));

  const imagine = new SlashCommandBuilder()
    .setName("imagine")
    .setDescription("Make an image from a description")
    .setContexts(InteractionContextType.Guild, InteractionContextType.BotDM)
    .addStringOption((o) =>
      o.setName("prompt").setDescription("What to draw").setRequired(true).setMaxLength(2_000),
    )
    .addStringOption((o) =>
      o
        .setName("aspect_ratio")
        .setDescription("Shape of the image")
        .addChoices(
          ...["1:1", "16:9", "9:16", "4:3", "3:4", "3:2", "2:3", "21:9", "9:21"].map((v) => ({
            name: v,
            value: v,
          })),
        ),
    )
    .addStringOption((o) =>
      o.setName("negative_prompt").setDescription("What to leave out").setMaxLength(2_000),
    )
    .addIntegerOption((o) =>
      o
        .setName("seed")
        .setDescription("Seed, for the same image again")
        .setMinValue(0)
        .setMaxValue(4_294_967_295),
    )
    .addStringOption(modelOption(models.imagine));

  const transcribe = new ContextMenuCommandBuilder()
    .setName("Transcribe")
    .setType(ApplicationCommandType.Message)
    .setContexts(InteractionContextType.Guild);

  // Members' own command (not under /replibot-settings, which only Manage Server can see).
  const forgetMe = new SlashCommandBuilder()
    .setName("forget-me")
    .setDescription("Delete the conversations and prompts Replibot keeps from you")
    .setContexts(InteractionContextType.Guild, InteractionContextType.BotDM);

  const spend = new SlashCommandBuilder()
    .setName("spend")
    .setDescription("What this server has spent on models")
    .setDefaultMemberPermissions(adminOnly)
    .setContexts(InteractionContextType.Guild)
    .addSubcommand((s) => s.setName("show").setDescription("This month's spend, by member and model"))
    .addSubcommand((s) => s.setName("export").setDescription("Every charge this month as CSV"));

  const spendLimit = new SlashCommandBuilder()
    .setName("spend-limit")
    .setDescription("Set what this server may spend")
    .setDefaultMemberPermissions(adminOnly)
    .setContexts(InteractionContextType.Guild)
    .addSubcommand((s) =>
      s
        .setName("set")
        .setDescription("Set the monthly limit in US dollars")
        .addNumberOption((o) =>
          o.setName("amount").setDescription("Dollars per month").setRequired(true).setMinValue(0),
        ),
    )
    .addSubcommand((s) => s.setName("clear").setDescription("Go back to the default monthly limit"))
    .addSubcommand((s) =>
      s
        .setName("user")
        .setDescription("Set one member's daily limit")
        .addUserOption((o) => o.setName("member").setDescription("The member").setRequired(true))
        .addNumberOption((o) =>
          o.setName("amount").setDescription("Dollars per day").setRequired(true).setMinValue(0),
        ),
    )
    .addSubcommand((s) =>
      s
        .setName("alerts")
        .setDescription("Where spend alerts go")
        .addChannelOption((o) =>
          o
            .setName("channel")
            .setDescription("Alert channel")
            .setRequired(true)
            .addChannelTypes(ChannelType.GuildText),
        ),
    );

  const transcribeAdmin = new SlashCommandBuilder()
    .setName("transcribe")
    .setDescription("Automatic transcription of voice notes in this channel")
    .setDefaultMemberPermissions(adminOnly)
    .setContexts(InteractionContextType.Guild)
    .addSubcommand((s) => s.setName("on").setDescription("Transcribe voice notes posted here"))
    .addSubcommand((s) => s.setName("off").setDescription("Stop transcribing here"))
    .addSubcommand((s) =>
      s.setName("status").setDescription("Whether transcription is on here, and why not"),
    );

  const settings = new SlashCommandBuilder()
    .setName("replibot-settings")
    .setDescription("Replibot's settings for this server")
    .setDefaultMemberPermissions(adminOnly)
    .setContexts(InteractionContextType.Guild)
    .addSubcommand((s) =>
      s
        .setName("memory")
        .setDescription("How many earlier turns follow-ups remember")
        .addIntegerOption((o) =>
          o
            .setName("turns")
            .setDescription("Turns (0 turns memory off)")
            .setRequired(true)
            .setMinValue(0)
            .setMaxValue(50),
        )
        .addIntegerOption((o) =>
          o
            .setName("context_tokens")
            .setDescription(
              "Most tokens of earlier turns sent with a follow-up (default: the model's window)",
            )
            .setMinValue(100)
            .setMaxValue(100_000),
        ),
    )
    .addSubcommand((s) =>
      s
        .setName("threads")
        .setDescription("Give each answer a thread, where members keep talking to Replibot")
        .addBooleanOption((o) => o.setName("enabled").setDescription("On or off").setRequired(true)),
    )
    .addSubcommand((s) =>
      s
        .setName("system-prompt")
        .setDescription("The instructions the language model gets")
        .addStringOption((o) =>
          o.setName("text").setDescription("Empty for the default").setMaxLength(4_000),
        ),
    )
    .addSubcommand((s) =>
      s
        .setName("blocklist")
        .setDescription("Words or /regular expressions/ refused in prompts")
        .addStringOption((o) =>
          o
            .setName("action")
            .setDescription("What to do")
            .setRequired(true)
            .addChoices(
              { name: "add", value: "add" },
              { name: "remove", value: "remove" },
              { name: "list", value: "list" },
              { name: "reset to the default", value: "reset" },
            ),
        )
        .addStringOption((o) => o.setName("entry").setDescription("A word or /regex/").setMaxLength(200)),
    )
    .addSubcommand((s) =>
      s
        .setName("channels")
        .setDescription("Where commands and automatic transcription work")
        .addStringOption((o) =>
          o
            .setName("action")
            .setDescription("Everywhere, or only the channels you add")
            .setRequired(true)
            .addChoices(
              { name: "everywhere", value: "everywhere" },
              { name: "add", value: "add" },
              { name: "remove", value: "remove" },
            ),
        )
        .addChannelOption((o) =>
          o.setName("channel").setDescription("The channel").addChannelTypes(ChannelType.GuildText),
        ),
    )
    .addSubcommand((s) =>
      s
        .setName("models")
        .setDescription("Which models members may pick")
        .addStringOption((o) =>
          o
            .setName("command")
            .setDescription("For which command")
            .setRequired(true)
            .addChoices({ name: "ask", value: "ask" }, { name: "imagine", value: "imagine" }),
        )
        .addStringOption((o) =>
          o
            .setName("models")
            .setDescription('Model ids, comma-separated, or "all"')
            .setRequired(true)
            .setMaxLength(500),
        ),
    )
    .addSubcommand((s) =>
      s
        .setName("roles")
        .setDescription("Which roles may use a command (admins always may)")
        .addStringOption((o) =>
          o
            .setName("command")
            .setDescription("Which command")
            .setRequired(true)
            .addChoices(
              { name: "ask", value: "ask" },
              { name: "imagine", value: "imagine" },
              { name: "transcribe", value: "transcribe" },
            ),
        )
        .addStringOption((o) =>
          o
            .setName("action")
            .setDescription("Add or remove a role, or open it to everyone")
            .setRequired(true)
            .addChoices(
              { name: "add", value: "add" },
              { name: "remove", value: "remove" },
              { name: "everyone", value: "everyone" },
            ),
        )
        .addRoleOption((o) => o.setName("role").setDescription("The role")),
    )
    .addSubcommand((s) =>
      s
        .setName("image-safety")
        .setDescription("The image safety checker in age-restricted channels")
        .addBooleanOption((o) =>
          o.setName("allow_off_in_nsfw").setDescription("Allow turning it off there").setRequired(true),
        ),
    )
    .addSubcommand((s) =>
      s
        .setName("retention")
        .setDescription("How long members' words (prompts, conversation turns) are kept")
        .addIntegerOption((o) =>
          o
            .setName("days")
            .setDescription(
              `Days, ${RETENTION_DAYS_MIN} to ${RETENTION_DAYS_MAX} (leave empty for the deployment's default)`,
            )
            .setMinValue(RETENTION_DAYS_MIN)
            .setMaxValue(RETENTION_DAYS_MAX),
        ),
    )
    .addSubcommand((s) => s.setName("show").setDescription("Everything set for this server"));

  return [ask, imagine, transcribe, forgetMe, spend, spendLimit, transcribeAdmin, settings].map((command) =>
    command.toJSON(),
  );
}
