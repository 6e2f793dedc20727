// Resource route (no page): the dashboard's "Check for missed orders now".
// GET: the latest request/run, polled while one is waiting or running.
// POST: writes a request the worker picks up within seconds.
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import db from "../db/db.server";
import { authenticate } from "../shopify.server";
import { loadReconciliationPanel, requestCheckNow } from "../models/reconciliation.server";

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  return { panel: await loadReconciliationPanel(db, session.shop) };
};

export const action = async ({ request }: ActionFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  return requestCheckNow(db, session.shop);
};
