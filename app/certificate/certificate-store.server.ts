// Asking for completeness certificates and handing them to the worker: staff
// ask for any date range (the web process writes a "requested" row), the
// daily schedule asks for yesterday (UTC) once per shop, and the worker
// claims requested rows one at a time (a compare-and-set on status), so
// several worker processes never compute the same certificate twice.
import type { CompletenessCertificate, PrismaClient } from "@prisma/client";

const DAY = 24 * 3600_000;
/** Longest window staff may ask for at once (the Admin API lists every order in it). */
export const MAX_CERTIFICATE_DAYS = 93;
/** Certificates are kept this long (a year and a month: a year-end audit can still see every day). */
export const CERTIFICATE_RETENTION_DAYS = 400;
/** A running certificate older than this is taken as abandoned by a stopped worker. */
export const STALE_RUNNING_MS = 60 * 60_000;

export type CertificateRequest = { ok: true; certificate: CompletenessCertificate } | { ok: false; message: string };

/** Midnight UTC of the day `at` falls in. */
export function utcDayStart(at: Date): Date {
  return new Date(Date.UTC(at.getUTCFullYear(), at.getUTCMonth(), at.getUTCDate()));
}

/** Staff's request for the orders created from `fromDay` to `toDay` (both whole UTC days, "YYYY-MM-DD"). */
export async function requestCertificate(prisma: PrismaClient, shop: string, fromDay: string, toDay: string, now = new Date()): Promise<CertificateRequest> {
  const day = /^\d{4}-\d{2}-\d{2}$/;
  if (!day.test(fromDay) || !day.test(toDay) || Number.isNaN(Date.parse(fromDay)) || Number.isNaN(Date.parse(toDay))) {
    return { ok: false, message: "Choose the first and last day as dates (for example 2026-12-01)." };
  }
  const windowStart = new Date(`${fromDay}T00:00:00Z`);
  const windowEnd = new Date(Date.parse(`${toDay}T00:00:00Z`) + DAY);
  if (windowEnd <= windowStart) return { ok: false, message: "The last day must be on or after the first day." };
  if (windowStart > now) return { ok: false, message: "Choose days that have begun: there are no orders from the future yet." };
  if (windowEnd.getTime() - windowStart.getTime() > MAX_CERTIFICATE_DAYS * DAY) {
    return { ok: false, message: `Choose at most ${MAX_CERTIFICATE_DAYS} days at once; make several certificates for a longer period.` };
  }
  const waiting = await prisma.completenessCertificate.findFirst({ where: { shop, windowStart, windowEnd, status: { in: ["requested", "running"] } } });
  if (waiting) return { ok: true, certificate: waiting };
  const certificate = await prisma.completenessCertificate.create({ data: { shop, windowStart, windowEnd, trigger: "manual", requestedAt: now } });
  return { ok: true, certificate };
}

/**
 * Asks for yesterday's certificate (UTC) for each shop that has none yet,
 * once `settleMs` into the new day (late webhooks and retries settle first).
 */
export async function scheduleDailyCertificates(prisma: PrismaClient, shops: string[], now: Date, settleMs = 60 * 60_000): Promise<number> {
  const today = utcDayStart(now);
  if (now.getTime() - today.getTime() < settleMs) return 0;
  const windowStart = new Date(today.getTime() - DAY);
  let made = 0;
  for (const shop of shops) {
    const existing = await prisma.completenessCertificate.findFirst({ where: { shop, trigger: "daily", windowStart }, select: { id: true } });
    if (existing) continue;
    await prisma.completenessCertificate.create({ data: { shop, windowStart, windowEnd: today, trigger: "daily", requestedAt: now } });
    made++;
  }
  return made;
}

/** The oldest requested certificate (or one a stopped worker left running), claimed as running; null when none waits. */
export async function claimNextCertificate(prisma: PrismaClient, now: Date): Promise<CompletenessCertificate | null> {
  for (let tries = 0; tries < 5; tries++) {
    const next = await prisma.completenessCertificate.findFirst({
      where: { OR: [{ status: "requested" }, { status: "running", startedAt: { lt: new Date(now.getTime() - STALE_RUNNING_MS) } }] },
      orderBy: { requestedAt: "asc" },
    });
    if (!next) return null;
    const claimed = await prisma.completenessCertificate.updateMany({ where: { id: next.id, status: next.status, startedAt: next.startedAt }, data: { status: "running", startedAt: now } });
    if (claimed.count === 1) return { ...next, status: "running", startedAt: now };
  }
  return null;
}

/** Deletes certificates whose window ended more than CERTIFICATE_RETENTION_DAYS ago; returns how many. */
export async function purgeOldCertificates(prisma: PrismaClient, now: Date): Promise<number> {
  const { count } = await prisma.completenessCertificate.deleteMany({ where: { windowEnd: { lt: new Date(now.getTime() - CERTIFICATE_RETENTION_DAYS * DAY) }, status: { notIn: ["requested", "running"] } } });
  return count;
}
