// Key rotation step 2: move every shop's stored ERP credentials onto the
// current ENCRYPTION_KEY (with the old key in ENCRYPTION_KEY_PREVIOUS), and
// the Shopify access/refresh tokens in the Session table with them.
// Run: npx vite-node --config vitest.config.ts app/security/reencrypt-secrets.cli.ts
// Prints counts and shop domains only, never key material or secrets.
import { config } from "../config.server";
import { createPrismaClient } from "../db/client";
import { getKeyring, reencryptAllSecrets } from "./crypto.server";
import { reencryptSessionTokens } from "./encrypted-session-storage.server";

const keyring = getKeyring();
const { database } = config();
const prisma = createPrismaClient(database.url, { poolMax: database.poolMax });
try {
  console.log(
    `Re-encrypting connector secrets with key ${keyring.current.id}` +
      (keyring.previous ? ` (previous key ${keyring.previous.id} still accepted)` : " (no previous key configured)"),
  );
  const report = await reencryptAllSecrets(prisma, keyring);
  console.log(
    `shops with secrets: ${report.total}, re-encrypted: ${report.reencrypted}, already on the current key: ${report.alreadyCurrent}, ` +
      `changed while running: ${report.changedMeanwhile}, failed: ${report.failed.length}`,
  );
  for (const failure of report.failed) console.log(`  ${failure.shop}: ${failure.reason}`);
  const sessions = await reencryptSessionTokens(prisma, keyring);
  console.log(`Shopify sessions: ${sessions.sessions}, tokens re-encrypted: ${sessions.reencrypted}, failed: ${sessions.failed.length}`);
  for (const failure of sessions.failed) console.log(`  ${failure.shop}: ${failure.reason}`);
  if (report.changedMeanwhile > 0) console.log("Some shops saved settings while this ran: run it once more to confirm.");
  process.exitCode = report.failed.length + sessions.failed.length > 0 ? 1 : 0;
} finally {
  await prisma.$disconnect();
}
