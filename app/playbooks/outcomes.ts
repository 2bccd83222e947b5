/**
 * The control group's arithmetic (pure, shared by the server and the pages): return rates of
 * those who got a playbook's follow-up and of those held out, and the difference of the two
 * with a 95 % interval.
 *
 * The interval is Newcombe's hybrid score interval (method 10 of R. G. Newcombe, "Interval
 * estimation for the difference between independent proportions: comparison of eleven
 * methods", Statistics in Medicine 17, 873–890, 1998), built from the Wilson score interval of
 * each rate. Unlike the plain normal ("Wald") interval it stays inside [-1, 1] and keeps close
 * to its 95 % coverage for small groups and rates near 0 or 1, which is what a 10 % hold-out of
 * a small club gives.
 */

/** A return is any activity of the member within this many days after entering a run. */
export const RETURN_WINDOW_DAYS = 30;

/**
 * The fewest runs (old enough to have had their 30 days) each group needs before the figures
 * are compared. With 30 in each group the 95 % interval of the difference is still about ±25
 * percentage points wide at a 50 % return rate (1.96 · √(0.25/30 + 0.25/30) ≈ 0.25): anything
 * narrower-sounding below that would be noise presented as a finding. The page says so.
 */
export const MIN_GROUP_SIZE = 30;

/** z for a two-sided 95 % interval. */
const Z = 1.959963984540054;

export type Interval = { lower: number; upper: number };

/** The Wilson score interval for `successes` out of `trials` (Wilson 1927). */
export function wilsonInterval(successes: number, trials: number, z = Z): Interval {
  if (trials <= 0) return { lower: 0, upper: 1 };
  const p = successes / trials;
  const z2 = z * z;
  const denominator = 1 + z2 / trials;
  const centre = (p + z2 / (2 * trials)) / denominator;
  const half = (z * Math.sqrt((p * (1 - p)) / trials + z2 / (4 * trials * trials))) / denominator;
  // At 0 or n the bound is exactly 0 or 1 (floating point would leave 0.9999999999999999).
  return { lower: successes === 0 ? 0 : Math.max(0, centre - half), upper: successes === trials ? 1 : Math.min(1, centre + half) };
}

/** The difference of two rates, x1/n1 − x2/n2, with Newcombe's hybrid score interval. */
export function rateDifference(x1: number, n1: number, x2: number, n2: number, z = Z): { difference: number } & Interval {
  const p1 = x1 / n1;
  const p2 = x2 / n2;
  const a = wilsonInterval(x1, n1, z);
  const b = wilsonInterval(x2, n2, z);
  const difference = p1 - p2;
  return {
    difference,
    lower: difference - Math.sqrt((p1 - a.lower) ** 2 + (b.upper - p2) ** 2),
    upper: difference + Math.sqrt((a.upper - p1) ** 2 + (p2 - b.lower) ** 2),
  };
}

export type GroupCounts = { runs: number; returned: number };

export type GroupFigures = GroupCounts & { rate: number | null };

export type ControlGroupFigures = {
  /** Runs that got the follow-up (not held out), entered at least RETURN_WINDOW_DAYS ago. */
  followed: GroupFigures;
  /** Runs held out (they got nothing), entered at least RETURN_WINDOW_DAYS ago. */
  heldOut: GroupFigures;
  /** Runs younger than RETURN_WINDOW_DAYS: not counted yet. */
  stillRunning: number;
  /** False while either group has fewer than MIN_GROUP_SIZE runs; then there is no difference. */
  enoughData: boolean;
  /** followed.rate − heldOut.rate and its 95 % interval, when there is enough data. */
  difference: ({ difference: number } & Interval) | null;
};

function group(counts: GroupCounts): GroupFigures {
  return { ...counts, rate: counts.runs > 0 ? counts.returned / counts.runs : null };
}

/** The page's figures from the two groups' counts. */
export function controlGroupFigures(followed: GroupCounts, heldOut: GroupCounts, stillRunning: number, minGroupSize = MIN_GROUP_SIZE): ControlGroupFigures {
  const enoughData = followed.runs >= minGroupSize && heldOut.runs >= minGroupSize;
  return {
    followed: group(followed),
    heldOut: group(heldOut),
    stillRunning,
    enoughData,
    difference: enoughData ? rateDifference(followed.returned, followed.runs, heldOut.returned, heldOut.runs) : null,
  };
}
