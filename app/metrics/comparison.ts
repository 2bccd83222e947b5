import type { Dashboard } from "./dashboard.server";

/**
 * The headline figures, and how each compares with the previous period of the same length
 * (period.ts previousPeriod). Shared by the server (which stores the previous values in the
 * dashboard) and the page (which shows the change), so both read a figure the same way.
 */
export const HEADLINE_FIGURES = ["nps", "retention", "churn", "mrr", "arpa", "nrr", "grr", "quickRatio", "ltv", "realizedLtv", "viaMembers", "cac", "active", "contributed"] as const;
export type HeadlineId = (typeof HEADLINE_FIGURES)[number];

/** How a change is written: NPS and rates in points, money and counts in their own unit. */
export const HEADLINE_UNIT: Record<HeadlineId, "score" | "points" | "money" | "count" | "ratio"> = {
  nps: "score",
  retention: "points",
  churn: "points",
  mrr: "money",
  arpa: "money",
  nrr: "points",
  grr: "points",
  quickRatio: "ratio",
  ltv: "money",
  realizedLtv: "money",
  viaMembers: "points",
  cac: "money",
  active: "count",
  contributed: "points",
};

/** The sections a comparison needs: everything with a headline figure (not the cohort table, not the at-risk list, which is as of now). */
export const COMPARED_SECTIONS = ["nps", "retention", "churn", "revenue", "ltv", "growth", "engagement"] as const;

export function headlineValues(d: Dashboard): Partial<Record<HeadlineId, number | null>> {
  const out: Partial<Record<HeadlineId, number | null>> = {};
  if (d.nps) out.nps = d.nps.period.score;
  if (d.retention) out.retention = d.retention.rate;
  if (d.churn) out.churn = d.churn.average;
  if (d.revenue) {
    out.mrr = d.revenue.atEnd.mrr;
    out.arpa = d.revenue.atEnd.arpa;
    out.nrr = d.revenue.movements.period.nrr;
    out.grr = d.revenue.movements.period.grr;
    out.quickRatio = d.revenue.movements.period.quickRatio;
  }
  if (d.ltv) {
    out.ltv = d.ltv.value;
    out.realizedLtv = d.ltv.realized.value;
  }
  if (d.growth) {
    out.viaMembers = d.growth.viaMembers;
    out.cac = d.growth.cac;
  }
  if (d.engagement) {
    out.active = d.engagement.active;
    out.contributed = d.engagement.thisMonth.share;
  }
  return out;
}

export type Change = { direction: "up" | "down" | "same"; delta: number } | null;

/** current − previous; null when either is missing ("not enough data"). Differences below a rounding step count as unchanged. */
export function changeOf(current: number | null | undefined, previous: number | null | undefined): Change {
  if (current === null || current === undefined || previous === null || previous === undefined) return null;
  const delta = current - previous;
  if (Math.abs(delta) < 1e-9) return { direction: "same", delta: 0 };
  return { direction: delta > 0 ? "up" : "down", delta };
}
