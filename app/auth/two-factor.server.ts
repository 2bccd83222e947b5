import type { Submission, SubmissionResult } from "@conform-to/react";
import { getTOTPAuthUri, verifyTOTP } from "@epic-web/totp";
import { encodeBase32UpperCaseNoPadding } from "@oslojs/encoding";
import { createCookie } from "@remix-run/node";
import QRCode from "qrcode";
import { recordAudit } from "~/audit/audit.server";
import { getClubSettings } from "~/club.server";
import { db, type Tx } from "~/db.server";
import { env } from "~/env.server";
import { INVALID_CODE } from "./two-factor-form";
import { reserveRateLimit, TWO_FACTOR_ATTEMPTS, type RateLimitState } from "./rate-limit.server";
import { generateToken, hashToken } from "./tokens.server";

/**
 * Two-factor sign-in: a TOTP authenticator (RFC 6238) and ten single-use recovery codes.
 * SHA-1, six digits, thirty seconds: what every authenticator app reads from a QR code.
 * A code is accepted for the current step or one step either side, and only for a step
 * after the last one accepted (`lastUsedStep`, moved by one conditional UPDATE), so a code
 * can never be used twice, not even by two requests at once.
 */
export const TOTP = { algorithm: "SHA-1", digits: 6, period: 30 } as const;
const WINDOW_STEPS = 1;
const RECOVERY_CODE_COUNT = 10;
const CHALLENGE_MINUTES = 10;

export type CodeCheck = { ok: true } | { ok: false; reason: "invalid" } | { ok: false; reason: "rate-limited"; state: RateLimitState };

/** What /account/two-factor shows. */
export type TwoFactorState =
  | { enabled: true; since: Date; recoveryCodesLeft: number }
  | { enabled: false; pending: { key: string; qrSvg: string } | null };

function currentStep(): number {
  return Math.floor(Date.now() / 1000 / TOTP.period);
}

/** The step a code belongs to (within the window), or null. Read again if the clock crossed a step meanwhile. */
async function stepOfCode(secret: string, code: string): Promise<number | null> {
  if (!/^\d{6}$/.test(code)) return null;
  for (let tries = 0; tries < 2; tries++) {
    const before = currentStep();
    const match = await verifyTOTP({ otp: code, secret, ...TOTP, window: WINDOW_STEPS });
    if (currentStep() === before) return match ? before + match.delta : null;
  }
  return null;
}

/** Takes a slot of the member's attempts, runs the check, and gives the slot back when the code was right. */
async function limitedAttempt(userId: string, attempt: () => Promise<boolean>): Promise<CodeCheck> {
  const reservation = await reserveRateLimit([[TWO_FACTOR_ATTEMPTS, [`user:${userId}`]]]);
  if (reservation.limited) return { ok: false, reason: "rate-limited", state: reservation };
  if (!(await attempt())) return { ok: false, reason: "invalid" };
  await reservation.release();
  return { ok: true };
}

/** Accepts a TOTP code of a confirmed authenticator once: the UPDATE's row count decides. */
async function spendTotpCode(client: Tx | typeof db, userId: string, code: string): Promise<boolean> {
  const credential = await client.twoFactorCredential.findUnique({ where: { userId }, select: { secret: true, confirmedAt: true } });
  if (!credential?.confirmedAt) return false;
  const step = await stepOfCode(credential.secret, code);
  if (step === null) return false;
  const count = await client.$executeRaw`
    UPDATE "TwoFactorCredential" SET "lastUsedStep" = ${step}
    WHERE "userId" = ${userId} AND "confirmedAt" IS NOT NULL AND ("lastUsedStep" IS NULL OR "lastUsedStep" < ${step})`;
  return count === 1;
}

/** Recovery codes are typed as shown ("abcde-fghij"), in any case, with or without the dash and spaces. */
function normalizeRecoveryCode(input: string): string | null {
  const code = input.toLowerCase().replace(/[\s-]/g, "");
  return /^[a-z2-7]{10}$/.test(code) ? code : null;
}

async function spendRecoveryCode(client: Tx | typeof db, userId: string, input: string): Promise<boolean> {
  const code = normalizeRecoveryCode(input);
  if (!code) return false;
  const count = await client.$executeRaw`
    UPDATE "TwoFactorRecoveryCode" SET "usedAt" = ${new Date()}
    WHERE "userId" = ${userId} AND "codeHash" = ${hashToken(code)} AND "usedAt" IS NULL`;
  return count === 1;
}

/** A six-digit code is the authenticator's; anything else is tried as a recovery code when those are allowed. */
async function spendCode(client: Tx | typeof db, userId: string, code: string, allowRecovery: boolean): Promise<boolean> {
  const trimmed = code.replace(/\s/g, "");
  if (/^\d{6}$/.test(trimmed)) return spendTotpCode(client, userId, trimmed);
  return allowRecovery && spendRecoveryCode(client, userId, code);
}

/** Ten fresh codes replace the old ones; only their SHA-256 is stored. Returns them to show once. */
async function replaceRecoveryCodes(tx: Tx, userId: string): Promise<string[]> {
  const codes = Array.from({ length: RECOVERY_CODE_COUNT }, () => {
    const code = generateToken(7).slice(0, 10);
    return `${code.slice(0, 5)}-${code.slice(5)}`;
  });
  await tx.twoFactorRecoveryCode.deleteMany({ where: { userId } });
  await tx.twoFactorRecoveryCode.createMany({
    data: codes.map((code) => ({ userId, codeHash: hashToken(normalizeRecoveryCode(code)!) })),
  });
  return codes;
}

export async function hasTwoFactor(userId: string): Promise<boolean> {
  const credential = await db.twoFactorCredential.findUnique({ where: { userId }, select: { confirmedAt: true } });
  return Boolean(credential?.confirmedAt);
}

/** The manual key as people type it: groups of four. */
export function groupKey(secret: string): string {
  return secret.replace(/(.{4})(?=.)/g, "$1 ");
}

export async function twoFactorState(user: { id: string; email: string }): Promise<TwoFactorState> {
  const credential = await db.twoFactorCredential.findUnique({ where: { userId: user.id } });
  if (credential?.confirmedAt) {
    const recoveryCodesLeft = await db.twoFactorRecoveryCode.count({ where: { userId: user.id, usedAt: null } });
    return { enabled: true, since: credential.confirmedAt, recoveryCodesLeft };
  }
  if (!credential) return { enabled: false, pending: null };
  const club = await getClubSettings();
  const uri = getTOTPAuthUri({ ...TOTP, secret: credential.secret, accountName: user.email, issuer: club.name });
  const qrSvg = await QRCode.toString(uri, { type: "svg", margin: 2 });
  return { enabled: false, pending: { key: groupKey(credential.secret), qrSvg } };
}

/**
 * Starts (or starts over) setting up an authenticator: a new secret of 160 bits, unconfirmed.
 * A confirmed authenticator is never replaced here: that takes turning it off, with a code.
 */
export async function beginTwoFactorSetup(userId: string): Promise<void> {
  const secret = encodeBase32UpperCaseNoPadding(crypto.getRandomValues(new Uint8Array(20)));
  await db.$executeRaw`
    INSERT INTO "TwoFactorCredential" ("userId", "secret", "createdAt") VALUES (${userId}, ${secret}, ${new Date()})
    ON CONFLICT ("userId") DO UPDATE SET "secret" = EXCLUDED."secret", "createdAt" = EXCLUDED."createdAt", "lastUsedStep" = NULL
    WHERE "TwoFactorCredential"."confirmedAt" IS NULL`;
}

/** The first code from the app confirms it; the recovery codes are made in the same transaction. */
export async function confirmTwoFactorSetup(userId: string, code: string): Promise<CodeCheck & { recoveryCodes?: string[] }> {
  let recoveryCodes: string[] = [];
  const check = await limitedAttempt(userId, () =>
    db.$transaction(async (tx) => {
      const credential = await tx.twoFactorCredential.findUnique({ where: { userId } });
      if (!credential || credential.confirmedAt) return false;
      const step = await stepOfCode(credential.secret, code.replace(/\s/g, ""));
      if (step === null) return false;
      const count = await tx.$executeRaw`
        UPDATE "TwoFactorCredential" SET "confirmedAt" = ${new Date()}, "lastUsedStep" = ${step}
        WHERE "userId" = ${userId} AND "secret" = ${credential.secret} AND "confirmedAt" IS NULL`;
      if (count !== 1) return false;
      recoveryCodes = await replaceRecoveryCodes(tx, userId);
      await recordAudit(tx, { actorId: userId, action: "two-factor.enable", subjectType: "User", subjectId: userId });
      return true;
    }),
  );
  return check.ok ? { ...check, recoveryCodes } : check;
}

/** New recovery codes (the old ones stop working), for a fresh authenticator code. */
export async function regenerateRecoveryCodes(userId: string, code: string): Promise<CodeCheck & { recoveryCodes?: string[] }> {
  let recoveryCodes: string[] = [];
  const check = await limitedAttempt(userId, () =>
    db.$transaction(async (tx) => {
      if (!(await spendCode(tx, userId, code, false))) return false;
      recoveryCodes = await replaceRecoveryCodes(tx, userId);
      await recordAudit(tx, { actorId: userId, action: "two-factor.recovery-codes", subjectType: "User", subjectId: userId });
      return true;
    }),
  );
  return check.ok ? { ...check, recoveryCodes } : check;
}

/** Turns two-factor sign-in off, for a fresh authenticator code or a recovery code. */
export async function disableTwoFactor(userId: string, code: string): Promise<CodeCheck> {
  return limitedAttempt(userId, () =>
    db.$transaction(async (tx) => {
      if (!(await spendCode(tx, userId, code, true))) return false;
      await tx.twoFactorCredential.delete({ where: { userId } });
      await tx.twoFactorRecoveryCode.deleteMany({ where: { userId } });
      await tx.twoFactorChallenge.deleteMany({ where: { userId } });
      await recordAudit(tx, { actorId: userId, action: "two-factor.disable", subjectType: "User", subjectId: userId });
      return true;
    }),
  );
}

// The sign-in's second step. Between the password and the code the browser holds a random
// token in its own cookie; the TwoFactorChallenge row holds only its SHA-256.
export const CHALLENGE_COOKIE = "coterie_two_factor";

function challengeCookie() {
  return createCookie(CHALLENGE_COOKIE, {
    httpOnly: true,
    sameSite: "lax",
    secure: env().NODE_ENV === "production",
    path: "/",
    maxAge: CHALLENGE_MINUTES * 60,
  });
}

/** After a right password of a member with two-factor sign-in: the challenge's Set-Cookie. */
export async function createTwoFactorChallenge(userId: string, redirectTo: string): Promise<string> {
  const token = generateToken();
  // The member's expired challenges go with each new one, so the table holds only live ones.
  await db.twoFactorChallenge.deleteMany({ where: { userId, expiresAt: { lt: new Date() } } });
  await db.twoFactorChallenge.create({
    data: { id: hashToken(token), userId, redirectTo, expiresAt: new Date(Date.now() + CHALLENGE_MINUTES * 60_000) },
  });
  return challengeCookie().serialize(token);
}

export async function clearChallengeCookie(): Promise<string> {
  return challengeCookie().serialize("", { maxAge: 0 });
}

export type Challenge = { id: string; userId: string; redirectTo: string | null };

/** This browser's unexpired challenge, or null. */
export async function readTwoFactorChallenge(request: Request): Promise<Challenge | null> {
  const token = await challengeCookie().parse(request.headers.get("Cookie"));
  if (typeof token !== "string" || !/^[a-z2-7]{32}$/.test(token)) return null;
  const challenge = await db.twoFactorChallenge.findFirst({
    where: { id: hashToken(token), expiresAt: { gt: new Date() } },
    select: { id: true, userId: true, redirectTo: true },
  });
  return challenge;
}

/**
 * Answers the challenge with an authenticator code, or a recovery code when `recovery`.
 * On success the challenge is gone (one DELETE: two requests cannot both pass it).
 */
export async function answerTwoFactorChallenge(challenge: Challenge, code: string, recovery: boolean): Promise<CodeCheck> {
  return limitedAttempt(challenge.userId, () =>
    db.$transaction(async (tx) => {
      const used = recovery ? await spendRecoveryCode(tx, challenge.userId, code) : await spendCode(tx, challenge.userId, code, false);
      if (!used) return false;
      const { count } = await tx.twoFactorChallenge.deleteMany({ where: { id: challenge.id, expiresAt: { gt: new Date() } } });
      if (count !== 1) throw new ChallengeGone();
      return true;
    }),
  );
}

/** The challenge expired or was answered by another request while this one checked its code. */
export class ChallengeGone extends Error {}

/**
 * A refused code as the form shows it, next to the code field: one message for a wrong, a
 * used and an old code; the eleventh try in ten minutes is a 429 with Retry-After.
 */
export function refusedCode(
  submission: Pick<Submission<unknown>, "reply">,
  check: Exclude<CodeCheck, { ok: true }>,
): { result: SubmissionResult<string[]>; init: ResponseInit } {
  if (check.reason === "rate-limited") {
    const minutes = Math.max(1, Math.ceil(check.state.retryAfterSeconds / 60));
    return {
      result: submission.reply({ fieldErrors: { code: [`twoFactor.rateLimited|{"minutes":${minutes}}`] }, hideFields: ["code"] }),
      init: { status: 429, headers: { "Retry-After": String(check.state.retryAfterSeconds) } },
    };
  }
  return { result: submission.reply({ fieldErrors: { code: [INVALID_CODE] }, hideFields: ["code"] }), init: { status: 400 } };
}
