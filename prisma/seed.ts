/**
 * The demo club, re-runnable: every step upserts or skips what is already there.
 *   DATABASE_URL=… tsx prisma/seed.ts
 * Each area has its step in prisma/seed/<area>.ts; prisma/seed/demo-club.ts runs them in order.
 */
import { db } from "../app/db.server";
import { seedDemoClub } from "./seed/demo-club";
import { seedTelegram } from "./seed/telegram";

async function main() {
  await seedDemoClub();
  await seedTelegram();
  console.log("Seeded the demo club.");
}

main()
  .catch((error) => {
    console.error(error);
    process.exitCode = 1;
  })
  .finally(() => db.$disconnect());
