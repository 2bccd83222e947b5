/**
 * The dashboard's formulas, from section 5 of the product description (ChartMogul's
 * definitions where it is silent). SQL counts; these turn the counts into figures.
 * A figure that cannot be computed (nothing to divide by) is null, never NaN or Infinity:
 * the page shows "not enough data" for it.
 */

/** NPS class of one 0–10 answer. */
export function npsClass(score: number): "promoter" | "passive" | "detractor" {
  if (score >= 9) return "promoter";
  if (score >= 7) return "passive";
  return "detractor";
}

export type NpsCounts = { promoters: number; passives: number; detractors: number };

export type NpsFigure = NpsCounts & {
  responses: number;
  promoterShare: number | null;
  passiveShare: number | null;
  detractorShare: number | null;
  /** % promoters − % detractors, from −100 to 100. */
  score: number | null;
};

export function nps({ promoters, passives, detractors }: NpsCounts): NpsFigure {
  const responses = promoters + passives + detractors;
  const share = (n: number) => (responses ? (n / responses) * 100 : null);
  return {
    promoters,
    passives,
    detractors,
    responses,
    promoterShare: share(promoters),
    passiveShare: share(passives),
    detractorShare: share(detractors),
    score: responses ? ((promoters - detractors) / responses) * 100 : null,
  };
}

/** Retention = (members at end − new members) / members at start × 100. */
export function retentionRate({ start, end, joined }: { start: number; end: number; joined: number }): number | null {
  return start ? ((end - joined) / start) * 100 : null;
}

/** Churn = members lost in the month who joined before it / members at the start of the month × 100. */
export function churnRate({ start, lost }: { start: number; lost: number }): number | null {
  return start ? (lost / start) * 100 : null;
}

/** The mean of the monthly rates that exist; null when none does. */
export function averageRate(rates: Array<number | null>): number | null {
  const known = rates.filter((r): r is number => r !== null);
  return known.length ? known.reduce((sum, r) => sum + r, 0) / known.length : null;
}

/**
 * MRR in minor units from the sum of annualised prices (monthly price × 12, yearly price as is):
 * yearly plans count as price / 12. Summing annualised integers keeps the sum exact.
 */
export function mrrFromAnnual(annualSum: number): number {
  return Math.round(annualSum / 12);
}

/** ARPA = MRR / paying members, in minor units. */
export function arpa(mrr: number, payingMembers: number): number | null {
  return payingMembers ? mrr / payingMembers : null;
}

export type LtvFigure = { value: number | null; reason: "ok" | "no-paying-members" | "no-churn" | "no-churn-data" };

/** LTV = ARPA / average monthly churn (a rate in %), in minor units. */
export function ltv(arpaValue: number | null, averageChurn: number | null): LtvFigure {
  if (arpaValue === null) return { value: null, reason: "no-paying-members" };
  if (averageChurn === null) return { value: null, reason: "no-churn-data" };
  if (averageChurn === 0) return { value: null, reason: "no-churn" };
  return { value: Math.round(arpaValue / (averageChurn / 100)), reason: "ok" };
}

/** Realized LTV: the mean total actually paid (invoices less refunds) per member, in minor units. */
export function realizedLtv(netPaid: number, members: number): number | null {
  return members ? Math.round(netPaid / members) : null;
}

export function share(part: number, whole: number): number | null {
  return whole ? (part / whole) * 100 : null;
}

export function ratio(part: number, whole: number): number | null {
  return whole ? part / whole : null;
}

/** One period's revenue movements, in minor units of MRR: MRR at start + new + expansion + reactivation − contraction − churn = MRR at end. */
export type MovementSums = { start: number; new: number; expansion: number; reactivation: number; contraction: number; churn: number };

/**
 * Net revenue retention, as ChartMogul's standard (B2B) formula has it: 100 % less the net MRR
 * churn rate ((churn + contraction − expansion − reactivation) / MRR at start), that is
 * (MRR at start + expansion + reactivation − contraction − churn) / MRR at start × 100.
 * New business is left out: it is revenue the period's starting customers did not bring.
 */
export function netRevenueRetention(m: MovementSums): number | null {
  return m.start > 0 ? ((m.start + m.expansion + m.reactivation - m.contraction - m.churn) / m.start) * 100 : null;
}

/** Gross revenue retention: 100 % less the gross MRR churn rate, (MRR at start − contraction − churn) / MRR at start × 100; at most 100. */
export function grossRevenueRetention(m: MovementSums): number | null {
  return m.start > 0 ? ((m.start - m.contraction - m.churn) / m.start) * 100 : null;
}

/** The quick ratio: MRR gained (new + expansion + reactivation) per unit of MRR lost (contraction + churn); null when nothing was lost. */
export function quickRatio(m: MovementSums): number | null {
  const lost = m.contraction + m.churn;
  return lost > 0 ? (m.new + m.expansion + m.reactivation) / lost : null;
}
