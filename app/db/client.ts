// Builds a PrismaClient on Prisma's JS engine through a driver adapter (no
// downloaded engine binaries), for the database DATABASE_URL names (see
// url.ts). No side effects: tests and scripts create their own clients;
// the app uses the shared one from db.server.ts.
//
// Two generated clients exist because a generated client is tied to one
// provider: the default one (@prisma/client, SQLite) and the PostgreSQL one
// generated from prisma/postgres/schema.prisma into node_modules/.prisma/client-pg.
// Both come from the same models, so their APIs are identical and the rest of
// the code keeps typing against `PrismaClient` from "@prisma/client".
import { createRequire } from "node:module";
import { PrismaClient } from "@prisma/client";
import { createLogger, type Logger } from "../logging/logger";
import { PrismaPg } from "@prisma/adapter-pg";
import { offerRawTransaction } from "./postgres/raw-in-transaction";
import { SingleConnectionPrismaLibSQL } from "./sqlite/adapter";
import { databaseProviderFor, sqliteUrl, type DatabaseProvider } from "./url";

const providers = new WeakMap<object, DatabaseProvider>();
const sqliteUrls = new WeakMap<object, string>();

/** Loaded on first use only, so a SQLite install never needs the PostgreSQL client generated. */
function postgresClientClass(): typeof PrismaClient {
  const require = createRequire(import.meta.url);
  try {
    return (require(".prisma/client-pg") as { PrismaClient: typeof PrismaClient }).PrismaClient;
  } catch (error) {
    throw new Error(
      "The PostgreSQL Prisma client is not generated. Run `npm run db:generate` (part of `npm run setup`), then start again.",
      { cause: error },
    );
  }
}

/**
 * PrismaPg whose transactions always give their connection back. Prisma's
 * transaction manager sends COMMIT or ROLLBACK as a query and only then calls
 * the adapter's commit()/rollback(), which is where the pooled connection is
 * released; when that query fails (the connection was killed: a database
 * restart or failover) the release is skipped and the pool loses the
 * connection for good. After as many such transactions as the pool holds,
 * every query would wait for a connection forever, /healthz included
 * (test/postgres/broken-connections.test.ts).
 */
class ReleasingPrismaPg extends PrismaPg {
  override async connect(): Promise<Awaited<ReturnType<PrismaPg["connect"]>>> {
    const adapter = await super.connect();
    const startTransaction = adapter.startTransaction.bind(adapter);
    adapter.startTransaction = async (isolationLevel) => {
      const tx = await startTransaction(isolationLevel);
      // Intake's large texts bypass the query compiler on this connection (postgres/raw-in-transaction.ts).
      offerRawTransaction(tx);
      // The adapter's own fields: its pooled client and the listener cleanup.
      const held = tx as unknown as { client: { release(error?: Error): void }; cleanup?: () => void };
      const executeRaw = tx.executeRaw.bind(tx);
      tx.executeRaw = async (query) => {
        try {
          return await executeRaw(query);
        } catch (error) {
          if (query.sql === "COMMIT" || query.sql === "ROLLBACK") {
            // Prisma will not call commit()/rollback() now: release here,
            // with the error, so the pool drops the connection.
            held.cleanup?.();
            held.client.release(error instanceof Error ? error : new Error(String(error)));
          }
          throw error;
        }
      };
      return tx;
    };
    return adapter;
  }
}

/** PostgreSQL connections per process unless DATABASE_POOL_MAX says otherwise: web and each worker have their own pool. */
export const DEFAULT_POOL_MAX = 10;

export interface PrismaClientOptions {
  /** PostgreSQL pool size (DATABASE_POOL_MAX); ignored for SQLite, which uses one connection. */
  poolMax?: number;
  /** Where lost connections are reported (default: the app's logger, component "database"). */
  logger?: Logger;
}

/** A client for `databaseUrl` (unset: the default SQLite file). */
export function createPrismaClient(databaseUrl: string | undefined, options: PrismaClientOptions = {}): PrismaClient {
  const provider = databaseProviderFor(databaseUrl);
  let logger = options.logger;
  const log = () => (logger ??= createLogger({ base: { component: "database" } }));
  let client: PrismaClient;
  if (provider === "postgresql") {
    const PgPrismaClient = postgresClientClass();
    client = new PgPrismaClient({
      adapter: new ReleasingPrismaPg(
        { connectionString: databaseUrl!, max: options.poolMax ?? DEFAULT_POOL_MAX },
        {
          // A database restart ends every pooled connection with an error
          // event. Handled here, the broken connection is dropped and the
          // next query opens a new one instead of the process dying.
          onPoolError: (error) => log().warn({ err: error }, "database connection lost (idle)"),
          onConnectionError: (error) => log().warn({ err: error }, "database connection lost (in use)"),
        },
      ),
      // A webhook burst queues transactions for a pooled connection; Prisma's
      // 2 s default wait turned a burst of 500 into errors (and Shopify retries).
      transactionOptions: { maxWait: 15_000, timeout: 15_000 },
    });
  } else {
    // One connection per client, BEGIN IMMEDIATE: see sqlite/adapter.ts.
    client = new PrismaClient({ adapter: new SingleConnectionPrismaLibSQL({ url: sqliteUrl(databaseUrl) }) });
    sqliteUrls.set(client, sqliteUrl(databaseUrl));
  }
  providers.set(client, provider);
  return client;
}

/**
 * The provider behind a client, for the few places that use provider-specific
 * SQL (worker claiming). Clients not made here count as SQLite: the portable path.
 */
export function databaseProviderOf(prisma: object): DatabaseProvider {
  return providers.get(prisma) ?? "sqlite";
}

/** The SQLite URL a client made here was opened on (null for PostgreSQL or foreign clients). */
export function sqliteUrlOf(prisma: object): string | null {
  return sqliteUrls.get(prisma) ?? null;
}
