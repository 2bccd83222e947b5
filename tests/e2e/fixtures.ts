/**
 * Playwright fixtures. `loginAs` signs a person in by creating a session directly in
 * the database, as the Epic Stack does; only the tests about signing in use the form.
 * `sql` runs a query against the e2e database.
 */
import { test as base, expect, type Page } from "@playwright/test";
import { createHash, randomBytes } from "node:crypto";
import pg from "pg";

const databaseUrl = `postgresql://coterie:coterie@127.0.0.1:${process.env.E2E_PG_PORT}/coterie`;

export const DEMO = {
  owner: { email: "owner@coterie.club", password: "coterie-demo-owner" },
  curator: { email: "curator@coterie.club", password: "coterie-demo-curator" },
  privateClient: { email: "irina.petrova@example.com", password: "coterie-demo-member" },
  professional: { email: "olga.ivanova@example.com", password: "coterie-demo-member" },
  community: { email: "priya.nair@example.com", password: "coterie-demo-member" },
} as const;

type Fixtures = {
  sql: <T extends pg.QueryResultRow = Record<string, unknown>>(text: string, values?: unknown[]) => Promise<T[]>;
  loginAs: (email: string, page?: Page) => Promise<void>;
};

export const test = base.extend<Fixtures>({
  sql: async ({}, use) => {
    const pool = new pg.Pool({ connectionString: databaseUrl, max: 2 });
    await use(async (text, values) => (await pool.query(text, values)).rows);
    await pool.end();
  },
  loginAs: async ({ page, sql, baseURL }, use) => {
    await use(async (email, target = page) => {
      const [user] = await sql<{ id: string }>(`SELECT id FROM "User" WHERE email = $1`, [email]);
      if (!user) throw new Error(`No user ${email} in the e2e database`);
      const token = randomBytes(20)
        .toString("base64")
        .replace(/[^a-z2-7]/gi, "")
        .toLowerCase()
        .padEnd(32, "a")
        .slice(0, 32)
        .replace(/[^a-z2-7]/g, "a");
      const id = createHash("sha256").update(token).digest("hex");
      await sql(
        `INSERT INTO "Session" (id, "userId", "expiresAt", "createdAt", "lastUsedAt") VALUES ($1, $2, now() + interval '1 day', now(), now())`,
        [id, user.id],
      );
      const value = Buffer.from(JSON.stringify(token)).toString("base64");
      await target.context().addCookies([{ name: "coterie_session", value, url: baseURL! }]);
    });
  },
});

export { expect };
