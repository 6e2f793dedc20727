// Who pressed a button, in words staff recognise. "Mark resolved" shows
// "Resolved by <name>": the name (or e-mail) of the staff member when an
// online admin session knows them, else plainly "staff". The app runs on
// offline sessions, so the name comes from an online session of the same
// user when one is stored (apps that also request online tokens), never from
// a guess; the session token itself carries only the user id (`sub`).
import type { PrismaClient } from "@prisma/client";

interface OnlineUser {
  first_name?: string;
  last_name?: string;
  email?: string;
}

function nameOf(user: { firstName?: string | null; lastName?: string | null; email?: string | null }): string | null {
  const name = [user.firstName, user.lastName].filter((p) => p && p.trim()).join(" ").trim();
  return name || user.email?.trim() || null;
}

/**
 * The staff member's name or e-mail, else "staff". `session` is the one
 * authenticate.admin returned (online sessions carry the user), `sub` the
 * session token's user id.
 */
export async function staffName(
  prisma: PrismaClient,
  shop: string,
  input: { sub?: string; session?: { onlineAccessInfo?: { associated_user?: OnlineUser } } },
): Promise<string> {
  const user = input.session?.onlineAccessInfo?.associated_user;
  const fromSession = user ? nameOf({ firstName: user.first_name, lastName: user.last_name, email: user.email }) : null;
  if (fromSession) return fromSession;
  if (input.sub && /^\d{1,19}$/.test(input.sub)) {
    const stored = await prisma.session.findFirst({
      where: { shop, isOnline: true, userId: BigInt(input.sub) },
      select: { firstName: true, lastName: true, email: true },
      orderBy: { expires: "desc" },
    });
    const fromStore = stored ? nameOf(stored) : null;
    if (fromStore) return fromStore;
  }
  return "staff";
}
