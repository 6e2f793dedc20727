// CSV of the sync log with the page's filters (a resource route: no UI).
import type { LoaderFunctionArgs } from "@remix-run/node";
import db from "../db/db.server";
import { authenticate } from "../shopify.server";
import { parseOrderLogFilters } from "../models/order-log.server";
import { csvFileName, orderLogCsvStream } from "../models/order-log-csv.server";

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  const filters = parseOrderLogFilters(new URL(request.url).searchParams);
  return new Response(orderLogCsvStream(db, session.shop, filters), {
    headers: {
      "Content-Type": "text/csv; charset=utf-8",
      "Content-Disposition": `attachment; filename="${csvFileName()}"`,
      "Cache-Control": "no-store",
    },
  });
};
