/**
 * Creates the club's first owner in a production database (the demo seed is for demos only).
 *   DATABASE_URL=… npx tsx scripts/create-owner.ts owner@club.example "Owner Name" ["Club name"]
 * Prints a one-time password; change it after signing in (forgot-password works too).
 */
import { randomBytes } from "node:crypto";
import { db } from "../app/db.server";
import { hashPassword } from "../app/auth/password.server";

const [email, name, clubName] = process.argv.slice(2);
if (!email || !name || !/^[^@\s]+@[^@\s]+$/.test(email)) {
  console.error('Usage: npx tsx scripts/create-owner.ts <email> "<name>" ["<club name>"]');
  process.exit(1);
}

const password = randomBytes(12).toString("base64url");
await db.clubSettings.upsert({
  where: { id: 1 },
  update: {},
  create: { id: 1, name: clubName ?? "Our club", taglineEn: "A private club", taglineRu: "Закрытый клуб", aboutEn: "", aboutRu: "" },
});
await db.user.upsert({
  where: { email: email.toLowerCase() },
  update: { role: "OWNER", passwordHash: await hashPassword(password) },
  create: { email: email.toLowerCase(), name, role: "OWNER", passwordHash: await hashPassword(password), emailVerifiedAt: new Date() },
});
console.log(`Owner ${email} can sign in with the one-time password: ${password}`);
await db.$disconnect();
