import type { Prisma, Role, SubscriptionStatus, User } from "~/generated/prisma/client";
import { recordAudit } from "~/audit/audit.server";
import { db } from "~/db.server";
import { log } from "~/log.server";
import { notifyComplimentaryGranted } from "./emails.server";
import { lockMember } from "./subscriptions.server";

/**
 * The owner's member roster at /admin/members: who holds which tier in what state, and the
 * two things an owner changes there: complimentary memberships and curator roles.
 */

export const MEMBERS_PAGE_SIZE = 50;

export type RosterEntry = {
  id: string;
  name: string;
  email: string;
  role: Role;
  joinedAt: Date;
  deactivated: boolean;
  tier: { nameEn: string; nameRu: string } | null;
  status: SubscriptionStatus | null;
  /** Set when the member's last membership has ended. */
  endedAt: Date | null;
};

const ROW_ORDER = [{ endedAt: { sort: "desc", nulls: "first" } }, { startedAt: "desc" }] satisfies Prisma.SubscriptionOrderByWithRelationInput[];

export async function memberRoster({ q, page }: { q?: string; page: number }) {
  const search = q?.trim();
  const where: Prisma.UserWhereInput = search
    ? { OR: [{ name: { contains: search, mode: "insensitive" } }, { email: { contains: search, mode: "insensitive" } }] }
    : {};
  const [total, users] = await Promise.all([
    db.user.count({ where }),
    db.user.findMany({
      where,
      orderBy: [{ createdAt: "desc" }, { id: "asc" }],
      skip: (page - 1) * MEMBERS_PAGE_SIZE,
      take: MEMBERS_PAGE_SIZE,
      include: {
        subscriptions: {
          orderBy: ROW_ORDER,
          take: 5,
          include: { tier: { select: { nameEn: true, nameRu: true, position: true } } },
        },
      },
    }),
  ]);
  const members: RosterEntry[] = users.map((user) => {
    const open = user.subscriptions.filter((s) => !s.endedAt).sort((a, b) => b.tier.position - a.tier.position);
    const row = open[0] ?? user.subscriptions[0] ?? null;
    return {
      id: user.id,
      name: user.name,
      email: user.email,
      role: user.role,
      joinedAt: user.createdAt,
      deactivated: Boolean(user.deactivatedAt),
      tier: row ? { nameEn: row.tier.nameEn, nameRu: row.tier.nameRu } : null,
      status: row?.status ?? null,
      endedAt: row?.endedAt ?? null,
    };
  });
  return { members, total, page, pages: Math.max(1, Math.ceil(total / MEMBERS_PAGE_SIZE)) };
}

/** One member's billing as the owner sees it: every membership period and what they paid. */
export async function memberBillingRecord(userId: string) {
  const user = await db.user.findUnique({
    where: { id: userId },
    select: { id: true, name: true, email: true, role: true, createdAt: true, deactivatedAt: true, stripeCustomerId: true },
  });
  if (!user) return null;
  const [periods, paid] = await Promise.all([
    db.subscription.findMany({
      where: { userId },
      orderBy: ROW_ORDER,
      include: { tier: { select: { nameEn: true, nameRu: true } } },
    }),
    db.ledgerEntry.groupBy({ by: ["currency"], where: { userId }, _sum: { amount: true } }),
  ]);
  return {
    user,
    periods: periods.map((p) => ({
      id: p.id,
      tier: p.tier,
      status: p.status,
      interval: p.interval,
      amount: p.amount,
      currency: p.currency,
      startedAt: p.startedAt,
      endedAt: p.endedAt,
      // Cancelled at the period's end: still open, and ending on this date.
      endsAt: !p.endedAt && p.cancelAtPeriodEnd ? p.currentPeriodEnd : null,
      stripe: Boolean(p.stripeSubscriptionId),
    })),
    paid: paid.map((p) => ({ currency: p.currency, amount: p._sum.amount ?? 0 })),
    complimentary: periods.find((p) => p.status === "COMPLIMENTARY" && !p.endedAt) ?? null,
  };
}

export type OwnerActionResult = { ok: true } | { ok: false; error: string; status: 404 | 409 };

/**
 * Grants a complimentary membership of a tier: not billed, held until revoked. A member's
 * paid subscription, if any, goes on untouched; they hold the higher of the two tiers.
 */
export async function grantComplimentary(owner: User, userId: string, tierId: string): Promise<OwnerActionResult> {
  return db.$transaction(async (tx) => {
    const member = await lockMember(tx, { userId });
    if (!member || member.deactivatedAt) return { ok: false, error: "billing.members.notFound", status: 404 };
    const tier = await tx.tier.findFirst({ where: { id: tierId, archivedAt: null } });
    if (!tier) return { ok: false, error: "billing.join.chooseTier", status: 409 };
    const open = await tx.subscription.findMany({ where: { userId, status: "COMPLIMENTARY", endedAt: null } });
    if (open.some((s) => s.tierId === tier.id)) return { ok: false, error: "billing.members.alreadyComplimentary", status: 409 };
    const now = new Date();
    // A complimentary membership of another tier is replaced: one period ends, the next starts.
    await tx.subscription.updateMany({
      where: { id: { in: open.map((s) => s.id) } },
      data: { status: "CANCELED", endedAt: now },
    });
    const granted = await tx.subscription.create({
      data: { userId, tierId: tier.id, status: "COMPLIMENTARY", interval: null, amount: 0, currency: tier.currency, startedAt: now },
    });
    await recordAudit(tx, {
      actorId: owner.id,
      action: "member.complimentary",
      subjectType: "User",
      subjectId: userId,
      before: { complimentaryTierId: open[0]?.tierId ?? null },
      after: { change: "grant", complimentaryTierId: tier.id, subscriptionId: granted.id },
    });
    await notifyComplimentaryGranted(tx, member, tier);
    log.info("complimentary membership granted", { by: owner.id, userId, tierId: tier.id });
    return { ok: true };
  });
}

export async function revokeComplimentary(owner: User, userId: string): Promise<OwnerActionResult> {
  return db.$transaction(async (tx) => {
    const member = await lockMember(tx, { userId });
    if (!member) return { ok: false, error: "billing.members.notFound", status: 404 };
    const open = await tx.subscription.findMany({ where: { userId, status: "COMPLIMENTARY", endedAt: null }, select: { id: true, tierId: true } });
    const { count } = await tx.subscription.updateMany({
      where: { id: { in: open.map((s) => s.id) } },
      data: { status: "CANCELED", endedAt: new Date() },
    });
    if (!count) return { ok: false, error: "billing.members.noComplimentary", status: 409 };
    await recordAudit(tx, {
      actorId: owner.id,
      action: "member.complimentary",
      subjectType: "User",
      subjectId: userId,
      before: { complimentaryTierId: open[0].tierId },
      after: { change: "revoke", complimentaryTierId: null, subscriptionIds: open.map((s) => s.id) },
    });
    log.info("complimentary membership revoked", { by: owner.id, userId });
    return { ok: true };
  });
}

/** Owners make members curators and back. Owners themselves are not changed here. */
export async function changeMemberRole(owner: User, userId: string, role: "MEMBER" | "CURATOR"): Promise<OwnerActionResult> {
  return db.$transaction(async (tx) => {
    const member = await tx.user.findUnique({ where: { id: userId } });
    if (!member) return { ok: false, error: "billing.members.notFound", status: 404 } as const;
    if (member.role === "OWNER" || member.id === owner.id) return { ok: false, error: "billing.members.ownerRole", status: 409 } as const;
    if (member.role !== role) {
      await tx.user.update({ where: { id: userId }, data: { role } });
      await recordAudit(tx, { actorId: owner.id, action: "member.role", subjectType: "User", subjectId: userId, before: { role: member.role }, after: { role } });
      log.info("member role changed", { by: owner.id, userId, role });
    }
    return { ok: true } as const;
  });
}
