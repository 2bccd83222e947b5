/**
 * The demo club, re-runnable: every step upserts or skips what is already there.
 *   DATABASE_URL=… tsx prisma/seed.ts
 * Each area has its step in prisma/seed/<area>.ts.
 */
import { db } from "../app/db.server";
import { seedAdmission } from "./seed/admission";
import { seedBilling } from "./seed/billing";
import { seedForum } from "./seed/forum";
import { seedFoundation } from "./seed/foundation";
import { seedMetrics } from "./seed/metrics";
import { seedRoadmap } from "./seed/roadmap";

async function main() {
  await seedFoundation();
  await seedBilling();
  await seedAdmission();
  await seedForum();
  await seedRoadmap();
  await seedMetrics();
  console.log("Seeded the demo club.");
}

main()
  .catch((error) => {
    console.error(error);
    process.exitCode = 1;
  })
  .finally(() => db.$disconnect());
