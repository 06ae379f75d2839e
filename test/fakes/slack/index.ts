export type { FakeClock } from "../clock.ts";
export type { AppAnswer, Delivery, SigningOptions } from "./app-sender.ts";
export { blockErrors, blockLimits } from "./block-kit.ts";
export type { ChannelInput, TeamInput, UserInput, UserMessageInput } from "./directory.ts";
export { createFakeSlack, type FakeSlack } from "./fake-slack.ts";
export { defaultScopes, type FakeSlackOptions } from "./fake-slack-options.ts";
export type { FaultSpec } from "./faults.ts";
export { downloadScope, loginPageHtml } from "./file-downloads.ts";
export type { SharedFileInput, UserSharesFileFields } from "./file-shares.ts";
export type { RecordedRequest } from "./http-handler.ts";
export type { UninstallEvents } from "./install-methods.ts";
export { type OAuthControls, oauthCodeTtlMs } from "./oauth.ts";
export type { BlockActionFields, EventFields, Issued, SlashCommandFields } from "./payloads.ts";
export {
  type RateLimitConfig,
  type RateLimitHit,
  type RateLimitRule,
  slackRateLimits,
  type Tier,
} from "./rate-limiter.ts";
export type { ResponseUrlPost } from "./response-urls.ts";
export { slackSignature } from "./signing.ts";
export type { AckWait, SocketControls } from "./socket-actions.ts";
export type { Envelope, EnvelopeRecord, EnvelopeType, SocketAck } from "./socket-mode.ts";
export type { AudioClip, ClipTranscription } from "./state.ts";
export type {
  BlockActionInput,
  EventDelivery,
  EventInput,
  FileShareDeliveries,
  InteractionAnswer,
  MessageDeliveries,
  MessageRefInput,
  SlashCommandInput,
  UserSaysInput,
  UserSharesFileInput,
} from "./user-actions.ts";
export type { UserGroupControls, UserGroupInput } from "./user-groups.ts";
export {
  type BotEvent,
  botEventScopes,
  defaultBotEvents,
  type MessageRef,
  messageEventScopes,
  type NotDelivered,
  type UserSaysFields,
} from "./user-messages.ts";
export { userGroupScope } from "./usergroup-methods.ts";
export type { FileView, MessageView } from "./views.ts";
