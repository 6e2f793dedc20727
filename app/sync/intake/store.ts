// Which store records intake for a Prisma client: SQLite files get the
// group-committing raw-SQL store (one per client, with its own connection to
// the same file); PostgreSQL, and clients not made by createPrismaClient, use
// a Prisma transaction per event. Both carry out the same fold plans.
import type { PrismaClient } from "@prisma/client";
import { databaseProviderOf, sqliteUrlOf } from "../../db/client";
import type { InboxEntry, ParsedNews } from "./plan";
import type { IntakeResult } from "./result";
import { recordWithPrisma } from "./prisma-store";
import { SqliteIntakeStore } from "./sqlite-store";

export interface IntakeStore {
  record(entry: InboxEntry, parsed: ParsedNews, now: Date, onlyInstalled: boolean): Promise<IntakeResult>;
}

const sqliteStores = new WeakMap<object, SqliteIntakeStore>();

export function intakeStoreFor(prisma: PrismaClient): IntakeStore {
  const url = databaseProviderOf(prisma) === "sqlite" ? sqliteUrlOf(prisma) : null;
  if (!url) return { record: (entry, parsed, now, onlyInstalled) => recordWithPrisma(prisma, entry, parsed, now, onlyInstalled) };
  let store = sqliteStores.get(prisma);
  if (!store) {
    store = new SqliteIntakeStore(url);
    sqliteStores.set(prisma, store);
  }
  return store;
}

/** Closes the SQLite store's connection for this client, if it opened one (tests deleting their database file). */
export async function closeIntakeStore(prisma: PrismaClient): Promise<void> {
  const store = sqliteStores.get(prisma);
  sqliteStores.delete(prisma);
  await store?.close();
}
