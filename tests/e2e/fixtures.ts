/**
 * Playwright fixtures. `loginAs` signs a person in by creating a session directly in
 * the database, as the Epic Stack does; only the tests about signing in use the form.
 * `sql` runs a query against the e2e database. Every test also fails when a page it opened
 * threw an uncaught error, or React could not hydrate it (`pageErrors`, automatic).
 */
import { test as base, expect, type BrowserContext, type Page } from "@playwright/test";
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
  pageErrors: void;
};

/** What React logs when the server's HTML does not match its first render (it then drops the HTML and renders again). */
const HYDRATION_ERROR = /Minified React error #4(18|19|21|22|23|25)\b|hydrat/i;

export const test = base.extend<Fixtures>({
  // On every page of every context a test opens, including contexts it makes itself.
  pageErrors: [
    async ({ context, browser }, use) => {
      const errors: string[] = [];
      const watchPage = (page: Page) => {
        const note = (text: string) => errors.push(`${page.url()}: ${text.slice(0, 200)}`);
        page.on("console", (message) => message.type() === "error" && HYDRATION_ERROR.test(message.text()) && note(message.text()));
        // Any uncaught exception in the page fails the test, not only hydration errors.
        page.on("pageerror", (error) => note(error.message));
      };
      const watchContext = (watched: BrowserContext) => {
        watched.pages().forEach(watchPage);
        watched.on("page", watchPage);
      };
      watchContext(context);
      const newContext = browser.newContext;
      browser.newContext = async (...args) => {
        const made = await newContext.apply(browser, args);
        watchContext(made);
        return made;
      };
      try {
        await use();
      } finally {
        browser.newContext = newContext;
      }
      expect(errors, "These pages threw in the browser, or React could not hydrate them").toEqual([]);
    },
    { auto: true },
  ],
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
