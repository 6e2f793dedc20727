// Resource route (no page) behind Settings' "Alerts" card: saves who is told
// when orders pile up (chat webhook, e-mail) and at what levels.
import type { ActionFunctionArgs } from "@remix-run/node";
import db from "../db.server";
import { authenticate } from "../shopify.server";
import { saveAlertsFromForm } from "../models/alerts.server";

export const action = async ({ request }: ActionFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  const body = await request.json().catch(() => null);
  return saveAlertsFromForm(db, session.shop, body);
};
