// A certificate's exceptions as CSV, one row per order (a resource route: no UI).
import type { LoaderFunctionArgs } from "@remix-run/node";
import db from "../db/db.server";
import { authenticate } from "../shopify.server";
import { certificateCsv, certificateFileName, loadCertificate } from "../models/certificates.server";

export const loader = async ({ request, params }: LoaderFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  const detail = await loadCertificate(db, session.shop, params.id ?? "");
  if (!detail) throw new Response("Not found", { status: 404 });
  return new Response(certificateCsv(detail), {
    headers: { "Content-Type": "text/csv; charset=utf-8", "Content-Disposition": `attachment; filename="${certificateFileName(detail, "csv")}"`, "Cache-Control": "no-store" },
  });
};
