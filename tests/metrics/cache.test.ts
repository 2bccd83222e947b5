import { beforeAll, describe, expect, it } from "vitest";
import { loader as dashboardLoader } from "~/routes/admin.metrics";
import { loader as csvLoader } from "~/routes/admin.metrics[.]csv";
import { loader as jsonLoader } from "~/routes/admin.metrics[.]json";
import { db } from "~/db.server";
import { DashboardCache, dashboards, DASHBOARD_TTL_MS } from "~/metrics/dashboard-cache.server";
import type { DashboardPageData } from "~/metrics/dashboard-view";
import { SECTIONS } from "~/metrics/sections";
import { addLedgerEntry, addMembership, createUser, ensureClubSettings, sessionCookie } from "../factories";
import { appRequest, routeArgs } from "../support/requests";

const DAY = 86_400_000;
const daysAgo = (n: number) => new Date(Date.now() - n * DAY);
const today = new Date().toISOString().slice(0, 10);
const from = daysAgo(365).toISOString().slice(0, 10);
const year = { from, to: today, timeZone: "UTC", sections: SECTIONS };
let owner = "";
let curator = "";

beforeAll(async () => {
  await ensureClubSettings();
  const o = await createUser({ role: "OWNER", tier: null });
  const c = await createUser({ role: "CURATOR", tier: null });
  const m = await createUser({ tier: null });
  await addMembership(m.id, { tier: "professional", startedAt: daysAgo(200) });
  await addLedgerEntry(m.id, { amount: 9_900, occurredAt: daysAgo(100) });
  [owner, curator] = await Promise.all([sessionCookie(o.id), sessionCookie(c.id)]);
});

const get = (path: string, cookie: string) => routeArgs(appRequest(path, { cookie }));

describe("the dashboard cache", () => {
  it("runs one computation for concurrent identical requests", async () => {
    const cache = new DashboardCache();
    const [a, b] = await Promise.all([cache.get(year), cache.get({ ...year, sections: [...SECTIONS].reverse() })]);
    expect(cache.computations).toBe(1);
    expect(b).toBe(a);
    expect(a.computedAt).toBe(a.generatedAt);
    expect(a.revenue!.atEnd).toEqual({ mrr: 9_900, paying: 1, arpa: 9_900 });
    // A different period is a different computation.
    await cache.get({ ...year, from: daysAgo(30).toISOString().slice(0, 10) });
    expect(cache.computations).toBe(2);
  });

  it("serves a dashboard for a minute from its computation, then computes it again with fresh figures", async () => {
    let clock = Date.now();
    const cache = new DashboardCache({ clock: () => clock });
    const first = await cache.get(year);
    const late = await createUser({ tier: null });
    try {
      await addMembership(late.id, { tier: "professional", startedAt: daysAgo(10) });

      clock += DASHBOARD_TTL_MS - 1_000;
      const kept = await cache.get(year);
      expect(kept).toBe(first);
      expect(kept.revenue!.atEnd.paying).toBe(1);

      clock += 2_000;
      const fresh = await cache.get(year);
      expect(cache.computations).toBe(2);
      expect(fresh.revenue!.atEnd.paying).toBe(2);
      expect(new Date(fresh.computedAt).getTime()).toBe(clock);
    } finally {
      await db.user.delete({ where: { id: late.id } });
    }
  });

  it("keeps at most its number of entries, dropping the least recently used", async () => {
    const cache = new DashboardCache({ maxEntries: 2 });
    const period = (days: number) => ({ ...year, sections: ["engagement" as const], from: daysAgo(days).toISOString().slice(0, 10) });
    await cache.get(period(10));
    await cache.get(period(20));
    await cache.get(period(10)); // used again: now the most recent
    await cache.get(period(30)); // pushes out the 20-day period
    expect(cache.size).toBe(2);
    expect(cache.computations).toBe(3);
    await cache.get(period(10));
    expect(cache.computations).toBe(3);
    await cache.get(period(20));
    expect(cache.computations).toBe(4);
  });

  it("does not keep a failed computation", async () => {
    const cache = new DashboardCache();
    const future = { ...year, from: "2999-01-01", to: "2999-01-31" };
    await expect(Promise.all([cache.get(future), cache.get(future)])).rejects.toThrow(/Not a dashboard period/);
    expect(cache.computations).toBe(1);
    expect(cache.size).toBe(0);
    await expect(cache.get(future)).rejects.toThrow(/Not a dashboard period/);
    expect(cache.computations).toBe(2);
  });
});

describe("the dashboard's routes share the cache", () => {
  it("answers concurrent JSON requests from one computation, with computedAt", async () => {
    dashboards.clear();
    const before = dashboards.computations;
    const responses = (await Promise.all(Array.from({ length: 5 }, () => jsonLoader(get(`/admin/metrics.json?from=${from}&to=${today}`, owner))))) as Response[];
    const bodies = await Promise.all(responses.map((r) => r.json()));
    expect(dashboards.computations - before).toBe(1);
    expect(new Set(bodies.map((b) => b.computedAt)).size).toBe(1);
    expect(Date.now() - new Date(bodies[0].computedAt).getTime()).toBeLessThan(DASHBOARD_TTL_MS);
    expect(bodies[0].revenue.atEnd).toEqual({ mrr: 9_900, paying: 1, arpa: 9_900 });
  });

  it("gives the page, the JSON and the CSV one computation per reader's sections", async () => {
    dashboards.clear();
    const before = dashboards.computations;
    const page = (await dashboardLoader(get("/admin/metrics", owner))) as DashboardPageData;
    const json = await ((await jsonLoader(get("/admin/metrics.json", owner))) as Response).json();
    const csv = (await csvLoader(get("/admin/metrics.csv?table=revenue-tiers", owner))) as Response;
    expect(csv.status).toBe(200);
    expect(dashboards.computations - before).toBe(1);
    expect(json.computedAt).toBe(page.dashboard!.computedAt);
  });

  it("never hands a curator the owner's figures, nor the owner the curator's cut", async () => {
    dashboards.clear();
    const [ownerBody, curatorBody] = await Promise.all(
      [owner, curator].map(async (cookie) => ((await jsonLoader(get("/admin/metrics.json", cookie))) as Response).json()),
    );
    expect(dashboards.size).toBe(2);
    expect(curatorBody.sections).toEqual(["engagement", "atRisk"]);
    for (const section of ["nps", "retention", "cohorts", "churn", "revenue", "ltv"]) expect(curatorBody).not.toHaveProperty(section);
    expect(ownerBody.sections).toEqual(SECTIONS);
    expect(ownerBody.revenue.atEnd.paying).toBe(1);
    // The curator's page, after the owner's, still shows the curator's cut.
    const curatorPage = (await dashboardLoader(get("/admin/metrics", curator))) as DashboardPageData;
    expect(curatorPage.dashboard!.sections).toEqual(["engagement", "atRisk"]);
    expect(curatorPage.dashboard).not.toHaveProperty("revenue");
  });
});
