// A certificate as JSON: window, counts and every exception with the ERP
// documents read back (a resource route: no UI).
import type { LoaderFunctionArgs } from "@remix-run/node";
import db from "../db/db.server";
import { authenticate } from "../shopify.server";
import { certificateFileName, certificateJson, loadCertificate } from "../models/certificates.server";

export const loader = async ({ request, params }: LoaderFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  const detail = await loadCertificate(db, session.shop, params.id ?? "");
  if (!detail) throw new Response("Not found", { status: 404 });
  return new Response(certificateJson(detail), {
    headers: { "Content-Type": "application/json; charset=utf-8", "Content-Disposition": `attachment; filename="${certificateFileName(detail, "json")}"`, "Cache-Control": "no-store" },
  });
};
