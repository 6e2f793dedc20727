// Log lines are what operations staff read after something went wrong: an
// error must arrive whole (type, message, stack, its causes) under pino's one
// `err` key, and without the personal data an ERP's answer can carry.
import { Writable } from "node:stream";
import { describe, expect, it } from "vitest";
import { createLogger } from "~/logging/logger";

function capture() {
  const lines: Array<Record<string, unknown>> = [];
  const destination = new Writable({
    write: (chunk, _encoding, done) => {
      lines.push(JSON.parse(String(chunk)));
      done();
    },
  });
  return { lines, logger: createLogger({ level: "info", destination }) };
}

describe("errors in the log", () => {
  it("keep type, message, stack and causes under err, scrubbed of e-mail addresses and credentials", () => {
    const { lines, logger } = capture();
    const cause = new Error("socket hang up");
    logger.error({ err: new TypeError("ERP refused customer bob@example.com (password=hunter2)", { cause }) }, "delivery crashed");
    const err = lines[0].err as { type: string; message: string; stack: string };
    expect(err.type).toBe("TypeError");
    expect(err.message).toMatch(/^ERP refused customer \[email\] \(password=\[redacted\].* socket hang up$/);
    expect(err.stack).toContain("caused by: Error: socket hang up");
    expect(JSON.stringify(lines[0])).not.toMatch(/bob@example\.com|hunter2/);
    expect(lines[0]).not.toHaveProperty("error");
  });

  it("logs a thrown non-error as its scrubbed text", () => {
    const { lines, logger } = capture();
    logger.warn({ err: "timeout talking to erp.example.com for alice@example.com" }, "probe failed");
    expect(lines[0].err).toBe("timeout talking to erp.example.com for [email]");
  });
});
