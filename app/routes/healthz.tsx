import prisma from "../db/db.server";
import { healthResponse } from "../observability/health";

// Health check for load balancers and uptime monitors (no session needed,
// no shop data). `/healthz?probe=liveness` skips the worker check.
export const loader = ({ request }: { request: Request }) => healthResponse(prisma, request);
