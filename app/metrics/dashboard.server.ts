import { readDb } from "~/db.server";
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
  netRevenueRetention,
  grossRevenueRetention,
  quickRatio,
  type MovementSums,
  share,
  type LtvFigure,
  type NpsFigure,
} from "./formulas";
import { addDays, addMonths, monthOf, monthsBetween, previousPeriod, todayIn } from "./period";
import { COMPARED_SECTIONS, headlineValues, type HeadlineId } from "./comparison";
import { ensureActivityRollup } from "./activity.server";
import { playbookOutcomes } from "~/playbooks/outcomes.server";
import { listSegments, segmentMembersSql } from "~/segments/segments.server";
import { analyticQuery } from "./analytics.server";
import type { Growth } from "./growth";
import { growthFigures } from "./growth.server";
import { spansCte } from "./spans.server";
import type { Section } from "./sections";

/**
 * The owner's dashboard, computed in PostgreSQL: each query aggregates and returns a few
 * hundred numbers at most; no member-level rows are loaded into JavaScript.
 *
 * Definitions (spans.server.ts has what a membership is):
 *  - A member "at" an instant b holds a membership that started before b and had not ended
 *    before b; their tier there is the highest tier they hold, their paying tier the highest
 *    paid one. Events at instants in [start, end) belong to a period.
 *  - Periods are whole days in the club's time zone; a period that reaches today is counted
 *    up to now ("as of"). Monthly series cover the calendar months the period overlaps.
 *
 * How it stays linear in the number of members (docs/architecture.md "Metrics"):
 *  - each member's memberships are cut into non-overlapping segments (window functions over
 *    the span endpoints), so nobody is counted twice at one instant;
 *  - the boundaries (local month starts, clipped to now) are a sorted array; width_bucket maps
 *    a segment to the range of boundaries it covers, and counts at every boundary come from
 *    difference arrays and a running sum, never from a row per (member, boundary);
 *  - churn is read off the ends of each member's runs of paying segments (lead()).
 */

export type TierRef = { id: string; slug: string; nameEn: string; nameRu: string; position: number };

export type MonthRef = { month: string; startsAt: string; endsAt: string; complete: boolean };

/** Every answer counts; `respondents` is how many distinct members gave them. */
export type NpsCount = NpsFigure & { respondents: number };
export type TierNps = NpsCount & { tierId: string | null };
export type MonthNps = NpsCount & { month: string };
export type NpsComment = { id: string; score: number; comment: string; createdAt: string; tierId: string | null; memberId: string; memberName: string };
/** The newest comments the dashboard shows. */
export const NPS_COMMENTS = 50;

export type RetentionFigure = { start: number; end: number; joined: number; retained: number; rate: number | null };

export type CohortRow = {
  month: string;
  size: number;
  cells: Array<{ offset: number; paying: number; share: number | null; partial: boolean }>;
};

export type ChurnMonth = { month: string; start: number; lost: number; rate: number | null; complete: boolean };

export type RevenuePoint = { mrr: number; paying: number; arpa: number | null };

export const MOVEMENT_KINDS = ["new", "expansion", "reactivation", "contraction", "churn"] as const;
export type MovementKind = (typeof MOVEMENT_KINDS)[number];
/**
 * Revenue movements over a span of time (ChartMogul's five kinds), in minor units of MRR, exact
 * (yearly plans / 12, not rounded to the cent), so start + new + expansion + reactivation −
 * contraction − churn = end. `members`: how many members had a movement of each kind.
 */
export type RevenueMovements = MovementSums & {
  end: number;
  /** end − start: the net new MRR. */
  net: number;
  members: Record<MovementKind, number>;
  nrr: number | null;
  grr: number | null;
  quickRatio: number | null;
};

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
  /** When the figures were computed; the at-risk counts are as of this instant. */
  generatedAt: string;
  months: MonthRef[];
  currency: string;
  tiers: TierRef[];
  sections: Section[];
  nps?: {
    /** `asked`: members who answered or dismissed the prompt in the period; `responseRate` = respondents / asked. */
    period: NpsCount & { asked: number; responseRate: number | null };
    byTier: TierNps[];
    byTenure: Array<NpsCount & { band: TenureBand }>;
    /** Per saved segment: the answers in the period of the members who are in it now (segments are today's filters). */
    bySegment: Array<NpsCount & { segmentId: string; name: string; members: number }>;
    byMonth: MonthNps[];
    comments: NpsComment[];
  };
  retention?: RetentionFigure & { byTier: Array<RetentionFigure & { tierId: string }> };
  /** `average`: per month offset, the share still paying over the cohorts whose cell is complete (maturing cells are left out). */
  cohorts?: { tierId: string | null; rows: CohortRow[]; maxOffset: number; average: Array<{ offset: number; cohorts: number; share: number | null }> };
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
    /** Per month of the period (a running month is not `complete`), and over the period from its start to `asOf`. */
    movements: { period: RevenueMovements; months: Array<RevenueMovements & { month: string; complete: boolean }> };
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
    /** Members who posted, replied or voted in the same 30 days. */
    contributors: number;
    contributedShare: number | null;
    /** The period's last month, from its start to the period's end (not the month's); complete when the period covers all of it. */
    thisMonth: { month: string; startsAt: string; endsAt: string; complete: boolean; members: number; contributors: number; share: number | null };
    byTier: Array<{ tierId: string; members: number; active: number; activeShare: number | null; posts: number; postsPerActive: number | null; contributors: number; contributedShare: number | null }>;
    months: Array<{ month: string; members: number; active: number; activeShare: number | null; posts: number; postsPerActive: number | null; contributors: number; contributedShare: number | null }>;
  };
  /** How new members came (the network effect), vouching, acquisition spend, CAC and LTV:CAC (growth.server.ts). */
  growth?: Growth;
  atRisk?: AtRiskSummary;
  /**
   * Each playbook's control group since it started (app/playbooks/outcomes.server.ts): of the runs
   * entered at least 30 days ago, how many came back within 30 days among those who got the
   * follow-up and among those held out; rates and the difference (percentage points, 95 %
   * interval) once both groups are large enough. Shown with the at-risk section.
   */
  playbooks?: PlaybookEffect[];
  /** The previous period of the same length and its headline figures (comparison.ts), when asked for. */
  comparison?: { from: string; to: string; startsAt: string; endsAt: string; previous: Partial<Record<HeadlineId, number | null>> };
};

export type PlaybookEffect = {
  playbookId: string;
  name: string;
  paused: boolean;
  followedRuns: number;
  followedReturned: number;
  followedRate: number | null;
  heldOutRuns: number;
  heldOutReturned: number;
  heldOutRate: number | null;
  stillRunning: number;
  /** followedRate − heldOutRate with its 95 % interval, in percentage points; null: not enough data yet. */
  difference: { value: number; lower: number; upper: number } | null;
};

export type DashboardRequest = {
  from: string;
  to: string;
  timeZone: string;
  sections: readonly Section[];
  /** Restricts the cohort table to members whose first paid tier is this one. */
  cohortTierId?: string | null;
  /** Also compute the previous period of the same length, for the headline figures' changes. */
  compare?: boolean;
  /** Only what the headline figures need (the previous period of a comparison): no comments, no NPS by segment. */
  headlinesOnly?: boolean;
  now?: Date;
};

const ENGAGEMENT_WINDOW_DAYS = 30;

/** Local midnights of calendar dates in the club's zone, as UTC instants (PostgreSQL does the zone rules). */
async function midnights(dates: string[], timeZone: string): Promise<Map<string, Date>> {
  const unique = [...new Set(dates)];
  const rows = await readDb.$replica().$queryRaw<Array<{ day: string; at: Date }>>(Prisma.sql`
    SELECT d::text AS day, (d::timestamp AT TIME ZONE ${timeZone}) AT TIME ZONE 'UTC' AS at
    FROM unnest(${unique}::date[]) AS d`);
  return new Map(rows.map((r) => [r.day, r.at]));
}

/**
 * The month grid: local month starts from the first month any figure needs to the start of
 * next month, as instants clipped to now. Consecutive months are consecutive indexes, so
 * "at the start of month k" is index k and "at its end" is index k + 1.
 */
type Grid = { start: string; months: string[]; at: Date[]; raw: Date[] };

const EMPTY_NPS = nps({ promoters: 0, passives: 0, detractors: 0 });


function sumBy<T>(rows: T[], pick: (row: T) => number): number {
  return rows.reduce((sum, row) => sum + pick(row), 0);
}

export async function computeDashboard(request: DashboardRequest): Promise<Dashboard> {
  const now = request.now ?? new Date();
  const wants = (section: Section) => request.sections.includes(section);
  const { from, to, timeZone } = request;
  const today = todayIn(timeZone, now);
  if (from > today || to < from) throw new Error(`Not a dashboard period: ${from} to ${to} (today is ${today}).`);
  const countedToNow = to >= today;
  const lastDay = countedToNow ? today : to;
  const periodMonths: string[] = [];
  for (let m = monthOf(from); m <= monthOf(lastDay); m = addMonths(m, 1)) periodMonths.push(m);
  // LTV's churn: the six full calendar months before the one the period's end falls in.
  const closing = monthOf(countedToNow ? today : addDays(to, 1));
  const trailingMonths = [-6, -5, -4, -3, -2, -1].map((n) => addMonths(closing, n));
  const gridStart = trailingMonths[0] < periodMonths[0] ? trailingMonths[0] : periodMonths[0];
  const gridMonths: string[] = [];
  for (let m = gridStart; m <= addMonths(monthOf(today), 1); m = addMonths(m, 1)) gridMonths.push(m);

  // Engagement reads the monthly activity rollup: make sure it is built for this zone meanwhile.
  const [local, tierRows] = await Promise.all([
    midnights([from, addDays(to, 1), ...gridMonths], timeZone),
    readDb.tier.findMany({ orderBy: [{ position: "asc" }, { id: "asc" }], select: { id: true, slug: true, nameEn: true, nameRu: true, position: true, currency: true } }),
    wants("engagement") ? ensureActivityRollup(timeZone) : undefined,
  ]);
  const tiers: TierRef[] = tierRows.map(({ id, slug, nameEn, nameRu, position }) => ({ id, slug, nameEn, nameRu, position }));
  const clip = (at: Date) => (at.getTime() > now.getTime() ? now : at);
  const grid: Grid = {
    start: gridStart,
    months: gridMonths,
    raw: gridMonths.map((m) => local.get(m)!),
    at: gridMonths.map((m) => clip(local.get(m)!)),
  };
  const startsAt = local.get(from)!;
  const endsAt = local.get(addDays(to, 1))!;
  const asOf = countedToNow ? now : endsAt;
  const months: MonthRef[] = periodMonths.map((m) => {
    const k = monthsBetween(gridStart, m);
    return { month: m, startsAt: grid.at[k].toISOString(), endsAt: grid.at[k + 1].toISOString(), complete: grid.raw[k + 1].getTime() <= now.getTime() };
  });

  const dashboard: Dashboard = {
    period: { from, to, timeZone, startsAt: startsAt.toISOString(), endsAt: endsAt.toISOString(), asOf: asOf.toISOString(), countedToNow },
    generatedAt: now.toISOString(),
    months,
    currency: tierRows[0]?.currency ?? "eur",
    tiers,
    sections: [...request.sections],
  };

  const membershipWanted = (["retention", "cohorts", "churn", "revenue", "ltv", "engagement"] as const).some(wants);
  // The previous period runs beside this one; it needs only the sections with headline figures.
  const previousRange = previousPeriod(from, to, today);
  const comparedSections = request.sections.filter((s) => (COMPARED_SECTIONS as readonly Section[]).includes(s));
  const previous = request.compare && comparedSections.length
    ? computeDashboard({ from: previousRange.from, to: previousRange.to, timeZone, sections: comparedSections, now, headlinesOnly: true })
    : undefined;
  // Awaited after this period's figures; a failure then still fails the dashboard, never unhandled.
  previous?.catch(() => {});
  const [npsPart, membership, realized, atRisk, growth, playbooks] = await Promise.all([
    wants("nps") ? npsFigures(dashboard, startsAt, endsAt, months, Boolean(request.headlinesOnly)) : undefined,
    membershipWanted ? membershipFigures(dashboard, request, { grid, startsAt, asOf, periodMonths, trailingMonths }) : undefined,
    wants("ltv") ? realizedFigures(dashboard, asOf) : undefined,
    wants("atRisk") ? atRiskSummary({ startsAt, endsAt, now }) : undefined,
    wants("growth") ? growthFigures({ months, startsAt, asOf }) : undefined,
    wants("atRisk") ? playbookEffects(now) : undefined,
  ]);
  Object.assign(dashboard, { nps: npsPart, atRisk, growth, playbooks }, membership);
  if (membership?.ltv && realized) Object.assign(membership.ltv, realized);
  if (growth && membership?.ltv) growth.ltvToCac = growth.cac && membership.ltv.value !== null ? membership.ltv.value / growth.cac : null;
  if (previous) {
    const p = await previous;
    dashboard.comparison = { ...previousRange, startsAt: p.period.startsAt, endsAt: p.period.endsAt, previous: headlineValues(p) };
  }
  for (const key of Object.keys(dashboard) as Array<keyof Dashboard>) {
    if (dashboard[key] === undefined) delete dashboard[key];
  }
  return dashboard;
}

/** Tenure at the moment of answering, from the member's first membership. */
export const TENURE_BANDS = ["under3m", "3to12m", "1to2y", "over2y"] as const;
export type TenureBand = (typeof TENURE_BANDS)[number];

async function npsFigures(dashboard: Dashboard, startsAt: Date, endsAt: Date, months: MonthRef[], headlinesOnly: boolean): Promise<Dashboard["nps"]> {
  // One counting rule, as Delighted counts: every answer in the period (or month) counts, and
  // the distinct respondents are given beside it. Key -1 is the period; 0, 1, … are its months.
  // Grouping sets give the totals, by tier and by tenure band in one scan; distinct respondents
  // cannot be summed across groups, so each set counts its own.
  const edges = [months[0].startsAt, ...months.map((m) => m.endsAt)];
  const lo = startsAt.toISOString() < edges[0] ? startsAt.toISOString() : edges[0];
  const hi = endsAt.toISOString() > edges[edges.length - 1] ? endsAt.toISOString() : edges[edges.length - 1];
  const from = startsAt.toISOString();
  const to = endsAt.toISOString();
  const [rows, asked, comments, bySegment] = await Promise.all([
    analyticQuery<Array<{ key: number; tierId: string | null; band: TenureBand | null; byTier: boolean; byBand: boolean; promoters: number; passives: number; detractors: number; respondents: number }>>(Prisma.sql`
    WITH a AS (
      SELECT r.score, r."tierId", r."userId" COLLATE "C" AS u, width_bucket(r."createdAt", ${edges}::timestamp[]) - 1 AS mk,
             (r."createdAt" >= ${from}::timestamp AND r."createdAt" < ${to}::timestamp) AS in_period,
             CASE
               WHEN r."createdAt" < f.since + interval '3 months' THEN 'under3m'
               WHEN r."createdAt" < f.since + interval '12 months' THEN '3to12m'
               WHEN r."createdAt" < f.since + interval '24 months' THEN '1to2y'
               ELSE 'over2y'
             END AS band
      FROM "NpsResponse" r
      JOIN "User" u ON u.id = r."userId" AND u.role = 'MEMBER'
      LEFT JOIN LATERAL (SELECT min(s."startedAt") AS since FROM "Subscription" s WHERE s."userId" = r."userId" AND s.status <> 'INCOMPLETE') f ON true
      WHERE r.score IS NOT NULL AND r."createdAt" >= ${lo}::timestamp AND r."createdAt" < ${hi}::timestamp
    ),
    keyed AS (
      SELECT mk AS key, score, "tierId", band, u FROM a WHERE mk BETWEEN 0 AND ${months.length - 1}
      UNION ALL
      SELECT -1, score, "tierId", band, u FROM a WHERE in_period
    )
    SELECT key, "tierId", band, GROUPING("tierId") = 0 AS "byTier", GROUPING(band) = 0 AS "byBand",
           count(*) FILTER (WHERE score >= 9)::int AS promoters,
           count(*) FILTER (WHERE score BETWEEN 7 AND 8)::int AS passives,
           count(*) FILTER (WHERE score <= 6)::int AS detractors,
           count(DISTINCT u)::int AS respondents
    FROM keyed GROUP BY GROUPING SETS ((key), (key, "tierId"), (key, band))`),
    // Members asked: those who answered or dismissed the prompt in the period (a prompt leaves a row either way).
    analyticQuery<Array<{ asked: number }>>(Prisma.sql`
      SELECT count(DISTINCT r."userId")::int AS asked FROM "NpsResponse" r JOIN "User" u ON u.id = r."userId" AND u.role = 'MEMBER'
      WHERE r."createdAt" >= ${from}::timestamp AND r."createdAt" < ${to}::timestamp`),
    headlinesOnly ? [] : analyticQuery<Array<{ id: string; score: number; comment: string; createdAt: Date; tierId: string | null; memberId: string; memberName: string }>>(Prisma.sql`
      SELECT r.id, r.score, r.comment, r."createdAt", r."tierId", u.id AS "memberId", u.name AS "memberName"
      FROM "NpsResponse" r JOIN "User" u ON u.id = r."userId" AND u.role = 'MEMBER'
      WHERE r.score IS NOT NULL AND r.comment IS NOT NULL AND r."createdAt" >= ${from}::timestamp AND r."createdAt" < ${to}::timestamp
      ORDER BY r."createdAt" DESC, r.id DESC LIMIT ${NPS_COMMENTS}`),
    headlinesOnly ? [] : npsBySegment(from, to, new Date(dashboard.generatedAt)),
  ]);
  const figure = (row: (typeof rows)[number] | undefined): NpsFigure & { respondents: number } =>
    row ? { ...nps(row), respondents: row.respondents } : { ...EMPTY_NPS, respondents: 0 };
  const totals = rows.filter((r) => !r.byTier && !r.byBand);
  const period = figure(totals.find((r) => r.key === -1));
  const respondentsAsked = asked[0]?.asked ?? 0;
  return {
    period: { ...period, asked: respondentsAsked, responseRate: share(period.respondents, respondentsAsked) },
    byTier: [...dashboard.tiers.map((t) => t.id), null]
      .map((tierId) => ({ tierId, ...figure(rows.find((r) => r.key === -1 && r.byTier && r.tierId === tierId)) }))
      .filter((row) => row.tierId !== null || row.responses > 0),
    byTenure: TENURE_BANDS.map((band) => ({ band, ...figure(rows.find((r) => r.key === -1 && r.byBand && r.band === band)) })),
    bySegment,
    byMonth: months.map((m, i) => ({ month: m.month, ...figure(totals.find((r) => r.key === i)) })),
    comments: comments.map((c) => ({ ...c, createdAt: c.createdAt.toISOString() })),
  };
}

/**
 * NPS per saved segment, by the one counting rule: every answer in the period of the members in
 * the segment now (a segment is a filter over today's members). One query per segment; a club
 * has a handful.
 */
async function npsBySegment(from: string, to: string, now: Date): Promise<NonNullable<Dashboard["nps"]>["bySegment"]> {
  const segments = await listSegments();
  return Promise.all(
    segments.map(async (segment) => {
      const [row] = await analyticQuery<Array<{ members: number; promoters: number; passives: number; detractors: number; respondents: number }>>(Prisma.sql`
        WITH m AS (${segmentMembersSql(segment.filter, now)})
        SELECT (SELECT count(*)::int FROM m) AS members,
               count(r.id) FILTER (WHERE r.score >= 9)::int AS promoters,
               count(r.id) FILTER (WHERE r.score BETWEEN 7 AND 8)::int AS passives,
               count(r.id) FILTER (WHERE r.score <= 6)::int AS detractors,
               count(DISTINCT r."userId")::int AS respondents
        FROM "NpsResponse" r
        WHERE r.score IS NOT NULL AND r."createdAt" >= ${from}::timestamp AND r."createdAt" < ${to}::timestamp
          AND r."userId" IN (SELECT "userId" FROM m)`);
      return { segmentId: segment.id, name: segment.name, members: row.members, ...nps(row), respondents: row.respondents };
    }),
  );
}

async function playbookEffects(now: Date): Promise<PlaybookEffect[]> {
  const [outcomes, playbooks] = await Promise.all([
    playbookOutcomes({ now }),
    readDb.playbook.findMany({ select: { id: true, name: true, pausedAt: true } }),
  ]);
  const byId = new Map(playbooks.map((p) => [p.id, p]));
  const points = (rate: number | null) => (rate === null ? null : rate * 100);
  return outcomes.flatMap(({ playbookId, control }) => {
    const playbook = byId.get(playbookId);
    if (!playbook) return [];
    const d = control.difference;
    return [
      {
        playbookId,
        name: playbook.name,
        paused: playbook.pausedAt !== null,
        followedRuns: control.followed.runs,
        followedReturned: control.followed.returned,
        followedRate: points(control.followed.rate),
        heldOutRuns: control.heldOut.runs,
        heldOutReturned: control.heldOut.returned,
        heldOutRate: points(control.heldOut.rate),
        stillRunning: control.stillRunning,
        difference: d ? { value: d.difference * 100, lower: d.lower * 100, upper: d.upper * 100 } : null,
      },
    ];
  });
}

type MembershipResult = {
  /** Running totals on the month grid: members and paying members by tier rank, and Σ annual price by tier rank. */
  levels: Array<{ what: "members" | "paying" | "annual"; r: number; i: number; v: number }>;
  /** Paying members lost between grid index i and i + 1, by their paying tier rank at i. */
  lost: Array<{ i: number; r: number; n: number }>;
  /** Members by tier rank at the period's start (r0) and end (r1). */
  retention: Array<{ r0: number | null; r1: number | null; n: number }>;
  /** At the start (0) and end (1): paying members by paying tier rank, Σ annual price by tier rank. */
  edges: Array<{ i: number; r: number; paying: number; annual: number }>;
  cohortSizes: Array<{ c: number; size: number }>;
  cohortCells: Array<{ c: number; i: number; paying: number }>;
  /** Active members, their posts and contributors by period month (key) and tier rank; key -1: the 30 days to the end; -2: the last month to the end. */
  activity: Array<{ key: number; r: number; active: number; posts: number; contributors: number }>;
  /** Σ |change of annual price| and the members moving, by grid month (key) or the period (-1), and kind. */
  movements: Array<{ key: number; kind: MovementKind; annual: number; members: number }>;
};

async function membershipFigures(
  dashboard: Dashboard,
  request: DashboardRequest,
  { grid, startsAt, asOf, periodMonths, trailingMonths }: { grid: Grid; startsAt: Date; asOf: Date; periodMonths: string[]; trailingMonths: string[] },
): Promise<Pick<Dashboard, "retention" | "churn" | "revenue" | "ltv" | "cohorts" | "engagement">> {
  const wants = (section: Section) => request.sections.includes(section);
  const tierIds = dashboard.tiers.map((t) => t.id);
  const rankOf = (tierId: string) => tierIds.indexOf(tierId) + 1;
  const n = grid.at.length;
  const A = grid.at.map((d) => d.toISOString());
  const P = [startsAt.toISOString(), asOf.toISOString()];
  const k = (month: string) => monthsBetween(grid.start, month);

  const cohortFrom = wants("cohorts") ? k(periodMonths[0]) : 0;
  const cohortTo = wants("cohorts") ? k(periodMonths[periodMonths.length - 1]) : -1;
  const cohortRank = request.cohortTierId ? rankOf(request.cohortTierId) : null;

  // Engagement reads the monthly rollup of the period's months and the raw events of its last 30 days.
  const windowStart = new Date(asOf.getTime() - ENGAGEMENT_WINDOW_DAYS * 86_400_000);
  const engagement = wants("engagement");
  const firstPeriodIndex = k(periodMonths[0]);
  const activityMonths = engagement ? periodMonths : [];
  const recentFrom = (engagement ? windowStart : asOf).toISOString();
  const recentTo = asOf.toISOString();
  // "Contributed this month": from the start of the period's last month to the period's end, not to the month's.
  const lastMonthStart = grid.at[k(periodMonths[periodMonths.length - 1])];
  const monthTailFrom = (engagement ? lastMonthStart : asOf).toISOString();
  // Revenue movements of the period's months (grid indexes movementFrom … movementTo) and of the period itself.
  const movementsWanted = wants("revenue");
  const movementFrom = k(periodMonths[0]);
  const movementTo = k(periodMonths[periodMonths.length - 1]);

  const [row] = await analyticQuery<Array<{ result: MembershipResult }>>(Prisma.sql`
    WITH tr AS (SELECT x.id, x.rank::int AS rank FROM unnest(${tierIds}::text[]) WITH ORDINALITY AS x(id, rank)),
    ${spansCte(undefined, { materialized: false })},
    sp AS MATERIALIZED (
      SELECT s."userId" COLLATE "C" AS u, tr.rank, s.started, s.ended, s.paying, s.annual FROM spans s JOIN tr ON tr.id = s."tierId"
    ),
    -- Members some of whose memberships overlap (two at once); everyone else's spans are already
    -- disjoint. Only members with several memberships can overlap, and most have one.
    multi AS (
      SELECT DISTINCT u FROM (
        SELECT u, started < max(COALESCE(ended, 'infinity'::timestamp)) OVER (PARTITION BY u ORDER BY started, ended ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING) AS overlapping
        FROM sp WHERE u IN (SELECT u FROM sp GROUP BY u HAVING count(*) > 1)
      ) o WHERE overlapping
    ),
    -- Their timelines are cut at every start and end; a piece's tiers are the highest held over it.
    pts AS (SELECT u, started AS at FROM sp WHERE u IN (SELECT u FROM multi) UNION SELECT u, ended FROM sp WHERE ended IS NOT NULL AND u IN (SELECT u FROM multi)),
    elem AS (SELECT u, at AS lo_t, lead(at) OVER (PARTITION BY u ORDER BY at) AS hi_t FROM pts),
    seg AS MATERIALIZED (
      SELECT u, started AS lo_t, ended AS hi_t, rank, CASE WHEN paying THEN rank END AS paying_rank
      FROM sp WHERE u NOT IN (SELECT u FROM multi)
      UNION ALL
      SELECT e.u, e.lo_t, e.hi_t, max(s.rank), max(s.rank) FILTER (WHERE s.paying)
      FROM elem e JOIN sp s ON s.u = e.u AND s.started <= e.lo_t AND (s.ended IS NULL OR s.ended >= e.hi_t)
      GROUP BY e.u, e.lo_t, e.hi_t
    ),
    -- A segment (lo_t, hi_t] covers the boundaries b with lo_t < b <= hi_t: an index range on the grid.
    ga AS MATERIALIZED (
      SELECT u, rank, paying_rank, width_bucket(lo_t, ${A}::timestamp[]) AS lo,
             COALESCE(width_bucket(hi_t, ${A}::timestamp[]) - 1, ${n - 1}) AS hi
      FROM seg
    ),
    spa AS (
      SELECT rank, annual, width_bucket(started, ${A}::timestamp[]) AS lo, COALESCE(width_bucket(ended, ${A}::timestamp[]) - 1, ${n - 1}) AS hi
      FROM sp WHERE paying
    ),
    deltas AS (
      SELECT 'members' AS what, rank AS r, lo AS i, 1::bigint AS d FROM ga WHERE lo <= hi
      UNION ALL SELECT 'members', rank, hi + 1, -1 FROM ga WHERE lo <= hi AND hi + 1 < ${n}
      UNION ALL SELECT 'paying', paying_rank, lo, 1 FROM ga WHERE lo <= hi AND paying_rank IS NOT NULL
      UNION ALL SELECT 'paying', paying_rank, hi + 1, -1 FROM ga WHERE lo <= hi AND paying_rank IS NOT NULL AND hi + 1 < ${n}
      UNION ALL SELECT 'annual', rank, lo, annual FROM spa WHERE lo <= hi
      UNION ALL SELECT 'annual', rank, hi + 1, -annual FROM spa WHERE lo <= hi AND hi + 1 < ${n}
    ),
    dsum AS (SELECT what, r, i, sum(d) AS d FROM deltas GROUP BY what, r, i),
    levels AS (
      SELECT w.what, tr.rank AS r, g.i, sum(COALESCE(dsum.d, 0)) OVER (PARTITION BY w.what, tr.rank ORDER BY g.i) AS v
      FROM (VALUES ('members'), ('paying'), ('annual')) AS w(what) CROSS JOIN tr CROSS JOIN generate_series(0, ${n - 1}) AS g(i)
      LEFT JOIN dsum ON dsum.what = w.what AND dsum.r = tr.rank AND dsum.i = g.i
    ),
    -- A run of paying segments ending at index i, with no paying segment at i + 1: a paying member lost in month i.
    pay AS (
      SELECT paying_rank AS r, hi, lead(lo) OVER (PARTITION BY u ORDER BY lo) AS next_lo
      FROM ga WHERE lo <= hi AND paying_rank IS NOT NULL
    ),
    -- The period's start (0) and end (1) as a two-boundary grid.
    gp AS MATERIALIZED (
      SELECT u, rank, paying_rank, width_bucket(lo_t, ${P}::timestamp[]) AS lo, COALESCE(width_bucket(hi_t, ${P}::timestamp[]) - 1, 1) AS hi
      FROM seg
    ),
    ret AS (
      SELECT max(rank) FILTER (WHERE lo <= 0 AND hi >= 0) AS r0, max(rank) FILTER (WHERE lo <= 1 AND hi >= 1) AS r1
      FROM gp WHERE lo <= hi GROUP BY u
    ),
    ends AS (SELECT * FROM (VALUES (0, ${P[0]}::timestamp), (1, ${P[1]}::timestamp)) AS v(i, at)),
    -- Cohorts: the month of each member's first paid membership, and the tier it was in.
    fp AS (SELECT DISTINCT ON (u) u, started AS at, rank FROM sp WHERE paying ORDER BY u, started, rank DESC),
    cohort AS MATERIALIZED (
      SELECT u, width_bucket(at, ${A}::timestamp[]) - 1 AS c FROM fp
      WHERE ${cohortRank}::int IS NULL OR rank = ${cohortRank}::int
    ),
    cohort_in AS (SELECT * FROM cohort WHERE c BETWEEN ${cohortFrom} AND ${cohortTo}),
    cdelta AS (
      SELECT c.c, g.lo AS i, 1 AS d FROM cohort_in c JOIN ga g ON g.u = c.u AND g.paying_rank IS NOT NULL AND g.lo <= g.hi
      UNION ALL
      SELECT c.c, g.hi + 1, -1 FROM cohort_in c JOIN ga g ON g.u = c.u AND g.paying_rank IS NOT NULL AND g.lo <= g.hi AND g.hi + 1 < ${n}
    ),
    csum AS (SELECT c, i, sum(d) AS d FROM cdelta GROUP BY c, i),
    -- Revenue movements: a member's MRR (Σ annual of their paying spans) changes where a paying
    -- span starts or ends. Changes at one instant are one movement: a plan change ends a row and
    -- starts the next at the same instant, so it is an expansion or a contraction, not churn and
    -- a return. The first rise from 0 is new business, a later one a reactivation.
    mv_ev AS (
      SELECT u, started AS t, annual AS d FROM sp WHERE ${movementsWanted} AND paying AND (ended IS NULL OR ended > started)
      UNION ALL
      SELECT u, ended, -annual FROM sp WHERE ${movementsWanted} AND paying AND ended > started
    ),
    mv_at AS (SELECT u, t, sum(d) AS d FROM mv_ev GROUP BY u, t),
    mv_run AS (SELECT u, t, d, sum(d) OVER (PARTITION BY u ORDER BY t ROWS UNBOUNDED PRECEDING) AS after FROM mv_at),
    mv AS (
      SELECT u, t, abs(d) AS amount,
             CASE
               WHEN after - d = 0 AND after > 0 THEN CASE WHEN t = min(t) FILTER (WHERE after > 0) OVER (PARTITION BY u) THEN 'new' ELSE 'reactivation' END
               WHEN after - d > 0 AND after = 0 THEN 'churn'
               WHEN d > 0 THEN 'expansion'
               ELSE 'contraction'
             END AS kind
      FROM mv_run WHERE d <> 0
    ),
    -- Keyed by grid month (the month of the instant: its MRR counts from the next boundary on), and -1 for the period.
    mv_keyed AS (
      SELECT width_bucket(t, ${A}::timestamp[]) - 1 AS key, u, kind, amount FROM mv
      WHERE t >= ${A[movementFrom]}::timestamp AND t < ${A[movementTo + 1]}::timestamp
      UNION ALL
      SELECT -1, u, kind, amount FROM mv WHERE t >= ${P[0]}::timestamp AND t < ${P[1]}::timestamp
    ),
    -- Engagement: each member's activity per month (ActivityMonth) and in the last 30 days (raw
    -- events), counted where they are a member at the window's end, in the tier they hold there.
    mm AS (SELECT * FROM unnest(${activityMonths}::date[], ${activityMonths.map(k)}::int[]) AS mm(month, mk)),
    am AS (
      SELECT a."userId" COLLATE "C" AS u, a.posts, a.contributions, mm.mk
      FROM mm JOIN "ActivityMonth" a ON a.month = mm.month
    ),
    recent AS (
      SELECT e."userId" COLLATE "C" AS u, count(*) FILTER (WHERE e.kind IN ('POST', 'REPLY')) AS posts,
             count(*) FILTER (WHERE e.kind IN ('POST', 'REPLY', 'VOTE')) AS contributions
      FROM "ActivityEvent" e WHERE e."occurredAt" >= ${recentFrom}::timestamp AND e."occurredAt" < ${recentTo}::timestamp
      GROUP BY e."userId" COLLATE "C"
    ),
    month_tail AS (
      SELECT e."userId" COLLATE "C" AS u FROM "ActivityEvent" e
      WHERE e.kind IN ('POST', 'REPLY', 'VOTE') AND e."occurredAt" >= ${monthTailFrom}::timestamp AND e."occurredAt" < ${recentTo}::timestamp
      GROUP BY e."userId" COLLATE "C"
    ),
    act AS (
      SELECT am.mk - ${firstPeriodIndex} AS key, g.rank AS r, am.posts, am.contributions > 0 AS contributed
      FROM am JOIN ga g ON g.u = am.u AND g.lo <= am.mk + 1 AND am.mk + 1 <= g.hi
      UNION ALL
      SELECT -1, g.rank, recent.posts, recent.contributions > 0 FROM recent JOIN gp g ON g.u = recent.u AND g.lo <= 1 AND 1 <= g.hi
      UNION ALL
      SELECT -2, g.rank, 0, true FROM month_tail t JOIN gp g ON g.u = t.u AND g.lo <= 1 AND 1 <= g.hi
    )
    SELECT json_build_object(
      'levels', (SELECT COALESCE(json_agg(json_build_object('what', what, 'r', r, 'i', i, 'v', v::float8)), '[]') FROM levels),
      'lost', (SELECT COALESCE(json_agg(x), '[]') FROM (
        SELECT hi AS i, r, count(*)::int AS n FROM pay WHERE hi < ${n - 1} AND (next_lo IS NULL OR next_lo > hi + 1) GROUP BY hi, r) x),
      'retention', (SELECT COALESCE(json_agg(x), '[]') FROM (
        SELECT r0, r1, count(*)::int AS n FROM ret WHERE r0 IS NOT NULL OR r1 IS NOT NULL GROUP BY r0, r1) x),
      'edges', (SELECT COALESCE(json_agg(x), '[]') FROM (
        SELECT i, r, sum(paying)::int AS paying, sum(annual)::float8 AS annual FROM (
          SELECT v.i, g.paying_rank AS r, 1 AS paying, 0 AS annual FROM gp g JOIN (VALUES (0), (1)) AS v(i) ON g.lo <= v.i AND v.i <= g.hi
          WHERE g.paying_rank IS NOT NULL
          UNION ALL
          SELECT ends.i, sp.rank, 0, sp.annual FROM sp JOIN ends ON sp.paying AND sp.started < ends.at AND (sp.ended IS NULL OR sp.ended >= ends.at)
        ) y GROUP BY i, r) x),
      'cohortSizes', (SELECT COALESCE(json_agg(x), '[]') FROM (SELECT c, count(*)::int AS size FROM cohort_in GROUP BY c) x),
      'cohortCells', (SELECT COALESCE(json_agg(x), '[]') FROM (
        SELECT c.c, g.i, (sum(COALESCE(csum.d, 0)) OVER (PARTITION BY c.c ORDER BY g.i))::int AS paying
        FROM (SELECT DISTINCT c FROM cohort_in) c CROSS JOIN generate_series(0, ${n - 1}) AS g(i)
        LEFT JOIN csum ON csum.c = c.c AND csum.i = g.i) x),
      'activity', (SELECT COALESCE(json_agg(x), '[]') FROM (
        SELECT key, r, count(*)::int AS active, sum(posts)::int AS posts, count(*) FILTER (WHERE contributed)::int AS contributors
        FROM act GROUP BY key, r) x),
      'movements', (SELECT COALESCE(json_agg(x), '[]') FROM (
        SELECT key, kind, sum(amount)::float8 AS annual, count(DISTINCT u)::int AS members FROM mv_keyed GROUP BY key, kind) x)
    ) AS result`);
  const result = row.result;

  const level = new Map(result.levels.map((l) => [`${l.what}:${l.r}:${l.i}`, l.v]));
  const ranks = tierIds.map((_, i) => i + 1);
  const at = (what: "members" | "paying" | "annual", i: number, rank?: number) =>
    sumBy(rank ? [rank] : ranks, (r) => level.get(`${what}:${r}:${i}`) ?? 0);
  const revenueAtGrid = (i: number, rank?: number): RevenuePoint => {
    const mrr = mrrFromAnnual(at("annual", i, rank));
    const paying = at("paying", i, rank);
    return { mrr, paying, arpa: arpa(mrr, paying) };
  };
  const revenueAtEdge = (i: 0 | 1, rank?: number): RevenuePoint => {
    const rows = result.edges.filter((e) => e.i === i && (rank === undefined || e.r === rank));
    const mrr = mrrFromAnnual(sumBy(rows, (e) => e.annual));
    const paying = sumBy(rows, (e) => e.paying);
    return { mrr, paying, arpa: arpa(mrr, paying) };
  };
  const churnOf = (month: string, rank?: number): ChurnMonth => {
    const i = k(month);
    const start = at("paying", i, rank);
    const lost = sumBy(result.lost.filter((l) => l.i === i && (rank === undefined || l.r === rank)), (l) => l.n);
    return { month, start, lost, rate: churnRate({ start, lost }), complete: grid.raw[i + 1].getTime() <= grid.at[grid.at.length - 1].getTime() };
  };
  const out: Pick<Dashboard, "retention" | "churn" | "revenue" | "ltv" | "cohorts" | "engagement"> = {};

  if (wants("retention")) {
    const count = (pick: (r: MembershipResult["retention"][number]) => boolean) => sumBy(result.retention.filter(pick), (r) => r.n);
    const start = count((r) => r.r0 !== null);
    const end = count((r) => r.r1 !== null);
    const joined = count((r) => r.r0 === null && r.r1 !== null);
    const retained = count((r) => r.r0 !== null && r.r1 !== null);
    out.retention = {
      start,
      end,
      joined,
      retained,
      rate: retentionRate({ start, end, joined }),
      // By the tier held at the start: how many of them are still members (in any tier) at the end.
      byTier: ranks.map((rank) => {
        const tierStart = count((r) => r.r0 === rank);
        const tierRetained = count((r) => r.r0 === rank && r.r1 !== null);
        return {
          tierId: tierIds[rank - 1],
          start: tierStart,
          retained: tierRetained,
          end: count((r) => r.r1 === rank),
          joined: count((r) => r.r0 === null && r.r1 === rank),
          rate: tierStart ? (tierRetained / tierStart) * 100 : null,
        };
      }),
    };
  }

  if (wants("churn")) {
    const monthly = periodMonths.map((m) => churnOf(m));
    const complete = monthly.filter((m) => m.complete);
    out.churn = {
      months: monthly,
      average: averageRate(complete.map((m) => m.rate)),
      averageOver: complete.map((m) => m.month),
      byTier: ranks.map((rank) => {
        const tierMonths = periodMonths.map((m) => churnOf(m, rank)).filter((m) => m.complete);
        return {
          tierId: tierIds[rank - 1],
          start: sumBy(tierMonths, (m) => m.start),
          lost: sumBy(tierMonths, (m) => m.lost),
          average: averageRate(tierMonths.map((m) => m.rate)),
        };
      }),
    };
  }

  const movementsOf = (key: number, startAnnual: number, endAnnual: number): RevenueMovements => {
    const rows = result.movements.filter((m) => m.key === key);
    const sum = (kind: MovementKind) => sumBy(rows.filter((m) => m.kind === kind), (m) => m.annual) / 12;
    const sums: MovementSums = { start: startAnnual / 12, new: sum("new"), expansion: sum("expansion"), reactivation: sum("reactivation"), contraction: sum("contraction"), churn: sum("churn") };
    const members = Object.fromEntries(MOVEMENT_KINDS.map((kind) => [kind, rows.find((m) => m.kind === kind)?.members ?? 0])) as Record<MovementKind, number>;
    return { ...sums, end: endAnnual / 12, net: (endAnnual - startAnnual) / 12, members, nrr: netRevenueRetention(sums), grr: grossRevenueRetention(sums), quickRatio: quickRatio(sums) };
  };

  if (wants("revenue")) {
    const edgeAnnual = (i: 0 | 1) => sumBy(result.edges.filter((e) => e.i === i), (e) => e.annual);
    out.revenue = {
      atStart: revenueAtEdge(0),
      atEnd: revenueAtEdge(1),
      byTier: ranks.map((rank) => ({ tierId: tierIds[rank - 1], ...revenueAtEdge(1, rank) })),
      months: periodMonths.map((m) => ({ month: m, ...revenueAtGrid(k(m) + 1) })),
      movements: {
        period: movementsOf(-1, edgeAnnual(0), edgeAnnual(1)),
        months: periodMonths.map((m) => ({
          month: m,
          complete: grid.raw[k(m) + 1].getTime() <= grid.at[grid.at.length - 1].getTime(),
          ...movementsOf(k(m), at("annual", k(m)), at("annual", k(m) + 1)),
        })),
      },
    };
  }

  if (wants("ltv")) {
    const trailing = trailingMonths.map((m) => churnOf(m));
    const averageChurn = averageRate(trailing.map((m) => m.rate));
    const arpaValue = revenueAtEdge(1).arpa;
    out.ltv = {
      arpa: arpaValue,
      trailingMonths: trailing,
      averageChurn,
      ...ltv(arpaValue, averageChurn),
      byTier: ranks.map((rank) => {
        const tierArpa = revenueAtEdge(1, rank).arpa;
        const tierChurn = averageRate(trailingMonths.map((m) => churnOf(m, rank).rate));
        return { tierId: tierIds[rank - 1], arpa: tierArpa, averageChurn: tierChurn, ...ltv(tierArpa, tierChurn) };
      }),
      // Filled in from realizedFigures, which runs beside this query.
      realized: { netPaid: 0, members: 0, value: null },
      realizedByTier: [],
    };
  }

  if (wants("cohorts")) {
    const cells = new Map(result.cohortCells.map((x) => [`${x.c}:${x.i}`, x.paying]));
    const rows: CohortRow[] = periodMonths.map((month) => {
      const c = k(month);
      const size = result.cohortSizes.find((x) => x.c === c)?.size ?? 0;
      const list: CohortRow["cells"] = [];
      // Cell "offset": still paying at the end of month c + offset, while that month has begun.
      for (let offset = 0; c + offset + 1 < n; offset += 1) {
        const paying = cells.get(`${c}:${c + offset + 1}`) ?? 0;
        list.push({ offset, paying, share: share(paying, size), partial: grid.raw[c + offset + 1].getTime() > grid.at[n - 1].getTime() });
      }
      return { month, size, cells: list };
    });
    // Columns go as far as a cohort with members is followed: a period long before anyone paid
    // would otherwise add a column for every month since, all of them empty.
    const followed = rows.filter((r) => r.size > 0).map((r) => r.cells.length - 1);
    const maxOffset = Math.max(-1, ...followed);
    // The average row: of the members of every cohort whose cell is complete, the share still paying.
    const average = Array.from({ length: maxOffset + 1 }, (_, offset) => {
      const done = rows.filter((r) => r.size > 0 && r.cells[offset] && !r.cells[offset].partial);
      return { offset, cohorts: done.length, share: share(sumBy(done, (r) => r.cells[offset].paying), sumBy(done, (r) => r.size)) };
    });
    out.cohorts = { tierId: request.cohortTierId ?? null, rows, maxOffset, average };
  }

  if (wants("engagement")) {
    const figure = (key: number, members: number, rank?: number) => {
      const rows = result.activity.filter((a) => a.key === key && (rank === undefined || a.r === rank));
      const active = sumBy(rows, (a) => a.active);
      const posts = sumBy(rows, (a) => a.posts);
      const contributors = sumBy(rows, (a) => a.contributors);
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
    const membersAtEnd = (rank?: number) => sumBy(result.retention.filter((r) => r.r1 !== null && (rank === undefined || r.r1 === rank)), (r) => r.n);
    const window = figure(-1, membersAtEnd());
    const monthly = dashboard.months.map((m, i) => ({ month: m.month, ...figure(i, at("members", k(m.month) + 1)) }));
    const last = monthly[monthly.length - 1];
    const tail = figure(-2, membersAtEnd());
    out.engagement = {
      window: { startsAt: windowStart.toISOString(), endsAt: asOf.toISOString() },
      members: window.members,
      active: window.active,
      activeShare: window.activeShare,
      posts: window.posts,
      postsPerActive: window.postsPerActive,
      contributors: window.contributors,
      contributedShare: window.contributedShare,
      thisMonth: {
        month: last.month,
        startsAt: lastMonthStart.toISOString(),
        endsAt: asOf.toISOString(),
        complete: asOf.getTime() >= grid.raw[k(last.month) + 1].getTime(),
        members: tail.members,
        contributors: tail.contributors,
        share: tail.contributedShare,
      },
      byTier: ranks.map((rank) => ({ tierId: tierIds[rank - 1], ...figure(-1, membersAtEnd(rank), rank) })),
      months: monthly,
    };
  }
  return out;
}

/** Realized LTV: everything paid (invoices less refunds) up to the period's end, per member who ever held a membership. */
async function realizedFigures(
  dashboard: Dashboard,
  asOf: Date,
): Promise<Pick<NonNullable<Dashboard["ltv"]>, "realized" | "realizedByTier">> {
  const ref = asOf.toISOString();
  const rows = await analyticQuery<Array<{ tierId: string | null; members: number; netPaid: number }>>(Prisma.sql`
    WITH ${spansCte()},
    paid AS (
      SELECT l."userId" COLLATE "C" AS "userId", sum(l.amount)::float8 AS net
      FROM "LedgerEntry" l JOIN "User" u ON u.id = l."userId" AND u.role = 'MEMBER'
      WHERE l."occurredAt" < ${ref}::timestamp GROUP BY 1
    ),
    latest AS (
      SELECT DISTINCT ON ("userId" COLLATE "C") "userId" COLLATE "C" AS "userId", "tierId" FROM spans WHERE started < ${ref}::timestamp
      ORDER BY "userId" COLLATE "C", started DESC, position DESC, "tierId"
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
