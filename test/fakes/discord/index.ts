export type { FakeClock } from "../clock.ts";
export type { AttachmentInput } from "./cdn.ts";
export type { OptionValue } from "./command-options.ts";
export type {
  ChannelInput,
  CreatedGuild,
  GuildInput,
  MemberInput,
  PermissionsInput,
} from "./directory-inputs.ts";
export { createFakeDiscord, type FakeDiscord } from "./fake-discord.ts";
export type { FakeDiscordOptions } from "./fake-discord-options.ts";
export type { FaultSpec } from "./faults.ts";
export type { GatewayFrame, GatewaySessionInfo } from "./gateway.ts";
export type { RecordedRequest } from "./http-handler.ts";
export type { IntentName } from "./intents.ts";
export type { InteractionRef } from "./interaction-delivery.ts";
export type { MessageLimits } from "./message-payload.ts";
export type { PermissionName } from "./permissions.ts";
export {
  discordRateLimits,
  type RateLimitConfig,
  type RateLimitHit,
  type RateLimitRule,
} from "./rate-limiter.ts";
export type { InteractionTimings } from "./route-deps.ts";
export type {
  AttachmentUpload,
  ComponentInput,
  ModalSubmitInput,
  SlashCommandInput,
  UserMessageInput,
} from "./user-actions.ts";
export type { InteractionView, MessageView } from "./views.ts";
