/** Headline figures against the previous period of the same length: the period, the previous values, and the change. */
import { beforeEach, describe, expect, it } from "vitest";
import { db } from "~/db.server";
import { changeOf } from "~/metrics/comparison";
import { DashboardCache } from "~/metrics/dashboard-cache.server";
import { computeDashboard, type Dashboard, type DashboardRequest } from "~/metrics/dashboard.server";
import { previousPeriod } from "~/metrics/period";
import { SECTIONS } from "~/metrics/sections";
import { addMembership, addNpsAnswer, createPeople, ensureTiers } from "../factories";

const NOW = new Date("2025-07-15T12:00:00Z");
const d = (iso: string) => new Date(iso);

describe("the previous period", () => {
  it("has the same number of days and ends the day before", () => {
    expect(previousPeriod("2025-06-01", "2025-06-30", "2025-07-15")).toEqual({ from: "2025-05-02", to: "2025-05-31" });
    expect(previousPeriod("2025-03-01", "2025-03-01", "2025-07-15")).toEqual({ from: "2025-02-28", to: "2025-02-28" });
    // A period still running counts the days up to today (15 days of July).
    expect(previousPeriod("2025-07-01", "2025-07-31", "2025-07-15")).toEqual({ from: "2025-06-16", to: "2025-06-30" });
    // Across a leap day: 2024-03-01 … 2024-03-31 (31 days) follows 2024-01-30 … 2024-02-29.
    expect(previousPeriod("2024-03-01", "2024-03-31", "2025-07-15")).toEqual({ from: "2024-01-30", to: "2024-02-29" });
  });

  it("compares up, down, unchanged, and not at all without a figure", () => {
    expect(changeOf(85, 80)).toEqual({ direction: "up", delta: 5 });
    expect(changeOf(2, 4.5)).toEqual({ direction: "down", delta: -2.5 });
    expect(changeOf(3, 3)).toEqual({ direction: "same", delta: 0 });
    expect(changeOf(3, null)).toBeNull();
    expect(changeOf(null, 3)).toBeNull();
  });
});

describe("headline figures with the previous period's values", () => {
  beforeEach(async () => {
    await db.$executeRawUnsafe(`TRUNCATE "User" CASCADE`);
    await ensureTiers();
  });

  it("carries the previous period's figures, computed as that period's own dashboard", async () => {
    const [a, b, c, e] = await createPeople(4);
    await addMembership(a.id, { tier: "community", startedAt: d("2025-01-01T00:00:00Z") });
    await addMembership(b.id, { tier: "professional", startedAt: d("2025-06-10T00:00:00Z") });
    await addMembership(c.id, { tier: "community", startedAt: d("2025-01-01T00:00:00Z") });
    await addMembership(e.id, { tier: "community", startedAt: d("2025-01-01T00:00:00Z"), endedAt: d("2025-05-20T00:00:00Z") });
    // May: a promoter and a detractor (NPS 0); June: two promoters (NPS +100).
    await addNpsAnswer(a.id, { score: 10, createdAt: d("2025-05-10T10:00:00Z"), tier: "community" });
    await addNpsAnswer(c.id, { score: 3, createdAt: d("2025-05-11T10:00:00Z"), tier: "community" });
    await addNpsAnswer(a.id, { score: 9, createdAt: d("2025-06-11T10:00:00Z"), tier: "community" });
    await addNpsAnswer(c.id, { score: 10, createdAt: d("2025-06-12T10:00:00Z"), tier: "community" });

    const dash = await computeDashboard({ from: "2025-06-01", to: "2025-06-30", timeZone: "UTC", sections: SECTIONS, now: NOW, compare: true });
    expect(dash.comparison).toMatchObject({ from: "2025-05-02", to: "2025-05-31", startsAt: "2025-05-02T00:00:00.000Z", endsAt: "2025-06-01T00:00:00.000Z" });
    const prev = dash.comparison!.previous;
    // MRR on 1 June: A and C, 2 × 29.00; on 1 July: A, B, C = 29 + 99 + 29.
    expect(prev.mrr).toBe(5_800);
    expect(dash.revenue!.atEnd.mrr).toBe(15_700);
    expect(prev.arpa).toBe(2_900);
    expect(prev.nps).toBe(0);
    expect(dash.nps!.period.score).toBe(100);
    // Previous period: 3 members on 2 May, E left on 20 May, nobody joined: (2 − 0) / 3.
    expect(prev.retention).toBeCloseTo((2 / 3) * 100, 6);
    // Its movements: E's churn of 29.00 from 87.00 at the start: NRR = GRR = 58 / 87; no gains, so a quick ratio of 0.
    expect(prev.nrr).toBeCloseTo((5_800 / 8_700) * 100, 6);
    expect(prev.grr).toBeCloseTo((5_800 / 8_700) * 100, 6);
    expect(prev.quickRatio).toBe(0);
    // The at-risk list is as of now: not compared.
    expect(Object.keys(prev)).not.toContain("atRisk");
  });

  it("has no previous figure where the previous period has no data, never NaN", async () => {
    const [a] = await createPeople(1);
    await addMembership(a.id, { tier: "community", startedAt: d("2025-06-05T00:00:00Z") });
    const dash = await computeDashboard({ from: "2025-06-01", to: "2025-06-30", timeZone: "UTC", sections: SECTIONS, now: NOW, compare: true });
    expect(dash.comparison!.previous).toMatchObject({ mrr: 0, arpa: null, nps: null, retention: null, nrr: null, grr: null, quickRatio: null });
    expect(changeOf(dash.revenue!.atEnd.arpa, dash.comparison!.previous.arpa)).toBeNull();
  });

  it("is computed for the routes' dashboards (the cache asks for it), not for a bare computation", async () => {
    const seen: DashboardRequest[] = [];
    const cache = new DashboardCache({ compute: async (request) => (seen.push(request), { generatedAt: new Date().toISOString() } as Dashboard) });
    await cache.get({ from: "2025-06-01", to: "2025-06-30", timeZone: "UTC", sections: ["revenue"] });
    expect(seen[0].compare).toBe(true);
    const bare = await computeDashboard({ from: "2025-06-01", to: "2025-06-30", timeZone: "UTC", sections: ["revenue"], now: NOW });
    expect(bare.comparison).toBeUndefined();
  });
});
