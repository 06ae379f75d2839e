import { describe, expect, it } from "vitest";
import { z } from "zod";
import { AppError } from "./app-error.ts";
import { booleanField, parseEnv, portField, urlField, usdField } from "./env-fields.ts";

const schema = z.object({
  DATABASE_URL: urlField(["postgres", "postgresql"], "postgres://postgres@127.0.0.1:5432/replibot").default(
    "postgres://postgres@127.0.0.1:5432/replibot",
  ),
  PORT: portField.default(8080),
  LIMIT_USD: usdField.default(5_000_000_000n),
  FLAG: booleanField.default(true),
});

function errorOf(fn: () => unknown): AppError {
  try {
    fn();
  } catch (error) {
    return error as AppError;
  }
  throw new Error("expected an error");
}

describe("parseEnv", () => {
  it("applies defaults and treats empty strings as unset", () => {
    const env = parseEnv(schema, { PORT: "", FLAG: "false" });
    expect(env).toEqual({
      DATABASE_URL: "postgres://postgres@127.0.0.1:5432/replibot",
      PORT: 8080,
      LIMIT_USD: 5_000_000_000n,
      FLAG: false,
    });
  });

  it("names the variable and the problem in one line, without the value", () => {
    const error = errorOf(() => parseEnv(schema, { DATABASE_URL: "mysql://root:hunter2@db/x" }));
    expect(error).toBeInstanceOf(AppError);
    expect(error.code).toBe("config_invalid");
    expect(error.message).toBe(
      "DATABASE_URL: must be a postgres:// or postgresql:// URL, like postgres://postgres@127.0.0.1:5432/replibot",
    );
    expect(error.message).not.toContain("hunter2");
    expect(errorOf(() => parseEnv(schema, { PORT: "http" })).message).toBe("PORT: must be a port number");
    expect(errorOf(() => parseEnv(schema, { LIMIT_USD: "-3" })).message).toMatch(
      /^LIMIT_USD: must be a dollar/,
    );
    expect(errorOf(() => parseEnv(schema, { FLAG: "maybe" })).message).toBe("FLAG: must be true or false");
  });
});
