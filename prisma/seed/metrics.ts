import type { ActivityKind, BillingInterval, FollowUpKind, Locale, Prisma, SubscriptionStatus } from "../../app/generated/prisma/client";
import { getClubSettings } from "../../app/club.server";
import { db, type Tx } from "../../app/db.server";
import { ensureActivityRollup } from "../../app/metrics/activity.server";
import { periodAt, periodStartOf } from "./calendar";
import { random } from "./random";
import { MEMBERS, TIERS } from "./foundation";
import { AddressBook, COMPANIES, JOB_TITLES } from "./people";

/**
 * The demo club's metrics history: eighteen months with a shape, so every chart says
 * something. About two hundred historical members (work addresses at their employers'
 * .example domains, see people.ts; ids metrics-demo-NNN; no password) join month by month with growth, a bad quarter (fewer joins, more cancellations, more
 * detractors, quieter forum) from nine to six months ago, and a recovery since. They have
 * their memberships (upgrades, cancellations, a few complimentary), paid invoices and a
 * refund, activity, survey answers and follow-ups. The named demo members of foundation.ts
 * get activity and survey answers too; billing.ts has their memberships and invoices.
 *
 * Deterministic (a seeded random generator), written with bulk inserts in one transaction,
 * and re-runnable: it does nothing when the historical members are already there.
 */

const DAY = 86_400_000;
const MONTH = 30.44 * DAY;
const HISTORY_MONTHS = 18;
const JOINS_PER_MONTH = [5, 6, 8, 9, 10, 12, 13, 14, 15, 7, 6, 5, 11, 13, 15, 16, 18, 20];
const BAD_QUARTER = [9, 10, 11];
/** The historical members' ids start with this; the seed checks for them to run once. */
export const HISTORY_ID_PREFIX = "metrics-demo-";


const FIRST = {
  en: ["Oliver", "Emma", "Noah", "Ava", "Liam", "Mia", "Lucas", "Chloe", "Ethan", "Grace", "Henry", "Isla", "Jack", "Lily", "Leo", "Zoe", "Adam", "Nora", "Ryan", "Hannah", "Samuel", "Freya", "Daniel", "Alice", "Owen", "Ruby", "Felix", "Clara", "Isaac", "Maya"],
  ru: ["Алексей", "Мария", "Иван", "Анна", "Павел", "Ольга", "Сергей", "Екатерина", "Михаил", "Татьяна", "Андрей", "Наталья", "Дмитрий", "Юлия", "Артём", "Светлана", "Роман", "Ирина", "Кирилл", "Вера", "Николай", "Ксения", "Григорий", "Дарья", "Егор", "Полина", "Владимир", "Алина", "Максим", "Евгения"],
};
/** Russian surnames agree with the first name: Соколов, Соколова. */
const RU_WOMEN = new Set(["Мария", "Анна", "Ольга", "Екатерина", "Татьяна", "Наталья", "Юлия", "Светлана", "Ирина", "Вера", "Ксения", "Дарья", "Полина", "Алина", "Евгения"]);
const surname = (last: string, first: string) => (RU_WOMEN.has(first) ? `${last}а` : last);
const LAST = {
  en: ["Turner", "Hughes", "Fischer", "Kowalski", "Brennan", "Lindqvist", "Moreau", "Okafor", "Patel", "Reyes", "Schmidt", "Tanaka", "Walsh", "Young", "Novak", "Berg", "Harper", "Lindgren", "Costa", "Mahoney", "Dubois", "Ferreira", "Holt", "Ashworth", "Keane", "Sandoval"],
  ru: ["Соколов", "Лебедев", "Козлов", "Новиков", "Морозов", "Волков", "Зайцев", "Павлов", "Семёнов", "Голубев", "Виноградов", "Богданов", "Воробьёв", "Фёдоров", "Михайлов", "Беляев", "Комаров", "Орехов", "Тихонов", "Крылов", "Гусев", "Субботин", "Ершов", "Никитин", "Калинин", "Ларионов"],
};

type TierSlug = (typeof TIERS)[number]["slug"];

type Span = {
  tier: TierSlug;
  interval: BillingInterval | null;
  status: SubscriptionStatus;
  amount: number;
  start: number;
  end: number | null;
};

type Member = {
  id: string;
  email: string;
  name: string;
  company: string;
  jobTitle: string;
  locale: Locale;
  joined: number;
  engagement: number;
  spans: Span[];
};

const COMMENTS = {
  promoter: {
    en: ["The working group with the CTO is worth the fee on its own.", "Best peer group I have found in security.", "I got two hires from the jobs board."],
    ru: ["Рабочая группа с CTO сама по себе окупает членство.", "Лучшее профессиональное сообщество по безопасности.", "Нашла двух сотрудников через вакансии клуба."],
  },
  passive: {
    en: ["Useful, but I rarely have time to read the forum.", "Good content, events could be more frequent."],
    ru: ["Полезно, но на форум редко хватает времени.", "Хороший контент, встреч могло бы быть больше."],
  },
  detractor: {
    en: ["The roadmap votes did not change anything this quarter.", "Too few answers to my questions lately.", "Price went up, value did not."],
    ru: ["Голосование по дорожной карте в этом квартале ничего не изменило.", "В последнее время мало ответов на мои вопросы.", "Цена выросла, а ценность нет."],
  },
};

/** The kinds that leave content behind: only the forum's and the roadmap's rows record them. */
const CONTRIBUTIONS = new Set<ActivityKind>(["POST", "REPLY", "VOTE"]);

/**
 * The activity the club's visible content stands for, as the app records it: a thread is a POST
 * by its author, every later post a REPLY, a roadmap vote a VOTE (app/forum/posts.server.ts,
 * app/roadmap/votes.server.ts), each at the moment it was written.
 */
async function contentActivity(tx: Tx) {
  return tx.$queryRaw<Array<{ userId: string; kind: ActivityKind; occurredAt: Date }>>`
    SELECT "authorId" AS "userId", (CASE WHEN "isOpening" THEN 'POST' ELSE 'REPLY' END)::"ActivityKind" AS kind, "createdAt" AS "occurredAt" FROM "ForumPost"
    UNION ALL
    SELECT "userId", 'VOTE'::"ActivityKind", "createdAt" FROM "RoadmapVote"`;
}

export async function seedMetrics(now = new Date()) {
  const already = await db.user.count({ where: { id: { startsWith: HISTORY_ID_PREFIX } } });
  if (already) {
    await ensureActivityRollup((await getClubSettings()).timeZone);
    return;
  }

  const rand = random(20261122);
  // Employers and addresses come from a generator of their own, so the club's history
  // (joins, plans, churn, answers) stays the sequence it has always been.
  const people = random(20261203);
  const addresses = new AddressBook();
  for (const member of MEMBERS) addresses.reserve(member.email);
  const pick = <T>(list: readonly T[]) => list[Math.floor(rand() * list.length)];
  const between = (lo: number, hi: number) => lo + rand() * (hi - lo);
  const nowMs = now.getTime();
  const origin = nowMs - HISTORY_MONTHS * MONTH;
  const monthIndex = (t: number) => Math.floor((t - origin) / MONTH);
  const isBad = (t: number) => BAD_QUARTER.includes(monthIndex(t));
  const isRecovery = (t: number) => monthIndex(t) > BAD_QUARTER[BAD_QUARTER.length - 1];

  const tiers = new Map((await db.tier.findMany()).map((t) => [t.slug, t]));
  const price = (slug: TierSlug, interval: BillingInterval) => {
    const tier = TIERS.find((t) => t.slug === slug)!;
    return interval === "YEAR" ? tier.yearlyAmount : tier.monthlyAmount;
  };
  const [owner, curator] = await Promise.all([
    db.user.findUnique({ where: { email: "owner@coterie.club" } }),
    db.user.findUnique({ where: { email: "curator@coterie.club" } }),
  ]);
  const staff = [owner, curator].filter((u): u is NonNullable<typeof u> => Boolean(u));

  // 1. Historical members and their memberships.
  const members: Member[] = [];
  let n = 0;
  JOINS_PER_MONTH.forEach((joins, month) => {
    for (let j = 0; j < joins; j += 1) {
      n += 1;
      const locale: Locale = rand() < 0.55 ? "ru" : "en";
      const first = pick(FIRST[locale]);
      const last = locale === "ru" ? surname(pick(LAST.ru), first) : pick(LAST.en);
      const joined = origin + month * MONTH + between(0, MONTH - DAY);
      const roll = rand();
      let tier: TierSlug = roll < 0.55 ? "community" : roll < 0.88 ? "professional" : "private-client";
      const complimentary = rand() < 0.025;
      const interval: BillingInterval = rand() < 0.2 ? "YEAR" : "MONTH";
      const engagement = pick([0.9, 0.6, 0.6, 0.35, 0.12]);
      const spans: Span[] = [];
      let span: Span = complimentary
        ? { tier, interval: null, status: "COMPLIMENTARY", amount: 0, start: joined, end: null }
        : { tier, interval, status: "ACTIVE", amount: price(tier, interval), start: joined, end: null };
      let upgraded = false;
      // Month by month: perhaps an upgrade, perhaps a cancellation (yearly plans end at renewal).
      for (let t = joined + MONTH; t < nowMs; t += MONTH) {
        const monthsIn = Math.round((t - joined) / MONTH);
        if (!complimentary && !upgraded && monthsIn >= 2 && tier !== "private-client" && rand() < (isBad(t) ? 0.01 : 0.03)) {
          const at = t - between(0, MONTH * 0.8);
          spans.push({ ...span, status: "CANCELED", end: at });
          tier = tier === "community" ? "professional" : "private-client";
          span = { tier, interval: span.interval, status: "ACTIVE", amount: price(tier, span.interval ?? "MONTH"), start: at, end: null };
          upgraded = true;
        }
        const renewal = span.interval !== "YEAR" || monthsIn % 12 === 0;
        const churn = (isBad(t) ? 0.13 : isRecovery(t) ? 0.022 : 0.028) * (engagement < 0.2 ? 2 : 1) * (span.interval === "YEAR" ? 3 : 1);
        if (renewal && rand() < churn) {
          span = { ...span, status: "CANCELED", end: Math.max(span.start + DAY, Math.min(nowMs - DAY, t - between(0, MONTH * 0.9))) };
          break;
        }
      }
      spans.push(span);
      const employers = COMPANIES[locale];
      const at = Math.floor(people() * employers.length);
      const { email, company } = addresses.assign(first, last, employers[at], [...employers.slice(at + 1), ...employers.slice(0, at)]);
      const jobTitle = JOB_TITLES[locale][Math.floor(people() * JOB_TITLES[locale].length)];
      members.push({ id: `${HISTORY_ID_PREFIX}${String(n).padStart(3, "0")}`, email, name: `${first} ${last}`, company: company.name, jobTitle, locale, joined, engagement, spans });
    }
  });

  const subscriptions: Prisma.SubscriptionCreateManyInput[] = [];
  const subscriptionRows: Array<{ id: string; userId: string; span: Span }> = [];
  for (const m of members) {
    m.spans.forEach((span, i) => {
      const id = `${m.id}-sub-${i}`;
      subscriptionRows.push({ id, userId: m.id, span });
    });
  }

  // 2. Invoices for every paid period, and one refund.
  const ledger: Array<{ id: string; userId: string; subscriptionId: string; kind: "INVOICE_PAID" | "REFUND"; amount: number; occurredAt: Date; periodStart: Date; periodEnd: Date; stripeInvoiceId: string | null }> = [];
  for (const row of subscriptionRows) {
    const { span } = row;
    if (span.status === "COMPLIMENTARY" || !span.interval) continue;
    let k = 0;
    for (let t = span.start; t < (span.end ?? nowMs); t = periodStartOf(span.start, span.interval, k).getTime()) {
      k += 1;
      ledger.push({
        id: `${row.id}-inv-${k}`,
        userId: row.userId,
        subscriptionId: row.id,
        kind: "INVOICE_PAID",
        amount: span.amount,
        occurredAt: new Date(t + 5 * 60_000),
        periodStart: new Date(t),
        periodEnd: periodStartOf(span.start, span.interval, k),
        stripeInvoiceId: `in_demo_${row.id}_${k}`,
      });
    }
  }
  const refunded = ledger.find((entry, i) => i > ledger.length / 2 && entry.amount >= 9_900);
  if (refunded) {
    ledger.push({ ...refunded, id: `${refunded.id}-refund`, kind: "REFUND", amount: -refunded.amount, occurredAt: new Date(refunded.occurredAt.getTime() + 4 * DAY), stripeInvoiceId: refunded.stripeInvoiceId });
  }

  // 3. Activity, survey answers and follow-ups while each is a member.
  const activity: Array<{ userId: string; kind: ActivityKind; occurredAt: Date }> = [];
  const answers: Array<{ id: string; userId: string; tierId: string | null; score: number | null; comment: string | null; createdAt: Date }> = [];
  const followUps: Array<{ id: string; memberId: string; staffId: string | null; kind: FollowUpKind; wasDetractor: boolean; wasInactive: boolean; note: string | null; createdAt: Date }> = [];
  const tierAt = (m: Member, t: number) => m.spans.find((s) => s.start <= t && (s.end === null || s.end > t));
  const memberUntil = (m: Member) => m.spans[m.spans.length - 1].end ?? nowMs;

  const scoreFor = (t: number, engagement: number) => {
    const [promoter, passive] = isBad(t) ? [0.3, 0.32] : isRecovery(t) ? [0.66, 0.25] : [0.55, 0.3];
    const roll = rand() - (engagement - 0.5) * 0.3;
    if (roll < promoter) return pick([9, 10, 10]);
    if (roll < promoter + passive) return pick([7, 8]);
    return pick([2, 3, 4, 5, 6, 6]);
  };

  let answerId = 0;
  for (const m of members) {
    const until = memberUntil(m);
    // Some members drift away in their last weeks, or now.
    const fadesAt = rand() < 0.3 ? until - between(20, 80) * DAY : Infinity;
    for (let week = m.joined; week < until; week += 7 * DAY) {
      const p = m.engagement * (isBad(week) ? 0.5 : 1) * (week > fadesAt ? 0.05 : 1);
      if (rand() >= p) continue;
      const events = 1 + Math.floor(rand() * 3);
      for (let e = 0; e < events; e += 1) {
        const at = week + between(0, 7 * DAY);
        if (at >= until || at >= nowMs) continue;
        const span = tierAt(m, at);
        const roll = rand();
        // Days on the portal. Posts, replies and votes are not made up here: they are the
        // forum's and the roadmap's real rows, recorded below (contentActivity), so every
        // engagement figure can be recomputed from what a visitor can read.
        void span;
        const kind: ActivityKind = roll < 0.6 && roll >= 0.45 ? "SIGN_IN" : "VISIT";
        activity.push({ userId: m.id, kind, occurredAt: new Date(at) });
      }
    }
    for (let ask = m.joined + between(30, 40) * DAY; ask < Math.min(until, nowMs); ask += between(90, 130) * DAY) {
      const span = tierAt(m, ask);
      if (!span) continue;
      const dismissed = rand() < 0.2;
      const score = dismissed ? null : scoreFor(ask, m.engagement);
      const kind = score === null ? null : score >= 9 ? "promoter" : score >= 7 ? "passive" : "detractor";
      answerId += 1;
      answers.push({
        id: `metrics-demo-nps-${answerId}`,
        userId: m.id,
        tierId: tiers.get(span.tier)?.id ?? null,
        score,
        comment: kind && rand() < 0.35 ? pick(COMMENTS[kind][m.locale]) : null,
        createdAt: new Date(ask),
      });
      if (score !== null) activity.push({ userId: m.id, kind: "SURVEY", occurredAt: new Date(ask) });
    }
  }

  // Follow-ups of quiet members; most of those contacted came back within a few weeks.
  let followUpId = 0;
  for (const m of members.filter((x) => x.engagement <= 0.35 && memberUntil(x) - x.joined > 3 * MONTH).slice(0, 18)) {
    const at = Math.min(memberUntil(m), nowMs) - between(10, 60) * DAY;
    if (at <= m.joined + 40 * DAY || !staff.length) continue;
    followUpId += 1;
    const who = staff[followUpId % staff.length];
    const kind: FollowUpKind = followUpId % 3 === 0 ? "CONTACTED" : "EMAIL";
    followUps.push({ id: `metrics-demo-follow-up-${followUpId}`, memberId: m.id, staffId: who.id, kind, wasDetractor: false, wasInactive: true, note: null, createdAt: new Date(at) });
    if (followUpId % 4 === 1) {
      followUps.push({
        id: `metrics-demo-follow-up-${followUpId}-note`,
        memberId: m.id,
        staffId: who.id,
        kind: "NOTE",
        wasDetractor: false,
        wasInactive: true,
        note: m.locale === "ru" ? "Сменил(а) работу, обещает вернуться после отпуска." : "Changed jobs; promised to be back after the holidays.",
        createdAt: new Date(at + 60_000),
      });
    }
    const back = at + between(2, 20) * DAY;
    if (followUpId % 5 !== 0 && back < Math.min(memberUntil(m), nowMs)) activity.push({ userId: m.id, kind: "SIGN_IN", occurredAt: new Date(back) });
  }

  // 4. The named demo members: recent activity and answers that put each in a believable place.
  // [daily activity chance, days since the last activity, answers as [days ago, score or null]]
  const PROFILES: Record<string, { daily: number; quietDays: number; answers: Array<[number, number | null]>; kinds?: ActivityKind[] }> = {
    "owner@coterie.club": { daily: 0.9, quietDays: 0, answers: [] },
    "curator@coterie.club": { daily: 0.85, quietDays: 0, answers: [] },
    "irina.petrova@example.com": { daily: 0.6, quietDays: 1, answers: [[200, 9], [110, 10], [20, 10]], kinds: ["VISIT", "POST", "REPLY", "VOTE", "VOTE"] },
    "dmitry.orlov@example.com": { daily: 0.45, quietDays: 2, answers: [[150, 8], [60, 9]], kinds: ["VISIT", "REPLY", "VOTE"] },
    "sarah.chen@example.com": { daily: 0.3, quietDays: 4, answers: [[140, 7], [45, 8]], kinds: ["VISIT", "REPLY", "VOTE"] },
    "olga.ivanova@example.com": { daily: 0.55, quietDays: 1, answers: [[190, 8], [100, 9], [10, 9]], kinds: ["VISIT", "POST", "REPLY"] },
    "james.walker@example.com": { daily: 0.2, quietDays: 45, answers: [[170, 8], [70, 6]], kinds: ["VISIT", "REPLY"] },
    "anna.kuznetsova@example.com": { daily: 0.3, quietDays: 3, answers: [[120, 8]], kinds: ["VISIT", "POST", "REPLY"] },
    "priya.nair@example.com": { daily: 0.5, quietDays: 1, answers: [[110, 9], [15, 10]], kinds: ["VISIT", "POST", "REPLY"] },
    "elena.morozova@example.com": { daily: 0.3, quietDays: 6, answers: [[80, 7]], kinds: ["VISIT", "REPLY"] },
    "tom.becker@example.com": { daily: 0.25, quietDays: 50, answers: [[40, null]], kinds: ["VISIT", "SIGN_IN"] },
    "ksenia.lebedeva@example.com": { daily: 0.4, quietDays: 2, answers: [[20, 9]], kinds: ["VISIT", "POST"] },
    "maria.garcia@example.com": { daily: 0.2, quietDays: 8, answers: [[25, 3]], kinds: ["VISIT", "REPLY"] },
    "nikita.smirnov@example.com": { daily: 0.2, quietDays: 75, answers: [[150, 5]], kinds: ["VISIT"] },
  };
  const named = await db.user.findMany({
    where: { email: { in: Object.keys(PROFILES) } },
    include: { subscriptions: { orderBy: { startedAt: "asc" } } },
  });
  for (const user of named) {
    const profile = PROFILES[user.email];
    const joined = user.subscriptions[0]?.startedAt.getTime() ?? user.createdAt.getTime();
    const last = nowMs - profile.quietDays * DAY - between(1, 8) * 3_600_000;
    for (let day = Math.max(joined, nowMs - 400 * DAY); day < last; day += DAY) {
      if (rand() >= profile.daily * (isBad(day) ? 0.6 : 1)) continue;
      const kind = pick<ActivityKind>(profile.kinds ?? ["VISIT", "SIGN_IN"]);
      activity.push({ userId: user.id, kind: CONTRIBUTIONS.has(kind) ? "VISIT" : kind, occurredAt: new Date(day + between(8, 20) * 3_600_000) });
    }
    activity.push({ userId: user.id, kind: "SIGN_IN", occurredAt: new Date(last) });
    for (const [daysAgo, score] of profile.answers) {
      const at = nowMs - daysAgo * DAY;
      if (at < joined + 30 * DAY) continue;
      const span = user.subscriptions.find((s) => s.startedAt.getTime() <= at && (!s.endedAt || s.endedAt.getTime() > at)) ?? user.subscriptions[0];
      answerId += 1;
      answers.push({ id: `metrics-demo-nps-${answerId}`, userId: user.id, tierId: span?.tierId ?? null, score, comment: null, createdAt: new Date(at) });
    }
  }

  await db.$transaction(
    async (tx) => {
      await tx.user.createMany({
        data: members.map((m) => ({
          id: m.id,
          email: m.email,
          name: m.name,
          company: m.company,
          jobTitle: m.jobTitle,
          locale: m.locale,
          role: "MEMBER" as const,
          emailVerifiedAt: new Date(m.joined),
          createdAt: new Date(m.joined),
          updatedAt: new Date(m.joined),
        })),
      });
      for (const row of subscriptionRows) {
        const { span } = row;
        // The period the row is in now, or was in when it ended (calendar months and years).
        const period = span.interval ? periodAt(span.start, span.interval, span.end ?? nowMs) : null;
        subscriptions.push({
          id: row.id,
          userId: row.userId,
          tierId: tiers.get(span.tier)!.id,
          status: span.status,
          interval: span.interval,
          amount: span.amount,
          currency: "eur",
          startedAt: new Date(span.start),
          endedAt: span.end === null ? null : new Date(span.end),
          currentPeriodStart: period?.start ?? null,
          currentPeriodEnd: period?.end ?? null,
          createdAt: new Date(span.start),
          updatedAt: new Date(span.end ?? period?.start ?? span.start),
        });
      }
      await tx.subscription.createMany({ data: subscriptions });
      await tx.ledgerEntry.createMany({ data: ledger.map((e) => ({ ...e, currency: "eur", createdAt: e.occurredAt })) });
      activity.push(...(await contentActivity(tx)));
      for (let i = 0; i < activity.length; i += 5_000) await tx.activityEvent.createMany({ data: activity.slice(i, i + 5_000) });
      await tx.npsResponse.createMany({ data: answers });
      await tx.memberFollowUp.createMany({ data: followUps });
    },
    { timeout: 60_000 },
  );
  // The monthly activity rollup, so the demo dashboard's first load does not build it.
  await ensureActivityRollup((await getClubSettings()).timeZone);
}
