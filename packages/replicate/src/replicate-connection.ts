import { AppError } from "@replibot/core";

/** Where to reach Replicate and with which token. */
export interface ReplicateConnection {
  baseUrl: string;
  token: string;
}

/** The public API's root; without a token it cannot be used. */
export const REPLICATE_PUBLIC_API = "https://api.replicate.com/v1";

/**
 * The connection a process started on its own uses: the token and base URL given, or, with no token,
 * an emulator the operator runs at REPLICATE_API_BASE_URL (any token works there).
 */
export function resolveReplicateConnection(settings: {
  token?: string;
  baseUrl: string;
}): ReplicateConnection {
  if (settings.token) return { baseUrl: settings.baseUrl, token: settings.token };
  if (settings.baseUrl.replace(/\/$/, "") === REPLICATE_PUBLIC_API) {
    throw new AppError(
      "config_invalid",
      "REPLICATE_API_TOKEN: is required to run this app on its own (or point REPLICATE_API_BASE_URL at an emulator; npm start runs one for you)",
    );
  }
  return { baseUrl: settings.baseUrl, token: "emulator" };
}
