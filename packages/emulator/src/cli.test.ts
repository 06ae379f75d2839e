import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { parseCliArgs } from "./cli-args.ts";

const cliPath = fileURLToPath(new URL("./cli.ts", import.meta.url));

const startCli = (args: string[]) => {
  const child = spawn(process.execPath, ["--import", "tsx", cliPath, ...args], {
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (chunk: Buffer) => {
    stdout += chunk.toString();
  });
  child.stderr.on("data", (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
  const firstLine = new Promise<string>((resolve, reject) => {
    child.stdout.on("data", () => {
      if (stdout.includes("\n")) resolve(stdout.split("\n")[0] ?? "");
    });
    void exited.then(() => reject(new Error(`exited early: ${stderr}`)));
  });
  // Marked handled: the exit-code test never reads the first line.
  firstLine.catch(() => undefined);
  return { child, exited, firstLine, output: () => ({ stdout, stderr }) };
};

describe("CLI", () => {
  it("prints the listening line, serves the API, and exits 0 on SIGTERM", async () => {
    const cli = startCli([
      "--port",
      "0",
      "--webhook-secret",
      "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw",
      "--token",
      "T",
    ]);
    try {
      const line = await cli.firstLine;
      expect(line).toMatch(/^Replicate emulator listening on http:\/\/127\.0\.0\.1:\d+\/v1$/);
      const baseUrl = line.replace("Replicate emulator listening on ", "");
      const secret = await fetch(`${baseUrl}/webhooks/default/secret`, {
        headers: { Authorization: "Bearer T" },
      });
      expect(await secret.json()).toEqual({ key: "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw" });
      const refused = await fetch(`${baseUrl}/webhooks/default/secret`, {
        headers: { Authorization: "Bearer other" },
      });
      expect(refused.status).toBe(401);
      cli.child.kill("SIGTERM");
      expect(await cli.exited).toBe(0);
    } finally {
      cli.child.kill("SIGKILL");
    }
  });

  it("rejects an unknown flag with one line and exit code 2", async () => {
    const cli = startCli(["--bogus"]);
    expect(await cli.exited).toBe(2);
    const { stderr } = cli.output();
    expect(stderr.trim().split("\n")).toHaveLength(1);
    expect(stderr).toContain("--bogus");
  });

  it("parses flags into options and names the bad one", () => {
    expect(
      parseCliArgs(["--port", "8790", "--token", "a", "--token", "b", "--cold-start-ms", "500"]),
    ).toEqual({
      ok: true,
      options: { port: 8790, tokens: ["a", "b"], coldStartMs: 500 },
    });
    expect(parseCliArgs(["--port", "eighty"])).toEqual({
      ok: false,
      message: '--port must be a non-negative number, got "eighty"',
    });
    expect(parseCliArgs(["--webhook-secret", "nope"])).toMatchObject({ ok: false });
  });
});
