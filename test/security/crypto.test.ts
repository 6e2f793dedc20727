// Connector credentials at rest: what an operator or attacker with the
// database (but not the key) can and cannot do.
import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  DecryptionError,
  EncryptionConfigError,
  decryptSecrets,
  encryptSecrets,
  envelopeKeyId,
  reencryptAllSecrets,
  type Keyring,
} from "~/security/crypto.server";
import { keyringFromVariables } from "~/security/keyring";
import { createTestDatabase, type TestDatabase } from "../../testkit/db";
import { rawDatabaseBytes } from "../support/raw-dump";

const newKey = () => randomBytes(32).toString("base64");
const keyring = (current: string, previous?: string): Keyring =>
  keyringFromVariables({ ENCRYPTION_KEY: current, ENCRYPTION_KEY_PREVIOUS: previous });

const SHOP = "acme.myshopify.com";
const SECRETS = { apiKey: "sk_live_5f3c9a1e-ÄÖÜ-🔑", password: "correct horse battery staple" };

function flipCharAt(envelope: string, partIndex: number): string {
  const parts = envelope.split(":");
  const bytes = Buffer.from(parts[partIndex], "base64url");
  bytes[0] ^= 0x01;
  parts[partIndex] = bytes.toString("base64url");
  return parts.join(":");
}

describe("key configuration", () => {
  it("refuses to start without ENCRYPTION_KEY and says how to make one", () => {
    expect(() => keyringFromVariables({})).toThrow(EncryptionConfigError);
    expect(() => keyringFromVariables({})).toThrow(/ENCRYPTION_KEY is not set.*randomBytes\(32\)/);
  });

  it("refuses a key of the wrong length instead of padding or truncating it", () => {
    const short = randomBytes(16).toString("base64");
    expect(() => keyring(short)).toThrow(/exactly 32 bytes \(it decodes to 16\)/);
  });

  it("refuses a key that is not base64 (e.g. a hex string or a typo)", () => {
    expect(() => keyring("not base64 at all!")).toThrow(/not valid base64/);
  });

  it("checks ENCRYPTION_KEY_PREVIOUS too", () => {
    expect(() => keyring(newKey(), "abc")).toThrow(/ENCRYPTION_KEY_PREVIOUS/);
  });
});

describe("envelope encryption", () => {
  const ring = keyring(newKey());

  it("round-trips secrets, including non-ASCII characters", () => {
    const envelope = encryptSecrets(SHOP, SECRETS, ring);
    expect(decryptSecrets(SHOP, envelope, ring)).toEqual(SECRETS);
  });

  it("uses a fresh IV each time, so equal secrets do not give equal ciphertexts", () => {
    const a = encryptSecrets(SHOP, SECRETS, ring);
    const b = encryptSecrets(SHOP, SECRETS, ring);
    expect(a).not.toBe(b);
    expect(a.split(":")[3]).not.toBe(b.split(":")[3]);
  });

  it("never contains the plaintext, in any encoding", () => {
    const envelope = encryptSecrets(SHOP, SECRETS, ring);
    expect(envelope).not.toContain("correct horse");
    expect(envelope).not.toContain(Buffer.from("correct horse").toString("base64"));
    expect(envelope).not.toContain(Buffer.from("correct horse").toString("base64url"));
  });

  it.each([
    ["the ciphertext", 5],
    ["the authentication tag", 4],
    ["the IV", 3],
  ])("detects a modified byte in %s", (_name, partIndex) => {
    const envelope = encryptSecrets(SHOP, SECRETS, ring);
    expect(() => decryptSecrets(SHOP, flipCharAt(envelope, partIndex), ring)).toThrow(DecryptionError);
    expect(() => decryptSecrets(SHOP, flipCharAt(envelope, partIndex), ring)).toThrow(/integrity check/);
  });

  it("refuses a ciphertext copied onto another shop's row", () => {
    const envelope = encryptSecrets(SHOP, SECRETS, ring);
    expect(() => decryptSecrets("other.myshopify.com", envelope, ring)).toThrow(/another shop/);
  });

  it("refuses data that is not an envelope at all (e.g. a plain-text secret written by hand)", () => {
    expect(() => decryptSecrets(SHOP, JSON.stringify(SECRETS), ring)).toThrow(/expected encrypted format/);
  });
});

describe("key rotation", () => {
  const oldKey = newKey();
  const freshKey = newKey();
  let db: TestDatabase;

  beforeAll(async () => {
    db = await createTestDatabase();
  });
  afterAll(async () => {
    await db.cleanup();
  });

  it("opens envelopes sealed with the previous key while both are configured", () => {
    const envelope = encryptSecrets(SHOP, SECRETS, keyring(oldKey));
    expect(decryptSecrets(SHOP, envelope, keyring(freshKey, oldKey))).toEqual(SECRETS);
  });

  it("names the missing key when an envelope's key is not configured", () => {
    const oldRing = keyring(oldKey);
    const envelope = encryptSecrets(SHOP, SECRETS, oldRing);
    expect(() => decryptSecrets(SHOP, envelope, keyring(freshKey))).toThrow(
      new RegExp(`encrypted with key ${oldRing.current.id}.*ENCRYPTION_KEY_PREVIOUS`),
    );
  });

  it("reencryptAllSecrets moves every shop to the current key; afterwards the old key can be dropped", async () => {
    const oldRing = keyring(oldKey);
    const rotating = keyring(freshKey, oldKey);
    const shops = ["a.myshopify.com", "b.myshopify.com", "c.myshopify.com"];
    for (const shop of shops) {
      await db.prisma.shopSettings.create({
        data: { shop, connectorType: "fake", connectorSecrets: encryptSecrets(shop, { token: `token-of-${shop}` }, oldRing) },
      });
    }
    // One shop already saved its settings after the new key was deployed.
    await db.prisma.shopSettings.update({
      where: { shop: "c.myshopify.com" },
      data: { connectorSecrets: encryptSecrets("c.myshopify.com", { token: "token-of-c.myshopify.com" }, rotating) },
    });
    // A shop without secrets is not touched.
    await db.prisma.shopSettings.create({ data: { shop: "none.myshopify.com" } });

    const report = await reencryptAllSecrets(db.prisma, rotating);
    expect(report).toMatchObject({ total: 3, reencrypted: 2, alreadyCurrent: 1, failed: [] });

    const freshOnly = keyring(freshKey);
    for (const shop of shops) {
      const row = await db.prisma.shopSettings.findUniqueOrThrow({ where: { shop } });
      expect(envelopeKeyId(row.connectorSecrets!)).toBe(freshOnly.current.id);
      expect(decryptSecrets(shop, row.connectorSecrets!, freshOnly)).toEqual({ token: `token-of-${shop}` });
    }
    const again = await reencryptAllSecrets(db.prisma, freshOnly);
    expect(again).toMatchObject({ total: 3, reencrypted: 0, alreadyCurrent: 3 });
  });

  it("reports shops whose secrets cannot be opened and leaves them untouched", async () => {
    const strangerEnvelope = encryptSecrets("d.myshopify.com", { token: "x" }, keyring(newKey()));
    await db.prisma.shopSettings.create({ data: { shop: "d.myshopify.com", connectorSecrets: strangerEnvelope } });
    const report = await reencryptAllSecrets(db.prisma, keyring(freshKey));
    expect(report.failed).toEqual([{ shop: "d.myshopify.com", reason: expect.stringMatching(/which is not ENCRYPTION_KEY \(/) }]);
    const row = await db.prisma.shopSettings.findUniqueOrThrow({ where: { shop: "d.myshopify.com" } });
    expect(row.connectorSecrets).toBe(strangerEnvelope);
  });
});

describe("database file", () => {
  it("holds no plaintext secret: the SQLite files (with WAL) or a pg_dump are grepped byte by byte", async () => {
    const db = await createTestDatabase();
    try {
      const secret = `erp-password-${randomBytes(8).toString("hex")}`;
      await db.prisma.shopSettings.create({
        data: { shop: SHOP, connectorSecrets: encryptSecrets(SHOP, { password: secret }, keyring(newKey())) },
      });
      // A control value stored in plain text must be found by the same search,
      // otherwise the search proves nothing.
      const control = `plain-control-${randomBytes(8).toString("hex")}`;
      await db.prisma.shopSettings.update({ where: { shop: SHOP }, data: { connectorConfig: JSON.stringify({ note: control }) } });

      const bytes = await rawDatabaseBytes(db);
      expect(bytes.includes(Buffer.from(control))).toBe(true);
      expect(bytes.includes(Buffer.from(secret))).toBe(false);
      expect(bytes.includes(Buffer.from(secret, "utf16le"))).toBe(false);
    } finally {
      await db.cleanup();
    }
  });
});
