import type Stripe from "stripe";
import { Prisma, type BillingInterval, type Tier } from "~/generated/prisma/client";
import { DEFAULT_CLUB } from "~/club.server";
import { recordAudit } from "~/audit/audit.server";
import { db } from "~/db.server";
import { isStripeTestMode } from "~/env.server";
import { callStripe, isMissingResource, PaymentServiceUnavailable } from "./stripe.server";
import type { TierInput } from "./schemas";
import { tierAmount } from "./subscriptions.server";

/**
 * Tiers: what each costs (Stripe Prices, with their amounts kept here for the tier picker
 * and MRR) and what it includes. Owners edit them at /admin/tiers.
 */

export const INTERVALS = ["MONTH", "YEAR"] as const satisfies readonly BillingInterval[];

export type TierOffer = {
  id: string;
  slug: string;
  nameEn: string;
  nameRu: string;
  descriptionEn: string;
  descriptionRu: string;
  currency: string;
  /** Price per interval in minor units, or null when the tier is not sold for it. */
  prices: Record<BillingInterval, number | null>;
  canVote: boolean;
  voteWeight: number;
  referralQuota: number;
  forumCategories: Array<{ nameEn: string; nameRu: string }>;
};

/** The Stripe Price a tier is sold at for an interval. Test mode makes one up when none is set. */
export function priceIdFor(tier: Tier, interval: BillingInterval): string | null {
  const configured = interval === "YEAR" ? tier.stripeYearlyPriceId : tier.stripeMonthlyPriceId;
  if (configured) return configured;
  if (isStripeTestMode() && tierAmount(tier, interval) !== null) return `price_test_${tier.slug}_${interval.toLowerCase()}`;
  return null;
}

/** Whether members can buy the tier for this interval: it has a price and an amount to show. */
export function isOffered(tier: Tier, interval: BillingInterval): boolean {
  return !tier.archivedAt && priceIdFor(tier, interval) !== null && tierAmount(tier, interval) !== null;
}

function forumCategoriesOf(tier: { forumCategories?: Array<{ category: { nameEn: string; nameRu: string; position: number } }> }) {
  return (tier.forumCategories ?? [])
    .map((link) => link.category)
    .sort((a, b) => a.position - b.position)
    .map(({ nameEn, nameRu }) => ({ nameEn, nameRu }));
}

/** The tiers a member can choose from, lowest first. */
export async function tierOffers(): Promise<TierOffer[]> {
  const tiers = await db.tier.findMany({
    where: { archivedAt: null },
    orderBy: { position: "asc" },
    include: { forumCategories: { include: { category: { select: { nameEn: true, nameRu: true, position: true } } } } },
  });
  return tiers
    .map((tier) => ({
      id: tier.id,
      slug: tier.slug,
      nameEn: tier.nameEn,
      nameRu: tier.nameRu,
      descriptionEn: tier.descriptionEn,
      descriptionRu: tier.descriptionRu,
      currency: tier.currency,
      prices: {
        MONTH: isOffered(tier, "MONTH") ? tierAmount(tier, "MONTH") : null,
        YEAR: isOffered(tier, "YEAR") ? tierAmount(tier, "YEAR") : null,
      },
      canVote: tier.canVote,
      voteWeight: tier.voteWeight,
      referralQuota: tier.referralQuota,
      forumCategories: forumCategoriesOf(tier),
    }))
    .filter((offer) => offer.prices.MONTH !== null || offer.prices.YEAR !== null);
}

export type TierListing = Tier & {
  forumCategories: Array<{ nameEn: string; nameRu: string }>;
  members: number;
};

/** Every tier for the owner's list, with its entitlements and how many members hold it now. */
export async function listTiers(): Promise<TierListing[]> {
  const tiers = await db.tier.findMany({
    orderBy: [{ archivedAt: { sort: "asc", nulls: "first" } }, { position: "asc" }],
    include: {
      forumCategories: { include: { category: { select: { nameEn: true, nameRu: true, position: true } } } },
      _count: { select: { subscriptions: { where: { endedAt: null, status: { in: ["ACTIVE", "TRIALING", "PAST_DUE", "COMPLIMENTARY"] } } } } },
    },
  });
  return tiers.map(({ forumCategories, _count, ...tier }) => ({
    ...tier,
    forumCategories: forumCategoriesOf({ forumCategories }),
    members: _count.subscriptions,
  }));
}

export function findTier(id: string) {
  return db.tier.findUnique({ where: { id } });
}

// ---------------------------------------------------------------- the owner's form


export type TierFieldErrors = Partial<Record<keyof TierInput, string[]>> & { ""?: string[] };

/** "29", "29.5" or "29,50" in major units → minor units. */
export function toMinorUnits(value: string | undefined): number | null {
  if (!value) return null;
  const [whole, fraction = ""] = value.replace(",", ".").split(".");
  return Number(whole) * 100 + Number(fraction.padEnd(2, "0"));
}

export function fromMinorUnits(value: number | null): string {
  if (value === null) return "";
  return value % 100 === 0 ? String(value / 100) : (value / 100).toFixed(2);
}

/** The form's values for an existing tier. */
export function tierFormValues(tier: Tier) {
  return {
    slug: tier.slug,
    nameEn: tier.nameEn,
    nameRu: tier.nameRu,
    descriptionEn: tier.descriptionEn,
    descriptionRu: tier.descriptionRu,
    position: String(tier.position),
    currency: tier.currency,
    stripeMonthlyPriceId: tier.stripeMonthlyPriceId ?? "",
    stripeYearlyPriceId: tier.stripeYearlyPriceId ?? "",
    monthlyPrice: fromMinorUnits(tier.monthlyAmount),
    yearlyPrice: fromMinorUnits(tier.yearlyAmount),
    canVote: tier.canVote ? "on" : "",
    voteWeight: String(tier.voteWeight),
    referralQuota: String(tier.referralQuota),
  };
}

type PriceCheck = { amount: number; currency: string } | { error: string };

async function checkStripePrice(id: string, interval: BillingInterval): Promise<PriceCheck> {
  let price: Stripe.Price;
  try {
    price = await callStripe("prices.retrieve", (stripe) => stripe.prices.retrieve(id));
  } catch (error) {
    if (isMissingResource(error)) return { error: "billing.tier.priceNotFound" };
    throw error;
  }
  if (!price.active) return { error: "billing.tier.priceInactive" };
  const expected = interval === "YEAR" ? "year" : "month";
  if (price.recurring?.interval !== expected || (price.recurring.interval_count ?? 1) !== 1) {
    return { error: interval === "YEAR" ? "billing.tier.priceNotYearly" : "billing.tier.priceNotMonthly" };
  }
  if (price.unit_amount === null) return { error: "billing.tier.priceNoAmount" };
  if (price.unit_amount <= 0) return { error: "billing.tier.priceFree" };
  return { amount: price.unit_amount, currency: price.currency };
}

export type SaveTierResult = { ok: true; tier: Tier } | { ok: false; errors: TierFieldErrors };

/**
 * Creates or updates a tier. With Stripe keys, each Price id is looked up in Stripe: a Price
 * in another currency than the tier's, or at another amount than one typed in the form, is
 * refused at its field; otherwise its amount is taken from Stripe. In test mode the owner
 * types the amounts. The audit log records the owner (`actorId`; null when no one signed in does it).
 */
export async function saveTier(input: TierInput, existingId?: string, actorId: string | null = null): Promise<SaveTierResult> {
  const errors: TierFieldErrors = {};
  const amounts: Record<BillingInterval, number | null> = {
    MONTH: toMinorUnits(input.monthlyPrice),
    YEAR: toMinorUnits(input.yearlyPrice),
  };
  let currency: string = input.currency;
  const priceIds: Record<BillingInterval, string | null> = {
    MONTH: input.stripeMonthlyPriceId || null,
    YEAR: input.stripeYearlyPriceId || null,
  };
  const idField = { MONTH: "stripeMonthlyPriceId", YEAR: "stripeYearlyPriceId" } as const;
  const amountField = { MONTH: "monthlyPrice", YEAR: "yearlyPrice" } as const;

  if (!isStripeTestMode()) {
    const currencies = new Set<string>();
    try {
      for (const interval of INTERVALS) {
        const id = priceIds[interval];
        if (!id) {
          amounts[interval] = null;
          continue;
        }
        const checked = await checkStripePrice(id, interval);
        if ("error" in checked) errors[idField[interval]] = [checked.error];
        else if (checked.currency !== input.currency) {
          // The tier's currency is the owner's choice; a Price in another one is the wrong Price.
          errors[idField[interval]] = [`billing.tier.priceCurrencyDiffers|${JSON.stringify({ price: checked.currency.toUpperCase(), tier: input.currency.toUpperCase() })}`];
        } else if (amounts[interval] !== null && amounts[interval] !== checked.amount) {
          errors[idField[interval]] = [`billing.tier.priceAmountDiffers|${JSON.stringify({ price: fromMinorUnits(checked.amount), tier: fromMinorUnits(amounts[interval]) })}`];
        } else {
          amounts[interval] = checked.amount;
          currency = checked.currency;
          currencies.add(checked.currency);
        }
      }
    } catch (error) {
      if (error instanceof PaymentServiceUnavailable) return { ok: false, errors: { "": ["billing.unavailable"] } };
      throw error;
    }
    if (currencies.size > 1) errors.stripeYearlyPriceId = ["billing.tier.priceCurrencyMismatch"];
    if (!priceIds.MONTH && !priceIds.YEAR) errors.stripeMonthlyPriceId = ["billing.tier.priceRequired"];
  } else {
    for (const interval of INTERVALS) {
      if (priceIds[interval] && amounts[interval] === null) errors[amountField[interval]] = ["billing.tier.amountRequired"];
    }
    if (amounts.MONTH === null && amounts.YEAR === null) errors.monthlyPrice = ["billing.tier.amountRequired"];
  }
  if (Object.keys(errors).length) return { ok: false, errors };

  const data = {
    nameEn: input.nameEn,
    nameRu: input.nameRu,
    descriptionEn: input.descriptionEn ?? "",
    descriptionRu: input.descriptionRu ?? "",
    position: input.position,
    currency,
    stripeMonthlyPriceId: priceIds.MONTH,
    stripeYearlyPriceId: priceIds.YEAR,
    monthlyAmount: amounts.MONTH,
    yearlyAmount: amounts.YEAR,
    canVote: input.canVote,
    voteWeight: input.voteWeight,
    referralQuota: input.referralQuota,
  };
  try {
    const tier = await db.$transaction(async (tx) => {
      const before = existingId ? await tx.tier.findUnique({ where: { id: existingId } }) : null;
      const saved = existingId
        ? await tx.tier.update({ where: { id: existingId }, data }) // the slug names the tier for good
        : await tx.tier.create({ data: { ...data, slug: input.slug } });
      await recordAudit(tx, {
        actorId,
        action: "tier.update",
        subjectType: "Tier",
        subjectId: saved.id,
        before: before ? tierSettings(before) : null,
        after: { change: existingId ? "update" : "create", ...tierSettings(saved) },
      });
      return saved;
    });
    return { ok: true, tier };
  } catch (error) {
    if (error instanceof Prisma.PrismaClientKnownRequestError && error.code === "P2002") {
      const taken = await db.tier.findFirst({
        where: {
          id: existingId ? { not: existingId } : undefined,
          OR: [
            { slug: input.slug },
            ...(priceIds.MONTH ? [{ stripeMonthlyPriceId: priceIds.MONTH }, { stripeYearlyPriceId: priceIds.MONTH }] : []),
            ...(priceIds.YEAR ? [{ stripeMonthlyPriceId: priceIds.YEAR }, { stripeYearlyPriceId: priceIds.YEAR }] : []),
          ],
        },
      });
      if (!existingId && taken?.slug === input.slug) return { ok: false, errors: { slug: ["billing.tier.slugTaken"] } };
      const field = taken && [taken.stripeMonthlyPriceId, taken.stripeYearlyPriceId].includes(priceIds.MONTH) ? "stripeMonthlyPriceId" : "stripeYearlyPriceId";
      return { ok: false, errors: { [field]: ["billing.tier.priceTaken"] } };
    }
    throw error;
  }
}

/** A tier's settings as the audit log keeps them. */
function tierSettings(tier: Tier) {
  const { slug, nameEn, nameRu, position, currency, monthlyAmount, yearlyAmount, stripeMonthlyPriceId, stripeYearlyPriceId, canVote, voteWeight, referralQuota } = tier;
  return { slug, nameEn, nameRu, position, currency, monthlyAmount, yearlyAmount, stripeMonthlyPriceId, stripeYearlyPriceId, canVote, voteWeight, referralQuota };
}

/** Archived tiers are no longer offered; members who hold one keep it. */
export async function setTierArchived(id: string, archived: boolean, actorId: string) {
  return db.$transaction(async (tx) => {
    const before = await tx.tier.findUniqueOrThrow({ where: { id }, select: { archivedAt: true } });
    const tier = await tx.tier.update({ where: { id }, data: { archivedAt: archived ? new Date() : null } });
    if (Boolean(before.archivedAt) !== archived) {
      await recordAudit(tx, { actorId, action: "tier.update", subjectType: "Tier", subjectId: id, before: { archived: !archived }, after: { change: archived ? "archive" : "restore", archived } });
    }
    return tier;
  });
}

/** How long a member keeps access after a failed payment (ClubSettings.pastDueGraceDays). */
export async function setPastDueGraceDays(days: number, actorId: string) {
  await db.$transaction(async (tx) => {
    const before = await tx.clubSettings.findUnique({ where: { id: 1 }, select: { pastDueGraceDays: true } });
    await tx.clubSettings.upsert({
      where: { id: 1 },
      update: { pastDueGraceDays: days },
      create: { id: 1, ...DEFAULT_CLUB, pastDueGraceDays: days },
    });
    await recordAudit(tx, {
      actorId,
      action: "club.settings",
      subjectType: "ClubSettings",
      subjectId: "1",
      before: { pastDueGraceDays: before?.pastDueGraceDays ?? null },
      after: { pastDueGraceDays: days },
    });
  });
}
