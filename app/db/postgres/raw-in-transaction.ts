// Lets a Prisma interactive transaction on PostgreSQL run a statement on its
// own connection WITHOUT Prisma's query compiler. Every Prisma query, raw ones
// included, is serialised to JSON and compiled inside the compiler's
// WebAssembly memory, which grows to the largest argument it has seen and
// never shrinks: one 10 MB webhook left the web process 60–70 MiB larger for
// good (docs/benchmarks.md, "Memory"). Intake writes its two large texts (the
// raw payload and the order snapshot) through here, in the same transaction.
//
// How: the caller runs prisma.$transaction inside `withRawTransaction`; the
// PostgreSQL adapter (app/db/client.ts) hands the transaction it opens to the
// slot of the async context it was opened in. Concurrent transactions each
// have their own slot. A client not made by createPrismaClient (or SQLite)
// never fills the slot, and callers then write through Prisma as before.
import { AsyncLocalStorage } from "node:async_hooks";

/** What the adapter's transaction offers: PrismaPg's executeRaw (pg's parameterised query on the held connection). */
export interface RawTransaction {
  executeRaw(query: {
    sql: string;
    args: unknown[];
    argTypes: Array<{ scalarType: "string"; arity: "scalar" }>;
  }): Promise<number>;
}

interface Slot {
  tx?: RawTransaction;
}

const slots = new AsyncLocalStorage<Slot>();

/** Runs `start` (which opens one Prisma transaction) with a slot the adapter fills; `raw()` gives the transaction, if the adapter filled it. */
export function withRawTransaction<T>(
  start: (raw: () => RawTransaction | undefined) => Promise<T>
): Promise<T> {
  const slot: Slot = {};
  return slots.run(slot, () => start(() => slot.tx));
}

/** Called by the PostgreSQL adapter for each transaction it opens. */
export function offerRawTransaction(tx: RawTransaction): void {
  const slot = slots.getStore();
  if (slot && !slot.tx) slot.tx = tx;
}

/** UPDATE "<table>" SET "<column>" = $1 WHERE "id" = $2 on the transaction's connection; the number of rows written. */
export function setTextById(
  tx: RawTransaction,
  table: string,
  column: string,
  id: string,
  text: string
): Promise<number> {
  return tx.executeRaw({
    sql: `UPDATE "${table}" SET "${column}" = $1 WHERE "id" = $2`,
    args: [text, id],
    argTypes: [
      { scalarType: "string", arity: "scalar" },
      { scalarType: "string", arity: "scalar" },
    ],
  });
}
