import type { Role, SubscriptionStatus } from "../../app/generated/prisma/client";
import { db } from "../../app/db.server";
import { hashPassword } from "../../app/auth/password.server";

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
  monthsAgo: number;
  interval?: "MONTH" | "YEAR";
  status?: SubscriptionStatus;
};

export const MEMBERS: SeedMember[] = [
  { email: "owner@coterie.club", name: "Alexandra Volkova", company: "Northwind Cloud", jobTitle: "Head of Client Programs", locale: "en", role: "OWNER", tier: "private-client", monthsAgo: 18 },
  { email: "curator@coterie.club", name: "Marina Sokolova", company: "Northwind Cloud", jobTitle: "Community Curator", locale: "ru", role: "CURATOR", tier: "professional", monthsAgo: 17 },
  { email: "irina.petrova@example.com", name: "Irina Petrova", company: "Sber Security Lab", jobTitle: "CISO", locale: "ru", role: "MEMBER", tier: "private-client", monthsAgo: 16, interval: "YEAR" },
  { email: "dmitry.orlov@example.com", name: "Dmitry Orlov", company: "Tinkoff Cloud", jobTitle: "Platform Architect", locale: "ru", role: "MEMBER", tier: "private-client", monthsAgo: 14 },
  { email: "sarah.chen@example.com", name: "Sarah Chen", company: "Helix Payments", jobTitle: "VP Engineering", locale: "en", role: "MEMBER", tier: "private-client", monthsAgo: 12 },
  { email: "olga.ivanova@example.com", name: "Olga Ivanova", company: "Kaspersky", jobTitle: "Threat Intelligence Lead", locale: "ru", role: "MEMBER", tier: "professional", monthsAgo: 13 },
  { email: "james.walker@example.com", name: "James Walker", company: "Fjord Analytics", jobTitle: "CTO", locale: "en", role: "MEMBER", tier: "professional", monthsAgo: 11, interval: "YEAR" },
  { email: "anna.kuznetsova@example.com", name: "Anna Kuznetsova", company: "Yandex Cloud", jobTitle: "Security Engineer", locale: "ru", role: "MEMBER", tier: "professional", monthsAgo: 9 },
  { email: "priya.nair@example.com", name: "Priya Nair", company: "Arcadia Health", jobTitle: "DevSecOps Lead", locale: "en", role: "MEMBER", tier: "community", monthsAgo: 8 },
  { email: "elena.morozova@example.com", name: "Elena Morozova", company: "Positive Technologies", jobTitle: "Pentester", locale: "ru", role: "MEMBER", tier: "community", monthsAgo: 6 },
  { email: "tom.becker@example.com", name: "Tom Becker", company: "Lumen Retail", jobTitle: "SRE Manager", locale: "en", role: "MEMBER", tier: "community", monthsAgo: 4 },
  { email: "ksenia.lebedeva@example.com", name: "Ksenia Lebedeva", company: "VK Tech", jobTitle: "Cloud Consultant", locale: "ru", role: "MEMBER", tier: "community", monthsAgo: 2 },
  { email: "maria.garcia@example.com", name: "Maria Garcia", company: "Solace Bank", jobTitle: "Information Security Officer", locale: "en", role: "MEMBER", tier: "professional", monthsAgo: 7, status: "PAST_DUE" },
  { email: "nikita.smirnov@example.com", name: "Nikita Smirnov", company: "Ozon Tech", jobTitle: "Backend Lead", locale: "ru", role: "MEMBER", tier: "community", monthsAgo: 10, status: "CANCELED" },
];

const MONTH_MS = 30 * 24 * 60 * 60 * 1000;

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
    },
  });

  const tiers = new Map<string, string>();
  for (const tier of TIERS) {
    const row = await db.tier.upsert({ where: { slug: tier.slug }, update: {}, create: { ...tier, currency: "eur" } });
    tiers.set(tier.slug, row.id);
  }

  const hashes = {
    OWNER: await hashPassword(DEMO_PASSWORDS.owner),
    CURATOR: await hashPassword(DEMO_PASSWORDS.curator),
    MEMBER: await hashPassword(DEMO_PASSWORDS.member),
  };

  for (const member of MEMBERS) {
    const joined = new Date(now.getTime() - member.monthsAgo * MONTH_MS);
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
      },
    });
    const existing = await db.subscription.count({ where: { userId: user.id } });
    if (existing) continue;
    const tier = TIERS.find((t) => t.slug === member.tier)!;
    const interval = member.interval ?? "MONTH";
    const status = member.status ?? (member.role === "OWNER" ? "COMPLIMENTARY" : "ACTIVE");
    const periodMs = interval === "YEAR" ? 12 * MONTH_MS : MONTH_MS;
    const elapsed = (now.getTime() - joined.getTime()) % periodMs;
    await db.subscription.create({
      data: {
        userId: user.id,
        tierId: tiers.get(member.tier)!,
        status,
        interval: status === "COMPLIMENTARY" ? null : interval,
        amount: status === "COMPLIMENTARY" ? 0 : interval === "YEAR" ? tier.yearlyAmount : tier.monthlyAmount,
        currency: "eur",
        startedAt: joined,
        currentPeriodStart: new Date(now.getTime() - elapsed),
        currentPeriodEnd: new Date(now.getTime() - elapsed + periodMs),
        pastDueSince: status === "PAST_DUE" ? new Date(now.getTime() - 3 * 24 * 60 * 60 * 1000) : null,
        endedAt: status === "CANCELED" ? new Date(now.getTime() - 2 * MONTH_MS) : null,
        createdAt: joined,
      },
    });
  }
}
