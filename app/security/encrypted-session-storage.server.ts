// Shopify access and refresh tokens are credentials like the ERP's: this
// wraps the library's Prisma session storage so they are stored sealed with
// the app's AES-256-GCM key (crypto.server.ts, bound to the shop) and opened
// only when a session is loaded. Rows written before encryption (plain
// tokens) still load and are sealed the next time the library stores them.
import type { PrismaClient } from "@prisma/client";
import { Session } from "@shopify/shopify-api";
import { PrismaSessionStorage } from "@shopify/shopify-app-session-storage-prisma";
import { decryptString, encryptString, envelopeKeyId, getKeyring, type Keyring } from "./crypto.server";

const SEALED_PREFIX = "enc:v1:";

export function isSealed(value: string | undefined | null): boolean {
  return typeof value === "string" && value.startsWith(SEALED_PREFIX);
}

function mapTokens(session: Session, transform: (value: string) => string): Session {
  const params = session.toObject();
  return new Session({
    ...params,
    ...(params.accessToken ? { accessToken: transform(params.accessToken) } : {}),
    ...(params.refreshToken ? { refreshToken: transform(params.refreshToken) } : {}),
  });
}

export class EncryptedPrismaSessionStorage extends PrismaSessionStorage<PrismaClient> {
  override async storeSession(session: Session): Promise<boolean> {
    return super.storeSession(
      mapTokens(session, (token) => (isSealed(token) ? token : encryptString(session.shop, token))),
    );
  }

  override async loadSession(id: string): Promise<Session | undefined> {
    const session = await super.loadSession(id);
    return session ? this.open(session) : undefined;
  }

  override async findSessionsByShop(shop: string): Promise<Session[]> {
    return (await super.findSessionsByShop(shop)).map((session) => this.open(session));
  }

  private open(session: Session): Session {
    return mapTokens(session, (token) => (isSealed(token) ? decryptString(session.shop, token) : token));
  }
}

export interface SessionReencryptionReport {
  sessions: number;
  reencrypted: number;
  failed: { shop: string; reason: string }[];
}

/**
 * Key rotation: re-seal every stored session token with the current key
 * (plain legacy tokens get sealed too). A row is only replaced if its tokens
 * are still the ones read, so a token refresh happening meanwhile wins.
 */
export async function reencryptSessionTokens(
  prisma: PrismaClient,
  keyring: Keyring = getKeyring(),
): Promise<SessionReencryptionReport> {
  const report: SessionReencryptionReport = { sessions: 0, reencrypted: 0, failed: [] };
  const rows = await prisma.session.findMany({ select: { id: true, shop: true, accessToken: true, refreshToken: true } });
  const reseal = (shop: string, token: string) =>
    encryptString(shop, isSealed(token) ? decryptString(shop, token, keyring) : token, keyring);
  for (const row of rows) {
    report.sessions += 1;
    try {
      const needs = (t: string | null) => t !== null && t !== "" && (!isSealed(t) || envelopeKeyId(t) !== keyring.current.id);
      if (!needs(row.accessToken) && !needs(row.refreshToken)) continue;
      const { count } = await prisma.session.updateMany({
        where: { id: row.id, accessToken: row.accessToken, refreshToken: row.refreshToken },
        data: {
          accessToken: row.accessToken ? reseal(row.shop, row.accessToken) : row.accessToken,
          refreshToken: row.refreshToken ? reseal(row.shop, row.refreshToken) : row.refreshToken,
        },
      });
      report.reencrypted += count;
    } catch (error) {
      report.failed.push({ shop: row.shop, reason: error instanceof Error ? error.message : String(error) });
    }
  }
  return report;
}
