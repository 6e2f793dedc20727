// POST /erp/<shop>.myshopify.com/shipments: the ERP pushes signed shipment
// notices (Generic HTTPS JSON connector), the same scheme as stock notices
// (erp.$shop.stock.tsx). Thin: the checks live in
// app/shipments/notice-endpoint.server.ts; the contract in docs/shipments.md.
import type { ActionFunctionArgs } from "@remix-run/node";
import db from "../db/db.server";
import { handleShipmentNotice } from "../shipments/notice-endpoint.server";

export const action = async ({ request, params }: ActionFunctionArgs) => handleShipmentNotice(request, String(params.shop ?? ""), { prisma: db });

export const loader = async () => Response.json({ ok: false, message: "Send shipment notices with POST." }, { status: 405, headers: { Allow: "POST" } });
