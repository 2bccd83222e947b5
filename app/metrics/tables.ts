import type { MessageKey } from "~/i18n/i18n";
import type { Dashboard } from "./dashboard.server";
import type { Section } from "./sections";

/**
 * Every table of the dashboard, described once: the page renders it (formatted for the
 * reader's language) and the CSV export writes it (raw values). Charts read the same rows.
 */
export type ColumnType = "text" | "month" | "tier" | "tenure" | "int" | "decimal" | "percent" | "nps" | "money" | "bool" | "date";
export type Cell = string | number | boolean | null;
export type Column = { label: MessageKey; values?: Record<string, string | number>; type: ColumnType };
export type MetricsTable = {
  id: TableId;
  section: Section;
  title: MessageKey;
  columns: Column[];
  rows: Cell[][];
  /** Cells whose figure is still maturing (its month is not over), same shape as `rows`. */
  partial?: boolean[][];
  /** A closing row (the cohorts' average): its label, then the cells after the first column. */
  footer?: { label: MessageKey; cells: Cell[] };
};

export const DASHBOARD_TABLES = [
  "nps-months",
  "nps-tiers",
  "nps-tenure",
  "nps-segments",
  "retention-tiers",
  "cohorts",
  "churn-months",
  "churn-tiers",
  "revenue-months",
  "revenue-tiers",
  "revenue-movements",
  "ltv-trailing",
  "ltv-tiers",
  "growth-months",
  "growth-dilution",
  "engagement-months",
  "engagement-tiers",
  "playbooks",
] as const;
/** Tables of the at-risk page, exported from at-risk.server rather than the dashboard. */
export const AT_RISK_TABLES = ["at-risk", "follow-ups"] as const;
export type TableId = (typeof DASHBOARD_TABLES)[number] | (typeof AT_RISK_TABLES)[number];

export const TABLE_SECTION: Record<TableId, Section> = {
  "nps-months": "nps",
  "nps-tiers": "nps",
  "nps-tenure": "nps",
  "nps-segments": "nps",
  "retention-tiers": "retention",
  cohorts: "cohorts",
  "churn-months": "churn",
  "churn-tiers": "churn",
  "revenue-months": "revenue",
  "revenue-tiers": "revenue",
  "revenue-movements": "revenue",
  "ltv-trailing": "ltv",
  "ltv-tiers": "ltv",
  "growth-months": "growth",
  "growth-dilution": "growth",
  "engagement-months": "engagement",
  "engagement-tiers": "engagement",
  playbooks: "atRisk",
  "at-risk": "atRisk",
  "follow-ups": "atRisk",
};

export function isTableId(value: string): value is TableId {
  return value in TABLE_SECTION;
}

const col = (label: MessageKey, type: ColumnType, values?: Column["values"]): Column => ({ label, type, values });

const NPS_COLUMNS = [
  col("metrics.col.nps", "nps"),
  col("metrics.col.promoters", "int"),
  col("metrics.col.passives", "int"),
  col("metrics.col.detractors", "int"),
  col("metrics.col.responses", "int"),
  col("metrics.col.respondents", "int"),
  col("metrics.col.promoterShare", "percent"),
  col("metrics.col.passiveShare", "percent"),
  col("metrics.col.detractorShare", "percent"),
];

type NpsLike = { score: number | null; promoters: number; passives: number; detractors: number; responses: number; respondents: number; promoterShare: number | null; passiveShare: number | null; detractorShare: number | null };
const npsCells = (n: NpsLike): Cell[] => [n.score, n.promoters, n.passives, n.detractors, n.responses, n.respondents, n.promoterShare, n.passiveShare, n.detractorShare];

/** The dashboard's tables, those of the sections it holds. */
export function dashboardTables(d: Dashboard): MetricsTable[] {
  const tables: MetricsTable[] = [];
  if (d.nps) {
    tables.push({
      id: "nps-months",
      section: "nps",
      title: "metrics.nps.byMonth",
      columns: [col("metrics.col.month", "month"), ...NPS_COLUMNS],
      rows: d.nps.byMonth.map((m) => [m.month, ...npsCells(m)]),
    });
    tables.push({
      id: "nps-tiers",
      section: "nps",
      title: "metrics.nps.byTier",
      columns: [col("metrics.col.tier", "tier"), ...NPS_COLUMNS],
      rows: d.nps.byTier.map((t) => [t.tierId, ...npsCells(t)]),
    });
    tables.push({
      id: "nps-tenure",
      section: "nps",
      title: "metrics.nps.byTenure",
      columns: [col("metrics.col.tenure", "tenure"), ...NPS_COLUMNS],
      rows: d.nps.byTenure.map((b) => [b.band, ...npsCells(b)]),
    });
    tables.push({
      id: "nps-segments",
      section: "nps",
      title: "metrics.nps.bySegment",
      columns: [col("metrics.col.segment", "text"), col("metrics.col.segmentMembers", "int"), ...NPS_COLUMNS],
      rows: d.nps.bySegment.map((g) => [g.name, g.members, ...npsCells(g)]),
    });
  }
  if (d.retention) {
    tables.push({
      id: "retention-tiers",
      section: "retention",
      title: "metrics.retention.byTier",
      columns: [
        col("metrics.col.tier", "tier"),
        col("metrics.col.start", "int"),
        col("metrics.col.retained", "int"),
        col("metrics.col.retention", "percent"),
        col("metrics.col.end", "int"),
        col("metrics.col.joined", "int"),
      ],
      rows: d.retention.byTier.map((t) => [t.tierId, t.start, t.retained, t.rate, t.end, t.joined]),
    });
  }
  if (d.cohorts) {
    const offsets = Array.from({ length: d.cohorts.maxOffset + 1 }, (_, n) => n);
    tables.push({
      id: "cohorts",
      section: "cohorts",
      title: "metrics.cohorts.table",
      columns: [
        col("metrics.col.cohort", "month"),
        col("metrics.col.size", "int"),
        ...offsets.map((n) => col("metrics.col.offset", "percent", { n })),
      ],
      rows: d.cohorts.rows.map((r) => [r.month, r.size, ...offsets.map((n) => r.cells.find((c) => c.offset === n)?.share ?? null)]),
      partial: d.cohorts.rows.map((r) => [false, false, ...offsets.map((n) => r.cells.find((c) => c.offset === n)?.partial ?? false)]),
      footer: { label: "metrics.cohorts.average", cells: [null, ...d.cohorts.average.map((a) => a.share)] },
    });
  }
  if (d.churn) {
    tables.push({
      id: "churn-months",
      section: "churn",
      title: "metrics.churn.byMonth",
      columns: [
        col("metrics.col.month", "month"),
        col("metrics.col.start", "int"),
        col("metrics.col.lost", "int"),
        col("metrics.col.churn", "percent"),
        col("metrics.col.complete", "bool"),
      ],
      rows: d.churn.months.map((m) => [m.month, m.start, m.lost, m.rate, m.complete]),
    });
    tables.push({
      id: "churn-tiers",
      section: "churn",
      title: "metrics.churn.byTier",
      columns: [col("metrics.col.tier", "tier"), col("metrics.col.startSum", "int"), col("metrics.col.lost", "int"), col("metrics.col.avgChurn", "percent")],
      rows: d.churn.byTier.map((t) => [t.tierId, t.start, t.lost, t.average]),
    });
  }
  if (d.revenue) {
    tables.push({
      id: "revenue-months",
      section: "revenue",
      title: "metrics.revenue.byMonth",
      columns: [col("metrics.col.month", "month"), col("metrics.col.mrr", "money"), col("metrics.col.paying", "int"), col("metrics.col.arpa", "money")],
      rows: d.revenue.months.map((m) => [m.month, m.mrr, m.paying, m.arpa]),
    });
    tables.push({
      id: "revenue-tiers",
      section: "revenue",
      title: "metrics.revenue.byTier",
      columns: [col("metrics.col.tier", "tier"), col("metrics.col.mrr", "money"), col("metrics.col.paying", "int"), col("metrics.col.arpa", "money")],
      rows: d.revenue.byTier.map((t) => [t.tierId, t.mrr, t.paying, t.arpa]),
    });
    tables.push({
      id: "revenue-movements",
      section: "revenue",
      title: "metrics.movements.byMonth",
      columns: [
        col("metrics.col.month", "month"),
        col("metrics.col.mrrStart", "money"),
        col("metrics.col.new", "money"),
        col("metrics.col.expansion", "money"),
        col("metrics.col.reactivation", "money"),
        col("metrics.col.contraction", "money"),
        col("metrics.col.churnedMrr", "money"),
        col("metrics.col.netMrr", "money"),
        col("metrics.col.mrrEnd", "money"),
        col("metrics.col.nrr", "percent"),
        col("metrics.col.grr", "percent"),
        col("metrics.col.quickRatio", "decimal"),
        col("metrics.col.newCount", "int"),
        col("metrics.col.expansionCount", "int"),
        col("metrics.col.reactivationCount", "int"),
        col("metrics.col.contractionCount", "int"),
        col("metrics.col.churnCount", "int"),
        col("metrics.col.complete", "bool"),
      ],
      rows: d.revenue.movements.months.map((m) => [
        m.month,
        m.start,
        m.new,
        m.expansion,
        m.reactivation,
        m.contraction,
        m.churn,
        m.net,
        m.end,
        m.nrr,
        m.grr,
        m.quickRatio,
        m.members.new,
        m.members.expansion,
        m.members.reactivation,
        m.members.contraction,
        m.members.churn,
        m.complete,
      ]),
      footer: {
        label: "metrics.movements.periodRow",
        cells: [
          d.revenue.movements.period.start,
          d.revenue.movements.period.new,
          d.revenue.movements.period.expansion,
          d.revenue.movements.period.reactivation,
          d.revenue.movements.period.contraction,
          d.revenue.movements.period.churn,
          d.revenue.movements.period.net,
          d.revenue.movements.period.end,
          d.revenue.movements.period.nrr,
          d.revenue.movements.period.grr,
          d.revenue.movements.period.quickRatio,
          d.revenue.movements.period.members.new,
          d.revenue.movements.period.members.expansion,
          d.revenue.movements.period.members.reactivation,
          d.revenue.movements.period.members.contraction,
          d.revenue.movements.period.members.churn,
          null,
        ],
      },
    });
  }
  if (d.ltv) {
    tables.push({
      id: "ltv-trailing",
      section: "ltv",
      title: "metrics.ltv.trailing",
      columns: [col("metrics.col.month", "month"), col("metrics.col.start", "int"), col("metrics.col.lost", "int"), col("metrics.col.churn", "percent")],
      rows: d.ltv.trailingMonths.map((m) => [m.month, m.start, m.lost, m.rate]),
    });
    tables.push({
      id: "ltv-tiers",
      section: "ltv",
      title: "metrics.ltv.byTier",
      columns: [
        col("metrics.col.tier", "tier"),
        col("metrics.col.arpa", "money"),
        col("metrics.col.avgChurn", "percent"),
        col("metrics.col.ltv", "money"),
        col("metrics.col.members", "int"),
        col("metrics.col.netPaid", "money"),
        col("metrics.col.realized", "money"),
      ],
      rows: [...d.ltv.byTier.map((t) => t.tierId), ...(d.ltv.realizedByTier.some((r) => r.tierId === null) ? [null] : [])].map((tierId) => {
        const predicted = d.ltv!.byTier.find((t) => t.tierId === tierId);
        const realized = d.ltv!.realizedByTier.find((r) => r.tierId === tierId);
        return [
          tierId,
          predicted?.arpa ?? null,
          predicted?.averageChurn ?? null,
          predicted?.value ?? null,
          realized?.members ?? 0,
          realized?.netPaid ?? 0,
          realized?.value ?? null,
        ];
      }),
    });
  }
  if (d.growth) {
    const g = d.growth;
    type G = (typeof g.months)[number] | typeof g;
    const cells = (m: G): Cell[] => [
      m.joined.total,
      m.joined.vouch,
      m.joined.invite,
      m.joined.application,
      m.joined.direct,
      m.viaMembers,
      m.vouches.made,
      m.vouches.joined,
      m.newPaying,
      m.spend,
      m.cac,
    ];
    tables.push({
      id: "growth-months",
      section: "growth",
      title: "metrics.growth.byMonth",
      columns: [
        col("metrics.col.month", "month"),
        col("metrics.col.newMembers", "int"),
        col("metrics.col.viaVouch", "int"),
        col("metrics.col.viaInvite", "int"),
        col("metrics.col.viaApplication", "int"),
        col("metrics.col.direct", "int"),
        col("metrics.col.viaMembersShare", "percent"),
        col("metrics.col.vouches", "int"),
        col("metrics.col.vouchesJoined", "int"),
        col("metrics.col.newPaying", "int"),
        col("metrics.col.spend", "money"),
        col("metrics.col.cac", "money"),
      ],
      rows: g.months.map((m) => [m.month, ...cells(m)]),
      partial: g.months.map((m) => [!m.complete, ...cells(m).map(() => !m.complete)]),
      footer: { label: "metrics.growth.wholePeriod", cells: cells(g) },
    });
    if (d.engagement) {
      tables.push({
        id: "growth-dilution",
        section: "growth",
        title: "metrics.growth.dilution",
        columns: [
          col("metrics.col.month", "month"),
          col("metrics.col.members", "int"),
          col("metrics.col.posts", "int"),
          col("metrics.col.postsPerMember", "decimal"),
          col("metrics.col.contributedShare", "percent"),
        ],
        rows: d.engagement.months.map((m) => [m.month, m.members, m.posts, m.members ? m.posts / m.members : null, m.contributedShare]),
      });
    }
  }
  if (d.playbooks) {
    tables.push({
      id: "playbooks",
      section: "atRisk",
      title: "metrics.playbooks.title",
      columns: [
        col("metrics.col.playbook", "text"),
        col("metrics.col.followedRuns", "int"),
        col("metrics.col.followedRate", "percent"),
        col("metrics.col.heldOutRuns", "int"),
        col("metrics.col.heldOutRate", "percent"),
        col("metrics.col.difference", "decimal"),
        col("metrics.col.differenceLower", "decimal"),
        col("metrics.col.differenceUpper", "decimal"),
        col("metrics.col.stillRunning", "int"),
      ],
      rows: d.playbooks.map((p) => [
        p.name,
        p.followedRuns,
        p.followedRate,
        p.heldOutRuns,
        p.heldOutRate,
        p.difference?.value ?? null,
        p.difference?.lower ?? null,
        p.difference?.upper ?? null,
        p.stillRunning,
      ]),
    });
  }
  if (d.engagement) {
    const engagementColumns = [
      col("metrics.col.members", "int"),
      col("metrics.col.active", "int"),
      col("metrics.col.activeShare", "percent"),
      col("metrics.col.posts", "int"),
      col("metrics.col.postsPerActive", "decimal"),
      col("metrics.col.contributors", "int"),
      col("metrics.col.contributedShare", "percent"),
    ];
    type E = { members: number; active: number; activeShare: number | null; posts: number; postsPerActive: number | null; contributors: number; contributedShare: number | null };
    const cells = (e: E): Cell[] => [e.members, e.active, e.activeShare, e.posts, e.postsPerActive, e.contributors, e.contributedShare];
    tables.push({
      id: "engagement-months",
      section: "engagement",
      title: "metrics.engagement.byMonth",
      columns: [col("metrics.col.month", "month"), ...engagementColumns],
      rows: d.engagement.months.map((m) => [m.month, ...cells(m)]),
    });
    tables.push({
      id: "engagement-tiers",
      section: "engagement",
      title: "metrics.engagement.byTier",
      columns: [col("metrics.col.tier", "tier"), ...engagementColumns],
      rows: d.engagement.byTier.map((t) => [t.tierId, ...cells(t)]),
    });
  }
  return tables;
}
