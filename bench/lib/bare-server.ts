import { type ChildProcess, spawn } from "node:child_process";
import { freePort } from "../../test/chaos/private-services.ts";

/** The reference server: plain node:http answering 204 after reading the body, in its own process. */
export interface BareServer {
  port: number;
  close(): Promise<void>;
}

const source = `
const http = require("node:http");
http.createServer((req, res) => {
  req.on("data", () => {});
  req.on("end", () => { res.writeHead(204); res.end(); });
}).listen(Number(process.argv[1]), "127.0.0.1", () => console.log("listening"));
`;

/** Starts the reference with the same node as the apps; resolves once it listens. */
export async function startBareServer(): Promise<BareServer> {
  const port = await freePort();
  const child: ChildProcess = spawn(process.execPath, ["-e", source, String(port)], {
    stdio: ["ignore", "pipe", "inherit"],
  });
  await new Promise<void>((resolve, reject) => {
    child.stdout?.once("data", () => resolve());
    child.once("exit", (code) => reject(new Error(`bare server exited with ${code}`)));
  });
  return {
    port,
    async close() {
      if (child.exitCode !== null) return;
      const exited = new Promise((resolve) => child.once("exit", resolve));
      child.kill("SIGTERM");
      await exited;
    },
  };
}
