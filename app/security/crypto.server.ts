// Envelope encryption for connector credentials at rest (ShopSettings.connectorSecrets).
//
// AES-256-GCM with a random 12-byte IV per encryption. The envelope names the
// key that sealed it (first 8 bytes of SHA-256 of the key, hex) so a key can be
// rotated: ENCRYPTION_KEY is the current key, ENCRYPTION_KEY_PREVIOUS the one
// being retired; decryption picks the key by id and reencryptAllSecrets()
// moves every shop onto the current key. The shop's domain is bound in as
// additional authenticated data, so a ciphertext copied onto another shop's
// row fails to open instead of leaking that shop's ERP credentials.
import { createCipheriv, createDecipheriv, randomBytes } from "node:crypto";
import type { PrismaClient } from "@prisma/client";
import { config } from "../config.server";
import { keyNotSetError, type Keyring } from "./keyring";

export { EncryptionConfigError, type EncryptionKey, type Keyring } from "./keyring";

const ALGORITHM = "aes-256-gcm";
const IV_BYTES = 12;
const TAG_BYTES = 16;
const ENVELOPE_PREFIX = "enc:v1";

/** A stored envelope could not be opened: wrong key, tampered or corrupted data. */
export class DecryptionError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = "DecryptionError";
  }
}

/** The process keyring (ENCRYPTION_KEY and ENCRYPTION_KEY_PREVIOUS, read by app/config.server.ts). */
export function getKeyring(): Keyring {
  const keyring = config().keyring;
  if (!keyring) throw keyNotSetError();
  return keyring;
}

function additionalData(shop: string): Buffer {
  return Buffer.from(`shop-secrets:${shop}`, "utf8");
}

/** Encrypts a UTF-8 string for one shop with the current key. */
export function encryptString(shop: string, plaintext: string, keyring: Keyring = getKeyring()): string {
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv(ALGORITHM, keyring.current.key, iv, { authTagLength: TAG_BYTES });
  cipher.setAAD(additionalData(shop));
  const ciphertext = Buffer.concat([cipher.update(plaintext, "utf8"), cipher.final()]);
  const tag = cipher.getAuthTag();
  return [ENVELOPE_PREFIX, keyring.current.id, iv.toString("base64url"), tag.toString("base64url"), ciphertext.toString("base64url")].join(":");
}

interface ParsedEnvelope {
  keyId: string;
  iv: Buffer;
  tag: Buffer;
  ciphertext: Buffer;
}

function parseEnvelope(envelope: string): ParsedEnvelope {
  const parts = envelope.split(":");
  if (parts.length !== 6 || `${parts[0]}:${parts[1]}` !== ENVELOPE_PREFIX) {
    throw new DecryptionError("Stored secrets are not in the expected encrypted format.");
  }
  const [, , keyId, iv, tag, ciphertext] = parts;
  const parsed = {
    keyId,
    iv: Buffer.from(iv, "base64url"),
    tag: Buffer.from(tag, "base64url"),
    ciphertext: Buffer.from(ciphertext, "base64url"),
  };
  if (parsed.iv.length !== IV_BYTES || parsed.tag.length !== TAG_BYTES) {
    throw new DecryptionError("Stored secrets are corrupted (bad IV or authentication tag length).");
  }
  return parsed;
}

/** The id of the key that sealed an envelope. */
export function envelopeKeyId(envelope: string): string {
  return parseEnvelope(envelope).keyId;
}

export function decryptString(shop: string, envelope: string, keyring: Keyring = getKeyring()): string {
  const parsed = parseEnvelope(envelope);
  const key = [keyring.current, keyring.previous].find((k) => k?.id === parsed.keyId);
  if (!key) {
    throw new DecryptionError(
      `Stored secrets were encrypted with key ${parsed.keyId}, which is ` +
        (keyring.previous
          ? `neither ENCRYPTION_KEY (${keyring.current.id}) nor ENCRYPTION_KEY_PREVIOUS (${keyring.previous.id})`
          : `not ENCRYPTION_KEY (${keyring.current.id})`) +
        ". Set the key that was in use as ENCRYPTION_KEY_PREVIOUS.",
    );
  }
  const decipher = createDecipheriv(ALGORITHM, key.key, parsed.iv, { authTagLength: TAG_BYTES });
  decipher.setAAD(additionalData(shop));
  decipher.setAuthTag(parsed.tag);
  try {
    return Buffer.concat([decipher.update(parsed.ciphertext), decipher.final()]).toString("utf8");
  } catch (cause) {
    throw new DecryptionError(
      "Stored secrets failed their integrity check: they were modified, corrupted, or belong to another shop.",
      { cause },
    );
  }
}

/** Connector secrets are a flat map of field key -> value. */
export type SecretValues = Record<string, string>;

export function encryptSecrets(shop: string, secrets: SecretValues, keyring: Keyring = getKeyring()): string {
  return encryptString(shop, JSON.stringify(secrets), keyring);
}

export function decryptSecrets(shop: string, envelope: string, keyring: Keyring = getKeyring()): SecretValues {
  const json = decryptString(shop, envelope, keyring);
  const value: unknown = JSON.parse(json);
  if (!value || typeof value !== "object" || Array.isArray(value)) {
    throw new DecryptionError("Stored secrets decrypted to an unexpected shape.");
  }
  const result: SecretValues = {};
  for (const [k, v] of Object.entries(value)) {
    if (typeof v === "string") result[k] = v;
  }
  return result;
}

export interface ReencryptionReport {
  /** Shops that have stored secrets. */
  total: number;
  reencrypted: number;
  alreadyCurrent: number;
  /** Rows replaced by a settings save while this ran (run again to confirm they are current). */
  changedMeanwhile: number;
  /** Shops whose secrets could not be opened (left untouched). */
  failed: { shop: string; reason: string }[];
}

/**
 * Moves every shop's secrets onto the current key. Safe to run while the app
 * is serving: each row is only replaced if it still holds the envelope that
 * was read (a concurrent settings save wins, and is already on the new key).
 */
export async function reencryptAllSecrets(
  prisma: PrismaClient,
  keyring: Keyring = getKeyring(),
): Promise<ReencryptionReport> {
  const report: ReencryptionReport = {
    total: 0,
    reencrypted: 0,
    alreadyCurrent: 0,
    changedMeanwhile: 0,
    failed: [],
  };
  const rows = await prisma.shopSettings.findMany({
    where: { connectorSecrets: { not: null } },
    select: { shop: true, connectorSecrets: true },
    orderBy: { shop: "asc" },
  });
  for (const row of rows) {
    const envelope = row.connectorSecrets as string;
    report.total += 1;
    try {
      if (envelopeKeyId(envelope) === keyring.current.id) {
        report.alreadyCurrent += 1;
        continue;
      }
      const resealed = encryptString(row.shop, decryptString(row.shop, envelope, keyring), keyring);
      const { count } = await prisma.shopSettings.updateMany({
        where: { shop: row.shop, connectorSecrets: envelope },
        data: { connectorSecrets: resealed },
      });
      if (count === 1) report.reencrypted += 1;
      else report.changedMeanwhile += 1;
    } catch (error) {
      report.failed.push({ shop: row.shop, reason: error instanceof Error ? error.message : String(error) });
    }
  }
  return report;
}
