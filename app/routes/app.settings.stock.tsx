// Resource route (no page) behind the "Stock levels" row of Settings → Who
// owns what: loads the row's data and saves the owner and location links.
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import db from "../db/db.server";
import { authenticate } from "../shopify.server";
import { STOCK_LOCATIONS_QUERY } from "../graphql/inventory";
import { loadStockOwnership, saveStockOwnership } from "../models/stock-settings.server";

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { admin, scopes, session } = await authenticate.admin(request);
  return loadStockOwnership(db, session.shop, {
    grantedScopes: async () => (await scopes.query()).granted,
    shopifyLocations: async () => {
      const response = await admin.graphql(STOCK_LOCATIONS_QUERY);
      const { data } = await response.json();
      return (data?.locations.nodes ?? []).filter((l) => l.isActive).map((l) => ({ id: l.id, name: l.name }));
    },
  });
};

export const action = async ({ request }: ActionFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  return saveStockOwnership(db, session.shop, await request.json().catch(() => null));
};
