import { db } from "~/db.server";
import { Prisma } from "~/generated/prisma/client";
import { atRiskSummary, type AtRiskSummary } from "./at-risk.server";
import {
  arpa,
  averageRate,
  churnRate,
  ltv,
  mrrFromAnnual,
  nps,
  ratio,
  realizedLtv,
  retentionRate,
  share,
  type LtvFigure,
  type NpsFigure,
} from "./formulas";
import { addDays, addMonths, monthOf, todayIn } from "./period";
import { spansCte } from "./spans.server";
import type { Section } from "./sections";

/**
 * The owner's dashboard, computed in PostgreSQL. Every query aggregates over indexed
 * columns and returns a few dozen rows; no member-level rows are loaded into JavaScript.
 *
 * Definitions (docs/architecture.md "Metrics" has the full list):
 *  - A membership is a Subscription row that is not INCOMPLETE, held from startedAt until
 *    endedAt (or, for a CANCELED/UNPAID row without endedAt, until its last update).
 *  - A member "at" a boundary instant b holds a membership that started before b and had not
 *    ended before b; a member's tier there is the highest tier they hold. Events at instants in
 *    [start, end) belong to a period.
 *  - A paying member holds a membership that is not COMPLIMENTARY or TRIALING, at a price
 *    above zero. MRR is the sum of their prices per month (yearly prices / 12).
 *  - Periods are whole days in the club's time zone; a period that reaches today is counted
 *    up to now ("as of"). Monthly series cover the calendar months the period overlaps.
 */

export type TierRef = { id: string; slug: string; nameEn: string; nameRu: string; position: number };

export type MonthRef = { month: string; startsAt: string; endsAt: string; complete: boolean };

export type TierNps = NpsFigure & { tierId: string | null };
export type MonthNps = NpsFigure & { month: string };

export type RetentionFigure = { start: number; end: number; joined: number; retained: number; rate: number | null };

export type CohortRow = {
  month: string;
  size: number;
  cells: Array<{ offset: number; paying: number; share: number | null; partial: boolean }>;
};

export type ChurnMonth = { month: string; start: number; lost: number; rate: number | null; complete: boolean };

export type RevenuePoint = { mrr: number; paying: number; arpa: number | null };

export type Dashboard = {
  period: {
    from: string;
    to: string;
    timeZone: string;
    startsAt: string;
    endsAt: string;
    /** The instant the period's closing figures are taken at: its end, or now if that is sooner. */
    asOf: string;
    countedToNow: boolean;
  };
  months: MonthRef[];
  currency: string;
  tiers: TierRef[];
  sections: Section[];
  nps?: { period: NpsFigure; byTier: TierNps[]; byMonth: MonthNps[] };
  retention?: RetentionFigure & { byTier: Array<RetentionFigure & { tierId: string }> };
  cohorts?: { tierId: string | null; rows: CohortRow[]; maxOffset: number };
  churn?: {
    months: ChurnMonth[];
    /** Mean monthly churn over the period's complete months. */
    average: number | null;
    averageOver: string[];
    byTier: Array<{ tierId: string; start: number; lost: number; average: number | null }>;
  };
  revenue?: {
    atStart: RevenuePoint;
    atEnd: RevenuePoint;
    byTier: Array<RevenuePoint & { tierId: string }>;
    months: Array<RevenuePoint & { month: string }>;
  };
  ltv?: LtvFigure & {
    arpa: number | null;
    trailingMonths: ChurnMonth[];
    averageChurn: number | null;
    byTier: Array<LtvFigure & { tierId: string; arpa: number | null; averageChurn: number | null }>;
    realized: { netPaid: number; members: number; value: number | null };
    realizedByTier: Array<{ tierId: string | null; netPaid: number; members: number; value: number | null }>;
  };
  engagement?: {
    window: { startsAt: string; endsAt: string };
    members: number;
    active: number;
    activeShare: number | null;
    posts: number;
    postsPerActive: number | null;
    thisMonth: { month: string; members: number; contributors: number; share: number | null };
    byTier: Array<{ tierId: string; members: number; active: number; activeShare: number | null; posts: number; postsPerActive: number | null; contributors: number; contributedShare: number | null }>;
    months: Array<{ month: string; members: number; active: number; activeShare: number | null; posts: number; postsPerActive: number | null; contributors: number; contributedShare: number | null }>;
  };
  atRisk?: AtRiskSummary;
};

export type DashboardRequest = {
  from: string;
  to: string;
  timeZone: string;
  sections: readonly Section[];
  /** Restricts the cohort table to members whose first paid tier is this one. */
  cohortTierId?: string | null;
  now?: Date;
};

const ENGAGEMENT_WINDOW_DAYS = 30;


/** Who held what at each boundary: one row per (boundary, member), with their tier and paying tier. */
function stateCtes(boundaries: Date[]) {
  const instants = boundaries.map((d) => d.toISOString());
  return Prisma.sql`${spansCte()},
b AS (SELECT (x.idx - 1)::int AS idx, x.at FROM unnest(${instants}::timestamp[]) WITH ORDINALITY AS x(at, idx)),
held AS MATERIALIZED (
  SELECT b.idx, s."userId", s."tierId", s.position, s.paying, s.annual
  FROM b JOIN spans s ON s.started < b.at AND (s.ended IS NULL OR s.ended >= b.at)
),
state AS MATERIALIZED (
  SELECT idx, "userId",
         (array_agg("tierId" ORDER BY position DESC, "tierId"))[1] AS tier,
         (array_agg("tierId" ORDER BY position DESC, "tierId") FILTER (WHERE paying))[1] AS paying_tier
  FROM held GROUP BY idx, "userId"
)`;
}

/** Boundary instants for one query, deduplicated, with their positions. */
class Boundaries {
  readonly list: Date[] = [];
  private readonly index = new Map<number, number>();
  idx(at: Date): number {
    const key = at.getTime();
    let i = this.index.get(key);
    if (i === undefined) {
      i = this.list.length;
      this.list.push(at);
      this.index.set(key, i);
    }
    return i;
  }
}

/** Local midnights of calendar dates in the club's zone, as UTC instants (PostgreSQL does the zone rules). */
async function midnights(dates: string[], timeZone: string): Promise<Map<string, Date>> {
  const unique = [...new Set(dates)];
  const rows = await db.$queryRaw<Array<{ day: string; at: Date }>>(Prisma.sql`
    SELECT d::text AS day, (d::timestamp AT TIME ZONE ${timeZone}) AT TIME ZONE 'UTC' AS at
    FROM unnest(${unique}::date[]) AS d`);
  return new Map(rows.map((r) => [r.day, r.at]));
}

type Plan = {
  today: string;
  countedToNow: boolean;
  months: string[];
  trailingMonths: string[];
  cohortOffsets: number;
};

function plan(from: string, to: string, today: string): Plan {
  const countedToNow = to >= today;
  const lastDay = countedToNow ? today : to;
  const months: string[] = [];
  for (let m = monthOf(from); m <= monthOf(lastDay); m = addMonths(m, 1)) months.push(m);
  // The six full calendar months before the one the period's end falls in.
  const closing = monthOf(countedToNow ? today : addDays(to, 1));
  const trailingMonths = [-6, -5, -4, -3, -2, -1].map((n) => addMonths(closing, n));
  let cohortOffsets = 0;
  for (let m = months[0]; m <= monthOf(today); m = addMonths(m, 1)) cohortOffsets += 1;
  return { today, countedToNow, months, trailingMonths, cohortOffsets };
}

const EMPTY_NPS = nps({ promoters: 0, passives: 0, detractors: 0 });

function sumBy<T>(rows: T[], pick: (row: T) => number): number {
  return rows.reduce((sum, row) => sum + pick(row), 0);
}

export async function computeDashboard(request: DashboardRequest): Promise<Dashboard> {
  const now = request.now ?? new Date();
  const wants = (section: Section) => request.sections.includes(section);
  const { from, to, timeZone } = request;
  const p = plan(from, to, todayIn(timeZone, now));

  const dates = [from, addDays(to, 1), ...p.months, ...p.months.map((m) => addMonths(m, 1)), ...p.trailingMonths];
  for (let n = 0; n <= p.cohortOffsets; n += 1) dates.push(addMonths(p.months[0], n));
  const [local, tiers, currency] = await Promise.all([
    midnights(dates, timeZone),
    db.tier.findMany({ orderBy: { position: "asc" }, select: { id: true, slug: true, nameEn: true, nameRu: true, position: true } }),
    db.tier.findFirst({ orderBy: { position: "asc" }, select: { currency: true } }),
  ]);
  const clip = (at: Date) => (at.getTime() > now.getTime() ? now : at);
  const at = (date: string) => clip(local.get(date)!);
  const startsAt = local.get(from)!;
  const endsAt = local.get(addDays(to, 1))!;
  const asOf = p.countedToNow ? now : endsAt;

  const months: MonthRef[] = p.months.map((m) => {
    const end = local.get(addMonths(m, 1))!;
    return { month: m, startsAt: local.get(m)!.toISOString(), endsAt: clip(end).toISOString(), complete: end.getTime() <= now.getTime() };
  });

  const dashboard: Dashboard = {
    period: {
      from,
      to,
      timeZone,
      startsAt: startsAt.toISOString(),
      endsAt: endsAt.toISOString(),
      asOf: asOf.toISOString(),
      countedToNow: p.countedToNow,
    },
    months,
    currency: currency?.currency ?? "eur",
    tiers,
    sections: [...request.sections],
  };

  const membershipWanted = (["retention", "cohorts", "churn", "revenue", "ltv"] as const).some(wants);
  const [npsPart, membership, realized, engagement, atRisk] = await Promise.all([
    wants("nps") ? npsFigures(dashboard, startsAt, endsAt, months) : undefined,
    membershipWanted ? membershipFigures(dashboard, request, p, { at, startsAt, asOf, months }) : undefined,
    wants("ltv") ? realizedFigures(dashboard, asOf) : undefined,
    wants("engagement") ? engagementFigures(dashboard, asOf, months) : undefined,
    wants("atRisk") ? atRiskSummary({ startsAt, endsAt, now }) : undefined,
  ]);
  Object.assign(dashboard, { nps: npsPart, atRisk, engagement }, membership);
  if (membership?.ltv && realized) Object.assign(membership.ltv, realized);
  for (const key of Object.keys(dashboard) as Array<keyof Dashboard>) {
    if (dashboard[key] === undefined) delete dashboard[key];
  }
  return dashboard;
}

async function npsFigures(dashboard: Dashboard, startsAt: Date, endsAt: Date, months: MonthRef[]): Promise<Dashboard["nps"]> {
  // Window -1 is the period; the others are its months. Each member counts once per window: their latest answer.
  const keys = [-1, ...months.map((_, i) => i)];
  const lo = [startsAt.toISOString(), ...months.map((m) => m.startsAt)];
  const hi = [endsAt.toISOString(), ...months.map((m) => m.endsAt)];
  const rows = await db.$queryRaw<Array<{ key: number; tierId: string | null; promoters: number; passives: number; detractors: number }>>(Prisma.sql`
    WITH w AS (SELECT * FROM unnest(${keys}::int[], ${lo}::timestamp[], ${hi}::timestamp[]) AS w(key, lo, hi)),
    latest AS (
      SELECT DISTINCT ON (w.key, r."userId") w.key, r."userId", r.score, r."tierId"
      FROM w JOIN "NpsResponse" r ON r."createdAt" >= w.lo AND r."createdAt" < w.hi AND r.score IS NOT NULL
      ORDER BY w.key, r."userId", r."createdAt" DESC, r.id DESC
    )
    SELECT key, "tierId",
           count(*) FILTER (WHERE score >= 9)::int AS promoters,
           count(*) FILTER (WHERE score BETWEEN 7 AND 8)::int AS passives,
           count(*) FILTER (WHERE score <= 6)::int AS detractors
    FROM latest GROUP BY key, "tierId"`);
  const total = (list: typeof rows) =>
    nps({ promoters: sumBy(list, (r) => r.promoters), passives: sumBy(list, (r) => r.passives), detractors: sumBy(list, (r) => r.detractors) });
  const period = rows.filter((r) => r.key === -1);
  return {
    period: period.length ? total(period) : EMPTY_NPS,
    byTier: [...dashboard.tiers.map((t) => t.id), null]
      .map((tierId) => ({ tierId, ...total(period.filter((r) => r.tierId === tierId)) }))
      .filter((row) => row.tierId !== null || row.responses > 0),
    byMonth: months.map((m, i) => ({ month: m.month, ...total(rows.filter((r) => r.key === i)) })),
  };
}

type MembershipResult = {
  levels: Array<{ idx: number; tierId: string; members: number; paying: number; annual: number }>;
  churn: Array<{ key: number; tierId: string; start: number; lost: number }>;
  retention: Array<{ startTier: string | null; endTier: string | null; n: number }>;
  cohortSizes: Array<{ key: number; size: number }>;
  cohortCells: Array<{ key: number; n: number; paying: number }>;
};

async function membershipFigures(
  dashboard: Dashboard,
  request: DashboardRequest,
  p: Plan,
  { at, startsAt, asOf, months }: { at: (date: string) => Date; startsAt: Date; asOf: Date; months: MonthRef[] },
): Promise<Pick<Dashboard, "retention" | "churn" | "revenue" | "ltv" | "cohorts">> {
  const out: Pick<Dashboard, "retention" | "churn" | "revenue" | "ltv" | "cohorts"> = {};
  const wants = (section: Section) => request.sections.includes(section);
  const b = new Boundaries();
  const startIdx = b.idx(startsAt);
  const endIdx = b.idx(asOf);
  // Churn months: the period's months (key i) and the six full months before its end (key 100 + i).
  const churnMonths = [
    ...p.months.map((m, i) => ({ key: i, month: m })),
    ...(wants("ltv") ? p.trailingMonths.map((m, i) => ({ key: 100 + i, month: m })) : []),
  ].map((c) => ({ ...c, s: b.idx(at(c.month)), e: b.idx(at(addMonths(c.month, 1))) }));
  const monthEnds = p.months.map((m) => b.idx(at(addMonths(m, 1))));

  // Cohorts: members by the month of their first paid membership; cell n = still paying at the end of month + n.
  const cohortMonths = wants("cohorts") ? p.months : [];
  const cells: Array<{ key: number; n: number; idx: number; partial: boolean }> = [];
  cohortMonths.forEach((m, key) => {
    for (let n = 0; addMonths(m, n) <= monthOf(p.today); n += 1) {
      const end = addMonths(m, n + 1);
      cells.push({ key, n, idx: b.idx(at(end)), partial: end > p.today });
    }
  });
  const cohortLo = cohortMonths.map((m) => at(m).toISOString());
  const cohortHi = cohortMonths.map((m) => at(addMonths(m, 1)).toISOString());
  const tier = request.cohortTierId ?? null;

  const [row] = await db.$queryRaw<Array<{ result: MembershipResult }>>(Prisma.sql`
    WITH ${stateCtes(b.list)},
    m AS (SELECT * FROM unnest(${churnMonths.map((c) => c.key)}::int[], ${churnMonths.map((c) => c.s)}::int[], ${churnMonths.map((c) => c.e)}::int[]) AS m(key, s, e)),
    levels AS (
      SELECT idx, tier AS "tierId", count(*) AS members, 0 AS paying, 0 AS annual FROM state GROUP BY idx, tier
      UNION ALL
      SELECT idx, paying_tier, 0, count(*), 0 FROM state WHERE paying_tier IS NOT NULL GROUP BY idx, paying_tier
      UNION ALL
      SELECT idx, "tierId", 0, 0, sum(annual) FROM held WHERE paying GROUP BY idx, "tierId"
    ),
    first_paid AS (
      SELECT "userId", min(started) AS at, (array_agg("tierId" ORDER BY started, position DESC, "tierId"))[1] AS "tierId"
      FROM spans WHERE paying GROUP BY "userId"
    ),
    cm AS (SELECT * FROM unnest(${cohortMonths.map((_, i) => i)}::int[], ${cohortLo}::timestamp[], ${cohortHi}::timestamp[]) AS c(key, lo, hi)),
    cohort AS (
      SELECT cm.key, f."userId" FROM cm JOIN first_paid f ON f.at >= cm.lo AND f.at < cm.hi
      WHERE ${tier}::text IS NULL OR f."tierId" = ${tier}::text
    ),
    cells AS (SELECT * FROM unnest(${cells.map((c) => c.key)}::int[], ${cells.map((c) => c.n)}::int[], ${cells.map((c) => c.idx)}::int[]) AS x(key, n, idx))
    SELECT json_build_object(
      'levels', (SELECT COALESCE(json_agg(l), '[]') FROM (
        SELECT idx, "tierId", sum(members)::int AS members, sum(paying)::int AS paying, sum(annual)::float8 AS annual
        FROM levels GROUP BY idx, "tierId") l),
      'churn', (SELECT COALESCE(json_agg(c), '[]') FROM (
        SELECT m.key, a.paying_tier AS "tierId", count(*)::int AS start, count(*) FILTER (WHERE z."userId" IS NULL)::int AS lost
        FROM m JOIN state a ON a.idx = m.s AND a.paying_tier IS NOT NULL
        LEFT JOIN state z ON z.idx = m.e AND z."userId" = a."userId" AND z.paying_tier IS NOT NULL
        GROUP BY m.key, a.paying_tier) c),
      'retention', (SELECT COALESCE(json_agg(r), '[]') FROM (
        SELECT a.tier AS "startTier", z.tier AS "endTier", count(*)::int AS n
        FROM (SELECT * FROM state WHERE idx = ${startIdx}) a
        FULL JOIN (SELECT * FROM state WHERE idx = ${endIdx}) z ON z."userId" = a."userId"
        GROUP BY 1, 2) r),
      'cohortSizes', (SELECT COALESCE(json_agg(s), '[]') FROM (SELECT key, count(*)::int AS size FROM cohort GROUP BY key) s),
      'cohortCells', (SELECT COALESCE(json_agg(x), '[]') FROM (
        SELECT cells.key, cells.n, count(st."userId")::int AS paying
        FROM cells JOIN cohort c ON c.key = cells.key
        LEFT JOIN state st ON st.idx = cells.idx AND st."userId" = c."userId" AND st.paying_tier IS NOT NULL
        GROUP BY cells.key, cells.n) x)
    ) AS result`);
  const result = row.result;

  const levelsAt = (idx: number) => result.levels.filter((l) => l.idx === idx);
  const revenueAt = (idx: number, tierId?: string): RevenuePoint => {
    const rows = levelsAt(idx).filter((l) => tierId === undefined || l.tierId === tierId);
    const mrr = mrrFromAnnual(sumBy(rows, (l) => l.annual));
    const paying = sumBy(rows, (l) => l.paying);
    return { mrr, paying, arpa: arpa(mrr, paying) };
  };
  // A month is complete once it has ended; the trailing months always have.
  const complete = new Map(months.map((m) => [m.month, m.complete]));
  const churnOf = (key: number, month: string, tierId?: string): ChurnMonth => {
    const rows = result.churn.filter((c) => c.key === key && (tierId === undefined || c.tierId === tierId));
    const start = sumBy(rows, (c) => c.start);
    const lost = sumBy(rows, (c) => c.lost);
    return { month, start, lost, rate: churnRate({ start, lost }), complete: key >= 100 || (complete.get(month) ?? false) };
  };
  const tierIds = dashboard.tiers.map((t) => t.id);

  if (wants("retention")) {
    const count = (pick: (r: MembershipResult["retention"][number]) => boolean) => sumBy(result.retention.filter(pick), (r) => r.n);
    const figure = (startTier: (t: string | null) => boolean, endTier: (t: string | null) => boolean): RetentionFigure => {
      const start = count((r) => r.startTier !== null && startTier(r.startTier));
      const end = count((r) => r.endTier !== null && endTier(r.endTier));
      const joined = count((r) => r.startTier === null && r.endTier !== null && endTier(r.endTier));
      const retained = count((r) => r.startTier !== null && startTier(r.startTier) && r.endTier !== null);
      return { start, end, joined, retained, rate: retentionRate({ start, end, joined }) };
    };
    const all = figure(() => true, () => true);
    out.retention = {
      ...all,
      // By the tier held at the start: how many of them are still members (in any tier) at the end.
      byTier: tierIds.map((tierId) => {
        const start = count((r) => r.startTier === tierId);
        const retained = count((r) => r.startTier === tierId && r.endTier !== null);
        const end = count((r) => r.endTier === tierId);
        const joined = count((r) => r.startTier === null && r.endTier === tierId);
        return { tierId, start, end, joined, retained, rate: start ? (retained / start) * 100 : null };
      }),
    };
  }

  if (wants("churn")) {
    const periodMonths = p.months.map((m, i) => churnOf(i, m));
    const complete = periodMonths.filter((m) => m.complete);
    out.churn = {
      months: periodMonths,
      average: averageRate(complete.map((m) => m.rate)),
      averageOver: complete.map((m) => m.month),
      byTier: tierIds.map((tierId) => {
        const tierMonths = p.months.map((m, i) => churnOf(i, m, tierId)).filter((m) => m.complete);
        return {
          tierId,
          start: sumBy(tierMonths, (m) => m.start),
          lost: sumBy(tierMonths, (m) => m.lost),
          average: averageRate(tierMonths.map((m) => m.rate)),
        };
      }),
    };
  }

  if (wants("revenue")) {
    out.revenue = {
      atStart: revenueAt(startIdx),
      atEnd: revenueAt(endIdx),
      byTier: tierIds.map((tierId) => ({ tierId, ...revenueAt(endIdx, tierId) })),
      months: p.months.map((m, i) => ({ month: m, ...revenueAt(monthEnds[i]) })),
    };
  }

  if (wants("ltv")) {
    const trailing = p.trailingMonths.map((m, i) => churnOf(100 + i, m));
    const averageChurn = averageRate(trailing.map((m) => m.rate));
    const arpaValue = revenueAt(endIdx).arpa;
    out.ltv = {
      arpa: arpaValue,
      trailingMonths: trailing,
      averageChurn,
      ...ltv(arpaValue, averageChurn),
      byTier: tierIds.map((tierId) => {
        const tierArpa = revenueAt(endIdx, tierId).arpa;
        const tierChurn = averageRate(p.trailingMonths.map((m, i) => churnOf(100 + i, m, tierId).rate));
        return { tierId, arpa: tierArpa, averageChurn: tierChurn, ...ltv(tierArpa, tierChurn) };
      }),
      // Filled in from realizedFigures, which runs beside this query.
      realized: { netPaid: 0, members: 0, value: null },
      realizedByTier: [],
    };
  }

  if (wants("cohorts")) {
    const rows: CohortRow[] = cohortMonths.map((month, key) => {
      const size = result.cohortSizes.find((s) => s.key === key)?.size ?? 0;
      return {
        month,
        size,
        cells: cells
          .filter((c) => c.key === key)
          .map((c) => {
            const paying = result.cohortCells.find((x) => x.key === key && x.n === c.n)?.paying ?? 0;
            return { offset: c.n, paying, share: share(paying, size), partial: c.partial };
          }),
      };
    });
    out.cohorts = { tierId: tier, rows, maxOffset: Math.max(-1, ...cells.map((c) => c.n)) };
  }
  return out;
}

/** Realized LTV: everything paid (invoices less refunds) up to the period's end, per member who ever held a membership. */
async function realizedFigures(
  dashboard: Dashboard,
  asOf: Date,
): Promise<Pick<NonNullable<Dashboard["ltv"]>, "realized" | "realizedByTier">> {
  const ref = asOf.toISOString();
  const rows = await db.$queryRaw<Array<{ tierId: string | null; members: number; netPaid: number }>>(Prisma.sql`
    WITH ${spansCte()},
    paid AS (SELECT "userId", sum(amount)::float8 AS net FROM "LedgerEntry" WHERE "occurredAt" < ${ref}::timestamp GROUP BY "userId"),
    latest AS (
      SELECT DISTINCT ON ("userId") "userId", "tierId" FROM spans WHERE started < ${ref}::timestamp
      ORDER BY "userId", started DESC, position DESC, "tierId"
    )
    SELECT l."tierId", count(*)::int AS members, COALESCE(sum(p.net), 0)::float8 AS "netPaid"
    FROM latest l FULL JOIN paid p ON p."userId" = l."userId"
    GROUP BY l."tierId"`);
  const netPaid = sumBy(rows, (r) => r.netPaid);
  const members = sumBy(rows, (r) => r.members);
  const realized = { netPaid, members, value: realizedLtv(netPaid, members) };
  const realizedByTier = [...dashboard.tiers.map((t) => t.id), null]
    .map((tierId) => {
      const row = rows.find((r) => r.tierId === tierId) ?? { netPaid: 0, members: 0 };
      return { tierId, netPaid: row.netPaid, members: row.members, value: realizedLtv(row.netPaid, row.members) };
    })
    .filter((row) => row.tierId !== null || row.members > 0);
  return { realized, realizedByTier };
}

/**
 * Engagement: members with any recorded activity (signed in, visited, posted, replied, voted,
 * answered the survey) in the 30 days before the period's end; posts and replies per active
 * member; and per month, the share of members who posted, replied or voted.
 */
async function engagementFigures(dashboard: Dashboard, asOf: Date, months: MonthRef[]): Promise<Dashboard["engagement"]> {
  const b = new Boundaries();
  const windowStart = new Date(asOf.getTime() - ENGAGEMENT_WINDOW_DAYS * 86_400_000);
  const windows = [
    { key: -1, lo: windowStart.toISOString(), hi: asOf.toISOString(), idx: b.idx(asOf) },
    ...months.map((m, i) => ({ key: i, lo: m.startsAt, hi: m.endsAt, idx: b.idx(new Date(m.endsAt)) })),
  ];
  const rows = await db.$queryRaw<Array<{ key: number; tierId: string; members: number; active: number; posts: number; contributors: number }>>(Prisma.sql`
    WITH ${stateCtes(b.list)},
    w AS (SELECT * FROM unnest(${windows.map((w) => w.key)}::int[], ${windows.map((w) => w.lo)}::timestamp[], ${windows.map((w) => w.hi)}::timestamp[], ${windows.map((w) => w.idx)}::int[]) AS w(key, lo, hi, idx)),
    ev AS (
      SELECT w.key, e."userId",
             count(*) FILTER (WHERE e.kind IN ('POST', 'REPLY'))::int AS posts,
             bool_or(e.kind IN ('POST', 'REPLY', 'VOTE')) AS contributed
      FROM w JOIN "ActivityEvent" e ON e."occurredAt" >= w.lo AND e."occurredAt" < w.hi
      GROUP BY w.key, e."userId"
    )
    SELECT w.key, st.tier AS "tierId", count(*)::int AS members, count(ev."userId")::int AS active,
           COALESCE(sum(ev.posts), 0)::int AS posts, count(*) FILTER (WHERE ev.contributed)::int AS contributors
    FROM w JOIN state st ON st.idx = w.idx
    LEFT JOIN ev ON ev.key = w.key AND ev."userId" = st."userId"
    GROUP BY w.key, st.tier`);
  const figure = (list: typeof rows) => {
    const members = sumBy(list, (r) => r.members);
    const active = sumBy(list, (r) => r.active);
    const posts = sumBy(list, (r) => r.posts);
    const contributors = sumBy(list, (r) => r.contributors);
    return {
      members,
      active,
      activeShare: share(active, members),
      posts,
      postsPerActive: ratio(posts, active),
      contributors,
      contributedShare: share(contributors, members),
    };
  };
  const window = figure(rows.filter((r) => r.key === -1));
  const monthly = months.map((m, i) => ({ month: m.month, ...figure(rows.filter((r) => r.key === i)) }));
  const last = monthly[monthly.length - 1];
  return {
    window: { startsAt: windowStart.toISOString(), endsAt: asOf.toISOString() },
    members: window.members,
    active: window.active,
    activeShare: window.activeShare,
    posts: window.posts,
    postsPerActive: window.postsPerActive,
    thisMonth: { month: last.month, members: last.members, contributors: last.contributors, share: last.contributedShare },
    byTier: dashboard.tiers.map((t) => ({ tierId: t.id, ...figure(rows.filter((r) => r.key === -1 && r.tierId === t.id)) })),
    months: monthly,
  };
}
