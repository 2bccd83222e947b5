import { randomBytes } from "node:crypto";
import { db, type Tx } from "~/db.server";
import { hashToken } from "~/auth/tokens.server";
import { botIdentity, isTelegramOn } from "./bot.server";

/**
 * Linking a member's Telegram: /account makes a one-time token (160+ bits, only its SHA-256
 * kept, 15 minutes, single use) inside a deep link `https://t.me/<bot>?start=<token>`; the
 * bot's /start <token> claims it (updates.server.ts).
 */
export const LINK_TOKEN_MINUTES = 15;

export async function createLinkToken(userId: string, now = new Date()): Promise<{ url: string; bot: string; expiresAt: Date }> {
  const token = randomBytes(24).toString("base64url");
  const expiresAt = new Date(now.getTime() + LINK_TOKEN_MINUTES * 60_000);
  const { username } = await botIdentity();
  await db.telegramLinkToken.create({ data: { tokenHash: hashToken(token), userId, expiresAt, createdAt: now } });
  return { url: `https://t.me/${username}?start=${token}`, bot: username, expiresAt };
}

export type LinkClaim = { outcome: "linked"; userId: string } | { outcome: "used" | "expired" | "unknown" };

/** Claims a token for a Telegram user: one conditional UPDATE decides, so a token links once. */
export async function claimLinkToken(
  tx: Tx,
  token: string,
  telegram: { userId: number; chatId: number; username?: string; firstName?: string },
  now = new Date(),
): Promise<LinkClaim> {
  const hash = hashToken(token);
  const [claimed] = await tx.$queryRaw<Array<{ userId: string }>>`
    UPDATE "TelegramLinkToken" SET "usedAt" = ${now}
    WHERE "tokenHash" = ${hash} AND "usedAt" IS NULL AND "expiresAt" > ${now}
    RETURNING "userId"`;
  if (!claimed) {
    const seen = await tx.telegramLinkToken.findUnique({ where: { tokenHash: hash } });
    return { outcome: !seen ? "unknown" : seen.usedAt ? "used" : "expired" };
  }
  const user = await tx.user.findUnique({ where: { id: claimed.userId }, select: { deactivatedAt: true } });
  if (!user || user.deactivatedAt) return { outcome: "unknown" };
  // One Telegram account belongs to one member: linking it here takes it from any other.
  await tx.telegramLink.deleteMany({ where: { telegramUserId: BigInt(telegram.userId), NOT: { userId: claimed.userId } } });
  const data = { telegramUserId: BigInt(telegram.userId), chatId: BigInt(telegram.chatId), username: telegram.username ?? null, firstName: telegram.firstName ?? null, linkedAt: now };
  await tx.telegramLink.upsert({ where: { userId: claimed.userId }, create: { userId: claimed.userId, ...data }, update: data });
  await queueAccessCheck(tx, claimed.userId);
  return { outcome: "linked", userId: claimed.userId };
}

/** Asks the telegram-access work to look at a member's gated chats again. */
export async function queueAccessCheck(tx: Tx | typeof db, userId: string): Promise<void> {
  await tx.$executeRaw`INSERT INTO "TelegramAccessCheck" ("userId") VALUES (${userId}) ON CONFLICT ("userId") DO NOTHING`;
}

export type TelegramAccountState = { on: false } | { on: true; bot: string | null; link: { username: string | null; firstName: string | null; linkedAt: Date } | null };

export async function telegramAccountState(userId: string): Promise<TelegramAccountState> {
  if (!isTelegramOn()) return { on: false };
  const link = await db.telegramLink.findUnique({ where: { userId }, select: { username: true, firstName: true, linkedAt: true } });
  const bot = await botIdentity().then((me) => me.username, () => null);
  return { on: true, bot, link };
}
