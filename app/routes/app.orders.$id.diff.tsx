// The order page's three-way diff (a resource route: no UI; the card is
// app/routes/app.orders.$id/ThreeWayDiff.tsx). GET compares Shopify now, the
// document last sent and the ERP document; POST applies the difference
// (queues the ERP writes). Another shop's id is a 404.
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import db from "../db/db.server";
import { authenticate } from "../shopify.server";
import { applyDifference, loadOrderDiff } from "../models/order-diff.server";
import { fetchOrderThroughAdmin } from "../models/refetch-order.server";
import { actorFromSessionToken } from "../models/order-actions.server";

export const loader = async ({ request, params }: LoaderFunctionArgs) => {
  const { session, admin } = await authenticate.admin(request);
  const view = await loadOrderDiff(db, session.shop, params.id ?? "", { fetchOrder: fetchOrderThroughAdmin(session.shop, admin) });
  if (!view) throw new Response("Not found", { status: 404 });
  return { view };
};

export const action = async ({ request, params }: ActionFunctionArgs) => {
  const { session, admin, sessionToken } = await authenticate.admin(request);
  const result = await applyDifference(db, { shop: session.shop, id: params.id ?? "", actor: actorFromSessionToken(sessionToken, session.shop), fetchOrder: fetchOrderThroughAdmin(session.shop, admin) });
  if (!result.view) throw new Response("Not found", { status: 404 });
  return { ...result, at: Date.now() };
};
