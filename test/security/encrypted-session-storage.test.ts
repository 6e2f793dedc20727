// Shopify access/refresh tokens are stored sealed, open again on load, old
// plain rows still work, and key rotation re-seals them.
import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Session } from "@shopify/shopify-api";
import { configuredEnv } from "../../app/config.server";
import { keyringFromVariables } from "../../app/security/keyring";
import { EncryptedPrismaSessionStorage, isSealed, reencryptSessionTokens } from "../../app/security/encrypted-session-storage.server";
import { createTestDatabase, type TestDatabase } from "../../testkit/db";

const SHOP = "sealed.myshopify.com";
let db: TestDatabase;
let storage: EncryptedPrismaSessionStorage;

beforeAll(async () => {
  db = await createTestDatabase();
  storage = new EncryptedPrismaSessionStorage(db.prisma);
});
afterAll(() => db.cleanup());

function offlineSession(accessToken: string): Session {
  return new Session({
    id: `offline_${SHOP}`,
    shop: SHOP,
    state: "installed",
    isOnline: false,
    accessToken,
    scope: "read_orders",
    refreshToken: "shprt_secret_refresh",
    refreshTokenExpires: new Date(Date.now() + 86_400_000),
  });
}

describe("encrypted session storage", () => {
  it("stores tokens sealed and loads them as the library needs them", async () => {
    await storage.storeSession(offlineSession("shpat_secret_access"));
    const row = await db.prisma.session.findUniqueOrThrow({ where: { id: `offline_${SHOP}` } });
    expect(row.accessToken).not.toContain("shpat_secret_access");
    expect(row.refreshToken).not.toContain("shprt_secret_refresh");
    expect(isSealed(row.accessToken)).toBe(true);
    const loaded = await storage.loadSession(`offline_${SHOP}`);
    expect(loaded?.accessToken).toBe("shpat_secret_access");
    expect(loaded?.refreshToken).toBe("shprt_secret_refresh");
    expect((await storage.findSessionsByShop(SHOP))[0].accessToken).toBe("shpat_secret_access");
  });

  it("still loads a session stored before encryption (plain token)", async () => {
    await db.prisma.session.update({ where: { id: `offline_${SHOP}` }, data: { accessToken: "shpat_plain_legacy", refreshToken: null } });
    expect((await storage.loadSession(`offline_${SHOP}`))?.accessToken).toBe("shpat_plain_legacy");
  });

  it("key rotation re-seals every stored token with the new key, which then opens them", async () => {
    await storage.storeSession(offlineSession("shpat_rotate_me"));
    const oldKey = configuredEnv().ENCRYPTION_KEY!;
    const newKey = randomBytes(32).toString("base64");
    const keyring = keyringFromVariables({ ENCRYPTION_KEY: newKey, ENCRYPTION_KEY_PREVIOUS: oldKey });
    const report = await reencryptSessionTokens(db.prisma, keyring);
    expect(report).toMatchObject({ sessions: 1, reencrypted: 1, failed: [] });
    const row = await db.prisma.session.findUniqueOrThrow({ where: { id: `offline_${SHOP}` } });
    expect(row.accessToken.split(":")[2]).toBe(keyring.current.id);
    // Running it again finds nothing left to do.
    expect((await reencryptSessionTokens(db.prisma, keyring)).reencrypted).toBe(0);
  });
});
