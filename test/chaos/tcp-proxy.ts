import type { AddressInfo } from "node:net";
import { connect, createServer, type Server, type Socket } from "node:net";

/** A TCP proxy in front of one or more servers, which a test can cut like a network outage. */
export interface TcpProxy {
  port: number;
  url: string;
  /** Refuses new connections and drops open ones (the peer looks unreachable) until `restore`. */
  cut(): void;
  restore(): void;
  /** Replaces the servers connections are spread over (round-robin, skipping ones that refuse). */
  setTargets(ports: number[]): void;
  close(): Promise<void>;
}

/**
 * Starts a proxy on a free loopback port. With several targets it is the load balancer in front of
 * replicas: each connection goes to the next target, and to the one after when a target refuses.
 */
export async function startTcpProxy(targets: number[], scheme = "http"): Promise<TcpProxy> {
  let ports = [...targets];
  let next = 0;
  let isCut = false;
  const open = new Set<Socket>();
  const server: Server = createServer((client) => {
    if (isCut) return void client.destroy();
    open.add(client);
    client.on("close", () => open.delete(client));
    const attempt = (tries: number) => {
      if (ports.length === 0 || tries >= ports.length) return void client.destroy();
      const port = ports[next++ % ports.length]!;
      const upstream = connect({ port, host: "127.0.0.1" });
      let connected = false;
      upstream.once("connect", () => {
        connected = true;
        open.add(upstream);
        upstream.on("close", () => {
          open.delete(upstream);
          client.destroy();
        });
        client.on("error", () => upstream.destroy());
        client.on("close", () => upstream.destroy());
        client.pipe(upstream).pipe(client);
      });
      // A target that refuses is skipped (a replica that is down); one that fails later ends the client.
      upstream.on("error", () => {
        if (!connected) attempt(tries + 1);
      });
    };
    attempt(0);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    port,
    url: `${scheme}://127.0.0.1:${port}`,
    cut() {
      isCut = true;
      for (const socket of open) socket.destroy();
    },
    restore() {
      isCut = false;
    },
    setTargets(list) {
      ports = [...list];
    },
    async close() {
      for (const socket of open) socket.destroy();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}
