import type { Role } from "~/generated/prisma/enums";

/** The dashboard's parts. Owners see all of them; curators see engagement only. */
export const SECTIONS = ["nps", "retention", "cohorts", "churn", "revenue", "ltv", "growth", "engagement", "atRisk"] as const;
export type Section = (typeof SECTIONS)[number];

/**
 * What curators may see: engagement, and the at-risk list they work through. Everything
 * built from subscriptions, payments or survey scores is the owner's (403 for curators).
 */
export const CURATOR_SECTIONS: readonly Section[] = ["engagement", "atRisk"];

export function sectionsFor(role: Role): Section[] {
  if (role === "OWNER") return [...SECTIONS];
  if (role === "CURATOR") return [...CURATOR_SECTIONS];
  return [];
}

export function isSection(value: string): value is Section {
  return (SECTIONS as readonly string[]).includes(value);
}
