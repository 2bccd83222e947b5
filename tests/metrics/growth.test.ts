/**
 * The network effect and CAC (growth.server.ts), worked by hand: how each new member came,
 * vouches and their conversion, spend per month, CAC and LTV:CAC; and /admin/metrics/spend,
 * the owner's form, with the input an owner really types (Russian decimal commas, mistakes).
 */
import { beforeAll, beforeEach, describe, expect, it } from "vitest";
import { generateToken, hashToken } from "~/auth/tokens.server";
import { db } from "~/db.server";
import { dashboards } from "~/metrics/dashboard-cache.server";
import { computeDashboard } from "~/metrics/dashboard.server";
import { parseAmount } from "~/metrics/spend";
import { tableCsv } from "~/metrics/csv.server";
import { dashboardTables } from "~/metrics/tables";
import { action as spendAction, loader as spendLoader } from "~/routes/admin.metrics_.spend";
import { addMembership, createApplication, createPeople, createUser, ensureClubSettings, ensureTiers, sessionCookie } from "../factories";
import { appRequest, routeArgs, settle } from "../support/requests";

const NOW = new Date("2025-07-15T12:00:00Z");
const d = (iso: string) => new Date(iso);

async function joinWith(userId: string, { via, at }: { via: "vouch" | "invite" | "application"; at: Date }, voucherId?: string) {
  if (via === "invite") {
    await db.invite.create({ data: { source: "OWNER", tokenHash: hashToken(generateToken()), code: generateToken(), expiresAt: d("2026-01-01T00:00:00Z"), usedAt: at, usedById: userId } });
    return;
  }
  const vouch = via === "vouch" ? await db.vouch.create({ data: { voucherId: voucherId!, email: `${userId}@example.com`, name: "Candidate", tokenHash: hashToken(generateToken()), createdAt: d("2025-04-20T00:00:00Z") } }) : null;
  const { application } = await createApplication({ status: "APPROVED", vouchId: vouch?.id });
  await db.invite.create({ data: { source: "APPROVAL", tokenHash: hashToken(generateToken()), applicationId: application.id, expiresAt: d("2026-01-01T00:00:00Z"), usedAt: at, usedById: userId } });
}

async function vouchFor(voucherId: string, at: Date, { applied }: { applied: boolean }) {
  const email = `candidate-${generateToken().slice(0, 8)}@example.com`;
  const vouch = await db.vouch.create({ data: { voucherId, email, name: "Candidate", tokenHash: hashToken(generateToken()), createdAt: at } });
  if (applied) await createApplication({ status: "NEW", email, vouchId: vouch.id });
}

describe("growth, worked by hand", () => {
  beforeEach(async () => {
    await db.$executeRawUnsafe(`TRUNCATE "User", "Vouch", "Application", "Invite", "AcquisitionSpend" CASCADE`);
    await ensureTiers();
  });

  it("counts how new members came, vouches, spend, CAC and LTV:CAC for May and June 2025", async () => {
    const [v, a, b, c, dd, e] = await createPeople(6);
    const [owner] = await createPeople(1, { role: "OWNER" });
    // V and E were members before the period.
    await addMembership(v.id, { tier: "community", startedAt: d("2025-01-10T00:00:00Z") });
    await addMembership(e.id, { tier: "community", startedAt: d("2025-03-01T00:00:00Z") });
    // A came through V's vouch (made in April) and joined paying on 10 May.
    await joinWith(a.id, { via: "vouch", at: d("2025-05-10T00:00:00Z") }, v.id);
    await addMembership(a.id, { tier: "professional", startedAt: d("2025-05-10T00:00:00Z") });
    // B came with an owner's code on 20 May, complimentary, paying from 15 June: new in May, new paying in June.
    await joinWith(b.id, { via: "invite", at: d("2025-05-20T00:00:00Z") });
    await addMembership(b.id, { tier: "community", status: "COMPLIMENTARY", startedAt: d("2025-05-20T00:00:00Z"), endedAt: d("2025-06-15T00:00:00Z") });
    await addMembership(b.id, { tier: "community", startedAt: d("2025-06-15T00:00:00Z") });
    // C applied openly and joined on 2 June; D was added by staff on 10 June (no invite).
    await joinWith(c.id, { via: "application", at: d("2025-06-02T00:00:00Z") });
    await addMembership(c.id, { tier: "community", startedAt: d("2025-06-02T00:00:00Z") });
    await addMembership(dd.id, { tier: "community", startedAt: d("2025-06-10T00:00:00Z") });
    // Vouches made in the period: V for someone who applied (June), E for someone who did not (May).
    await vouchFor(v.id, d("2025-06-05T00:00:00Z"), { applied: true });
    await vouchFor(e.id, d("2025-05-07T00:00:00Z"), { applied: false });
    // Staff are in no figure: the owner's membership and vouch.
    await addMembership(owner.id, { tier: "private-client", startedAt: d("2025-05-02T00:00:00Z") });
    await vouchFor(owner.id, d("2025-05-08T00:00:00Z"), { applied: true });
    // Spend entered for May only: 1,000.00.
    await db.acquisitionSpend.create({ data: { month: d("2025-05-01T00:00:00Z"), amountMinor: 100_000, currency: "eur" } });

    const dash = await computeDashboard({ from: "2025-05-01", to: "2025-06-30", timeZone: "UTC", sections: ["growth", "ltv"], now: NOW });
    const g = dash.growth!;
    expect(g.joined).toEqual({ total: 4, vouch: 1, invite: 1, application: 1, direct: 1 });
    expect(g.viaMembers).toBe(25);
    expect(g.vouches).toEqual({ made: 2, vouchers: 2, applied: 1, joined: 0, conversion: 0 });
    expect(g.members).toBe(6);
    expect(g.vouchesPerMember).toBeCloseTo(2 / 6, 10);
    expect(g.newPaying).toBe(4);
    // CAC divides May's spend by May's new paying members (A): June has no spend entered.
    expect(g.spend).toBe(100_000);
    expect(g.cac).toBe(100_000);
    expect(g.spendMonths).toEqual(["2025-05-01"]);
    expect(g.missingSpendMonths).toEqual(["2025-06-01"]);
    expect(g.ltvToCac).toBe(dash.ltv!.value === null ? null : dash.ltv!.value / 100_000);

    const [may, june] = g.months;
    expect(may).toMatchObject({ month: "2025-05-01", joined: { total: 2, vouch: 1, invite: 1, application: 0, direct: 0 }, newPaying: 1, spend: 100_000, cac: 100_000 });
    expect(may.vouches).toMatchObject({ made: 1, applied: 0 });
    expect(june).toMatchObject({ month: "2025-06-01", joined: { total: 2, vouch: 0, invite: 0, application: 1, direct: 1 }, newPaying: 3, spend: null, cac: null });
    expect(june.vouches).toMatchObject({ made: 1, applied: 1 });

    // The monthly table and its CSV: each month, then the whole period; Russian decimal commas.
    const table = dashboardTables(dash).find((t) => t.id === "growth-months")!;
    expect(table.rows.map((r) => r[0])).toEqual(["2025-05-01", "2025-06-01"]);
    const csv = tableCsv(table, { locale: "ru", tiers: dash.tiers, currency: dash.currency });
    const lines = csv.replace(/^\uFEFF/, "").trim().split(/\r?\n/);
    expect(lines).toHaveLength(4);
    expect(lines[3].split(";")[0]).toBe("За весь период");
    // May: 2 new (1 vouch, 1 code), 50 % through a member, 1 vouch, 1 new paying, spend and CAC 1 000.
    expect(lines[1].split(";")).toEqual(["2025-05", "2", "1", "1", "0", "0", "50", "1", "0", "1", "1000", "1000"]);
    // June: no spend entered, so no CAC (empty cells, not zero).
    expect(lines[2].split(";").slice(-2)).toEqual(["", ""]);
  });

  it("has no CAC without spend, and a CAC of zero when spend was zero", async () => {
    const [a] = await createPeople(1);
    await addMembership(a.id, { tier: "community", startedAt: d("2025-06-02T00:00:00Z") });
    let g = (await computeDashboard({ from: "2025-06-01", to: "2025-06-30", timeZone: "UTC", sections: ["growth"], now: NOW })).growth!;
    expect(g).toMatchObject({ spend: null, cac: null, ltvToCac: null, viaMembers: 0, missingSpendMonths: ["2025-06-01"] });
    await db.acquisitionSpend.create({ data: { month: d("2025-06-01T00:00:00Z"), amountMinor: 0, currency: "eur" } });
    g = (await computeDashboard({ from: "2025-06-01", to: "2025-06-30", timeZone: "UTC", sections: ["growth"], now: NOW })).growth!;
    expect(g).toMatchObject({ spend: 0, cac: 0 });
  });

  it("compares CAC and the share through members with the previous period", async () => {
    const dash = await computeDashboard({ from: "2025-06-01", to: "2025-06-30", timeZone: "UTC", sections: ["growth"], compare: true, now: NOW });
    expect(dash.comparison!.previous).toHaveProperty("cac");
    expect(dash.comparison!.previous).toHaveProperty("viaMembers");
  });
});

describe("parseAmount", () => {
  it("reads money as each language writes it", () => {
    expect(parseAmount("12 500,50", "ru")).toEqual({ minor: 1_250_050 });
    expect(parseAmount("12\u00a0500", "ru")).toEqual({ minor: 1_250_000 });
    expect(parseAmount("12,500.50", "en")).toEqual({ minor: 1_250_050 });
    expect(parseAmount("12500.5", "en")).toEqual({ minor: 1_250_050 });
    expect(parseAmount("", "en")).toEqual({ minor: null });
    expect(parseAmount("0", "en")).toEqual({ minor: 0 });
  });

  it("refuses what is not an amount", () => {
    expect(parseAmount("-5", "en")).toEqual({ error: "metrics.spend.negative" });
    expect(parseAmount("NaN", "en")).toEqual({ error: "metrics.spend.notAmount" });
    expect(parseAmount("1e5", "en")).toEqual({ error: "metrics.spend.notAmount" });
    expect(parseAmount("12,5", "en")).toEqual({ error: "metrics.spend.notAmount" });
    expect(parseAmount("1.234", "ru")).toEqual({ error: "metrics.spend.notAmountRu" });
    expect(parseAmount("99999999999999", "en")).toEqual({ error: "metrics.spend.tooLarge" });
  });
});

describe("/admin/metrics/spend", () => {
  let owner = "";
  let ownerId = "";
  let curator = "";
  let russianOwner = "";
  beforeAll(async () => {
    await ensureClubSettings();
    const o = await createUser({ role: "OWNER", tier: null });
    const r = await createUser({ role: "OWNER", tier: null, locale: "ru" });
    const c = await createUser({ role: "CURATOR", tier: null });
    ownerId = o.id;
    [owner, russianOwner, curator] = await Promise.all([sessionCookie(o.id), sessionCookie(r.id), sessionCookie(c.id)]);
  });
  beforeEach(async () => {
    await db.$executeRawUnsafe(`TRUNCATE "AcquisitionSpend"`);
  });

  const lastMonth = () => new Date().toISOString().slice(0, 7);
  const monthsAgo = (n: number) => {
    const now = new Date();
    return new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - n, 1)).toISOString().slice(0, 10);
  };
  const post = (cookie: string, rows: Array<[string, string]>) =>
    settle(
      spendAction(
        routeArgs(
          appRequest("/admin/metrics/spend", {
            cookie,
            form: Object.fromEntries(rows.flatMap(([month, amount], i) => [[`months[${i}].month`, month], [`months[${i}].amount`, amount]])),
          }),
        ),
      ),
    );

  it("is the owner's: curators get 403", async () => {
    const page = await settle(spendLoader(routeArgs(appRequest("/admin/metrics/spend", { cookie: curator }))));
    expect((page as Response).status).toBe(403);
    const write = await post(curator, [[monthsAgo(1), "100"]]);
    expect((write as Response).status).toBe(403);
    expect(await db.acquisitionSpend.count()).toBe(0);
  });

  it("lists two years of months, newest first", async () => {
    const page = (await spendLoader(routeArgs(appRequest("/admin/metrics/spend", { cookie: owner })))) as { months: Array<{ month: string }> };
    expect(page.months).toHaveLength(24);
    expect(page.months[0].month.slice(0, 7)).toBe(lastMonth());
  });

  it("saves changed months with one audit row each, in Russian notation, and an emptied month is removed", async () => {
    dashboards.clear();
    const before = await db.auditEntry.count({ where: { action: "metrics.spend" } });
    const saved = (await post(russianOwner, [[monthsAgo(1), "12 500,50"], [monthsAgo(2), "0"], [monthsAgo(3), ""]])) as { saved: number };
    expect(saved.saved).toBe(2);
    const rows = await db.acquisitionSpend.findMany({ orderBy: { month: "desc" } });
    expect(rows.map((r) => [r.month.toISOString().slice(0, 10), r.amountMinor])).toEqual([
      [monthsAgo(1), 1_250_050],
      [monthsAgo(2), 0],
    ]);
    const audit = await db.auditEntry.findMany({ where: { action: "metrics.spend" }, orderBy: { id: "asc" }, skip: before });
    expect(audit.map((a) => [a.subjectId, a.before, a.after])).toEqual([
      [monthsAgo(1), null, { amountMinor: 1_250_050, currency: "eur" }],
      [monthsAgo(2), null, { amountMinor: 0, currency: "eur" }],
    ]);
    // The same form again changes nothing; emptying a month removes it.
    expect(((await post(owner, [[monthsAgo(1), "12500.50"], [monthsAgo(2), "0"]])) as { saved: number }).saved).toBe(0);
    expect(((await post(owner, [[monthsAgo(2), ""]])) as { saved: number }).saved).toBe(1);
    expect(await db.acquisitionSpend.count()).toBe(1);
    const last = await db.auditEntry.findFirst({ where: { action: "metrics.spend" }, orderBy: { id: "desc" } });
    expect(last).toMatchObject({ actorId: ownerId, subjectId: monthsAgo(2), before: { amountMinor: 0, currency: "eur" }, after: null });
  });

  it("refuses negative, non-numeric and future amounts next to the field, and writes nothing", async () => {
    const cases: Array<[string, string, string]> = [
      [monthsAgo(1), "-100", "metrics.spend.negative"],
      [monthsAgo(1), "NaN", "metrics.spend.notAmount"],
      [monthsAgo(-1), "100", "metrics.spend.future"],
      ["2025-13-01", "100", "metrics.spend.badMonth"],
    ];
    for (const [month, amount, message] of cases) {
      const result = await settle(
        spendAction(routeArgs(appRequest("/admin/metrics/spend", { cookie: owner, form: { "months[0].month": monthsAgo(2), "months[0].amount": "50", "months[1].month": month, "months[1].amount": amount } }))),
      );
      const body = result as unknown as { data: { result: { error: Record<string, string[]> } }; init: { status: number } };
      expect(body.init.status).toBe(400);
      expect(Object.values(body.data.result.error).flat()).toContain(message);
    }
    expect(await db.acquisitionSpend.count()).toBe(0);
  });
});
