import type { Locale, Prisma, RoadmapStatus } from "../../app/generated/prisma/client";
import { links } from "../../app/admission/links.server";
import { generateToken, hashToken } from "../../app/auth/tokens.server";
import { getClubSettings } from "../../app/club.server";
import { db } from "../../app/db.server";
import { emailBodies } from "../../app/email/email.server";
import { env } from "../../app/env.server";
import { translator } from "../../app/i18n/dictionary";
import { formatDate, formatMoney } from "../../app/i18n/format";
import { emailFor, type Notice } from "../../app/notifications/messages.server";
import { CRITERIA } from "./admission";
import { periodStartOf } from "./calendar";
import { random } from "./random";
import { MEMBERS } from "./foundation";
import { AddressBook, COMPANIES } from "./people";

/**
 * The year behind the demo club, written after every other step (it reads what they wrote):
 * - every member came in through admission: an application a few weeks before they joined,
 *   verified within hours, scored by the owner and the curator, approved, and the approval's
 *   invitation used on the day they joined;
 * - the outbox holds what the club sent over that time, each in its recipient's language and
 *   dated when it was sent: verification and approval emails, vouches, invitation codes and
 *   decisions on the open applications, welcomes and receipts for every paid invoice, plan
 *   changes, cancellations, endings and complimentary memberships, failed payments, forum
 *   replies and mentions, roadmap status changes to voters and authors, weekly digests.
 *   They are marked sent and have no delivery job: history, not mail to deliver.
 * Texts come from the same message keys and layout as the live emails (notifications through
 * `emailFor`, everything through `emailBodies`). Deterministic but for tokens; runs once
 * (its applications' ids start with "history-").
 */

const DAY = 86_400_000;
const HOUR = 3_600_000;
const ID = "history-";


const EXPERTISE: Record<Locale, string[]> = {
  en: [
    "I run the platform team behind our customer-facing services: Kubernetes in two regions, zero-trust access, on-call for both.",
    "Detection engineering and incident response for a regulated business; I led our move of the SIEM to the cloud.",
    "Security architecture for payment flows, PCI DSS scoping, threat modelling with product teams.",
    "SRE for a high-traffic platform: capacity planning, chaos testing, SLOs that the business signs off.",
  ],
  ru: [
    "Руковожу платформенной командой: Kubernetes в двух регионах, доступ по модели нулевого доверия, дежурства.",
    "Выстраивал мониторинг и реагирование на инциденты в регулируемой отрасли, переносил SIEM в облако.",
    "Архитектура безопасности платёжных сервисов, PCI DSS, моделирование угроз вместе с продуктовыми командами.",
    "SRE высоконагруженной платформы: планирование мощностей, хаос-тестирование, SLO, согласованные с бизнесом.",
  ],
};
const COMMUNITY: Record<Locale, string[]> = {
  en: ["Happy to mentor engineers moving into security.", "I can host a session on our migration.", "Open roles in my team each quarter."],
  ru: ["Готов менторить инженеров, которые приходят в безопасность.", "Могу рассказать о нашей миграции на встрече клуба.", "Каждый квартал открываем вакансии в команду."],
};
const REVIEW_NOTES: Record<Locale, string[]> = {
  en: ["Strong fit for the working group.", "Good expertise; ask about time for mentoring.", "Yes.", ""],
  ru: ["Сильная кандидатура.", "Хороший опыт, уточнить время на менторство.", "Да.", ""],
};

type EmailRow = Prisma.EmailCreateManyInput;

export async function seedClubHistory(now = new Date()) {
  if (await db.application.count({ where: { id: { startsWith: ID } } })) return;
  const rand = random(20261204);
  const between = (lo: number, hi: number) => lo + rand() * (hi - lo);
  const pick = <T>(list: readonly T[]) => list[Math.floor(rand() * list.length)];
  const nowMs = now.getTime();
  const settings = await getClubSettings();
  const club = settings.name;
  const zone = settings.timeZone;
  const longDate = (locale: Locale, at: Date) => formatDate(locale, at, { dateStyle: "long" }, zone);
  const staffRows = await db.user.findMany({ where: { email: { in: ["owner@coterie.club", "curator@coterie.club"] } } });
  const owner = staffRows.find((u) => u.role === "OWNER");
  const curator = staffRows.find((u) => u.role === "CURATOR");
  if (!owner || !curator) return;

  const emails: EmailRow[] = [];
  const mail = (
    at: number,
    to: { email: string; locale: Locale; id?: string | null },
    message: { template: string; subject: string; text: string; action?: { label: string; url: string } },
  ) => {
    if (at >= nowMs) return;
    const { text, html } = emailBodies({ ...message, locale: to.locale }, club);
    emails.push({
      to: to.email,
      userId: to.id ?? null,
      locale: to.locale,
      template: message.template,
      subject: message.subject,
      text,
      html,
      status: "SENT",
      attempts: 1,
      createdAt: new Date(at),
      sentAt: new Date(at + between(2, 40) * 1000),
    });
  };

  // 1. Every member's way in, ending on the day they joined.
  const people = await db.user.findMany({
    include: { subscriptions: { orderBy: { startedAt: "asc" }, include: { tier: true } }, ledgerEntries: { orderBy: { occurredAt: "asc" } } },
    orderBy: { createdAt: "asc" },
  });
  const members = people.filter((p) => p.role === "MEMBER");
  const applications: Prisma.ApplicationCreateManyInput[] = [];
  const answers: Prisma.ApplicationAnswerCreateManyInput[] = [];
  const reviews: Prisma.ApplicationReviewCreateManyInput[] = [];
  const scores: Prisma.ReviewScoreCreateManyInput[] = [];
  const decisions: Prisma.ApplicationDecisionCreateManyInput[] = [];
  const invites: Prisma.InviteCreateManyInput[] = [];
  // About a third of the members came through another member's vouch (the network effect the
  // dashboard measures). A stream of its own, so the rest of the history stays as it was.
  const vouches: Prisma.VouchCreateManyInput[] = [];
  const vouchRand = random(20261203);
  const addresses = new AddressBook();
  for (const row of [...people, ...(await db.application.findMany({ select: { email: true } })), ...(await db.vouch.findMany({ select: { email: true } }))]) addresses.reserve(row.email);
  const joinedAt: Array<{ id: string; at: number }> = [];
  const namedIds = new Set(people.filter((p) => MEMBERS.some((m) => m.email === p.email)).map((p) => p.id));
  const validityDays = settings.inviteValidityDays;
  let admitted = 0;
  for (const member of people) {
    // Staff did not apply; they pay like everyone else (section 2).
    if (member.role === "MEMBER") {
      const joined = (member.subscriptions[0]?.startedAt ?? member.createdAt).getTime();
      admitted += 1;
      const id = `${ID}${String(admitted).padStart(4, "0")}`;
      const decided = joined - between(0.5, Math.min(6, validityDays - 1)) * DAY;
      const submitted = decided - between(6, 24) * DAY;
      const verified = submitted + between(0.2, 7) * HOUR;
      const t = translator(member.locale);
      const application = { email: member.email, name: member.name, locale: member.locale };
      // A voucher: a member who had been in the club for a month when the vouch was made.
      const vouchedAt = submitted - (1 + vouchRand() * 9) * DAY;
      const eligible = joinedAt.filter((m) => m.at < vouchedAt - 30 * DAY);
      const voucher = vouchRand() < 0.35 && eligible.length ? eligible[Math.floor(vouchRand() * eligible.length)] : null;
      if (voucher) {
        vouches.push({ id: `${id}-vouch`, voucherId: voucher.id, email: member.email, name: member.name, tokenHash: hashToken(generateToken()), createdAt: new Date(vouchedAt) });
      }
      // About as many vouches again led nowhere: the person never applied. Their names are
      // English ones of the club's own making (first and last names of different members), at a
      // company's address, so nobody real is named.
      if (eligible.length && vouchRand() < 0.55) {
        const english = members.filter((p) => p.locale === "en");
        const first = english[Math.floor(vouchRand() * english.length)].name.split(" ")[0];
        const last = english[Math.floor(vouchRand() * english.length)].name.split(" ").slice(1).join(" ");
        const company = COMPANIES.en[Math.floor(vouchRand() * COMPANIES.en.length)];
        const { email } = addresses.assign(first, last, company, COMPANIES.en);
        // Never one of the demo's named members: their vouching allowance is the visitor's to try.
        const unnamed = eligible.filter((m) => !namedIds.has(m.id));
        const by = (unnamed.length ? unnamed : eligible)[Math.floor(vouchRand() * (unnamed.length || eligible.length))];
        vouches.push({ id: `${id}-vouch-unanswered`, voucherId: by.id, email, name: `${first} ${last}`, tokenHash: hashToken(generateToken()), createdAt: new Date(vouchedAt - vouchRand() * 20 * DAY) });
      }
      joinedAt.push({ id: member.id, at: joined });
      applications.push({
        id,
        vouchId: voucher ? `${id}-vouch` : null,
        email: member.email,
        name: member.name,
        company: member.company ?? "",
        jobTitle: member.jobTitle ?? "",
        locale: member.locale,
        status: "APPROVED",
        accessTokenHash: hashToken(generateToken()),
        consentedAt: new Date(submitted),
        emailVerifiedAt: new Date(verified),
        createdAt: new Date(submitted),
        updatedAt: new Date(decided),
      });
      const scale = 3 + Math.floor(rand() * 3);
      answers.push(
        { applicationId: id, criterionId: CRITERIA[0].id, value: String(scale) },
        { applicationId: id, criterionId: CRITERIA[1].id, value: pick(EXPERTISE[member.locale]) },
        { applicationId: id, criterionId: CRITERIA[2].id, value: String(Math.floor(rand() * 4)) },
      );
      const answeredCommunity = rand() < 0.7;
      if (answeredCommunity) answers.push({ applicationId: id, criterionId: CRITERIA[3].id, value: pick(COMMUNITY[member.locale]) });
      // Both staff score, between the verification and the decision, the curator usually first.
      const reviewers = rand() < 0.7 ? [curator, owner] : [owner, curator];
      const span = decided - verified;
      reviewers.forEach((reviewer, index) => {
        const at = verified + span * (index === 0 ? between(0.1, 0.5) : between(0.55, 0.95));
        const reviewId = `${id}-review-${index + 1}`;
        reviews.push({
          id: reviewId,
          applicationId: id,
          reviewerId: reviewer.id,
          comment: pick(REVIEW_NOTES[reviewer.locale]),
          createdAt: new Date(at),
          updatedAt: new Date(at + between(1, 30) * 60_000),
        });
        for (const [i, criterion] of CRITERIA.entries()) {
          if (i === 3 && !answeredCommunity) continue;
          scores.push({ reviewId, criterionId: criterion.id, score: Math.max(3, Math.min(5, scale + Math.round(between(-1, 1)))) });
        }
      });
      decisions.push({ id: `${id}-decision`, applicationId: id, kind: "APPROVE", decidedById: rand() < 0.6 ? owner.id : curator.id, createdAt: new Date(decided) });
      const token = generateToken();
      const expires = new Date(decided + validityDays * DAY);
      invites.push({
        id: `${id}-invite`,
        source: "APPROVAL",
        tokenHash: hashToken(token),
        email: member.email,
        applicationId: id,
        createdById: owner.id,
        emailedAt: new Date(decided),
        expiresAt: expires,
        usedAt: new Date(joined),
        usedById: member.id,
        createdAt: new Date(decided),
      });
      mail(submitted + between(5, 50) * 1000, application, {
        template: "application-verify",
        subject: t("admission.email.verify.subject", { club }),
        text: t("admission.email.verify.body", { name: member.name, club }),
        action: { label: t("admission.email.verify.action"), url: links.applicationVerify(generateToken(), member.locale) },
      });
      mail(decided + between(5, 50) * 1000, application, {
        template: "application-approved",
        subject: t("admission.email.approved.subject", { club }),
        text: t("admission.email.approved.body", { name: member.name, club, expires: longDate(member.locale, expires) }),
        action: { label: t("admission.email.approved.action"), url: links.invite(token, member.locale) },
      });
    }

    // 2. Billing: a welcome with the first receipt, a receipt for every later invoice, failed payments.
    const t = translator(member.locale);
    const to = { email: member.email, locale: member.locale, id: member.id };
    const date = (at: Date) => longDate(member.locale, at);
    const money = (amount: number, currency: string) => formatMoney(member.locale, amount, currency);
    member.ledgerEntries
      .filter((entry) => entry.kind === "INVOICE_PAID")
      .forEach((entry, index) => {
        const row = member.subscriptions.find((s) => s.id === entry.subscriptionId);
        const tierName = row ? (member.locale === "ru" ? row.tier.nameRu : row.tier.nameEn) : null;
        const lines = [
          `${t("billing.email.receipt.item")}: ${tierName ? t("billing.history.invoice", { tier: tierName }) : t("billing.history.membership")}`,
          `${t("billing.email.receipt.amount")}: ${money(entry.amount, entry.currency)}`,
          `${t("billing.email.receipt.paidOn")}: ${date(entry.occurredAt)}`,
          ...(entry.periodStart && entry.periodEnd
            ? [`${t("billing.email.receipt.period")}: ${t("billing.history.period", { from: date(entry.periodStart), to: date(entry.periodEnd) })}`]
            : []),
          `${t("billing.email.receipt.invoice")}: ${entry.stripeInvoiceId ?? entry.id}`,
        ].join("\n");
        const welcome = index === 0;
        const renewal = !welcome && row && entry.periodStart && entry.periodStart.getTime() > row.startedAt.getTime() + DAY;
        const intro = welcome
          ? t(tierName ? "billing.email.welcome.body" : "billing.email.welcome.bodyNoTier", { name: member.name, tier: tierName ?? "" })
          : t(renewal ? "billing.email.renewal.body" : "billing.email.receipt.body", { name: member.name });
        mail(entry.occurredAt.getTime() + between(20, 120) * 1000, to, {
          template: welcome ? "billing-welcome" : renewal ? "billing-renewal-receipt" : "billing-receipt",
          subject: t(welcome ? "billing.email.welcome.subject" : renewal ? "billing.email.renewal.subject" : "billing.email.receipt.subject"),
          text: `${intro}\n\n${lines}`,
          action: { label: t("billing.email.receipt.action"), url: `${env().APP_URL}/billing` },
        });
      });
    // Plan changes, cancellations and endings, and complimentary memberships, as billing sends them.
    const name = (tier: { nameEn: string; nameRu: string }) => (member.locale === "ru" ? tier.nameRu : tier.nameEn);
    member.subscriptions.forEach((row, index) => {
      if (row.status === "COMPLIMENTARY") {
        // The owner's own membership is not a gift to her.
        if (member.role === "OWNER") return;
        mail(row.startedAt.getTime() + between(20, 120) * 1000, to, {
          template: "billing-complimentary",
          subject: t("billing.email.complimentary.subject"),
          text: t("billing.email.complimentary.body", { name: member.name, tier: name(row.tier) }),
          action: { label: t("billing.email.complimentary.action"), url: `${env().APP_URL}/billing` },
        });
        return;
      }
      if (!row.endedAt) return;
      const next = member.subscriptions[index + 1];
      if (next && next.startedAt.getTime() === row.endedAt.getTime()) {
        const price = t(next.interval === "YEAR" ? "billing.perYear" : "billing.perMonth", { price: money(next.amount, next.currency) });
        const paragraphs = [t("billing.email.planChanged.body", { name: member.name, from: name(row.tier), to: name(next.tier), price })];
        if (next.interval) paragraphs.push(t("billing.email.planChanged.renews", { date: date(periodStartOf(next.startedAt, next.interval, 1)) }));
        paragraphs.push(t("billing.email.planChanged.invoice"));
        mail(row.endedAt.getTime() + between(5, 15) * 1000, to, {
          template: "billing-plan-changed",
          subject: t("billing.email.planChanged.subject", { tier: name(next.tier) }),
          text: paragraphs.join("\n\n"),
          action: { label: t("billing.email.receipt.action"), url: `${env().APP_URL}/billing` },
        });
      } else if (row.cancelAtPeriodEnd && row.currentPeriodStart) {
        // Cancelled during the last period, which then ran out: confirmed with the day access ends.
        const from = row.currentPeriodStart.getTime();
        mail(from + (row.endedAt.getTime() - from) * between(0.2, 0.8), to, {
          template: "billing-canceled",
          subject: t("billing.email.canceled.subject"),
          text: t("billing.email.canceled.body", { name: member.name, tier: name(row.tier), date: date(row.endedAt) }),
          action: { label: t("billing.email.canceled.action"), url: `${env().APP_URL}/billing` },
        });
      } else {
        mail(row.endedAt.getTime() + between(20, 120) * 1000, to, {
          template: "billing-ended",
          subject: t("billing.email.ended.subject"),
          text: t("billing.email.ended.canceled", { name: member.name, tier: name(row.tier), date: date(row.endedAt) }),
          action: { label: t("billing.email.ended.action"), url: `${env().APP_URL}/billing/join` },
        });
      }
    });
    for (const row of member.subscriptions.filter((s) => s.pastDueSince)) {
      const graceEnds = new Date(row.pastDueSince!.getTime() + settings.pastDueGraceDays * DAY);
      mail(row.pastDueSince!.getTime() + between(20, 120) * 1000, to, {
        template: "billing-payment-failed",
        subject: t("billing.email.paymentFailed.subject"),
        text: t("billing.email.paymentFailed.body", { name: member.name, date: date(graceEnds) }),
        action: { label: t("billing.email.paymentFailed.action"), url: `${env().APP_URL}/billing` },
      });
    }
  }

  // 3. The open applications of admission.ts: their verification, vouches and decisions.
  const open = await db.application.findMany({
    where: { id: { not: { startsWith: ID } } },
    include: { decisions: true, vouch: { include: { voucher: true } }, invites: true },
  });
  for (const application of open) {
    const t = translator(application.locale);
    const who = { email: application.email, locale: application.locale };
    mail(application.createdAt.getTime() + between(5, 50) * 1000, who, {
      template: "application-verify",
      subject: t("admission.email.verify.subject", { club }),
      text: t("admission.email.verify.body", { name: application.name, club }),
      action: { label: t("admission.email.verify.action"), url: links.applicationVerify(generateToken(), application.locale) },
    });
    for (const decision of application.decisions) {
      const at = decision.createdAt.getTime() + between(5, 50) * 1000;
      if (decision.kind === "APPROVE") {
        const invite = application.invites[0];
        mail(at, who, {
          template: "application-approved",
          subject: t("admission.email.approved.subject", { club }),
          text: t("admission.email.approved.body", { name: application.name, club, expires: longDate(application.locale, invite?.expiresAt ?? new Date(at + validityDays * DAY)) }),
          action: { label: t("admission.email.approved.action"), url: links.invite(generateToken(), application.locale) },
        });
      } else if (decision.kind === "REJECT") {
        mail(at, who, {
          template: "application-rejected",
          subject: t("admission.email.rejected.subject", { club }),
          text: t("admission.email.rejected.body", { name: application.name, club, reason: decision.reason ?? application.rejectionReason ?? "" }),
        });
      } else {
        mail(at, who, {
          template: "application-waitlisted",
          subject: t("admission.email.waitlisted.subject", { club }),
          text: t("admission.email.waitlisted.body", { name: application.name, club }),
        });
      }
    }
  }
  // Invitation codes the owner sent to a named person.
  for (const invite of await db.invite.findMany({ where: { source: "OWNER", email: { not: null }, code: { not: null } }, include: { createdBy: true } })) {
    const locale = invite.createdBy?.locale ?? settings.defaultLocale;
    const t = translator(locale);
    mail(invite.createdAt.getTime() + between(5, 50) * 1000, { email: invite.email!, locale }, {
      template: "invite-code",
      subject: t("admission.email.code.subject", { club }),
      text: t("admission.email.code.body", { club, code: invite.code!, expires: longDate(locale, invite.expiresAt) }),
      action: { label: t("admission.email.code.action"), url: links.invite(invite.code!, locale) },
    });
  }
  const vouchMail = (vouch: { name: string; email: string; note?: string | null }, voucher: { name: string; locale: Locale }, at: number) => {
    // The voucher's language: they wrote the note, and the club does not know the person's yet.
    const locale = voucher.locale;
    const t = translator(locale);
    const body = t("admission.email.vouch.body", { name: vouch.name, voucher: voucher.name, club });
    const note = vouch.note ? `\n\n${t("admission.email.vouch.note", { voucher: voucher.name })}\n${vouch.note}` : "";
    mail(at, { email: vouch.email, locale }, {
      template: "vouch-invitation",
      subject: t("admission.email.vouch.subject", { voucher: voucher.name, club }),
      text: `${body}${note}`,
      action: { label: t("admission.email.vouch.action"), url: links.vouchedApply(generateToken(), locale) },
    });
  };
  for (const vouch of await db.vouch.findMany({ include: { voucher: true } })) {
    vouchMail(vouch, vouch.voucher, vouch.createdAt.getTime() + between(5, 50) * 1000);
  }
  // The history's own vouches (written below with the applications), on their stream.
  const voucherOf = new Map(people.map((p) => [p.id, p]));
  for (const vouch of vouches) vouchMail(vouch as { name: string; email: string }, voucherOf.get(vouch.voucherId)!, (vouch.createdAt as Date).getTime() + (5 + vouchRand() * 45) * 1000);

  // 4. The forum: replies to a thread's author, mentions, and the weekly digests of quiet members.
  const posts = await db.forumPost.findMany({
    include: { author: true, thread: { include: { author: true, category: true } }, mentions: { include: { user: true } } },
    orderBy: { createdAt: "asc" },
  });
  const notice = (user: { email: string; locale: Locale; id: string }, value: Notice, at: number) => mail(at, user, emailFor(user.locale, value));
  const excerpt = (text: string) => (text.length > 280 ? `${text.slice(0, 279)}…` : text);
  for (const post of posts) {
    const at = post.createdAt.getTime() + between(30, 300) * 1000;
    const values = { author: post.author.name, title: post.thread.title, excerpt: excerpt(post.bodyText) };
    if (!post.isOpening && post.thread.authorId !== post.authorId) {
      notice(post.thread.author, { kind: "FORUM_REPLY", values, url: `/forum/p/${post.id}` }, at);
    }
    for (const mention of post.mentions) {
      if (mention.userId === post.authorId) continue;
      notice(mention.user, { kind: "FORUM_MENTION", values, url: `/forum/p/${post.id}` }, at + 1000);
    }
  }
  // Mondays 07:00 in the club's time zone (Moscow, UTC+3), for the seven whole UTC days before.
  const digests: Prisma.ForumDigestCreateManyInput[] = [];
  const access = await db.forumCategoryTier.findMany();
  const named = members.filter((m) => MEMBERS.some((s) => s.email === m.email));
  const thisWeek = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate());
  const firstMonday = new Date(nowMs - 400 * DAY);
  firstMonday.setUTCDate(firstMonday.getUTCDate() + ((8 - firstMonday.getUTCDay()) % 7));
  for (let monday = Date.UTC(firstMonday.getUTCFullYear(), firstMonday.getUTCMonth(), firstMonday.getUTCDate()); monday < thisWeek - 6 * DAY; monday += 7 * DAY) {
    const since = monday - 7 * DAY;
    const week = posts.filter((p) => p.createdAt.getTime() >= since && p.createdAt.getTime() < monday);
    if (!week.length) continue;
    for (const member of named) {
      const tier = member.subscriptions.find((s) => s.startedAt.getTime() <= since && (!s.endedAt || s.endedAt.getTime() > monday));
      if (!tier || week.some((p) => p.authorId === member.id)) continue;
      const readable = new Set(access.filter((a) => a.tierId === tier.tierId).map((a) => a.categoryId));
      const threads = new Map<string, { id: string; title: string; categoryEn: string; categoryRu: string; newPosts: number }>();
      for (const post of week.filter((p) => readable.has(p.categoryId))) {
        const entry = threads.get(post.threadId) ?? { id: post.threadId, title: post.thread.title, categoryEn: post.thread.category.nameEn, categoryRu: post.thread.category.nameRu, newPosts: 0 };
        entry.newPosts += 1;
        threads.set(post.threadId, entry);
      }
      if (!threads.size) continue;
      const sentAt = monday + 4 * HOUR + between(1, 20) * 60_000;
      digests.push({ userId: member.id, periodEnd: new Date(monday), threadCount: threads.size, sentAt: new Date(sentAt) });
      notice(member, { kind: "DIGEST", values: { name: member.name, club, threads: [...threads.values()].slice(0, 10) }, url: "/forum" }, sentAt);
    }
  }

  // 5. The roadmap: each status change told the item's voters by then, and its author.
  const changes = await db.roadmapStatusChange.findMany({
    where: { fromStatus: { not: null }, mergedFromId: null },
    include: { item: { include: { author: true, votes: { include: { user: true } } } } },
    orderBy: { createdAt: "asc" },
  });
  for (const change of changes) {
    const at = change.createdAt.getTime() + between(60, 600) * 1000;
    const base = { title: change.item.title, club, from: change.fromStatus as RoadmapStatus, to: change.toStatus, note: change.note };
    const voters = change.item.votes.filter((v) => v.createdAt < change.createdAt && v.userId !== change.changedById);
    for (const vote of voters) notice(vote.user, { kind: "ROADMAP_STATUS", values: { ...base, audience: "voter" }, url: `/roadmap/${change.itemId}` }, at);
    const author = change.item.author;
    if (author && author.role === "MEMBER" && author.id !== change.changedById && !voters.some((v) => v.userId === author.id)) {
      notice(author, { kind: "ROADMAP_STATUS", values: { ...base, audience: "author" }, url: `/roadmap/${change.itemId}` }, at);
    }
  }

  await db.$transaction(
    async (tx) => {
      await tx.vouch.createMany({ data: vouches });
      await tx.application.createMany({ data: applications });
      await tx.applicationAnswer.createMany({ data: answers });
      await tx.applicationReview.createMany({ data: reviews });
      await tx.reviewScore.createMany({ data: scores });
      await tx.applicationDecision.createMany({ data: decisions });
      await tx.invite.createMany({ data: invites });
      // The audit log's year: each decision as the app records it (ids and states, no names).
      await tx.auditEntry.createMany({
        data: [...decisions]
          .sort((a, b) => new Date(a.createdAt!).getTime() - new Date(b.createdAt!).getTime())
          .map((d) => ({
            at: d.createdAt,
            actorId: d.decidedById,
            action: "application.decision",
            subjectType: "Application",
            subjectId: d.applicationId,
            before: { status: "IN_REVIEW" },
            after: { status: "APPROVED", decision: d.kind, decisionId: d.id },
          })),
      });
      await tx.forumDigest.createMany({ data: digests, skipDuplicates: true });
      for (let i = 0; i < emails.length; i += 1_000) await tx.email.createMany({ data: emails.slice(i, i + 1_000) });
    },
    { timeout: 60_000 },
  );
}
