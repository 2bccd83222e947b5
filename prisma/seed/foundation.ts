import type { Role, SubscriptionStatus } from "../../app/generated/prisma/client";
import { db } from "../../app/db.server";
import { hashPassword } from "../../app/auth/password.server";
import { addMonths, periodAt } from "./calendar";

/** Demo logins, printed in the README for development only. */
export const DEMO_PASSWORDS = {
  owner: "coterie-demo-owner",
  curator: "coterie-demo-curator",
  member: "coterie-demo-member",
} as const;

export const TIERS = [
  {
    slug: "community",
    nameEn: "Community",
    nameRu: "Community",
    descriptionEn: "The forum, introductions and the jobs board.",
    descriptionRu: "Форум, знакомства и вакансии для участников.",
    position: 1,
    monthlyAmount: 2_900,
    yearlyAmount: 29_000,
    canVote: false,
    voteWeight: 1,
    referralQuota: 0,
    stripeMonthlyPriceId: "price_demo_community_month",
    stripeYearlyPriceId: "price_demo_community_year",
  },
  {
    slug: "professional",
    nameEn: "Professional",
    nameRu: "Professional",
    descriptionEn: "Everything in Community, plus Ask the CTO and mentoring.",
    descriptionRu: "Всё из Community, а также «Вопрос CTO» и менторство.",
    position: 2,
    monthlyAmount: 9_900,
    yearlyAmount: 99_000,
    canVote: false,
    voteWeight: 1,
    referralQuota: 2,
    stripeMonthlyPriceId: "price_demo_professional_month",
    stripeYearlyPriceId: "price_demo_professional_year",
  },
  {
    slug: "private-client",
    nameEn: "Private Client",
    nameRu: "Private Client",
    descriptionEn: "A seat in the working group with the CTO and a vote on the product roadmap.",
    descriptionRu: "Место в рабочей группе с CTO и голос в дорожной карте продукта.",
    position: 3,
    monthlyAmount: 49_900,
    yearlyAmount: 499_000,
    canVote: true,
    voteWeight: 3,
    referralQuota: 5,
    stripeMonthlyPriceId: "price_demo_private_month",
    stripeYearlyPriceId: "price_demo_private_year",
  },
] as const;

type SeedMember = {
  email: string;
  name: string;
  company: string;
  jobTitle: string;
  locale: "en" | "ru";
  role: Role;
  tier: (typeof TIERS)[number]["slug"];
  /** Joined this many months and `daysAgo` days ago: renewals fall on different days of the month, as in a real club. */
  monthsAgo: number;
  daysAgo: number;
  interval?: "MONTH" | "YEAR";
  status?: SubscriptionStatus;
};

export const MEMBERS: SeedMember[] = [
  { email: "owner@coterie.club", name: "Alexandra Volkova", company: "Northwind Cloud", jobTitle: "Head of Client Programs", locale: "en", role: "OWNER", tier: "private-client", monthsAgo: 18, daysAgo: 9 },
  { email: "curator@coterie.club", name: "Marina Sokolova", company: "Northwind Cloud", jobTitle: "Community Curator", locale: "ru", role: "CURATOR", tier: "professional", monthsAgo: 17, daysAgo: 21 },
  { email: "irina.petrova@example.com", name: "Irina Petrova", company: "Sber Security Lab", jobTitle: "CISO", locale: "ru", role: "MEMBER", tier: "private-client", monthsAgo: 16, daysAgo: 12, interval: "YEAR" },
  { email: "dmitry.orlov@example.com", name: "Dmitry Orlov", company: "Tinkoff Cloud", jobTitle: "Platform Architect", locale: "ru", role: "MEMBER", tier: "private-client", monthsAgo: 14, daysAgo: 5 },
  { email: "sarah.chen@example.com", name: "Sarah Chen", company: "Helix Payments", jobTitle: "VP Engineering", locale: "en", role: "MEMBER", tier: "private-client", monthsAgo: 12, daysAgo: 17 },
  { email: "olga.ivanova@example.com", name: "Olga Ivanova", company: "Kaspersky", jobTitle: "Threat Intelligence Lead", locale: "ru", role: "MEMBER", tier: "professional", monthsAgo: 13, daysAgo: 26 },
  { email: "james.walker@example.com", name: "James Walker", company: "Fjord Analytics", jobTitle: "CTO", locale: "en", role: "MEMBER", tier: "professional", monthsAgo: 11, daysAgo: 8, interval: "YEAR" },
  { email: "anna.kuznetsova@example.com", name: "Anna Kuznetsova", company: "Yandex Cloud", jobTitle: "Security Engineer", locale: "ru", role: "MEMBER", tier: "professional", monthsAgo: 9, daysAgo: 14 },
  { email: "priya.nair@example.com", name: "Priya Nair", company: "Arcadia Health", jobTitle: "DevSecOps Lead", locale: "en", role: "MEMBER", tier: "community", monthsAgo: 8, daysAgo: 2 },
  { email: "elena.morozova@example.com", name: "Elena Morozova", company: "Positive Technologies", jobTitle: "Pentester", locale: "ru", role: "MEMBER", tier: "community", monthsAgo: 6, daysAgo: 19 },
  { email: "tom.becker@example.com", name: "Tom Becker", company: "Lumen Retail", jobTitle: "SRE Manager", locale: "en", role: "MEMBER", tier: "community", monthsAgo: 4, daysAgo: 11 },
  { email: "ksenia.lebedeva@example.com", name: "Ksenia Lebedeva", company: "VK Tech", jobTitle: "Cloud Consultant", locale: "ru", role: "MEMBER", tier: "community", monthsAgo: 2, daysAgo: 6 },
  { email: "maria.garcia@example.com", name: "Maria Garcia", company: "Solace Bank", jobTitle: "Information Security Officer", locale: "en", role: "MEMBER", tier: "professional", monthsAgo: 7, daysAgo: 3, status: "PAST_DUE" },
  { email: "nikita.smirnov@example.com", name: "Nikita Smirnov", company: "Ozon Tech", jobTitle: "Backend Lead", locale: "ru", role: "MEMBER", tier: "community", monthsAgo: 10, daysAgo: 23, status: "CANCELED" },
];

const DAY_MS = 24 * 60 * 60 * 1000;

/** When a named member joined: `monthsAgo` calendar months and `daysAgo` days before `now`. */
export const joinedAt = (member: Pick<SeedMember, "monthsAgo" | "daysAgo">, now: Date) =>
  new Date(addMonths(now, -member.monthsAgo).getTime() - member.daysAgo * DAY_MS);

/** The owner opened the club the day her account was made: settings, tiers, categories and criteria date from then. */
export const clubFoundedAt = (now: Date) => joinedAt(MEMBERS[0], now);

/** Club settings, tiers, the owner, a curator and a dozen members. Re-runnable. */
export async function seedFoundation(now = new Date()) {
  await db.clubSettings.upsert({
    where: { id: 1 },
    update: {},
    create: {
      id: 1,
      name: "Northwind Inner Circle",
      taglineEn: "An invitation-only club for Northwind Cloud's top clients: co-build the platform with our CTO.",
      taglineRu: "Закрытый клуб ключевых клиентов Northwind Cloud: создаём платформу вместе с нашим CTO.",
      aboutEn:
        "We select members for their readiness to co-innovate and their expertise in security and cloud.\n\nMembers meet in a closed forum, mentor one another, share jobs that never reach public boards, and Private Clients steer the product roadmap with their votes.",
      aboutRu:
        "Мы отбираем участников за готовность к совместным инновациям и экспертизу в безопасности и облаках.\n\nУчастники общаются на закрытом форуме, помогают друг другу как менторы, делятся вакансиями, которых нет в открытом доступе, а Private Client определяют дорожную карту продукта своими голосами.",
      timeZone: "Europe/Moscow",
      updatedAt: clubFoundedAt(now),
    },
  });

  const tiers = new Map<string, string>();
  for (const tier of TIERS) {
    const row = await db.tier.upsert({ where: { slug: tier.slug }, update: {}, create: { ...tier, currency: "eur", createdAt: clubFoundedAt(now), updatedAt: clubFoundedAt(now) } });
    tiers.set(tier.slug, row.id);
  }

  const hashes = {
    OWNER: await hashPassword(DEMO_PASSWORDS.owner),
    CURATOR: await hashPassword(DEMO_PASSWORDS.curator),
    MEMBER: await hashPassword(DEMO_PASSWORDS.member),
  };

  for (const member of MEMBERS) {
    const joined = joinedAt(member, now);
    const user = await db.user.upsert({
      where: { email: member.email },
      update: {},
      create: {
        email: member.email,
        name: member.name,
        company: member.company,
        jobTitle: member.jobTitle,
        locale: member.locale,
        role: member.role,
        passwordHash: hashes[member.role],
        emailVerifiedAt: joined,
        createdAt: joined,
        updatedAt: joined,
      },
    });
    const existing = await db.subscription.count({ where: { userId: user.id } });
    if (existing) continue;
    const tier = TIERS.find((t) => t.slug === member.tier)!;
    const interval = member.interval ?? "MONTH";
    const status = member.status ?? (member.role === "OWNER" ? "COMPLIMENTARY" : "ACTIVE");
    // The cancelled member let their last period run out: the one they were in two months ago.
    const last = periodAt(joined, interval, addMonths(now, -2));
    const endedAt = status === "CANCELED" ? last.end : null;
    const period = endedAt ? last : periodAt(joined, interval, now);
    // The past-due member's renewal at the start of this period failed (billing.ts leaves its invoice out).
    const pastDueSince = status === "PAST_DUE" ? period.start : null;
    await db.subscription.create({
      data: {
        userId: user.id,
        tierId: tiers.get(member.tier)!,
        status,
        interval: status === "COMPLIMENTARY" ? null : interval,
        amount: status === "COMPLIMENTARY" ? 0 : interval === "YEAR" ? tier.yearlyAmount : tier.monthlyAmount,
        currency: "eur",
        startedAt: joined,
        currentPeriodStart: period.start,
        currentPeriodEnd: period.end,
        pastDueSince,
        endedAt,
        createdAt: joined,
        updatedAt: endedAt ?? pastDueSince ?? period.start,
      },
    });
  }
}
