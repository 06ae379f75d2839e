/** The `errors` tree of a 50035 Invalid Form Body, keyed by field path. */
export interface FormErrorTree {
  [field: string]: FormErrorTree | { code: string; message: string }[];
}

/** A Discord JSON error response; route handlers throw it and the server turns it into a reply. */
export class ApiError extends Error {
  constructor(
    /** The HTTP status. */
    readonly status: number,
    /** Discord's JSON error code (not the HTTP status). */
    readonly code: number,
    message: string,
    /** The 50035 field tree, when there is one. */
    readonly errors?: FormErrorTree,
  ) {
    super(message);
    this.name = "ApiError";
  }

  /** The body Discord sends: `{ message, code, errors? }`. */
  toJson(): Record<string, unknown> {
    return { message: this.message, code: this.code, ...(this.errors ? { errors: this.errors } : {}) };
  }
}

/** Builds a 50035 Invalid Form Body for one field path such as `["embeds", "0", "description"]`. */
export function invalidFormBody(path: readonly string[], code: string, message: string): ApiError {
  let tree: FormErrorTree = { _errors: [{ code, message }] };
  for (const key of [...path].reverse()) tree = { [key]: tree };
  return new ApiError(400, 50035, "Invalid Form Body", tree);
}

/** The errors the fake sends, with the codes and messages Discord uses (topics/opcodes-and-status-codes). */
export const apiErrors = {
  unauthorized: () => new ApiError(401, 0, "401: Unauthorized"),
  notFound: () => new ApiError(404, 0, "404: Not Found"),
  methodNotAllowed: () => new ApiError(405, 0, "405: Method Not Allowed"),
  unknownChannel: () => new ApiError(404, 10003, "Unknown Channel"),
  unknownGuild: () => new ApiError(404, 10004, "Unknown Guild"),
  unknownMember: () => new ApiError(404, 10007, "Unknown Member"),
  unknownMessage: () => new ApiError(404, 10008, "Unknown Message"),
  unknownUser: () => new ApiError(404, 10013, "Unknown User"),
  unknownWebhook: () => new ApiError(404, 10015, "Unknown Webhook"),
  unknownApplicationCommand: () => new ApiError(404, 10063, "Unknown application command"),
  unknownInteraction: () => new ApiError(404, 10062, "Unknown interaction"),
  alreadyAcknowledged: () => new ApiError(400, 40060, "Interaction has already been acknowledged."),
  requestTooLarge: () => new ApiError(413, 40005, "Request entity too large"),
  threadAlreadyCreated: () => new ApiError(400, 160004, "A thread has already been created for this message"),
  missingAccess: () => new ApiError(403, 50001, "Missing Access"),
  cannotEditOthers: () => new ApiError(403, 50005, "Cannot edit a message authored by another user"),
  emptyMessage: () => new ApiError(400, 50006, "Cannot send an empty message"),
  missingPermissions: () => new ApiError(403, 50013, "Missing Permissions"),
  invalidWebhookToken: () => new ApiError(401, 50027, "Invalid Webhook Token"),
  invalidJson: () => new ApiError(400, 50109, "The request body contains invalid JSON."),
} as const;
