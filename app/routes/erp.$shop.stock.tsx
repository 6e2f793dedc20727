// POST /erp/<shop>.myshopify.com/stock: the ERP pushes signed stock notices
// (Generic HTTPS JSON connector). Thin: the checks live in
// app/models/stock-notice.server.ts; the contract in docs/stock.md.
import type { ActionFunctionArgs } from "@remix-run/node";
import db from "../db/db.server";
import { receiveStockNotice } from "../models/stock-notice.server";

export const action = async ({ request, params }: ActionFunctionArgs) => {
  const answer = await receiveStockNotice(db, String(params.shop ?? ""), request, Date.now());
  return Response.json(answer.body, { status: answer.status });
};

export const loader = async () => Response.json({ ok: false, message: "Send stock notices with POST." }, { status: 405, headers: { Allow: "POST" } });
