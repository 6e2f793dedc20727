// The ERP item search as JSON (a resource route: no UI; the field is
// app/components/ErpItemField.tsx): GET ?q=tee answers this shop's ERP
// items whose number or name contains "tee" (app/models/erp-items.server.ts).
import type { LoaderFunctionArgs } from "@remix-run/node";
import db from "../db/db.server";
import { authenticate } from "../shopify.server";
import { searchErpItems } from "../models/erp-items.server";

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  return searchErpItems(db, session.shop, new URL(request.url).searchParams.get("q") ?? "", { signal: request.signal });
};

// A search answers what was typed then: saving a mapping must not send it to the ERP again.
export const shouldRevalidate = () => false;
