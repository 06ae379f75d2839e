import type { Context } from "hono";
import { z } from "zod";
import { parseCancelAfter } from "../cancel-after.ts";
import { newPredictionId, newStreamToken } from "../ids.ts";
import { type InvalidField, invalidFieldsDetail, validateInput } from "../input-validation.ts";
import type { ModelDefinition } from "../model-definition.ts";
import { type PredictionRecord, toPredictionJson } from "../prediction.ts";
import { parsePreferWait } from "../prefer-wait.ts";
import { problemResponse } from "../problem.ts";
import { realSleep } from "../real-sleep.ts";
import type { EmulatorServices } from "../services.ts";

/** The body of the three create routes; unknown keys (e.g. `stream: true`) are accepted and ignored. */
export const CreatePredictionBody = z.object({
  version: z.string().optional(),
  input: z.record(z.string(), z.unknown()),
  webhook: z.string().nullish(),
  webhook_events_filter: z.array(z.enum(["start", "output", "logs", "completed"])).nullish(),
});
/** A parsed create body. */
export type CreatePredictionBody = z.infer<typeof CreatePredictionBody>;

/** Which model a create route resolved to. */
export interface CreateTarget {
  model: ModelDefinition;
  deployment: string | null;
}

const invalid = (invalidFields: InvalidField[], title = "Input validation failed") =>
  problemResponse({
    title,
    detail: invalidFieldsDetail(invalidFields),
    status: 422,
    invalid_fields: invalidFields,
  });

/** Reads and checks a create body; a Response when it is not acceptable. */
export async function readCreateBody(c: Context): Promise<CreatePredictionBody | Response> {
  let raw: unknown;
  try {
    raw = await c.req.json();
  } catch {
    return problemResponse({
      title: "Invalid JSON",
      detail: "The request body is not valid JSON",
      status: 400,
    });
  }
  const parsed = CreatePredictionBody.safeParse(raw);
  if (parsed.success) return parsed.data;
  return invalid(
    parsed.error.issues.map((issue) => ({
      type: issue.message.endsWith("received undefined") ? "required" : "invalid_type",
      field: issue.path.length > 0 ? issue.path.join(".") : "body",
      description: issue.message,
    })),
    "Invalid request",
  );
}

/** Creates a prediction for a resolved model: 201 with the object, after `Prefer: wait` if asked. */
export async function createPrediction(
  c: Context,
  services: EmulatorServices,
  body: CreatePredictionBody,
  target: CreateTarget,
): Promise<Response> {
  const { clock, urls, runner } = services;
  if (body.webhook) {
    const protocol = URL.canParse(body.webhook) ? new URL(body.webhook).protocol : "";
    if (protocol !== "http:" && protocol !== "https:") {
      return invalid([
        { type: "invalid_type", field: "webhook", description: "webhook must be an http(s) URL" },
      ]);
    }
  }
  const cancelAfterHeader = c.req.header("cancel-after");
  const cancelAfter = cancelAfterHeader === undefined ? null : parseCancelAfter(cancelAfterHeader);
  if (cancelAfter && !cancelAfter.ok) {
    return invalid(
      [{ type: "invalid_type", field: "Cancel-After", description: cancelAfter.reason }],
      "Invalid header",
    );
  }
  const checked = validateInput(target.model.input, body.input);
  if (!checked.ok) return invalid(checked.invalidFields);

  const createdAtMs = clock.now();
  const record: PredictionRecord = {
    id: newPredictionId(),
    model: `${target.model.owner}/${target.model.name}`,
    version: target.model.versionId,
    deployment: target.deployment,
    input: body.input,
    output: null,
    logs: "",
    error: null,
    status: "starting",
    createdAtMs,
    startedAtMs: null,
    completedAtMs: null,
    deadlineMs: cancelAfter?.ok ? createdAtMs + cancelAfter.ms : null,
    metrics: null,
    webhook: body.webhook ?? null,
    webhookEventsFilter: body.webhook_events_filter ?? null,
    streamToken: target.model.streamsText ? newStreamToken() : null,
  };
  services.predictions.add(record);
  if (record.streamToken) services.streams.open(record.streamToken, createdAtMs);
  runner.start(record, target.model, checked.input);

  const headers: Record<string, string> = { Location: urls.prediction(record.id) };
  const wait = parsePreferWait(c.req.header("prefer"));
  if (wait) {
    // Real time: this holds an HTTP request open, like the real sync mode.
    const timeout = new AbortController();
    const stop = AbortSignal.any([timeout.signal, services.lifetime]);
    await Promise.race([runner.settled(record.id), realSleep(wait.seconds * 1000, stop)]);
    timeout.abort();
    headers["Preference-Applied"] = wait.applied;
  }
  return c.json(toPredictionJson(record, urls), 201, headers);
}
