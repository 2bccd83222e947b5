/** The growth section's shapes (growth.server.ts computes them), shared with the page. */
export const JOIN_ROUTES = ["vouch", "invite", "application", "direct"] as const;
export type JoinRoute = (typeof JOIN_ROUTES)[number];

export type GrowthCounts = {
  joined: Record<JoinRoute, number> & { total: number };
  /** Share of the new members who came through a member's vouch (%). */
  viaMembers: number | null;
  /** Vouches members made, the distinct members who made them, those that led to an application and to a member. */
  vouches: { made: number; vouchers: number; applied: number; joined: number; conversion: number | null };
  newPaying: number;
  /** Minor units; null when the owner entered nothing for the months counted. */
  spend: number | null;
  /** spend / new paying members (minor units); null without spend or without new paying members. */
  cac: number | null;
};

export type Growth = GrowthCounts & {
  /** Members at the period's end, and vouches per member made in the period. */
  members: number;
  vouchesPerMember: number | null;
  /** The months whose spend CAC divides: those the owner entered. */
  spendMonths: string[];
  missingSpendMonths: string[];
  /** LTV / CAC, filled in when the dashboard has LTV. */
  ltvToCac: number | null;
  months: Array<GrowthCounts & { month: string; complete: boolean }>;
};

