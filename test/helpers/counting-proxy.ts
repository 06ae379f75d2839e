import { connect, createServer, type Socket } from "node:net";

/** A TCP proxy in front of Postgres or Redis that counts what an app sends through it. */
export interface CountingProxy {
  /** The target's URL with the proxy's host and port: give it to the app instead. */
  url: string;
  /** Bytes the app has sent to the target so far: any query or command shows here. */
  sentBytes(): number;
  /** Connections the app has opened so far. */
  connections(): number;
  /** Resolves once nothing has been sent for `quietMs` (an app's start-up chatter is over). */
  quiet(quietMs?: number): Promise<void>;
  close(): Promise<void>;
}

/** Starts a proxy on 127.0.0.1 forwarding every connection to the host and port of `targetUrl`. */
export async function startCountingProxy(targetUrl: string): Promise<CountingProxy> {
  const target = new URL(targetUrl);
  const targetPort = Number(target.port || (target.protocol === "redis:" ? 6379 : 5432));
  const sockets = new Set<Socket>();
  let sent = 0;
  let opened = 0;
  let lastSentAt = Date.now();
  const server = createServer((client) => {
    opened += 1;
    const upstream = connect(targetPort, target.hostname);
    for (const socket of [client, upstream]) {
      sockets.add(socket);
      socket.on("close", () => sockets.delete(socket));
      // A reset on one side closes the other; neither may crash the test process.
      socket.on("error", () => {
        client.destroy();
        upstream.destroy();
      });
    }
    client.on("data", (chunk: Buffer) => {
      sent += chunk.length;
      lastSentAt = Date.now();
    });
    client.pipe(upstream);
    upstream.pipe(client);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const proxied = new URL(targetUrl);
  proxied.hostname = "127.0.0.1";
  proxied.port = String((server.address() as { port: number }).port);
  return {
    url: proxied.toString(),
    sentBytes: () => sent,
    connections: () => opened,
    async quiet(quietMs = 300) {
      while (Date.now() - lastSentAt < quietMs) await new Promise((resolve) => setTimeout(resolve, 50));
    },
    async close() {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
