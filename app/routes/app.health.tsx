// Resource route (no page): the dashboard's delivery-health card loads its
// figures from here, so the dashboard's own loader stays as it is and the
// card refreshes on its own.
import type { LoaderFunctionArgs } from "@remix-run/node";
import db from "../db/db.server";
import { authenticate } from "../shopify.server";
import { loadDeliveryHealthPanel } from "../models/delivery-health.server";

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  return { panel: await loadDeliveryHealthPanel(db, session.shop) };
};
