import { seedAdmission } from "./admission";
import { seedBilling } from "./billing";
import { seedFollowUps } from "./follow-ups";
import { seedForum } from "./forum";
import { seedFoundation } from "./foundation";
import { seedClubHistory } from "./history";
import { seedLegalTexts } from "./legal";
import { seedMetrics } from "./metrics";
import { seedRoadmap } from "./roadmap";
import { seedAcquisitionSpend } from "./spend";

/**
 * The whole demo club, every step dated from the same `now`. Each step upserts or skips what
 * is already there, so running it again adds nothing. The history goes last: it reads what
 * every other step wrote.
 */
export async function seedDemoClub(now = new Date()) {
  await seedFoundation(now);
  await seedLegalTexts(now);
  await seedBilling(now);
  await seedAdmission(now);
  await seedForum(now);
  await seedRoadmap(now);
  await seedMetrics(now);
  await seedClubHistory(now);
  await seedAcquisitionSpend(now);
  // Reads the members, activity and answers the history wrote.
  await seedFollowUps(now);
}
