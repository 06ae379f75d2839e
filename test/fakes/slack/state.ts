/** A workspace. The bot is installed in it once it has a token there. */
export interface Team {
  id: string;
  name: string;
  domain: string;
  /** The bot user's id in this workspace. */
  botUserId: string;
  botId: string;
}

/** A workspace member (the bot user is one too, with `isBot`). */
export interface User {
  id: string;
  teamId: string;
  name: string;
  isAdmin: boolean;
  isOwner: boolean;
  isBot: boolean;
}

/** A channel; membership matters for posting. */
export interface Channel {
  id: string;
  teamId: string;
  name: string;
  isPrivate: boolean;
  members: Set<string>;
  /** Set for direct messages (one user: a DM `D…`; several: a group DM): the people besides the bot. */
  imUsers?: string[];
}

/** A user group (Slack's "subteam", `S…`), mentioned as `<!subteam^S…|@handle>`. */
export interface UserGroup {
  id: string;
  teamId: string;
  handle: string;
  name: string;
  description: string;
  /** Members in the order given. */
  userIds: string[];
  /** Unix seconds, as Slack's `date_create`/`date_update`. */
  createdAt: number;
  updatedAt: number;
  /** Slack's `date_delete`: 0 while enabled, the time it was disabled otherwise. */
  disabledAt: number;
}

/** An uploaded file, with its bytes once the upload URL received them. */
export interface StoredFile {
  id: string;
  teamId: string;
  name: string;
  title: string;
  mimetype: string;
  declaredLength: number;
  bytes: Uint8Array | null;
  userId: string;
  created: number;
  /** Shared in a public channel (Slack's `is_public`). */
  isPublic?: boolean;
  /** Set on audio clips recorded in Slack's clients, which Slack marks `subtype: "slack_audio"`. */
  clip?: AudioClip;
}

/** What Slack adds to a recorded audio clip: its length, the waveform it draws, and its own transcript. */
export interface AudioClip {
  durationMs: number;
  /** Integers 0–100, the bars Slack's clients draw. */
  waveSamples: number[];
  transcription: ClipTranscription;
}

/** Slack's own transcript of a clip; often still `processing` when the first event comes (contract §2.4). */
export interface ClipTranscription {
  status: "complete" | "processing" | "none";
  locale?: string;
  preview?: { content: string; has_more: boolean };
}

/** One version of a message, kept for the edit history. */
export interface MessageVersion {
  text: string;
  blocks: unknown[] | undefined;
  at: number;
}

/** A message as the fake stores it. */
export interface StoredMessage {
  ts: string;
  channelId: string;
  teamId: string;
  text: string;
  blocks: unknown[] | undefined;
  threadTs: string | undefined;
  /** The author's user id (the bot user for bot posts). */
  userId: string;
  botId: string | undefined;
  /** Set for ephemeral messages: the only user who sees them. */
  visibleTo: string | undefined;
  files: StoredFile[];
  /** Earlier versions, oldest first; the current one is `text`/`blocks`. */
  history: MessageVersion[];
  deleted: boolean;
  postedAt: number;
  /** The id Slack's clients give what a person types (`client_msg_id`); absent on app posts. */
  clientMsgId?: string;
}

/** A token and what it stands for: a bot token (`xoxb-`), a user token (`xoxp-`) or the app-level token (`xapp-`). */
export interface TokenGrant {
  token: string;
  /** The workspace it acts in (the app-level token: the app's home workspace). */
  teamId: string;
  scopes: Set<string>;
  /** Absent means `bot`, the kind every token had before OAuth and Socket Mode existed here. */
  kind?: "bot" | "user" | "app";
  /** The installing user, for user tokens. */
  userId?: string;
  /** Set once the app was uninstalled from the workspace (`fake.uninstall`). */
  revoked?: boolean;
}

/** An OAuth code waiting for `oauth.v2.access`: single use, 10 minutes (fake clock). */
export interface OAuthCode {
  teamId: string;
  /** Bot scopes the token gets. */
  scopes: string[];
  /** User scopes; when non-empty `authed_user` carries a user token. */
  userScopes: string[];
  /** The user who approved the install. */
  userId: string | undefined;
  /** The redirect_uri of the authorize request, which oauth.v2.access must repeat. */
  redirectUri: string | undefined;
  issuedAt: number;
}

/** Everything the fake knows; shared by the routes and the test-side handle. */
export interface SlackState {
  appId: string;
  teams: Map<string, Team>;
  users: Map<string, User>;
  channels: Map<string, Channel>;
  /** User groups by id, in creation order. */
  userGroups: Map<string, UserGroup>;
  /** Per channel, in posting order. */
  messages: Map<string, StoredMessage[]>;
  files: Map<string, StoredFile>;
  tokens: Map<string, TokenGrant>;
  /** OAuth codes waiting for `oauth.v2.access`; removed when used. */
  oauthCodes: Map<string, OAuthCode>;
  /** trigger_ids handed out with commands and actions, for `views.open`. */
  triggers: Map<string, { issuedAt: number; used: boolean }>;
  /** Modals opened with `views.open`, oldest first. */
  views: Record<string, unknown>[];
}

/** Creates an empty state for an app with id `appId`. */
export function createSlackState(appId: string): SlackState {
  return {
    appId,
    teams: new Map(),
    users: new Map(),
    channels: new Map(),
    userGroups: new Map(),
    messages: new Map(),
    files: new Map(),
    tokens: new Map(),
    oauthCodes: new Map(),
    triggers: new Map(),
    views: [],
  };
}

/** The message with `ts` in a channel, deleted ones excluded. */
export function findMessage(state: SlackState, channelId: string, ts: string): StoredMessage | undefined {
  return state.messages.get(channelId)?.find((m) => m.ts === ts && !m.deleted);
}

/** The live (not revoked) tokens of a workspace. */
export function liveTokens(state: SlackState, teamId: string): TokenGrant[] {
  return [...state.tokens.values()].filter((g) => g.teamId === teamId && !g.revoked && g.kind !== "app");
}

/** Appends a message to its channel. */
export function storeMessage(state: SlackState, message: StoredMessage): StoredMessage {
  const list = state.messages.get(message.channelId) ?? [];
  list.push(message);
  state.messages.set(message.channelId, list);
  return message;
}
