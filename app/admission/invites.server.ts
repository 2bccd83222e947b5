import { randomUUID } from "node:crypto";
import type { Invite, Locale } from "~/generated/prisma/client";
import { Prisma } from "~/generated/prisma/client";
import { recordAudit } from "~/audit/audit.server";
import { db, type Tx } from "~/db.server";
import { hashPassword } from "~/auth/password.server";
import { createSession } from "~/auth/session.server";
import { generateToken, hashToken } from "~/auth/tokens.server";
import type { ConsentInput } from "~/club/consent-form";
import { ConsentRefused, recordConsent } from "~/club/consent.server";
import { toCsv } from "~/metrics/csv.server";
import { issueEmailVerification } from "./account-tokens.server";
import { sendApprovalInvite, sendInviteCode } from "./emails.server";
import { links } from "./links.server";
import { INVITES_PAGE_SIZE, type InviteFilter, type InviteSourceFilter } from "./lists";

/**
 * One mechanism for every way in: the link emailed on approval and the codes owners
 * issue. Either is redeemed at /invite/:token, exactly once: redemption is a single
 * conditional UPDATE whose row count decides who won.
 */
export type InviteState = "valid" | "expired" | "used" | "revoked";

export function inviteState(invite: Pick<Invite, "usedAt" | "revokedAt" | "expiresAt">, now = new Date()): InviteState {
  if (invite.usedAt) return "used";
  if (invite.revokedAt) return "revoked";
  if (invite.expiresAt.getTime() <= now.getTime()) return "expired";
  return "valid";
}

const DAY_MS = 24 * 60 * 60 * 1000;

/** Looks an invite up by the token or code in its link. Malformed tokens find nothing. */
export async function findInvite(token: string) {
  if (!/^[a-z2-7]{16,64}$/.test(token)) return null;
  return db.invite.findUnique({
    where: { tokenHash: hashToken(token) },
    include: { application: { select: { name: true, email: true, company: true, jobTitle: true, locale: true } } },
  });
}

/**
 * Marks the invite used if, at this instant, it is unused, unrevoked and unexpired.
 * Returns whether this call was the one that used it.
 */
export async function claimInvite(tx: Tx, inviteId: string, now = new Date()): Promise<boolean> {
  const count = await tx.$executeRaw`
    UPDATE "Invite" SET "usedAt" = ${now}
    WHERE "id" = ${inviteId} AND "usedAt" IS NULL AND "revokedAt" IS NULL AND "expiresAt" > ${now}`;
  return count === 1;
}

async function validityDays(tx: Tx) {
  const settings = await tx.clubSettings.findUnique({ where: { id: 1 }, select: { inviteValidityDays: true } });
  return settings?.inviteValidityDays ?? 14;
}

/** The single-use link sent when an application is approved; queued in the caller's transaction. */
export async function createApprovalInvite(
  tx: Tx,
  application: { id: string; email: string; name: string; locale: Locale },
  createdById: string,
) {
  const token = generateToken();
  const expiresAt = new Date(Date.now() + (await validityDays(tx)) * DAY_MS);
  const invite = await tx.invite.create({
    data: {
      source: "APPROVAL",
      tokenHash: hashToken(token),
      email: application.email,
      applicationId: application.id,
      createdById,
      emailedAt: new Date(),
      expiresAt,
    },
  });
  await sendApprovalInvite(application, token, expiresAt, tx);
  return { invite, token };
}

export type IssueCodesInput = {
  count: number;
  email?: string;
  validDays: number;
  note?: string;
  sendEmail: boolean;
  locale: Locale;
};

/** Owner-issued codes, one or many, sharing a batch. A code bound to an email can be emailed to it. */
export async function issueInviteCodes(input: IssueCodesInput, ownerId: string) {
  const batch = randomUUID();
  const expiresAt = new Date(Date.now() + input.validDays * DAY_MS);
  return db.$transaction(async (tx) => {
    const codes: string[] = [];
    for (let i = 0; i < input.count; i += 1) {
      const code = generateToken();
      const emailed = Boolean(input.email && input.sendEmail);
      await tx.invite.create({
        data: {
          source: "OWNER",
          tokenHash: hashToken(code),
          code,
          email: input.email ?? null,
          note: input.note ?? "",
          batch,
          createdById: ownerId,
          expiresAt,
          emailedAt: emailed ? new Date() : null,
        },
      });
      if (emailed && input.email) await sendInviteCode({ email: input.email, code, expiresAt }, input.locale, tx);
      codes.push(code);
    }
    // The codes and the address stay out of the log: a code is a key, an address is personal.
    await recordAudit(tx, {
      actorId: ownerId,
      action: "invite.create",
      subjectType: "InviteBatch",
      subjectId: batch,
      after: { source: "OWNER", count: input.count, validDays: input.validDays, boundToEmail: Boolean(input.email), emailed: Boolean(input.email && input.sendEmail) },
    });
    return { batch, codes, expiresAt };
  });
}

export async function revokeInvite(id: string, actorId: string): Promise<boolean> {
  return db.$transaction(async (tx) => {
    const { count } = await tx.invite.updateMany({ where: { id, usedAt: null, revokedAt: null }, data: { revokedAt: new Date() } });
    if (count !== 1) return false;
    const invite = await tx.invite.findUniqueOrThrow({ where: { id }, select: { source: true, batch: true, applicationId: true } });
    await recordAudit(tx, {
      actorId,
      action: "invite.revoke",
      subjectType: "Invite",
      subjectId: id,
      before: { state: "valid" },
      after: { state: "revoked", source: invite.source, batch: invite.batch, applicationId: invite.applicationId },
    });
    return true;
  });
}

export type RedeemInput = ConsentInput & {
  name?: string;
  email?: string;
  company?: string;
  jobTitle?: string;
  password: string;
  locale: Locale;
};

export type RedeemResult =
  | { ok: true; userId: string; sessionToken: string }
  | { ok: false; reason: "unknown" | "expired" | "used" | "revoked" }
  | { ok: false; reason: "email-taken" | "details-missing" }
  | { ok: false; reason: "consent"; consent: ConsentRefused["reason"] };

class InviteRefused extends Error {
  constructor(readonly state: Exclude<InviteState, "valid">) {
    super(state);
  }
}

/**
 * Turns an invite into a membership: creates the member, marks the invite used and
 * signs them in. For an approval invite the details (and the verified email) come
 * from the application; for an owner's code the invitee gives them, and an email
 * the club has not delivered to is verified by a link.
 */
export async function redeemInvite(token: string, input: RedeemInput, request?: Request): Promise<RedeemResult> {
  const invite = await findInvite(token);
  if (!invite) return { ok: false, reason: "unknown" };
  const state = inviteState(invite);
  if (state !== "valid") return { ok: false, reason: state };

  const application = invite.application;
  const email = (application?.email ?? invite.email ?? input.email ?? "").trim().toLowerCase();
  const name = (application?.name ?? input.name ?? "").trim();
  if (!email || !name) return { ok: false, reason: "details-missing" };
  const locale = application?.locale ?? input.locale;
  const emailVerified = Boolean(application || (invite.email && invite.emailedAt));

  if (await db.user.findUnique({ where: { email }, select: { id: true } })) return { ok: false, reason: "email-taken" };
  // Hashing is slow on purpose; it happens before the transaction holds any lock.
  const passwordHash = await hashPassword(input.password);

  let userId: string;
  try {
    userId = await db.$transaction(async (tx) => {
      const now = new Date();
      if (!(await claimInvite(tx, invite.id, now))) {
        const current = await tx.invite.findUniqueOrThrow({ where: { id: invite.id } });
        const after = inviteState(current, now);
        throw new InviteRefused(after === "valid" ? "used" : after);
      }
      const user = await tx.user.create({
        data: {
          email,
          name,
          company: application?.company ?? (input.company?.trim() || null),
          jobTitle: application?.jobTitle ?? (input.jobTitle?.trim() || null),
          locale,
          role: "MEMBER",
          passwordHash,
          emailVerifiedAt: emailVerified ? now : null,
        },
      });
      await tx.invite.update({ where: { id: invite.id }, data: { usedById: user.id } });
      // The rules and privacy notice accepted, with the versions the form showed.
      await recordConsent(tx, input, { userId: user.id }, now);
      if (!emailVerified) await issueEmailVerification(user, tx);
      return user.id;
    });
  } catch (error) {
    if (error instanceof InviteRefused) return { ok: false, reason: error.state };
    if (error instanceof ConsentRefused) return { ok: false, reason: "consent", consent: error.reason };
    if (error instanceof Prisma.PrismaClientKnownRequestError && error.code === "P2002") return { ok: false, reason: "email-taken" };
    throw error;
  }
  // The session is written once the membership exists; were it to fail, the member can still sign in.
  const { token: sessionToken } = await createSession(userId, request);
  return { ok: true, userId, sessionToken };
}


function filterWhere(filter: InviteFilter, source: InviteSourceFilter, now: Date): Prisma.InviteWhereInput {
  const bySource: Prisma.InviteWhereInput =
    source === "codes" ? { source: "OWNER" } : source === "approvals" ? { source: "APPROVAL" } : {};
  switch (filter) {
    case "active":
      return { ...bySource, usedAt: null, revokedAt: null, expiresAt: { gt: now } };
    case "used":
      return { ...bySource, usedAt: { not: null } };
    case "expired":
      return { ...bySource, usedAt: null, revokedAt: null, expiresAt: { lte: now } };
    case "revoked":
      return { ...bySource, usedAt: null, revokedAt: { not: null } };
    default:
      return bySource;
  }
}

export async function listInvites({
  filter,
  source,
  batch,
  page,
}: {
  filter: InviteFilter;
  source: InviteSourceFilter;
  batch?: string | null;
  page: number;
}) {
  const now = new Date();
  const where: Prisma.InviteWhereInput = { ...filterWhere(filter, source, now), ...(batch ? { batch } : {}) };
  const [total, rows] = await Promise.all([
    db.invite.count({ where }),
    db.invite.findMany({
      where,
      orderBy: { createdAt: "desc" },
      skip: (page - 1) * INVITES_PAGE_SIZE,
      take: INVITES_PAGE_SIZE,
      include: {
        usedBy: { select: { name: true, email: true } },
        createdBy: { select: { name: true } },
        application: { select: { id: true, name: true } },
        appliedWith: { select: { id: true, name: true } },
      },
    }),
  ]);
  return {
    total,
    invites: rows.map((invite) => ({
      id: invite.id,
      source: invite.source,
      code: invite.code,
      link: invite.code ? links.invite(invite.code) : null,
      email: invite.email,
      emailed: Boolean(invite.emailedAt),
      note: invite.note,
      batch: invite.batch,
      state: inviteState(invite, now),
      expiresAt: invite.expiresAt.toISOString(),
      createdAt: invite.createdAt.toISOString(),
      usedAt: invite.usedAt?.toISOString() ?? null,
      usedBy: invite.usedBy ? `${invite.usedBy.name} <${invite.usedBy.email}>` : null,
      application: invite.application ?? invite.appliedWith ?? null,
      createdBy: invite.createdBy?.name ?? null,
    })),
  };
}

/** The owner's codes as CSV (all of them, or one batch), newest first. */
export async function invitesCsv({ batch, filter = "all" }: { batch?: string | null; filter?: InviteFilter } = {}) {
  const now = new Date();
  const invites = await db.invite.findMany({
    where: { ...filterWhere(filter, "codes", now), ...(batch ? { batch } : {}) },
    orderBy: { createdAt: "desc" },
    include: { usedBy: { select: { email: true } }, appliedWith: { select: { email: true } } },
  });
  const header = ["code", "link", "email", "note", "status", "expires_at", "created_at", "used_at", "used_by", "batch"];
  // toCsv: quoting, no spreadsheet formulas, and the byte-order mark Excel needs to read Cyrillic.
  return toCsv(
    header,
    invites.map((invite) => [
      invite.code,
      invite.code ? links.invite(invite.code) : "",
      invite.email,
      invite.note,
      inviteState(invite, now),
      invite.expiresAt.toISOString(),
      invite.createdAt.toISOString(),
      invite.usedAt?.toISOString() ?? "",
      invite.usedBy?.email ?? invite.appliedWith?.email ?? "",
      invite.batch,
    ]),
  );
}
