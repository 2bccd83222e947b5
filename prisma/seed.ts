/**
 * The demo club, re-runnable: every step upserts or skips what is already there.
 *   DATABASE_URL=… tsx prisma/seed.ts
 * Each area adds its step below (seedAdmission, seedForum, …) in prisma/seed/<area>.ts.
 */
import { db } from "../app/db.server";
import { seedFoundation } from "./seed/foundation";

async function main() {
  await seedFoundation();
  console.log("Seeded the demo club.");
}

main()
  .catch((error) => {
    console.error(error);
    process.exitCode = 1;
  })
  .finally(() => db.$disconnect());
