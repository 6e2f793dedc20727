// Resource route (no page) behind Settings' "Shipments and tracking" card
// (app.settings/ShipmentsOwnershipRow.tsx): loads and saves who owns shipments
// and whether Shopify notifies the customer.
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import db from "../db/db.server";
import { authenticate } from "../shopify.server";
import { loadShipmentsCard, saveShipmentsCard } from "../models/shipments.server";

export const action = async ({ request }: ActionFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  const body = await request.json().catch(() => null);
  return saveShipmentsCard(db, session.shop, body);
};

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  return loadShipmentsCard(db, session.shop);
};
