// Resource route (no page) behind Settings' "Import past orders" card.
// GET: the import's state, polled every few seconds while one is active.
// POST {intent: "start", from, to} | {intent: "cancel", id}. The worker does
// the import; this only checks the range with Shopify and records the job.
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import db from "../db/db.server";
import { authenticate } from "../shopify.server";
import { cancelShopBackfill, loadBackfillPanel, startBackfill } from "../models/reconciliation.server";
import { actorFromSessionToken } from "../models/order-actions.server";
import { adminClientFromLibrary } from "../models/refetch-order.server";

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  return { panel: await loadBackfillPanel(db, session.shop) };
};

export const action = async ({ request }: ActionFunctionArgs) => {
  const { admin, session, sessionToken } = await authenticate.admin(request);
  const shop = session.shop;
  const body = (await request.json().catch(() => null)) as { intent?: string; from?: unknown; to?: unknown; id?: unknown } | null;
  if (body?.intent === "start") {
    const result = await startBackfill(db, adminClientFromLibrary(shop, admin), {
      from: body.from,
      to: body.to,
      requestedBy: actorFromSessionToken(sessionToken, shop),
    });
    return { intent: "start" as const, ...result, fieldErrors: result.ok ? {} : result.fieldErrors, panel: await loadBackfillPanel(db, shop) };
  }
  if (body?.intent === "cancel") {
    const result = await cancelShopBackfill(db, shop, body.id);
    return { intent: "cancel" as const, ...result, fieldErrors: {}, panel: await loadBackfillPanel(db, shop) };
  }
  return Response.json({ ok: false, message: "Unknown action." }, { status: 400 });
};
