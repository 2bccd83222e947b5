/**
 * Revenue movements (new, expansion, reactivation, contraction, churn), NRR, GRR and the quick
 * ratio: a worked example computed by hand, a time-zone edge, and random subscription histories
 * against a reference written here, member by member and instant by instant, with the identity
 * MRR(end) = MRR(start) + new + expansion + reactivation − contraction − churn.
 */
import fc from "fast-check";
import { beforeAll, beforeEach, describe, expect, it } from "vitest";
import { db } from "~/db.server";
import { computeDashboard, type RevenueMovements } from "~/metrics/dashboard.server";
import { tableCsv } from "~/metrics/csv.server";
import { dashboardTables } from "~/metrics/tables";
import { addLedgerEntry, addMembership, createPeople, ensureTiers } from "../factories";

const NOW = new Date("2025-07-15T12:00:00Z");
const d = (iso: string) => new Date(iso);

function revenue(from: string, to: string, timeZone = "UTC") {
  return computeDashboard({ from, to, timeZone, sections: ["revenue"], now: NOW }).then((x) => x.revenue!);
}

const sums = (m: RevenueMovements) => ({ start: m.start, new: m.new, expansion: m.expansion, reactivation: m.reactivation, contraction: m.contraction, churn: m.churn, end: m.end });

describe("revenue movements, worked by hand", () => {
  beforeEach(async () => {
    await db.$executeRawUnsafe(`TRUNCATE "User" CASCADE`);
    await ensureTiers();
  });

  it("classifies upgrades, downgrades, cancellations, returns, comps, trials, refunds and same-day changes", async () => {
    const [a, b, c, dd, e, f, g, i, j] = await createPeople(9);
    const [owner] = await createPeople(1, { role: "OWNER" });
    // A: Community (29.00) upgraded to Professional (99.00) on 15 May: one instant ends a row and starts the next.
    await addMembership(a.id, { tier: "community", startedAt: d("2025-01-10T00:00:00Z"), endedAt: d("2025-05-15T10:00:00Z") });
    await addMembership(a.id, { tier: "professional", startedAt: d("2025-05-15T10:00:00Z") });
    // B: Professional downgraded to Community on 3 June.
    await addMembership(b.id, { tier: "professional", startedAt: d("2025-02-01T00:00:00Z"), endedAt: d("2025-06-03T08:00:00Z") });
    await addMembership(b.id, { tier: "community", startedAt: d("2025-06-03T08:00:00Z") });
    // C: Community, cancelled on 20 May, back on 10 June on Professional yearly (990.00 / 12 = 82.50).
    await addMembership(c.id, { tier: "community", startedAt: d("2025-03-01T00:00:00Z"), endedAt: d("2025-05-20T00:00:00Z") });
    await addMembership(c.id, { tier: "professional", interval: "YEAR", startedAt: d("2025-06-10T00:00:00Z") });
    // D: new on 5 May, Private Client (499.00).
    await addMembership(dd.id, { tier: "private-client", startedAt: d("2025-05-05T00:00:00Z") });
    // E: complimentary since April (no MRR), paying Community from 15 June: new business then.
    await addMembership(e.id, { tier: "community", status: "COMPLIMENTARY", startedAt: d("2025-04-01T00:00:00Z"), endedAt: d("2025-06-15T00:00:00Z") });
    await addMembership(e.id, { tier: "community", startedAt: d("2025-06-15T00:00:00Z") });
    // F: a trial from 1 May, paying Community from 15 May.
    await addMembership(f.id, { tier: "community", status: "TRIALING", startedAt: d("2025-05-01T00:00:00Z"), endedAt: d("2025-05-15T00:00:00Z") });
    await addMembership(f.id, { tier: "community", startedAt: d("2025-05-15T00:00:00Z") });
    // G: Professional; on 20 June up to Private Client at 10:00, down to Community at 14:00.
    await addMembership(g.id, { tier: "professional", startedAt: d("2025-01-01T00:00:00Z"), endedAt: d("2025-06-20T10:00:00Z") });
    await addMembership(g.id, { tier: "private-client", startedAt: d("2025-06-20T10:00:00Z"), endedAt: d("2025-06-20T14:00:00Z") });
    await addMembership(g.id, { tier: "community", startedAt: d("2025-06-20T14:00:00Z") });
    // I: Community throughout, refunded in May: a refund moves money, not MRR.
    await addMembership(i.id, { tier: "community", startedAt: d("2025-02-01T00:00:00Z") });
    await addLedgerEntry(i.id, { amount: -2900, occurredAt: d("2025-05-10T00:00:00Z") });
    // J: joined and left within June.
    await addMembership(j.id, { tier: "professional", startedAt: d("2025-06-05T00:00:00Z"), endedAt: d("2025-06-25T00:00:00Z") });
    // Staff are in no figure.
    await addMembership(owner.id, { tier: "private-client", startedAt: d("2025-05-02T00:00:00Z") });

    const r = await revenue("2025-05-01", "2025-06-30");
    const [may, june] = r.movements.months;
    // 1 May: A 29 + B 99 + C 29 + G 99 + I 29 = 285.00.
    expect(may.month).toBe("2025-05-01");
    expect(sums(may)).toEqual({ start: 28_500, new: 52_800, expansion: 7_000, reactivation: 0, contraction: 0, churn: 2_900, end: 85_400 });
    expect(may.members).toEqual({ new: 2, expansion: 1, reactivation: 0, contraction: 0, churn: 1 });
    // 32,600 / 28,500; 25,600 / 28,500; 59,800 / 2,900.
    expect(may.nrr).toBeCloseTo(114.386, 3);
    expect(may.grr).toBeCloseTo(89.825, 3);
    expect(may.quickRatio).toBeCloseTo(20.6207, 4);
    expect(may.net).toBe(56_900);
    expect(may.complete).toBe(true);

    // June: contraction B 70 + G 470; expansion G 400; C returns at 82.50; E and J new; J churns.
    expect(sums(june)).toEqual({ start: 85_400, new: 12_800, expansion: 40_000, reactivation: 8_250, contraction: 54_000, churn: 9_900, end: 82_550 });
    expect(june.members).toEqual({ new: 2, expansion: 1, reactivation: 1, contraction: 2, churn: 1 });
    expect(june.nrr).toBeCloseTo((69_750 / 85_400) * 100, 6);
    expect(june.grr).toBeCloseTo((21_500 / 85_400) * 100, 6);
    expect(june.quickRatio).toBeCloseTo(61_050 / 63_900, 6);

    expect(sums(r.movements.period)).toEqual({ start: 28_500, new: 65_600, expansion: 47_000, reactivation: 8_250, contraction: 54_000, churn: 12_800, end: 82_550 });
    expect(r.movements.period.members).toEqual({ new: 4, expansion: 2, reactivation: 1, contraction: 2, churn: 2 });
    // The closing MRR is the revenue section's own.
    expect(r.months.map((m) => m.mrr)).toEqual([85_400, 82_550]);
    expect(r.atStart.mrr).toBe(28_500);
  });

  it("has no ratio where there is nothing to divide by, and a running month is not complete", async () => {
    const [a] = await createPeople(1);
    await addMembership(a.id, { tier: "community", startedAt: d("2025-07-02T00:00:00Z") });
    const r = await revenue("2025-07-01", "2025-07-31");
    const [july] = r.movements.months;
    expect(sums(july)).toEqual({ start: 0, new: 2_900, expansion: 0, reactivation: 0, contraction: 0, churn: 0, end: 2_900 });
    expect(july).toMatchObject({ nrr: null, grr: null, quickRatio: null, complete: false });
    expect(r.movements.period).toMatchObject({ new: 2_900, nrr: null, quickRatio: null });
  });

  it("puts a movement in the club's local month", async () => {
    const [a] = await createPeople(1);
    // 31 May 22:30 UTC is 1 June 01:30 in Moscow.
    await addMembership(a.id, { tier: "community", startedAt: d("2025-05-31T22:30:00Z") });
    const utc = await revenue("2025-05-01", "2025-06-30", "UTC");
    const moscow = await revenue("2025-05-01", "2025-06-30", "Europe/Moscow");
    expect(utc.movements.months.map((m) => m.new)).toEqual([2_900, 0]);
    expect(moscow.movements.months.map((m) => m.new)).toEqual([0, 2_900]);
  });

  it("exports the movements as a table and CSV, in Russian with ';' and decimal commas", async () => {
    const [a] = await createPeople(1);
    await addMembership(a.id, { tier: "professional", interval: "YEAR", startedAt: d("2025-06-10T00:00:00Z") });
    const dashboard = await computeDashboard({ from: "2025-06-01", to: "2025-06-30", timeZone: "UTC", sections: ["revenue"], now: NOW });
    const table = dashboardTables(dashboard).find((t) => t.id === "revenue-movements")!;
    const csv = tableCsv(table, { locale: "ru", tiers: dashboard.tiers, currency: "eur" });
    const lines = csv.replace(/^\uFEFF/, "").trim().split("\r\n");
    expect(lines[0].split(";")[0]).toBe("Месяц");
    // June 2025: 0 at start, 82.50 new, 82.50 at the end.
    const june = lines[1].split(";");
    expect(june[0]).toBe("2025-06");
    expect(june[1]).toBe("0");
    expect(june[2]).toBe("82,5");
    expect(lines[1]).toContain("82,5");
  });
});

// ---------------------------------------------------------------- random histories
const ORIGIN = Date.UTC(2024, 0, 1);
const DAY = 86_400_000;
const MINUTE = 60_000;

function zoneOffset(t: number, zone: string): number {
  const parts = new Intl.DateTimeFormat("en-US", { timeZone: zone, hourCycle: "h23", year: "numeric", month: "2-digit", day: "2-digit", hour: "2-digit", minute: "2-digit", second: "2-digit" }).formatToParts(new Date(t));
  const get = (type: string) => Number(parts.find((p) => p.type === type)!.value);
  return Date.UTC(get("year"), get("month") - 1, get("day"), get("hour"), get("minute"), get("second")) - Math.floor(t / 1000) * 1000;
}
function midnight(y: number, m: number, day: number, zone: string): number {
  const wall = Date.UTC(y, m, day);
  const t = wall - zoneOffset(wall, zone);
  return wall - zoneOffset(t, zone);
}

type Row = { status: "ACTIVE" | "PAST_DUE" | "CANCELED" | "COMPLIMENTARY" | "TRIALING" | "INCOMPLETE"; tier: number; interval: "MONTH" | "YEAR"; amount: number; start: number; end: number | null };
type Member = { rows: Row[]; refunds: number[] };

/**
 * One member's history: a chain of rows, each starting where the last ended (a plan change, the
 * same instant), or some time after (a return); lengths from minutes (same-day changes) to a
 * year; now and then a second subscription beside the chain, and refunds.
 */
const step = fc.record({
  gap: fc.oneof({ weight: 3, arbitrary: fc.constant(0) }, { weight: 1, arbitrary: fc.integer({ min: 1, max: 90 * 24 * 60 }) }),
  length: fc.oneof(fc.integer({ min: 1, max: 600 }), fc.integer({ min: 600, max: 400 * 24 * 60 })),
  open: fc.boolean(),
  status: fc.constantFrom("ACTIVE", "ACTIVE", "ACTIVE", "PAST_DUE", "COMPLIMENTARY", "TRIALING", "INCOMPLETE") as fc.Arbitrary<Row["status"]>,
  tier: fc.integer({ min: 0, max: 2 }),
  interval: fc.constantFrom("MONTH" as const, "YEAR" as const),
  amount: fc.oneof(fc.constant(0), fc.constantFrom(2900, 9900, 49900, 29000, 99000, 100, 1234), fc.integer({ min: 1, max: 80_000 })),
});
const member: fc.Arbitrary<Member> = fc
  .record({
    first: fc.integer({ min: 0, max: Math.floor((NOW.getTime() - ORIGIN) / MINUTE) - 1 }),
    steps: fc.array(step, { minLength: 1, maxLength: 6 }),
    beside: fc.option(fc.record({ start: fc.integer({ min: 0, max: 500 }), days: fc.integer({ min: 0, max: 200 }), amount: fc.integer({ min: 100, max: 20_000 }) }), { nil: null }),
    refunds: fc.array(fc.integer({ min: 0, max: 560 }), { maxLength: 2 }),
  })
  .map(({ first, steps, beside, refunds }) => {
    const rows: Row[] = [];
    let at = ORIGIN + first * MINUTE;
    for (const [n, s] of steps.entries()) {
      at += s.gap * MINUTE;
      if (at >= NOW.getTime()) break;
      const last = n === steps.length - 1;
      const end = last && s.open ? null : Math.min(NOW.getTime() - MINUTE, at + s.length * MINUTE);
      const status: Row["status"] = end === null ? s.status : s.status === "ACTIVE" ? "CANCELED" : s.status;
      rows.push({ status, tier: s.tier, interval: s.interval, amount: status === "COMPLIMENTARY" ? 0 : s.amount, start: at, end });
      if (end === null) break;
      at = end;
    }
    if (beside) {
      const start = ORIGIN + beside.start * DAY;
      rows.push({ status: beside.days ? "CANCELED" : "ACTIVE", tier: 0, interval: "MONTH", amount: beside.amount, start, end: beside.days ? Math.min(NOW.getTime() - MINUTE, start + beside.days * DAY) : null });
    }
    return { rows, refunds: refunds.map((day) => ORIGIN + day * DAY) };
  });

const histories = fc.record({
  zone: fc.constantFrom("UTC", "Europe/Moscow", "America/New_York"),
  from: fc.integer({ min: 0, max: 550 }),
  days: fc.integer({ min: 0, max: 420 }),
  members: fc.array(member, { minLength: 1, maxLength: 6 }),
});

type Kind = "new" | "expansion" | "reactivation" | "contraction" | "churn";

/** The reference: each member's MRR just before and just after every instant where it changes. */
function reference(h: { zone: string; from: string; to: string; members: Member[] }, months: Array<{ start: number; end: number }>, period: { start: number; end: number }) {
  const paying = (r: Row) => r.status !== "INCOMPLETE" && r.status !== "COMPLIMENTARY" && r.status !== "TRIALING" && r.amount > 0;
  const annual = (r: Row) => (r.interval === "YEAR" ? r.amount : r.amount * 12);
  // Held at instant b: started before b and not ended before b (so a row ending at b still counts at b).
  const annualAt = (rows: Row[], b: number) => rows.filter((r) => paying(r) && r.start < b && (r.end === null || r.end >= b)).reduce((s, r) => s + annual(r), 0);
  const annualAfter = (rows: Row[], t: number) => rows.filter((r) => paying(r) && r.start <= t && (r.end === null || r.end > t)).reduce((s, r) => s + annual(r), 0);
  const events: Array<{ user: number; t: number; kind: Kind; amount: number }> = [];
  h.members.forEach((m, user) => {
    const instants = [...new Set(m.rows.filter(paying).flatMap((r) => [r.start, ...(r.end === null ? [] : [r.end])]))].sort((x, y) => x - y);
    let paidBefore = false;
    for (const t of instants) {
      const before = annualAt(m.rows, t);
      const after = annualAfter(m.rows, t);
      if (before === after) continue;
      const kind: Kind = before === 0 ? (paidBefore ? "reactivation" : "new") : after === 0 ? "churn" : after > before ? "expansion" : "contraction";
      events.push({ user, t, kind, amount: Math.abs(after - before) });
      if (after > 0) paidBefore = true;
    }
  });
  const total = (b: number) => h.members.reduce((s, m) => s + annualAt(m.rows, b), 0) / 12;
  const over = ({ start, end }: { start: number; end: number }) => {
    const within = events.filter((e) => e.t >= start && e.t < end);
    const of = (kind: Kind) => within.filter((e) => e.kind === kind);
    const kinds = ["new", "expansion", "reactivation", "contraction", "churn"] as const;
    return {
      sums: { start: total(start), ...Object.fromEntries(kinds.map((k) => [k, of(k).reduce((s, e) => s + e.amount, 0) / 12])), end: total(end) } as Record<Kind | "start" | "end", number>,
      members: Object.fromEntries(kinds.map((k) => [k, new Set(of(k).map((e) => e.user)).size])),
    };
  };
  return { months: months.map(over), period: over(period) };
}

describe("revenue movements on random histories", () => {
  let tierIds: string[] = [];
  beforeAll(async () => {
    const tiers = await ensureTiers();
    tierIds = [tiers.community.id, tiers.professional.id, tiers["private-client"].id];
  });

  it("agree with the reference, and MRR(end) = MRR(start) + new + expansion + reactivation − contraction − churn", { timeout: 600_000 }, async () => {
    await fc.assert(
      fc.asyncProperty(histories, async ({ zone, from: fromDay, days, members }) => {
        const today = new Date(NOW.getTime() + zoneOffset(NOW.getTime(), zone)).toISOString().slice(0, 10);
        const from = new Date(ORIGIN + fromDay * DAY).toISOString().slice(0, 10);
        const to = new Date(ORIGIN + (fromDay + days) * DAY).toISOString().slice(0, 10);
        if (from > today) return;
        await db.$executeRawUnsafe(`TRUNCATE "User" CASCADE`);
        const ids = members.map((_, n) => `mv-${n}`);
        await db.user.createMany({ data: ids.map((id) => ({ id, email: `${id}@example.com`, name: id })) });
        await db.subscription.createMany({
          data: members.flatMap((m, n) =>
            m.rows.map((r) => ({
              userId: ids[n],
              tierId: tierIds[r.tier],
              status: r.status,
              interval: r.status === "COMPLIMENTARY" ? null : r.interval,
              amount: r.amount,
              startedAt: new Date(r.start),
              endedAt: r.end === null ? null : new Date(r.end),
            })),
          ),
        });
        await db.ledgerEntry.createMany({ data: members.flatMap((m, n) => m.refunds.map((at) => ({ userId: ids[n], kind: "REFUND" as const, amount: -1500, currency: "eur", occurredAt: new Date(at) }))) });

        const dashboard = await computeDashboard({ from, to, timeZone: zone, sections: ["revenue"], now: NOW });
        const r = dashboard.revenue!;
        const monthWindows = dashboard.months.map((m) => ({ start: Date.parse(m.startsAt), end: Date.parse(m.endsAt) }));
        // The month grid itself, checked against this file's own calendar.
        for (const m of dashboard.months) {
          const [y, mo] = [Number(m.month.slice(0, 4)), Number(m.month.slice(5, 7)) - 1];
          expect(Date.parse(m.startsAt)).toBe(Math.min(midnight(y, mo, 1, zone), NOW.getTime()));
          expect(Date.parse(m.endsAt)).toBe(Math.min(midnight(y, mo + 1, 1, zone), NOW.getTime()));
        }
        const ref = reference({ zone, from, to, members }, monthWindows, { start: Date.parse(dashboard.period.startsAt), end: Date.parse(dashboard.period.asOf) });
        const check = (got: RevenueMovements, want: (typeof ref)["period"]) => {
          for (const key of ["start", "new", "expansion", "reactivation", "contraction", "churn", "end"] as const) expect(got[key]).toBeCloseTo(want.sums[key], 6);
          expect(got.members).toEqual(want.members);
          // The identity, on the dashboard's own figures.
          expect(got.start + got.new + got.expansion + got.reactivation - got.contraction - got.churn).toBeCloseTo(got.end, 6);
          expect(got.net).toBeCloseTo(got.end - got.start, 6);
        };
        r.movements.months.forEach((m, n) => check(m, ref.months[n]));
        check(r.movements.period, ref.period);
        // Months chain: one month's end is the next one's start, and the revenue section's MRR (rounded to the cent).
        r.movements.months.forEach((m, n) => {
          if (n > 0) expect(m.start).toBeCloseTo(r.movements.months[n - 1].end, 6);
          expect(Math.abs(m.end - r.months[n].mrr)).toBeLessThanOrEqual(0.5);
        });
      }),
      { numRuns: Number(process.env.PROPERTY_RUNS ?? 60), endOnFailure: true },
    );
  });
});
