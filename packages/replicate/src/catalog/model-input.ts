import {
  AppError,
  type AskInput,
  assertNever,
  type ImagineInput,
  type TranscribeInput,
} from "@replibot/core";
import { type CatalogModel, commandOfAdapter, type LlamaChatModel } from "./catalog.ts";
import {
  type ConversationTurnText,
  llama3ConversationTemplate,
  transcriptConversationPrompt,
} from "./conversation.ts";
import { dimensionsForAspectRatio } from "./image-dimensions.ts";

/** A job's options, tagged with its command. */
export type ModelInputRequest =
  | {
      kind: "ask";
      input: AskInput;
      /** A tenant's own system prompt, replacing the model's. */
      systemPrompt?: string;
      /**
       * Earlier turns of the conversation, oldest first, already fitted to the model
       * (see `fitConversation`); none or empty for a fresh question.
       */
      history?: readonly ConversationTurnText[];
    }
  | { kind: "imagine"; input: ImagineInput }
  | { kind: "transcribe"; input: TranscribeInput };

/** Something the model could not honour, for the caller to tell the member. */
export interface ModelInputNote {
  code: "negative_prompt_unsupported";
  message: string;
}

/** The exact input sent to Replicate, and what was left out. */
export interface ModelInputResult {
  input: Record<string, unknown>;
  notes: ModelInputNote[];
}

/** The fields that give `model` the question and its earlier turns, in the way it takes a conversation. */
function conversationFields(
  model: LlamaChatModel,
  prompt: string,
  history: readonly ConversationTurnText[],
): { prompt: string; prompt_template?: string } {
  switch (model.conversation) {
    case "llama3":
      // The question stays the prompt (the template puts it last), earlier turns go in the template.
      return history.length > 0
        ? { prompt, prompt_template: llama3ConversationTemplate(history) }
        : { prompt };
    case "transcript":
      return { prompt: transcriptConversationPrompt(history, prompt) };
    default:
      return assertNever(model.conversation);
  }
}

/** Maps a command's options onto one model's input fields. */
export function buildModelInput(model: CatalogModel, request: ModelInputRequest): ModelInputResult {
  if (commandOfAdapter(model.adapter) !== request.kind) {
    throw new AppError("invalid_input", `model ${model.id} cannot serve ${request.kind}`);
  }
  switch (model.adapter) {
    case "llama-chat": {
      const { input, systemPrompt, history = [] } = request as Extract<ModelInputRequest, { kind: "ask" }>;
      return {
        input: {
          ...conversationFields(model, input.prompt, history),
          system_prompt: systemPrompt ?? model.systemPrompt,
          max_tokens: model.maxOutputTokens,
        },
        notes: [],
      };
    }
    case "flux": {
      const { input } = request as Extract<ModelInputRequest, { kind: "imagine" }>;
      const notes: ModelInputNote[] = [];
      if (input.negativePrompt?.trim()) {
        // FLUX has no negative prompt; sending one would be ignored or rejected, so say so instead.
        notes.push({
          code: "negative_prompt_unsupported",
          message: `${model.label} has no negative prompt; it was left out`,
        });
      }
      return {
        input: {
          prompt: input.prompt,
          aspect_ratio: input.aspectRatio ?? "1:1",
          num_outputs: model.imagesPerRun,
          output_format: model.outputFormat,
          // Sent either way: the checker stays on unless the job says an admin allowed it off.
          disable_safety_checker: input.safetyCheckerOff === true,
          ...(input.seed === undefined ? {} : { seed: input.seed }),
        },
        notes,
      };
    }
    case "sdxl": {
      const { input } = request as Extract<ModelInputRequest, { kind: "imagine" }>;
      const { width, height } = dimensionsForAspectRatio(input.aspectRatio ?? "1:1", model.targetPixels);
      return {
        input: {
          prompt: input.prompt,
          width,
          height,
          num_outputs: model.imagesPerRun,
          ...(input.negativePrompt?.trim() ? { negative_prompt: input.negativePrompt } : {}),
          disable_safety_checker: input.safetyCheckerOff === true,
          ...(input.seed === undefined ? {} : { seed: input.seed }),
        },
        notes: [],
      };
    }
    case "whisper": {
      const { input } = request as Extract<ModelInputRequest, { kind: "transcribe" }>;
      return { input: { audio: input.audioUrl }, notes: [] };
    }
    default:
      return assertNever(model);
  }
}
