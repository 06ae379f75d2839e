import {
  Client,
  type ClientEvents,
  type ClientOptions,
  Events,
  GatewayIntentBits,
  Partials,
} from "discord.js";
import type { FakeDiscord } from "./fake-discord.ts";

/** The intents the bot asks for (contract §1.1). */
export const botIntents = [
  GatewayIntentBits.Guilds,
  GatewayIntentBits.GuildMessages,
  GatewayIntentBits.MessageContent,
  GatewayIntentBits.DirectMessages,
];

/** A real discord.js Client pointed at the fake; not logged in. */
export function fakeClient(fake: FakeDiscord, options: Partial<ClientOptions> = {}): Client {
  return new Client({
    intents: botIntents,
    partials: [Partials.Channel],
    ...options,
    // Short timeouts so a broken fake fails a test quickly instead of hanging it.
    rest: { api: fake.apiUrl, timeout: 5_000, retries: 1, ...options.rest },
  });
}

/** Logs a client in and resolves once `clientReady` fired (registered before login, contract §4.3). */
export async function loginClient(
  fake: FakeDiscord,
  options: Partial<ClientOptions> = {},
): Promise<Client<true>> {
  const client = fakeClient(fake, options);
  const ready = new Promise<Client<true>>((resolve) => client.once(Events.ClientReady, resolve));
  await client.login(fake.botToken);
  return ready;
}

/** Resolves with the arguments of the client's next `event`; rejects after `timeoutMs`, so a dropped event fails fast. */
export function nextEvent<E extends keyof ClientEvents>(
  client: Client,
  event: E,
  timeoutMs = 5_000,
): Promise<ClientEvents[E]> {
  return new Promise((resolve, reject) => {
    const listener = (...args: ClientEvents[E]) => {
      clearTimeout(timer);
      resolve(args);
    };
    const timer = setTimeout(() => {
      client.off(event, listener);
      reject(new Error(`no ${String(event)} within ${timeoutMs} ms`));
    }, timeoutMs);
    client.once(event, listener);
  });
}
