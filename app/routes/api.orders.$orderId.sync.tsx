// Backend of the order-page admin extension: GET this order's ERP sync state,
// POST to resync it. The extension's fetch carries Shopify's ID token as a
// bearer token; authenticate.admin verifies it (and answers CORS preflights),
// and every answer goes through the library's cors helper because the
// extension runs on Shopify's origin, not ours.
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import db from "../db/db.server";
import { authenticate } from "../shopify.server";
import { getOrderDetail } from "../models/order-detail.server";
import { actorFromSessionToken, performOrderAction } from "../models/order-actions.server";
import { stateLabel } from "../components/format";
import { legacyOrderId } from "../models/order-ids";
import { shipmentsOfOrder } from "../models/shipments.server";

export interface OrderSyncStatus {
  found: true;
  id: string;
  orderName: string;
  state: string;
  stateLabel: string;
  erpDocument: string | null;
  lastError: string | null;
  lastAttemptAt: string | null;
  attemptCount: number;
  /** ERP shipments of the order: document, tracking, and the fulfilment they became (docs/shipments.md). */
  shipments: { document: string; state: string; tracking: string; fulfillment: string | null; problem: string | null }[];
}

const NOT_SEEN = {
  found: false,
  message: "The ERP sync has no record of this order yet. Orders appear once Shopify has sent them to the app.",
};

async function statusFor(shop: string, orderId: string | null): Promise<OrderSyncStatus | null> {
  if (!orderId) return null;
  const order = await getOrderDetail(db, shop, { orderId });
  if (!order) return null;
  return {
    found: true,
    id: order.id,
    orderName: order.orderName,
    state: order.state,
    stateLabel: order.resolvedBy ? `Resolved by ${order.resolvedBy}` : stateLabel(order.state),
    erpDocument: order.erpDocumentNumber ?? order.erpDocumentId,
    lastError: order.message,
    lastAttemptAt: order.lastAttemptAt,
    attemptCount: order.attemptCount,
    shipments: (await shipmentsOfOrder(db, shop, orderId)).map((s) => ({
      document: s.documentNumber ?? s.shipmentId,
      state: s.state,
      tracking: s.trackingNumbers,
      fulfillment: s.fulfillmentName,
      problem: s.state === "needs_attention" ? s.lastError : null,
    })),
  };
}

export const loader = async ({ request, params }: LoaderFunctionArgs) => {
  const { session, cors } = await authenticate.admin(request);
  const status = await statusFor(session.shop, legacyOrderId(params.orderId));
  return cors(status ? Response.json(status) : Response.json(NOT_SEEN, { status: 404 }));
};

export const action = async ({ request, params }: ActionFunctionArgs) => {
  const { session, sessionToken, cors } = await authenticate.admin(request);
  if (request.method !== "POST") return cors(Response.json({ message: "Use POST to resync." }, { status: 405 }));
  const before = await statusFor(session.shop, legacyOrderId(params.orderId));
  if (!before) return cors(Response.json(NOT_SEEN, { status: 404 }));
  const summary = await performOrderAction(db, {
    shop: session.shop,
    actor: actorFromSessionToken(sessionToken, session.shop),
    action: "retry_now",
    ids: [before.id],
    note: "Resync from the order page in Shopify admin",
  });
  const after = await statusFor(session.shop, legacyOrderId(params.orderId));
  return cors(Response.json({ ok: summary.ok, message: summary.message, status: after }, { status: summary.ok ? 200 : 409 }));
};
