import "./without-stripe-keys";
import { beforeEach, describe, expect, it } from "vitest";
import { currentMembership } from "~/billing/access.server";
import { tierOffers } from "~/billing/tiers.server";
import { db } from "~/db.server";
import { action as memberAction, loader as memberLoader } from "~/routes/admin.members.$userId";
import { loader as membersLoader } from "~/routes/admin.members._index";
import { action as editTierAction } from "~/routes/admin.tiers.$tierId";
import { action as tiersAction, loader as tiersLoader } from "~/routes/admin.tiers._index";
import { action as newTierAction } from "~/routes/admin.tiers.new";
import { addMembership, createUser, ensureClubSettings, ensureTiers, sessionCookie } from "../factories";
import { appRequest, routeArgs, settle } from "../support/requests";

type Reply = { data: { status?: string; error?: Record<string, string[]>; reply?: { status: string; error?: Record<string, string[]> }; result?: string | null }; init: { status: number } };

let tiers: Awaited<ReturnType<typeof ensureTiers>>;
let owner: Awaited<ReturnType<typeof createUser>>;
let ownerCookie: string;
beforeEach(async () => {
  await ensureClubSettings();
  tiers = await ensureTiers();
  owner = await createUser({ role: "OWNER", tier: null });
  ownerCookie = await sessionCookie(owner.id);
});

const VALID_TIER = {
  slug: "founders-circle",
  nameEn: "Founders' Circle",
  nameRu: "Круг основателей",
  descriptionEn: "Dinner with the CTO.",
  descriptionRu: "Ужин с CTO.",
  position: "4",
  currency: "eur",
  monthlyPrice: "990",
  yearlyPrice: "9900,50",
  canVote: "on",
  voteWeight: "5",
  referralQuota: "10",
};

describe("/admin/tiers", () => {
  it("is for owners only", async () => {
    for (const role of ["MEMBER", "CURATOR"] as const) {
      const cookie = await sessionCookie((await createUser({ role })).id);
      expect(((await settle(tiersLoader(routeArgs(appRequest("/admin/tiers", { cookie }))))) as Response).status).toBe(403);
      const created = (await settle(newTierAction(routeArgs(appRequest("/admin/tiers/new", { cookie, form: VALID_TIER }))))) as Response;
      expect(created.status).toBe(403);
    }
    expect(await db.tier.count({ where: { slug: VALID_TIER.slug } })).toBe(0);
  });

  it("lists each tier with prices, entitlements, members and its forum categories (read-only)", async () => {
    const category = await db.forumCategory.create({ data: { slug: "ask-the-cto", nameEn: "Ask the CTO", nameRu: "Вопрос CTO", position: 1 } });
    await db.forumCategoryTier.create({ data: { categoryId: category.id, tierId: tiers["private-client"].id } });
    await createUser({ tier: "private-client" });
    const page = (await tiersLoader(routeArgs(appRequest("/admin/tiers", { cookie: ownerCookie })))) as Awaited<ReturnType<typeof tiersLoader>>;
    const privateClient = page.tiers.find((t) => t.slug === "private-client")!;
    expect(privateClient).toMatchObject({ canVote: true, voteWeight: 3, referralQuota: 5, monthlyAmount: 49900, forumCategories: [{ nameEn: "Ask the CTO", nameRu: "Вопрос CTO" }] });
    expect(privateClient.members).toBeGreaterThanOrEqual(1);
    expect(page.tiers.find((t) => t.slug === "community")!.forumCategories).toEqual([]);
  });

  it("creates a tier, with errors next to the fields for bad input", async () => {
    const bad = (await settle(
      newTierAction(routeArgs(appRequest("/admin/tiers/new", { cookie: ownerCookie, form: { ...VALID_TIER, slug: "Bad Slug", monthlyPrice: "12.345", voteWeight: "0", nameRu: "" } }))),
    )) as Reply;
    expect(bad.init.status).toBe(400);
    expect(Object.keys(bad.data.error!).sort()).toEqual(["monthlyPrice", "nameRu", "slug", "voteWeight"]);

    const noPrice = (await settle(
      newTierAction(routeArgs(appRequest("/admin/tiers/new", { cookie: ownerCookie, form: { ...VALID_TIER, monthlyPrice: "", yearlyPrice: "" } }))),
    )) as Reply;
    expect(noPrice.data.error!.monthlyPrice).toEqual(["billing.tier.amountRequired"]);

    const created = (await settle(newTierAction(routeArgs(appRequest("/admin/tiers/new", { cookie: ownerCookie, form: VALID_TIER }))))) as Response;
    expect(created.status).toBe(302);
    const tier = await db.tier.findUniqueOrThrow({ where: { slug: VALID_TIER.slug } });
    expect(tier).toMatchObject({ monthlyAmount: 99000, yearlyAmount: 990050, canVote: true, voteWeight: 5, referralQuota: 10, position: 4 });
    expect((await tierOffers()).find((o) => o.slug === VALID_TIER.slug)?.prices).toEqual({ MONTH: 99000, YEAR: 990050 });

    const again = (await settle(newTierAction(routeArgs(appRequest("/admin/tiers/new", { cookie: ownerCookie, form: VALID_TIER }))))) as Reply;
    expect(again.data.error!.slug).toEqual(["billing.tier.slugTaken"]);
  });

  it("refuses a price of zero: a membership that is not billed is a complimentary one", async () => {
    for (const monthlyPrice of ["0", "0,00", "00.0"]) {
      const zero = (await settle(
        newTierAction(routeArgs(appRequest("/admin/tiers/new", { cookie: ownerCookie, form: { ...VALID_TIER, slug: "free-for-all", monthlyPrice, yearlyPrice: "" } }))),
      )) as Reply;
      expect(zero.init.status).toBe(400);
      expect(zero.data.error!.monthlyPrice).toEqual(["billing.tier.amountPositive"]);
    }
    expect(await db.tier.count({ where: { slug: "free-for-all" } })).toBe(0);
  });

  it("reads amounts written with spaces between the thousands, as in Russian", async () => {
    const created = (await settle(
      newTierAction(routeArgs(appRequest("/admin/tiers/new", { cookie: ownerCookie, form: { ...VALID_TIER, slug: "thousands", monthlyPrice: "1 000,50", yearlyPrice: "10\u00a0000" } }))),
    )) as Response;
    expect(created.status).toBe(302);
    expect(await db.tier.findUniqueOrThrow({ where: { slug: "thousands" } })).toMatchObject({ monthlyAmount: 100050, yearlyAmount: 1000000 });
    for (const monthlyPrice of ["1 00", "10 000 000", "1,000.50", "1  000"]) {
      const bad = (await settle(
        newTierAction(routeArgs(appRequest("/admin/tiers/new", { cookie: ownerCookie, form: { ...VALID_TIER, slug: "other", monthlyPrice } }))),
      )) as Reply;
      expect(bad.data.error!.monthlyPrice, monthlyPrice).toEqual(["billing.tier.amountInvalid"]);
    }
  });

  it("answers fields sent twice or with odd values with messages of ours, not the validator's", async () => {
    const odd = (await settle(
      newTierAction(
        routeArgs(
          appRequest("/admin/tiers/new", {
            cookie: ownerCookie,
            form: { ...VALID_TIER, slug: "odd-one", monthlyPrice: ["5", "6"], stripeYearlyPriceId: ["price_a", "price_b"], descriptionEn: ["a", "b"], canVote: "yes" },
          }),
        ),
      ),
    )) as Reply;
    expect(odd.init.status).toBe(400);
    expect(odd.data.error).toEqual({
      monthlyPrice: ["billing.tier.amountInvalid"],
      stripeYearlyPriceId: ["billing.tier.priceIdInvalid"],
      descriptionEn: ["form.invalid"],
      canVote: ["form.invalid"],
    });
  });

  it("edits entitlements such as the referral quota, keeping the slug; archived tiers are not offered", async () => {
    const tier = tiers.professional;
    const form = { ...VALID_TIER, slug: "renamed", nameEn: "Professional", nameRu: "Professional", position: "2", referralQuota: "7", canVote: "" };
    const response = (await settle(editTierAction(routeArgs(appRequest(`/admin/tiers/${tier.id}`, { cookie: ownerCookie, form }), { tierId: tier.id })))) as Response;
    expect(response.status).toBe(302);
    expect(await db.tier.findUniqueOrThrow({ where: { id: tier.id } })).toMatchObject({ slug: "professional", referralQuota: 7, canVote: false });

    await tiersAction(routeArgs(appRequest("/admin/tiers", { cookie: ownerCookie, form: { intent: "archive", tierId: tier.id } })));
    expect((await tierOffers()).map((o) => o.slug)).not.toContain("professional");
    await tiersAction(routeArgs(appRequest("/admin/tiers", { cookie: ownerCookie, form: { intent: "restore", tierId: tier.id } })));
    expect((await tierOffers()).map((o) => o.slug)).toContain("professional");
  });
});

describe("billing settings", () => {
  it("lets the owner set the grace period after a failed payment, which access then follows", async () => {
    const member = await createUser({ tier: "professional", status: "PAST_DUE" });
    await db.subscription.updateMany({ where: { userId: member.id }, data: { pastDueSince: new Date(Date.now() - 5 * 86_400_000) } });
    expect(await currentMembership(member.id)).not.toBeNull();
    const bad = (await tiersAction(routeArgs(appRequest("/admin/tiers", { cookie: ownerCookie, form: { intent: "settings", pastDueGraceDays: "-1" } })))) as Reply;
    expect(bad.init.status).toBe(400);
    expect(bad.data.error!.pastDueGraceDays).toEqual(['billing.form.between|{"min":0,"max":60}']);
    await tiersAction(routeArgs(appRequest("/admin/tiers", { cookie: ownerCookie, form: { intent: "settings", pastDueGraceDays: "3" } })));
    expect((await db.clubSettings.findUniqueOrThrow({ where: { id: 1 } })).pastDueGraceDays).toBe(3);
    expect(await currentMembership(member.id)).toBeNull();
  });
});

describe("/admin/members", () => {
  it("lists members with role, tier, status and join date for staff; members get 403", async () => {
    const member = await createUser({ tier: "professional", status: "PAST_DUE", name: "Zinaida Quill" });
    const curatorCookie = await sessionCookie((await createUser({ role: "CURATOR" })).id);
    const page = (await membersLoader(routeArgs(appRequest("/admin/members?q=zinaida", { cookie: curatorCookie })))) as Awaited<ReturnType<typeof membersLoader>>;
    expect(page.members).toHaveLength(1);
    expect(page.members[0]).toMatchObject({ id: member.id, role: "MEMBER", status: "PAST_DUE", tier: { nameEn: "Professional" } });
    expect(page.members[0].joinedAt).toBeInstanceOf(Date);
    const memberCookie = await sessionCookie(member.id);
    expect(((await settle(membersLoader(routeArgs(appRequest("/admin/members", { cookie: memberCookie }))))) as Response).status).toBe(403);
  });

  it("lets the owner grant and revoke a complimentary membership, which takes effect at once", async () => {
    const member = await createUser({ tier: null, locale: "ru" });
    const url = `/admin/members/${member.id}`;
    const act = (form: Record<string, string>, cookie = ownerCookie) =>
      settle(memberAction(routeArgs(appRequest(url, { cookie, form }), { userId: member.id })));

    const curatorCookie = await sessionCookie((await createUser({ role: "CURATOR" })).id);
    expect(((await act({ intent: "grant", tierId: tiers["private-client"].id }, curatorCookie)) as Response).status).toBe(403);
    expect(await currentMembership(member.id)).toBeNull();

    const granted = (await act({ intent: "grant", tierId: tiers["private-client"].id })) as Reply;
    expect(granted.init.status).toBe(200);
    const membership = await currentMembership(member.id);
    expect(membership?.tier.slug).toBe("private-client");
    expect(membership?.subscription).toMatchObject({ status: "COMPLIMENTARY", amount: 0, interval: null });
    const email = await db.email.findFirstOrThrow({ where: { userId: member.id, template: "billing-complimentary" } });
    expect(email.subject).toBe("Вам предоставлено бесплатное членство");

    const twice = (await act({ intent: "grant", tierId: tiers["private-client"].id })) as Reply;
    expect(twice.init.status).toBe(409);
    expect(twice.data.reply!.error![""]).toEqual(["billing.members.alreadyComplimentary"]);

    const record = (await memberLoader(routeArgs(appRequest(url, { cookie: ownerCookie }), { userId: member.id }))) as Awaited<ReturnType<typeof memberLoader>>;
    expect(record.complimentary?.tier.nameEn).toBe("Private Client");

    expect(((await act({ intent: "revoke" })) as Reply).init.status).toBe(200);
    expect(await currentMembership(member.id)).toBeNull();
    const ended = await db.subscription.findFirstOrThrow({ where: { userId: member.id } });
    expect(ended.endedAt).not.toBeNull();
    expect(((await act({ intent: "revoke" })) as Reply).init.status).toBe(409);
  });

  it("shows when a membership cancelled at the period's end ends", async () => {
    const member = await createUser({ tier: null });
    const endsAt = new Date(Date.now() + 12 * 86_400_000);
    const row = await addMembership(member.id, { tier: "professional", startedAt: new Date(Date.now() - 40 * 86_400_000) });
    await db.subscription.update({ where: { id: row.id }, data: { cancelAtPeriodEnd: true, currentPeriodEnd: endsAt } });
    const record = (await memberLoader(routeArgs(appRequest(`/admin/members/${member.id}`, { cookie: ownerCookie }), { userId: member.id }))) as Awaited<
      ReturnType<typeof memberLoader>
    >;
    expect(record.periods[0]).toMatchObject({ endedAt: null, endsAt });
  });

  it("lets the owner make a member a curator and back, but not change an owner", async () => {
    const member = await createUser();
    const role = (userId: string, value: string) =>
      settle(memberAction(routeArgs(appRequest(`/admin/members/${userId}`, { cookie: ownerCookie, form: { intent: "role", role: value } }), { userId })));
    expect(((await role(member.id, "CURATOR")) as Reply).init.status).toBe(200);
    expect((await db.user.findUniqueOrThrow({ where: { id: member.id } })).role).toBe("CURATOR");
    expect(((await role(member.id, "MEMBER")) as Reply).init.status).toBe(200);
    expect((await db.user.findUniqueOrThrow({ where: { id: member.id } })).role).toBe("MEMBER");
    expect(((await role(member.id, "OWNER")) as Reply).init.status).toBe(400);

    const otherOwner = await createUser({ role: "OWNER" });
    const refused = (await role(otherOwner.id, "MEMBER")) as Reply;
    expect(refused.init.status).toBe(409);
    expect((await db.user.findUniqueOrThrow({ where: { id: otherOwner.id } })).role).toBe("OWNER");
    expect(((await role("no-such-user", "CURATOR")) as Response).status).toBe(404);
  });
});
