/** The words members see from the Slack app itself (the worker writes the answers). */
export const replies = {
  emptyPrompt: "Your prompt is empty: type a question after `/ask`.",
  emptyImagePrompt:
    "Your prompt is empty: describe the image after `/imagine`, e.g. `/imagine a red fox --ar 16:9`.",
  promptTooLong: (max: number) =>
    `Your prompt is too long: keep it under ${max.toLocaleString("en-US")} characters.`,
  badOption: (option: string, problem: string) => `The option \`${option}\` is not right: ${problem}.`,
  unknownModel: (model: string, choices: string[]) =>
    `There is no model \`${model}\` here. Choose one of: ${choices.map((c) => `\`${c}\``).join(", ")}.`,
  tenantNotAllowed: "Replibot is not enabled for this workspace. Ask the person who runs it to allow it.",
  databaseDown:
    "Sorry, Replibot cannot reach its database right now, so your request was not taken. Please try again in a minute.",
  thinking: "Thinking…",
  transcribing: "Transcribing…",
  transcribeUsage:
    "Use `/transcribe on`, `/transcribe off` or `/transcribe status` in the channel it is for.",
  notInChannel:
    "I'm not a member of this channel, so your answer will arrive in one piece instead of streaming. Invite me with `/invite @Replibot` to watch answers stream.",
  cannotPostImage:
    "I can't post images in this channel because I'm not a member of it. Invite me with `/invite @Replibot` and try again. Nothing was charged.",
  cannotPostHere:
    "I can't post in this channel because I'm not a member of it. Invite me with `/invite @Replibot` and ask again.",
  emptyMention: "Ask me something after the mention, for example `@Replibot what is a monad?`",
  dmRefused: "I don't answer direct messages here. Ask me with `/ask` in a channel instead.",
  onlyAskerCancels: "Only the member who asked can cancel this.",
  alreadyFinished: "This has already finished.",
  unknownJob: "This request no longer exists.",
  otherWorkspacesJob: "That button belongs to a request from another workspace, so nothing was changed.",
  notAdmin: "Only workspace admins and owners can use this.",
  memberNotHere: "That member is not in this workspace.",
  exportSent: "I sent you the CSV in a direct message.",
  exportFailed:
    "I could not send you the CSV: the app needs the `im:write` and `files:write` scopes (reinstall it from the manifest).",
};
