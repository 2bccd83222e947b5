/**
 * Random club histories: the dashboard (SQL) against a plain reference computation written
 * here from the product's definitions, member by member and boundary by boundary, with its
 * own time-zone arithmetic (Intl) and its own calendar helpers.
 */
import fc from "fast-check";
import { beforeAll, describe, expect, it } from "vitest";
import { db } from "~/db.server";
import { computeDashboard, type Dashboard } from "~/metrics/dashboard.server";
import { SECTIONS } from "~/metrics/sections";
import { ensureTiers } from "../factories";

const NOW = Date.UTC(2025, 6, 15, 12, 0, 0); // 15 July 2025, 12:00 UTC
const ORIGIN = Date.UTC(2024, 0, 1);
const DAY = 86_400_000;
const ZONES = ["UTC", "Europe/Moscow", "America/New_York", "Asia/Kolkata", "Australia/Adelaide"];
const KINDS = ["SIGN_IN", "VISIT", "POST", "REPLY", "VOTE", "SURVEY"] as const;
const STATUSES = ["ACTIVE", "ACTIVE", "ACTIVE", "PAST_DUE", "CANCELED", "CANCELED", "COMPLIMENTARY", "TRIALING", "INCOMPLETE"] as const;

// ---------------------------------------------------------------- reference calendar
function zoneOffset(t: number, zone: string): number {
  const parts = new Intl.DateTimeFormat("en-US", {
    timeZone: zone,
    hourCycle: "h23",
    year: "numeric",
    month: "2-digit",
    day: "2-digit",
    hour: "2-digit",
    minute: "2-digit",
    second: "2-digit",
  }).formatToParts(new Date(t));
  const get = (type: string) => Number(parts.find((p) => p.type === type)!.value);
  return Date.UTC(get("year"), get("month") - 1, get("day"), get("hour"), get("minute"), get("second")) - Math.floor(t / 1000) * 1000;
}
/** The instant a calendar date begins in a zone. */
function midnight(y: number, m: number, d: number, zone: string): number {
  const wall = Date.UTC(y, m, d);
  let t = wall - zoneOffset(wall, zone);
  t = wall - zoneOffset(t, zone);
  return t;
}
type Ymd = { y: number; m: number; d: number };
const ymd = (s: string): Ymd => ({ y: Number(s.slice(0, 4)), m: Number(s.slice(5, 7)) - 1, d: Number(s.slice(8, 10)) });
const iso = ({ y, m, d }: Ymd) => new Date(Date.UTC(y, m, d)).toISOString().slice(0, 10);
const plusDays = (s: string, n: number) => {
  const { y, m, d } = ymd(s);
  return iso({ y, m, d: d + n });
};
function localDate(t: number, zone: string): string {
  return new Date(t + zoneOffset(t, zone)).toISOString().slice(0, 10);
}

// ---------------------------------------------------------------- generated history
type Span = { user: number; tier: number; status: (typeof STATUSES)[number]; interval: "MONTH" | "YEAR"; amount: number; start: number; end: number | null };
type History = {
  zone: string;
  from: string;
  to: string;
  users: number;
  spans: Span[];
  answers: Array<{ user: number; at: number; score: number | null; tier: number | null }>;
  events: Array<{ user: number; at: number; kind: (typeof KINDS)[number] }>;
  ledger: Array<{ user: number; at: number; amount: number }>;
};

// Any minute, or exactly a midnight in UTC or in Moscow (UTC+3), where a boundary off by one would show.
const instant = fc.oneof(
  { weight: 4, arbitrary: fc.integer({ min: 0, max: Math.floor((NOW - ORIGIN) / 60_000) - 1 }).map((minutes) => ORIGIN + minutes * 60_000) },
  { weight: 1, arbitrary: fc.integer({ min: 1, max: 560 }).map((days) => ORIGIN + days * DAY) },
  { weight: 1, arbitrary: fc.integer({ min: 1, max: 560 }).map((days) => ORIGIN + days * DAY - 3 * 3_600_000) },
);
const dayOf = (max: number) => fc.integer({ min: 30, max }).map((n) => new Date(ORIGIN + n * DAY).toISOString().slice(0, 10));

const history: fc.Arbitrary<History> = fc
  .record({
    zone: fc.constantFrom(...ZONES),
    // A period starts on or before today (14 July 2025 is the last safe day in every zone) and may end after it.
    a: dayOf(560),
    b: dayOf(620),
    users: fc.integer({ min: 1, max: 7 }),
  })
  .chain(({ zone, a, b, users }) =>
    fc.record({
      zone: fc.constant(zone),
      from: fc.constant(a < b ? a : b),
      to: fc.constant(a < b ? b : a),
      users: fc.constant(users),
      spans: fc.array(
        fc.record({
          user: fc.integer({ min: 0, max: users - 1 }),
          tier: fc.integer({ min: 0, max: 2 }),
          status: fc.constantFrom(...STATUSES),
          interval: fc.constantFrom("MONTH" as const, "YEAR" as const),
          amount: fc.oneof(fc.constant(0), fc.integer({ min: 100, max: 60_000 })),
          start: instant,
          length: fc.option(fc.integer({ min: 0, max: 400 * 24 * 60 }), { nil: null }),
        }).map(({ length, ...s }) => ({ ...s, end: length === null && s.status !== "CANCELED" ? null : Math.min(NOW - 60_000, s.start + (length ?? 1_000) * 60_000) })),
        { maxLength: 12 },
      ),
      answers: fc.array(
        fc.record({ user: fc.integer({ min: 0, max: users - 1 }), at: instant, score: fc.option(fc.integer({ min: 0, max: 10 }), { nil: null }), tier: fc.option(fc.integer({ min: 0, max: 2 }), { nil: null }) }),
        { maxLength: 12 },
      ),
      events: fc.array(fc.record({ user: fc.integer({ min: 0, max: users - 1 }), at: instant, kind: fc.constantFrom(...KINDS) }), { maxLength: 30 }),
      ledger: fc.array(fc.record({ user: fc.integer({ min: 0, max: users - 1 }), at: instant, amount: fc.integer({ min: -20_000, max: 60_000 }) }), { maxLength: 8 }),
    }),
  );

// ---------------------------------------------------------------- reference figures
function reference(h: History, tierIds: string[]) {
  const spans = h.spans.filter((s) => s.status !== "INCOMPLETE" && (s.end === null || s.end >= s.start));
  const paying = (s: Span) => s.status !== "COMPLIMENTARY" && s.status !== "TRIALING" && s.amount > 0;
  const covers = (s: Span, b: number) => s.start < b && (s.end === null || s.end >= b);
  const tierAt = (u: number, b: number, onlyPaying = false) => {
    const held = spans.filter((s) => s.user === u && covers(s, b) && (!onlyPaying || paying(s)));
    return held.length ? Math.max(...held.map((s) => s.tier)) : null;
  };
  const users = Array.from({ length: h.users }, (_, u) => u);
  const membersAt = (b: number) => users.filter((u) => tierAt(u, b) !== null);
  const payingAt = (b: number) => users.filter((u) => tierAt(u, b, true) !== null);
  const annualAt = (b: number, tier?: number) =>
    spans.filter((s) => paying(s) && covers(s, b) && (tier === undefined || s.tier === tier)).reduce((sum, s) => sum + (s.interval === "YEAR" ? s.amount : s.amount * 12), 0);

  const today = localDate(NOW, h.zone);
  const countedToNow = h.to >= today;
  const S = midnight(ymd(h.from).y, ymd(h.from).m, ymd(h.from).d, h.zone);
  const toPlus = ymd(plusDays(h.to, 1));
  const E = midnight(toPlus.y, toPlus.m, toPlus.d, h.zone);
  const asOf = countedToNow ? NOW : E;
  const clip = (t: number) => Math.min(t, NOW);
  const last = countedToNow ? today : h.to;
  const months: Array<{ y: number; m: number; start: number; end: number; rawEnd: number }> = [];
  for (let { y, m } = ymd(h.from); y * 12 + m <= ymd(last).y * 12 + ymd(last).m; m += 1) {
    if (m === 12) {
      y += 1;
      m = 0;
    }
    const start = midnight(y, m, 1, h.zone);
    const rawEnd = midnight(y, m + 1, 1, h.zone);
    months.push({ y, m, start, end: clip(rawEnd), rawEnd });
  }

  // NPS: every answer in the window counts (one counting rule, as Delighted counts).
  const npsIn = (lo: number, hi: number) => h.answers.filter((a): a is typeof a & { score: number } => a.score !== null && a.at >= lo && a.at < hi);
  const npsCounts = (list: Array<{ score: number }>) => ({
    promoters: list.filter((a) => a.score >= 9).length,
    passives: list.filter((a) => a.score === 7 || a.score === 8).length,
    detractors: list.filter((a) => a.score <= 6).length,
  });

  // Churn of a month: paying at its start, not paying at its (clipped) end.
  const churn = (start: number, end: number, tier?: number) => {
    const atStart = payingAt(start).filter((u) => tier === undefined || tierAt(u, start, true) === tier);
    const lost = atStart.filter((u) => tierAt(u, end, true) === null).length;
    return { start: atStart.length, lost };
  };
  const mrr = (b: number, tier?: number) => Math.round(annualAt(b, tier) / 12);

  const closing = countedToNow ? ymd(today) : toPlus;
  const trailing = [-6, -5, -4, -3, -2, -1].map((k) => {
    const start = midnight(closing.y, closing.m + k, 1, h.zone);
    const end = midnight(closing.y, closing.m + k + 1, 1, h.zone);
    return churn(start, end);
  });
  const rates = trailing.filter((c) => c.start > 0).map((c) => (c.lost / c.start) * 100);
  const averageChurn = rates.length ? rates.reduce((a, b) => a + b, 0) / rates.length : null;
  const payingEnd = payingAt(asOf).length;
  const arpa = payingEnd ? mrr(asOf) / payingEnd : null;
  const ltv = arpa === null || averageChurn === null || averageChurn === 0 ? null : Math.round(arpa / (averageChurn / 100));

  // Realized: everything paid before the end, per person who had joined or paid by then.
  const customers = new Set([...spans.filter((s) => s.start < asOf).map((s) => s.user), ...h.ledger.filter((l) => l.at < asOf).map((l) => l.user)]);
  const netPaid = h.ledger.filter((l) => l.at < asOf).reduce((sum, l) => sum + l.amount, 0);

  // Engagement.
  const engagementIn = (lo: number, hi: number, at: number) => {
    const members = membersAt(at);
    const active = members.filter((u) => h.events.some((e) => e.user === u && e.at >= lo && e.at < hi));
    const posts = h.events.filter((e) => active.includes(e.user) && e.at >= lo && e.at < hi && (e.kind === "POST" || e.kind === "REPLY")).length;
    const contributors = members.filter((u) => h.events.some((e) => e.user === u && e.at >= lo && e.at < hi && ["POST", "REPLY", "VOTE"].includes(e.kind))).length;
    return { members: members.length, active: active.length, posts, contributors };
  };

  // Cohorts: the month of each person's first paid membership.
  const firstPaid = new Map<number, number>();
  for (const s of spans.filter(paying)) firstPaid.set(s.user, Math.min(firstPaid.get(s.user) ?? Infinity, s.start));
  const cohorts = months.map((month) => {
    const members = users.filter((u) => firstPaid.has(u) && firstPaid.get(u)! >= month.start && firstPaid.get(u)! < month.rawEnd);
    const cells: number[] = [];
    for (let n = 0; midnight(month.y, month.m + n, 1, h.zone) <= NOW; n += 1) {
      const b = clip(midnight(month.y, month.m + n + 1, 1, h.zone));
      cells.push(members.filter((u) => tierAt(u, b, true) !== null).length);
    }
    return { size: members.length, cells };
  });

  // At risk now: MEMBER people holding a membership, detractors by latest answer or quiet 30+ days.
  const current = membersAt(NOW);
  const detractor = (u: number) => {
    const answers = h.answers.filter((a) => a.user === u && a.score !== null && a.at < NOW).sort((a, b) => b.at - a.at);
    return answers.length > 0 && answers[0].score! <= 6;
  };
  const quiet = (u: number) => {
    const lastEvent = Math.max(-Infinity, ...h.events.filter((e) => e.user === u).map((e) => e.at));
    const joined = Math.min(...spans.filter((s) => s.user === u).map((s) => s.start));
    return Math.max(lastEvent, joined) <= NOW - 30 * DAY;
  };

  const start = membersAt(S);
  const end = membersAt(asOf);
  return {
    nps: npsCounts(npsIn(S, E)),
    npsByTier: tierIds.map((_, t) => npsCounts(npsIn(S, E).filter((a) => a.tier === t))),
    npsByMonth: months.map((m) => npsCounts(npsIn(m.start, m.end))),
    retention: { start: start.length, end: end.length, joined: end.filter((u) => !start.includes(u)).length, retained: end.filter((u) => start.includes(u)).length },
    churn: months.map((m) => churn(m.start, m.end)),
    revenue: {
      atStart: { mrr: mrr(S), paying: payingAt(S).length },
      atEnd: { mrr: mrr(asOf), paying: payingEnd },
      months: months.map((m) => ({ mrr: mrr(m.end), paying: payingAt(m.end).length })),
      byTier: tierIds.map((_, t) => ({ mrr: mrr(asOf, t), paying: payingAt(asOf).filter((u) => tierAt(u, asOf, true) === t).length })),
    },
    ltv: { trailing, value: ltv },
    realized: { netPaid, members: customers.size },
    engagement: {
      window: engagementIn(asOf - 30 * DAY, asOf, asOf),
      months: months.map((m) => engagementIn(m.start, m.end, m.end)),
    },
    cohorts,
    atRisk: {
      total: current.filter((u) => detractor(u) || quiet(u)).length,
      detractors: current.filter(detractor).length,
      inactive: current.filter(quiet).length,
    },
  };
}

// ---------------------------------------------------------------- writing a history
let tierIds: string[] = [];

async function store(h: History) {
  await db.$executeRawUnsafe(`TRUNCATE "User" CASCADE`);
  const ids = Array.from({ length: h.users }, (_, u) => `prop-${u}`);
  await db.user.createMany({ data: ids.map((id) => ({ id, email: `${id}@example.com`, name: id })) });
  await db.subscription.createMany({
    data: h.spans.map((s) => ({
      userId: ids[s.user],
      tierId: tierIds[s.tier],
      status: s.status,
      interval: s.status === "COMPLIMENTARY" ? null : s.interval,
      amount: s.amount,
      startedAt: new Date(s.start),
      endedAt: s.end === null ? null : new Date(s.end),
    })),
  });
  await db.npsResponse.createMany({ data: h.answers.map((a) => ({ userId: ids[a.user], score: a.score, tierId: a.tier === null ? null : tierIds[a.tier], createdAt: new Date(a.at) })) });
  await db.activityEvent.createMany({ data: h.events.map((e) => ({ userId: ids[e.user], kind: e.kind, occurredAt: new Date(e.at) })) });
  await db.ledgerEntry.createMany({
    data: h.ledger.map((l) => ({ userId: ids[l.user], kind: l.amount < 0 ? ("REFUND" as const) : ("INVOICE_PAID" as const), amount: l.amount, currency: "eur", occurredAt: new Date(l.at) })),
  });
}

function compare(d: Dashboard, r: ReturnType<typeof reference>) {
  const counts = (n: { promoters: number; passives: number; detractors: number }) => ({ promoters: n.promoters, passives: n.passives, detractors: n.detractors });
  expect(counts(d.nps!.period)).toEqual(r.nps);
  expect(d.nps!.byTier.filter((t) => t.tierId !== null).map(counts)).toEqual(r.npsByTier);
  expect(d.nps!.byMonth.map(counts)).toEqual(r.npsByMonth);
  expect({ start: d.retention!.start, end: d.retention!.end, joined: d.retention!.joined, retained: d.retention!.retained }).toEqual(r.retention);
  expect(d.churn!.months.map((m) => ({ start: m.start, lost: m.lost }))).toEqual(r.churn);
  expect({ mrr: d.revenue!.atStart.mrr, paying: d.revenue!.atStart.paying }).toEqual(r.revenue.atStart);
  expect({ mrr: d.revenue!.atEnd.mrr, paying: d.revenue!.atEnd.paying }).toEqual(r.revenue.atEnd);
  expect(d.revenue!.months.map((m) => ({ mrr: m.mrr, paying: m.paying }))).toEqual(r.revenue.months);
  expect(d.revenue!.byTier.map((t) => ({ mrr: t.mrr, paying: t.paying }))).toEqual(r.revenue.byTier);
  expect(d.ltv!.trailingMonths.map((m) => ({ start: m.start, lost: m.lost }))).toEqual(r.ltv.trailing);
  expect(d.ltv!.value).toBe(r.ltv.value);
  expect({ netPaid: d.ltv!.realized.netPaid, members: d.ltv!.realized.members }).toEqual(r.realized);
  const e = (x: { members: number; active: number; posts: number; contributors: number }) => ({ members: x.members, active: x.active, posts: x.posts, contributors: x.contributors });
  expect(e(d.engagement!)).toEqual({ ...r.engagement.window, contributors: r.engagement.window.contributors });
  expect(d.engagement!.months.map(e)).toEqual(r.engagement.months);
  expect(d.cohorts!.rows.map((row) => ({ size: row.size, cells: row.cells.map((c) => c.paying) }))).toEqual(r.cohorts);
  expect({ total: d.atRisk!.total, detractors: d.atRisk!.detractors, inactive: d.atRisk!.inactive }).toEqual(r.atRisk);
}

describe("the dashboard against a reference computation", () => {
  beforeAll(async () => {
    const tiers = await ensureTiers();
    tierIds = [tiers.community.id, tiers.professional.id, tiers["private-client"].id];
  });

  it("agrees on random histories, periods and time zones", { timeout: 600_000 }, async () => {
    await fc.assert(
      fc.asyncProperty(history, async (h) => {
        await store(h);
        const d = await computeDashboard({ from: h.from, to: h.to, timeZone: h.zone, sections: SECTIONS, now: new Date(NOW) });
        compare(d, reference(h, tierIds));
      }),
      { numRuns: Number(process.env.PROPERTY_RUNS ?? 40), endOnFailure: true },
    );
  });
});
