// The encryption keys and how their environment values are read: base64 of
// exactly 32 bytes, named by a public id. Pure (no environment access), so
// the config module (app/config.server.ts) can check the keys when it reads
// the environment, and app/security/crypto.server.ts can use them.
import { createHash } from "node:crypto";

const KEY_BYTES = 32;
export const KEY_GENERATION_HINT =
  "Generate one with: node -e \"console.log(require('crypto').randomBytes(32).toString('base64'))\"";

export interface EncryptionKey {
  /** Public, non-secret identifier written into every envelope. */
  id: string;
  key: Buffer;
}

export interface Keyring {
  current: EncryptionKey;
  previous: EncryptionKey | null;
}

/** Configuration problem an operator must fix (never contains key material). */
export class EncryptionConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "EncryptionConfigError";
  }
}

/** ENCRYPTION_KEY is required wherever credentials are encrypted or read. */
export function keyNotSetError(): EncryptionConfigError {
  return new EncryptionConfigError(`ENCRYPTION_KEY is not set. It encrypts ERP credentials stored in the database. ${KEY_GENERATION_HINT}`);
}

export function keyIdOf(key: Buffer): string {
  return createHash("sha256").update(key).digest("hex").slice(0, 16);
}

function parseKey(variable: string, value: string): EncryptionKey {
  const trimmed = value.trim();
  // Buffer.from(…, "base64") silently skips junk, so check the alphabet first:
  // a mistyped key must fail loudly, not become a different key.
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(trimmed)) {
    throw new EncryptionConfigError(`${variable} is not valid base64. ${KEY_GENERATION_HINT}`);
  }
  const key = Buffer.from(trimmed, "base64");
  if (key.length !== KEY_BYTES) {
    throw new EncryptionConfigError(
      `${variable} must be the base64 encoding of exactly ${KEY_BYTES} bytes (it decodes to ${key.length}). ${KEY_GENERATION_HINT}`,
    );
  }
  return { id: keyIdOf(key), key };
}

/**
 * The keyring from ENCRYPTION_KEY (required) and ENCRYPTION_KEY_PREVIOUS
 * (optional); app/config.server.ts calls it when it reads the environment.
 * There is deliberately no fallback key in any environment: a default key
 * would make "encrypted" secrets readable by anyone who has the source.
 */
export function keyringFromVariables(env: { ENCRYPTION_KEY?: string; ENCRYPTION_KEY_PREVIOUS?: string }): Keyring {
  const currentValue = env.ENCRYPTION_KEY;
  if (!currentValue || currentValue.trim() === "") {
    throw keyNotSetError();
  }
  const current = parseKey("ENCRYPTION_KEY", currentValue);
  const previousValue = env.ENCRYPTION_KEY_PREVIOUS;
  const previous =
    previousValue && previousValue.trim() !== "" ? parseKey("ENCRYPTION_KEY_PREVIOUS", previousValue) : null;
  return { current, previous: previous && previous.id !== current.id ? previous : null };
}
