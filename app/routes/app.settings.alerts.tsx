// Resource route (no page) behind Settings' "Alerts" card: saves who is told
// when orders pile up (chat webhook, e-mail) and at what levels.
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import db from "../db/db.server";
import { authenticate } from "../shopify.server";
import { loadAlertsCard, saveAlertsFromForm } from "../models/alerts.server";

export const action = async ({ request }: ActionFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  const body = await request.json().catch(() => null);
  return saveAlertsFromForm(db, session.shop, body);
};

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  return loadAlertsCard(db, session.shop);
};
