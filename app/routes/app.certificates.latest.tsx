// The newest completeness certificate of the shop, for the dashboard card
// (app/components/CertificateCard.tsx) to load by itself (a resource route: no UI).
import type { LoaderFunctionArgs } from "@remix-run/node";
import db from "../db/db.server";
import { authenticate } from "../shopify.server";
import { latestCertificate } from "../models/certificates.server";

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  return latestCertificate(db, session.shop);
};
