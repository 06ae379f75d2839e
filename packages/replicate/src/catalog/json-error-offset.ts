/**
 * The offset of the first character that makes `text` invalid JSON, or undefined when it is valid.
 * V8's JSON.parse names a position only for some errors ("Unexpected token '}', ... is not valid
 * JSON" has none), so this small scanner finds it, and a config error can name the line.
 */
export function jsonErrorOffset(text: string): number | undefined {
  let at = 0;
  const fail = (): never => {
    throw new ScanStop(at);
  };
  const skipSpace = () => {
    while (at < text.length && " \t\n\r".includes(text.charAt(at))) at++;
  };
  const expect = (literal: string) => {
    for (const char of literal) {
      if (text.charAt(at) !== char) fail();
      at++;
    }
  };
  const string = () => {
    expect('"');
    for (;;) {
      if (at >= text.length) fail();
      const char = text.charAt(at);
      if (char === '"') {
        at++;
        return;
      }
      if (char < " ") fail();
      if (char === "\\") {
        at++;
        const escaped = text.charAt(at);
        if (escaped === "u") {
          for (let i = 1; i <= 4; i++) if (!/[0-9a-fA-F]/.test(text.charAt(at + i))) fail();
          at += 4;
        } else if (!'"\\/bfnrt'.includes(escaped) || escaped === "") fail();
      }
      at++;
    }
  };
  const number = () => {
    const match = /^-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?/.exec(text.slice(at));
    if (!match) fail();
    at += match?.[0].length ?? 0;
  };
  const value = (): void => {
    skipSpace();
    switch (text.charAt(at)) {
      case "{":
        container("}", () => {
          skipSpace();
          string();
          skipSpace();
          expect(":");
          value();
        });
        break;
      case "[":
        container("]", value);
        break;
      case '"':
        string();
        break;
      case "t":
        expect("true");
        break;
      case "f":
        expect("false");
        break;
      case "n":
        expect("null");
        break;
      default:
        number();
    }
  };
  const container = (close: string, member: () => void) => {
    at++;
    skipSpace();
    if (text.charAt(at) === close) {
      at++;
      return;
    }
    for (;;) {
      member();
      skipSpace();
      const char = text.charAt(at);
      at++;
      if (char === close) return;
      if (char !== ",") {
        at--;
        fail();
      }
    }
  };
  try {
    value();
    skipSpace();
    if (at < text.length) fail();
    return undefined;
  } catch (error) {
    if (error instanceof ScanStop) return error.offset;
    throw error;
  }
}

class ScanStop {
  constructor(readonly offset: number) {}
}

/** The 1-based line of `offset` in `text`. */
export function lineAt(text: string, offset: number): number {
  let line = 1;
  for (let i = 0; i < Math.min(offset, text.length); i++) if (text.charCodeAt(i) === 10) line++;
  return line;
}
