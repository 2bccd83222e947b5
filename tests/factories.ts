/** Test data, made the way the app makes it. One place for every test. */
import { randomBytes } from "node:crypto";
import type { Role, SubscriptionStatus } from "~/generated/prisma/client";
import { db } from "~/db.server";
import { hashPassword } from "~/auth/password.server";
import { commitSessionCookie, createSession } from "~/auth/session.server";

let counter = 0;
const unique = () => `${Date.now().toString(36)}${(counter++).toString(36)}${randomBytes(2).toString("hex")}`;

export const TIER_SLUGS = ["community", "professional", "private-client"] as const;
export type TierSlug = (typeof TIER_SLUGS)[number];

/** The demo club's three tiers; created once per database. */
export async function ensureTiers() {
  const specs = [
    { slug: "community", nameEn: "Community", nameRu: "Community", position: 1, monthlyAmount: 2900, yearlyAmount: 29000, canVote: false, voteWeight: 1, referralQuota: 0 },
    { slug: "professional", nameEn: "Professional", nameRu: "Professional", position: 2, monthlyAmount: 9900, yearlyAmount: 99000, canVote: false, voteWeight: 1, referralQuota: 2 },
    { slug: "private-client", nameEn: "Private Client", nameRu: "Private Client", position: 3, monthlyAmount: 49900, yearlyAmount: 499000, canVote: true, voteWeight: 3, referralQuota: 5 },
  ];
  const tiers: Record<string, Awaited<ReturnType<typeof db.tier.upsert>>> = {};
  for (const spec of specs) {
    tiers[spec.slug] = await db.tier.upsert({ where: { slug: spec.slug }, update: {}, create: spec });
  }
  return tiers as Record<TierSlug, (typeof tiers)[string]>;
}

export async function ensureClubSettings() {
  return db.clubSettings.upsert({
    where: { id: 1 },
    update: {},
    create: { id: 1, name: "Test Club", taglineEn: "A test club", taglineRu: "Тестовый клуб", aboutEn: "", aboutRu: "", timeZone: "UTC" },
  });
}

export async function createUser(
  options: {
    role?: Role;
    tier?: TierSlug | null;
    status?: SubscriptionStatus;
    password?: string;
    email?: string;
    name?: string;
    locale?: "en" | "ru";
  } = {},
) {
  const password = options.password ?? "correct horse battery staple";
  const user = await db.user.create({
    data: {
      email: options.email ?? `member-${unique()}@example.com`,
      name: options.name ?? `Member ${unique()}`,
      role: options.role ?? "MEMBER",
      locale: options.locale ?? "en",
      passwordHash: await hashPassword(password),
      emailVerifiedAt: new Date(),
    },
  });
  const tierSlug = options.tier === undefined ? "community" : options.tier;
  if (tierSlug) {
    const tiers = await ensureTiers();
    const tier = tiers[tierSlug];
    await db.subscription.create({
      data: {
        userId: user.id,
        tierId: tier.id,
        status: options.status ?? "ACTIVE",
        interval: "MONTH",
        amount: tier.monthlyAmount ?? 0,
        currency: tier.currency,
        currentPeriodStart: new Date(),
        currentPeriodEnd: new Date(Date.now() + 30 * 86_400_000),
      },
    });
  }
  return { ...user, password };
}

/** A cookie header for a fresh session of the user, as the browser would send it. */
export async function sessionCookie(userId: string): Promise<string> {
  const { token } = await createSession(userId);
  return (await commitSessionCookie(token)).split(";")[0];
}

/** A roadmap item, created the way curators create them (with its first status-history row). */
export async function createRoadmapItem(
  options: { title?: string; description?: string; status?: import("~/generated/prisma/client").RoadmapStatus; authorId?: string } = {},
) {
  const { createItem } = await import("~/roadmap/items.server");
  const authorId = options.authorId ?? (await createUser({ role: "CURATOR", tier: "professional" })).id;
  return createItem(
    { title: options.title ?? `Roadmap item ${unique()}`, description: options.description ?? "An idea worth voting for.", status: options.status },
    authorId,
  );
}

// --- metrics ---------------------------------------------------------------------------

/** People without passwords or subscriptions, made in one INSERT, for metrics histories. */
export async function createPeople(count: number, options: { role?: Role; locale?: "en" | "ru"; createdAt?: Date } = {}) {
  const rows = Array.from({ length: count }, () => {
    const id = unique();
    return {
      id: `person-${id}`,
      email: `person-${id}@example.com`,
      name: `Person ${id}`,
      role: options.role ?? ("MEMBER" as Role),
      locale: options.locale ?? ("en" as const),
      createdAt: options.createdAt ?? new Date(),
    };
  });
  await db.user.createMany({ data: rows });
  return rows;
}

/** A membership span with explicit dates, as billing records it (a new row per tier or price). */
export async function addMembership(
  userId: string,
  options: {
    tier: TierSlug;
    startedAt: Date;
    endedAt?: Date | null;
    status?: SubscriptionStatus;
    interval?: "MONTH" | "YEAR";
    amount?: number;
  },
) {
  const tiers = await ensureTiers();
  const tier = tiers[options.tier];
  const interval = options.interval ?? "MONTH";
  const status = options.status ?? (options.endedAt ? "CANCELED" : "ACTIVE");
  return db.subscription.create({
    data: {
      userId,
      tierId: tier.id,
      status,
      interval: status === "COMPLIMENTARY" ? null : interval,
      amount: options.amount ?? (status === "COMPLIMENTARY" ? 0 : interval === "YEAR" ? tier.yearlyAmount! : tier.monthlyAmount!),
      currency: tier.currency,
      startedAt: options.startedAt,
      endedAt: options.endedAt ?? null,
      createdAt: options.startedAt,
    },
  });
}

/** Money received (an invoice) or returned (a refund, negative), for realized LTV. */
export async function addLedgerEntry(userId: string, options: { amount: number; occurredAt: Date; kind?: "INVOICE_PAID" | "REFUND"; subscriptionId?: string }) {
  return db.ledgerEntry.create({
    data: {
      userId,
      kind: options.kind ?? (options.amount < 0 ? "REFUND" : "INVOICE_PAID"),
      amount: options.amount,
      currency: "eur",
      occurredAt: options.occurredAt,
      subscriptionId: options.subscriptionId ?? null,
    },
  });
}

export async function addActivity(userId: string, kind: "SIGN_IN" | "VISIT" | "POST" | "REPLY" | "VOTE" | "SURVEY", occurredAt: Date) {
  return db.activityEvent.create({ data: { userId, kind, occurredAt } });
}

/** A survey answer (score null: a dismissed prompt) with the tier held when answering. */
export async function addNpsAnswer(userId: string, options: { score: number | null; createdAt: Date; tier?: TierSlug | null; comment?: string }) {
  const tiers = options.tier ? await ensureTiers() : null;
  return db.npsResponse.create({
    data: {
      userId,
      score: options.score,
      comment: options.comment ?? null,
      createdAt: options.createdAt,
      tierId: options.tier && tiers ? tiers[options.tier].id : null,
    },
  });
}
// --- end of metrics ----------------------------------------------------------------

// --- forum -----------------------------------------------------------------------------

/** A forum category with tier access, saved the way an owner saves it at /admin/forum. */
export async function createForumCategory(
  options: { slug?: string; nameEn?: string; nameRu?: string; access?: Partial<Record<TierSlug, "read" | "post">> } = {},
) {
  const { saveCategory } = await import("~/forum/categories.server");
  const tiers = await ensureTiers();
  const slug = options.slug ?? `category-${unique()}`.toLowerCase();
  const access = options.access ?? { community: "post", professional: "post", "private-client": "post" };
  const saved = await saveCategory(null, {
    slug,
    nameEn: options.nameEn ?? `Category ${slug}`,
    nameRu: options.nameRu ?? `Раздел ${slug}`,
    descriptionEn: "",
    descriptionRu: "",
    position: 0,
    access: Object.fromEntries(Object.entries(access).map(([tier, level]) => [tiers[tier as TierSlug].id, level])),
  });
  if (!saved.ok) throw new Error(`createForumCategory: ${saved.error}`);
  return db.forumCategory.findUniqueOrThrow({ where: { id: saved.id } });
}

/** A thread started by the member through the forum's own startThread (so they must be allowed to post). */
export async function createForumThread(author: { id: string }, category: { slug: string }, options: { title?: string; body?: string } = {}) {
  const { forumReaderById } = await import("~/forum/access.server");
  const { startThread } = await import("~/forum/posts.server");
  const reader = await forumReaderById(author.id);
  if (!reader) throw new Error("createForumThread: the author holds no tier");
  return startThread(reader, category.slug, {
    title: options.title ?? `Thread ${unique()}`,
    body: options.body ?? "An opening post with **Markdown**.",
  });
}

/** A reply by the member through the forum's own replyToThread. */
export async function createForumReply(author: { id: string }, threadId: string, body = "A helpful reply.") {
  const { forumReaderById } = await import("~/forum/access.server");
  const { replyToThread } = await import("~/forum/posts.server");
  const reader = await forumReaderById(author.id);
  if (!reader) throw new Error("createForumReply: the author holds no tier");
  return replyToThread(reader, threadId, { body });
}

/* ---------- Admission ---------- */

/** A selection criterion on the application form (admission). */
export async function createCriterion(
  options: {
    kind?: "TEXT" | "CHOICE" | "SCALE";
    required?: boolean;
    titleEn?: string;
    titleRu?: string;
    optionsEn?: string[];
    optionsRu?: string[];
    position?: number;
  } = {},
) {
  const kind = options.kind ?? "SCALE";
  const last = await db.admissionCriterion.aggregate({ _max: { position: true } });
  const name = unique();
  return db.admissionCriterion.create({
    data: {
      kind,
      required: options.required ?? true,
      titleEn: options.titleEn ?? `Criterion ${name}`,
      titleRu: options.titleRu ?? `Критерий ${name}`,
      optionsEn: options.optionsEn ?? (kind === "CHOICE" ? ["First", "Second", "Third"] : []),
      optionsRu: options.optionsRu ?? (kind === "CHOICE" ? ["Первый", "Второй", "Третий"] : []),
      position: options.position ?? (last._max.position ?? 0) + 1,
    },
  });
}

/** An application, verified unless told otherwise, with its token for the applicant's link (admission). */
export async function createApplication(
  options: {
    status?: "UNVERIFIED" | "NEW" | "IN_REVIEW" | "WAITLISTED" | "APPROVED" | "REJECTED";
    email?: string;
    name?: string;
    locale?: "en" | "ru";
    answers?: Record<string, string>;
    vouchId?: string;
    createdAt?: Date;
  } = {},
) {
  const { generateToken, hashToken } = await import("~/auth/tokens.server");
  const token = generateToken();
  const status = options.status ?? "NEW";
  const application = await db.application.create({
    data: {
      email: options.email ?? `applicant-${unique()}@example.com`,
      name: options.name ?? `Applicant ${unique()}`,
      company: "Example Corp",
      jobTitle: "Engineer",
      locale: options.locale ?? "en",
      status,
      accessTokenHash: hashToken(token),
      consentedAt: new Date(),
      emailVerifiedAt: status === "UNVERIFIED" ? null : new Date(),
      vouchId: options.vouchId ?? null,
      createdAt: options.createdAt,
      answers: { create: Object.entries(options.answers ?? {}).map(([criterionId, value]) => ({ criterionId, value })) },
    },
  });
  return { application, token };
}

/** An owner-issued invite code (admission). Valid for 14 days unless told otherwise. */
export async function createInviteCode(
  options: { email?: string; expiresAt?: Date; usedAt?: Date; revokedAt?: Date; emailed?: boolean } = {},
) {
  const { generateToken, hashToken } = await import("~/auth/tokens.server");
  const code = generateToken();
  const invite = await db.invite.create({
    data: {
      source: "OWNER",
      tokenHash: hashToken(code),
      code,
      email: options.email ?? null,
      expiresAt: options.expiresAt ?? new Date(Date.now() + 14 * 86_400_000),
      usedAt: options.usedAt ?? null,
      revokedAt: options.revokedAt ?? null,
      emailedAt: options.emailed ? new Date() : null,
    },
  });
  return { invite, code };
}
