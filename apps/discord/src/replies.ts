/** The words members see from the Discord app itself (the worker writes the answers). */
export const replies = {
  emptyPrompt: "Your prompt is empty: type a question after `/ask`.",
  emptyImagePrompt: "Your prompt is empty: describe the image after `/imagine`.",
  badOption: (option: string, problem: string) => `The option \`${option}\` is not right: ${problem}.`,
  promptTooLong: (max: number) =>
    `Your prompt is too long: keep it under ${max.toLocaleString("en-US")} characters.`,
  unknownModel: (model: string, choices: string[]) =>
    `There is no model \`${model}\` here. Choose one of: ${choices.map((c) => `\`${c}\``).join(", ")}.`,
  dmRefused: "I only answer in servers here. Ask me with `/ask` in a server channel instead.",
  tenantNotAllowed: "Replibot is not enabled for this server. Ask the person who runs it to allow it.",
  notInServer:
    "Replibot is no longer a member of this server, so it cannot answer here. Ask an admin to add it back.",
  databaseDown:
    "Sorry, Replibot cannot reach its database right now, so your request was not taken. Please try again in a minute.",
  emptyMention: "Ask me something after the mention, for example `@Replibot what is a monad?`",
  thinking: "Thinking…",
  transcribing: "Transcribing…",
  noAudio: "That message has no voice message or audio file to transcribe.",
  transcribingIn: (channelId: string) => `Transcribing: the transcript will be in <#${channelId}>.`,
  transcribeFailedToStart:
    "Sorry, Replibot could not start the transcription (it may lack permission to post here). Nothing was charged.",
  notYetAvailable: "This command is not available in this version of Replibot yet.",
  onlyAskerCancels: "Only the member who asked can cancel this.",
  alreadyFinished: "This has already finished.",
  unknownJob: "This request no longer exists.",
  otherServersJob: "That button belongs to a request from another server, so nothing was changed.",
};
