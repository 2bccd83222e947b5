import type { Locale } from "~/generated/prisma/client";
import { Prisma } from "~/generated/prisma/client";
import { db } from "~/db.server";
import type { Viewer } from "~/auth/guards.server";
import { generateToken, hashToken } from "~/auth/tokens.server";
import { sendVouchInvitation } from "./emails.server";

/**
 * Members bring in members: a member whose tier has a referral quota vouches for a
 * person by email. Each vouch uses up one place of the quota, for good.
 */
export async function vouchingQuota(viewer: Pick<Viewer, "user" | "membership">) {
  const quota = viewer.membership?.tier.referralQuota ?? 0;
  const used = await db.vouch.count({ where: { voucherId: viewer.user.id } });
  return { quota, used, remaining: Math.max(quota - used, 0) };
}

export async function vouchesBy(userId: string) {
  const vouches = await db.vouch.findMany({
    where: { voucherId: userId },
    orderBy: { createdAt: "desc" },
    include: { application: { select: { status: true } } },
  });
  return vouches.map((vouch) => ({
    id: vouch.id,
    name: vouch.name,
    email: vouch.email,
    createdAt: vouch.createdAt.toISOString(),
    applicationStatus: vouch.application?.status ?? null,
  }));
}

export type VouchInput = { name: string; email: string; note?: string; locale: Locale };

export type VouchResult =
  | { ok: true }
  | { ok: false; reason: "no-quota" | "quota-used" }
  | { ok: false; reason: "already-vouched"; field: "email" };

/**
 * Records the vouch and emails the invitation to apply. The voucher's row is locked
 * while the quota is counted, so two vouches sent at once cannot both take the last place.
 * A vouch for an email that already belongs to a member is answered, counted and listed
 * exactly like any other (so the form does not tell who is a member), but no invitation to
 * apply is sent to a member.
 */
export async function vouchFor(viewer: Pick<Viewer, "user" | "membership">, input: VouchInput): Promise<VouchResult> {
  const quota = viewer.membership?.tier.referralQuota ?? 0;
  if (quota <= 0) return { ok: false, reason: "no-quota" };
  const email = input.email.trim().toLowerCase();
  const token = generateToken();
  try {
    return await db.$transaction(async (tx) => {
      await tx.$queryRaw`SELECT "id" FROM "User" WHERE "id" = ${viewer.user.id} FOR UPDATE`;
      const used = await tx.vouch.count({ where: { voucherId: viewer.user.id } });
      if (used >= quota) return { ok: false, reason: "quota-used" } as const;
      const vouch = await tx.vouch.create({
        data: { voucherId: viewer.user.id, email, name: input.name, note: input.note ?? "", tokenHash: hashToken(token) },
      });
      const member = await tx.user.findUnique({ where: { email }, select: { id: true } });
      if (!member) await sendVouchInvitation(vouch, viewer.user.name, input.locale, token, tx);
      return { ok: true } as const;
    });
  } catch (error) {
    if (error instanceof Prisma.PrismaClientKnownRequestError && error.code === "P2002") {
      return { ok: false, reason: "already-vouched", field: "email" };
    }
    throw error;
  }
}

/** The vouch behind a link to /apply?vouch=…, with the voucher's name. */
export async function findVouch(token: string) {
  if (!/^[a-z2-7]{32}$/.test(token)) return null;
  const vouch = await db.vouch.findUnique({
    where: { tokenHash: hashToken(token) },
    include: { voucher: { select: { name: true } }, application: { select: { status: true } } },
  });
  if (!vouch) return null;
  return {
    voucherName: vouch.voucher.name,
    name: vouch.name,
    email: vouch.email,
    used: Boolean(vouch.application && vouch.application.status !== "UNVERIFIED"),
  };
}
