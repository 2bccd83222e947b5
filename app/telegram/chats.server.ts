import { GrammyError } from "grammy";
import { recordAudit } from "~/audit/audit.server";
import { db, type Tx } from "~/db.server";
import { env } from "~/env.server";
import { currentMembership } from "~/billing/access.server";
import { translator, type MessageKey } from "~/i18n/dictionary";
import { log } from "~/log.server";
import { botIdentity, telegramApi } from "./bot.server";
import { queueTelegramMessage } from "./outbox.server";

/**
 * Tier-gated Telegram chats. A linked, active member whose tier is one of a chat's tiers gets
 * a single-use invite link; one who is not (lapsed after the grace period, downgraded,
 * unlinked, account closed) is taken out (ban, then unban so they may rejoin later) and told
 * why. `settleMember` is the one place that decides, under a per-member advisory lock and from
 * our own row's state, so repeating it changes nothing: billing's changes queue it (a trigger
 * on Subscription fills TelegramAccessCheck), and the nightly reconciliation runs it for every
 * linked member asking Telegram where they really are.
 */
export const REQUIRED_RIGHTS = ["can_invite_users", "can_restrict_members"] as const;

type Reason = "lapsed" | "unlinked" | "deactivated";
const IN_CHAT = new Set(["member", "administrator", "creator", "restricted"]);

export type LinkChatResult = { ok: true; chatId: string } | { ok: false; field: "chatRef" | "tierIds"; message: MessageKey; values?: Record<string, string> };

/** Links a group or channel after checking the bot is an administrator there with the rights it needs. */
export async function linkTelegramChat(input: { chatRef: string; tierIds: string[]; ownerId: string; locale: "en" | "ru" }): Promise<LinkChatResult> {
  const t = translator(input.locale);
  const ref = input.chatRef.trim();
  if (!/^(-?\d{5,20}|@[A-Za-z0-9_]{5,32})$/.test(ref)) return { ok: false, field: "chatRef", message: "telegram.admin.error.chatId" };
  if (!input.tierIds.length) return { ok: false, field: "tierIds", message: "telegram.admin.error.tiers" };
  const api = telegramApi();
  try {
    const chat = await api.getChat(ref);
    if (chat.type === "private") return { ok: false, field: "chatRef", message: "telegram.admin.error.private" };
    const me = await botIdentity();
    const member = await api.getChatMember(chat.id, me.id);
    const rights = member as unknown as Record<string, unknown>;
    const missing = REQUIRED_RIGHTS.filter((right) => member.status !== "creator" && rights[right] !== true).map((right) => t(`telegram.admin.right.${right}`));
    if (member.status !== "administrator" && member.status !== "creator") {
      return { ok: false, field: "chatRef", message: "telegram.admin.error.notAdmin", values: { missing: REQUIRED_RIGHTS.map((r) => t(`telegram.admin.right.${r}`)).join(", ") } };
    }
    if (missing.length) return { ok: false, field: "chatRef", message: "telegram.admin.error.missing", values: { missing: missing.join(", ") } };
    const title = "title" in chat && chat.title ? chat.title : ref;
    const saved = await db.$transaction(async (tx) => {
      const before = await tx.telegramChat.findUnique({ where: { telegramChatId: BigInt(chat.id) }, include: { tiers: { select: { tierId: true } } } });
      const row = await tx.telegramChat.upsert({
        where: { telegramChatId: BigInt(chat.id) },
        create: { telegramChatId: BigInt(chat.id), title, type: chat.type, linkedById: input.ownerId },
        update: { title, type: chat.type },
      });
      await tx.telegramChatTier.deleteMany({ where: { chatId: row.id } });
      await tx.telegramChatTier.createMany({ data: input.tierIds.map((tierId) => ({ chatId: row.id, tierId })) });
      await tx.telegramChatLog.create({ data: { chatId: row.id, userId: input.ownerId, action: "LINKED" } });
      await recordAudit(tx, {
        actorId: input.ownerId,
        action: "telegram.chat",
        subjectType: "TelegramChat",
        subjectId: row.id,
        before: before ? { linked: true, tierIds: before.tiers.map((t) => t.tierId) } : { linked: false },
        after: { change: "link", linked: true, telegramChatId: String(chat.id), type: chat.type, tierIds: input.tierIds },
      });
      // Every linked member is looked at again for this chat.
      await tx.$executeRaw`INSERT INTO "TelegramAccessCheck" ("userId") SELECT "userId" FROM "TelegramLink" ON CONFLICT DO NOTHING`;
      return row;
    });
    return { ok: true, chatId: saved.id };
  } catch (error) {
    if (error instanceof GrammyError && error.error_code === 400) return { ok: false, field: "chatRef", message: "telegram.admin.error.notFound" };
    log.warn("telegram chat check failed", { error: (error as Error).message });
    return { ok: false, field: "chatRef", message: "telegram.admin.error.unreachable" };
  }
}

/** Brings one member's standing in every gated chat in line with their entitlement. */
/** `unlinking`: the member is unlinking now; they leave every chat while the link still says who they are. */
export async function settleMember(userId: string, { askTelegram = false, unlinking = false } = {}): Promise<void> {
  const chats = await db.telegramChat.findMany({ include: { tiers: true } });
  if (!chats.length) return;
  const api = telegramApi();
  await db.$transaction(
    async (tx) => {
      await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext(${`telegram-member:${userId}`}))`;
      const user = await tx.user.findUnique({ where: { id: userId }, select: { name: true, locale: true, deactivatedAt: true } });
      const link = await tx.telegramLink.findUnique({ where: { userId } });
      const membership = user && !user.deactivatedAt ? await currentMembership(userId, new Date(), tx) : null;
      const t = translator(user?.locale === "ru" ? "ru" : "en");
      for (const chat of chats) {
        const entitled = Boolean(!unlinking && link && membership && chat.tiers.some((tier) => tier.tierId === membership.tier.id));
        const row = await tx.telegramChatMember.findUnique({ where: { chatId_userId: { chatId: chat.id, userId } } });
        let inChat: boolean | null = null;
        if (askTelegram && link) {
          const member = await api.getChatMember(String(chat.telegramChatId), Number(link.telegramUserId));
          inChat = IN_CHAT.has(member.status);
        }
        if (entitled && link) {
          if (inChat === true && row?.status !== "JOINED") {
            await tx.telegramChatMember.upsert({ where: { chatId_userId: { chatId: chat.id, userId } }, create: { chatId: chat.id, userId, status: "JOINED" }, update: { status: "JOINED" } });
            await tx.telegramChatLog.create({ data: { chatId: chat.id, userId, action: "JOINED" } });
            continue;
          }
          const needsLink = !row || row.status === "REMOVED" || (inChat === false && row.status === "JOINED");
          if (!needsLink) continue;
          const invite = await api.createChatInviteLink(String(chat.telegramChatId), { member_limit: 1, name: `coterie ${userId}`.slice(0, 32) });
          await tx.telegramChatMember.upsert({
            where: { chatId_userId: { chatId: chat.id, userId } },
            create: { chatId: chat.id, userId, status: "INVITED", inviteLink: invite.invite_link },
            update: { status: "INVITED", inviteLink: invite.invite_link },
          });
          await tx.telegramChatLog.create({ data: { chatId: chat.id, userId, action: "GRANTED" } });
          await queueTelegramMessage(tx, {
            chatId: link.chatId,
            userId,
            purpose: "CHAT_INVITE",
            text: t("telegram.bot.invite", { chat: chat.title }),
            buttons: [{ label: t("telegram.bot.join", { chat: chat.title }), url: invite.invite_link }],
          });
          continue;
        }
        const holds = row && row.status !== "REMOVED";
        if (!holds && inChat !== true) continue;
        const reason: Reason = !user || user.deactivatedAt ? "deactivated" : !link || unlinking ? "unlinked" : "lapsed";
        await removeFromChat(tx, api, chat, userId, link?.telegramUserId ?? null, row?.inviteLink ?? null);
        await tx.telegramChatLog.create({ data: { chatId: chat.id, userId, action: "REMOVED", reason } });
        if (link) {
          await queueTelegramMessage(tx, {
            chatId: link.chatId,
            userId,
            purpose: "CHAT_REMOVAL",
            text: t("telegram.bot.removed", { chat: chat.title, reason: t(`telegram.reason.${reason}`) }),
            buttons: [{ label: t("telegram.bot.rejoin"), url: new URL("/billing", env().APP_URL).toString() }],
          });
        }
      }
    },
    { timeout: 60_000, maxWait: 10_000 },
  );
}

async function removeFromChat(
  tx: Tx,
  api: ReturnType<typeof telegramApi>,
  chat: { id: string; telegramChatId: bigint },
  userId: string,
  telegramUserId: bigint | null,
  inviteLink: string | null,
) {
  const chatRef = String(chat.telegramChatId);
  if (inviteLink) await api.revokeChatInviteLink(chatRef, inviteLink).catch(() => {});
  if (telegramUserId !== null) {
    await api.banChatMember(chatRef, Number(telegramUserId));
    await api.unbanChatMember(chatRef, Number(telegramUserId), { only_if_banned: true });
  }
  await tx.telegramChatMember.upsert({
    where: { chatId_userId: { chatId: chat.id, userId } },
    create: { chatId: chat.id, userId, status: "REMOVED" },
    update: { status: "REMOVED", inviteLink: null },
  });
}

/** Works off the members billing (or linking) queued; a failure puts the member back in the queue. */
export async function processAccessChecks(limit = 100): Promise<number> {
  const due = await db.$queryRaw<Array<{ userId: string }>>`
    DELETE FROM "TelegramAccessCheck" WHERE "userId" IN (
      SELECT "userId" FROM "TelegramAccessCheck" ORDER BY "queuedAt" LIMIT ${limit} FOR UPDATE SKIP LOCKED)
    RETURNING "userId"`;
  for (const { userId } of due) {
    try {
      await settleMember(userId);
    } catch (error) {
      await db.$executeRaw`INSERT INTO "TelegramAccessCheck" ("userId") VALUES (${userId}) ON CONFLICT DO NOTHING`;
      log.warn("telegram access check failed", { userId, error: (error as Error).message });
    }
  }
  return due.length;
}

/**
 * The nightly reconciliation: every linked member and everyone we ever let into a chat,
 * compared with what Telegram says and with their entitlement now (a grace period that ran
 * out changes no row, so only this notices it).
 */
export async function reconcileTelegramChats(): Promise<number> {
  const rows = await db.$queryRaw<Array<{ userId: string }>>`
    SELECT "userId" FROM "TelegramLink" UNION SELECT "userId" FROM "TelegramChatMember" WHERE "status" <> 'REMOVED'`;
  for (const { userId } of rows) {
    try {
      await settleMember(userId, { askTelegram: true });
    } catch (error) {
      log.warn("telegram reconcile failed", { userId, error: (error as Error).message });
    }
  }
  return rows.length;
}
