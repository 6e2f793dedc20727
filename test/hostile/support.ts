// Shared helpers for the hostile-input tests: call a real route module the
// way Remix would (thrown Responses become the answer), and count every table
// so each test can prove that nothing already stored was lost or changed.
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import type { PrismaClient } from "@prisma/client";

export type Handler = (args: LoaderFunctionArgs | ActionFunctionArgs) => Promise<unknown>;

export async function callRoute(handler: Handler, request: Request, params: Record<string, string> = {}): Promise<Response> {
  try {
    const result = await handler({ request, params, context: {} });
    return result instanceof Response ? result : Response.json(result);
  } catch (thrown) {
    // Loaders/actions throw Responses (401/404/413...); Remix sends them as they are.
    if (thrown instanceof Response) return thrown;
    throw thrown;
  }
}

export interface StoredCounts {
  webhookEvents: number;
  orders: number;
  attempts: number;
  actions: number;
  settings: number;
  sessions: number;
}

export async function storedCounts(prisma: PrismaClient): Promise<StoredCounts> {
  const [webhookEvents, orders, attempts, actions, settings, sessions] = await Promise.all([
    prisma.webhookEvent.count(),
    prisma.orderSync.count(),
    prisma.syncAttempt.count(),
    prisma.orderAction.count(),
    prisma.shopSettings.count(),
    prisma.session.count(),
  ]);
  return { webhookEvents, orders, attempts, actions, settings, sessions };
}

/** Ledger rows as comparable plain data (what "nothing changed" means). */
export async function ledgerFingerprint(prisma: PrismaClient): Promise<string> {
  const rows = await prisma.orderSync.findMany({ orderBy: { id: "asc" } });
  return JSON.stringify(rows);
}
