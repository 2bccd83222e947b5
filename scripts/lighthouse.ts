/**
 * npm run lighthouse: audits the landing, forum and roadmap pages with Lighthouse in the
 * system Chromium (or CHROMIUM_PATH), against the demo club in a throwaway embedded
 * PostgreSQL, and prints the accessibility and best-practices scores (target: 95+).
 */
import { execFileSync } from "node:child_process";
import { createHash, randomBytes } from "node:crypto";
import { existsSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import * as chromeLauncher from "chrome-launcher";
import lighthouse from "lighthouse";
import pg from "pg";
import { ensureDatabase, freePort, startEmbeddedPostgres } from "./embedded-postgres";
import { applyMigrations } from "./migrate";

const root = path.resolve(import.meta.dirname, "..");
const chromePath = process.env.CHROMIUM_PATH ?? (existsSync("/usr/bin/chromium") ? "/usr/bin/chromium" : undefined);

const dataDir = await mkdtemp(path.join(os.tmpdir(), "coterie-lighthouse-"));
const postgres = await startEmbeddedPostgres({ dataDir, port: await freePort(), persistent: false });
await ensureDatabase(postgres.url("postgres"), "coterie");
const databaseUrl = postgres.url("coterie");
await applyMigrations(databaseUrl, { log: () => {} });
const buildDir = path.join(root, "tests/.tmp/build-lighthouse");
const port = await freePort();
Object.assign(process.env, {
  DATABASE_URL: databaseUrl,
  PORT: String(port),
  HOST: "127.0.0.1",
  APP_URL: `http://localhost:${port}`,
  REMIX_BUILD_DIR: buildDir,
  LOG_LEVEL: "silent",
  COTERIE_WORKER: "0",
});
execFileSync(path.join(root, "node_modules/.bin/tsx"), ["prisma/seed.ts"], { cwd: root, env: process.env, stdio: "ignore" });
execFileSync(path.join(root, "node_modules/.bin/remix"), ["build"], { cwd: root, env: { ...process.env, NODE_ENV: "production" }, stdio: "ignore" });
// Imported only now: serve.ts reads REMIX_BUILD_DIR when it loads, and a static import would
// serve whatever `npm run build` last left in build/ instead of the build made above.
const { startServer } = await import("./serve");
const server = await startServer();

const client = new pg.Client({ connectionString: databaseUrl });
await client.connect();
const token = randomBytes(20).toString("hex").replace(/[^a-z2-7]/g, "a").slice(0, 32);
const { rows } = await client.query(`SELECT id FROM "User" WHERE email = 'irina.petrova@example.com'`);
await client.query(`INSERT INTO "Session" (id, "userId", "expiresAt") VALUES ($1, $2, now() + interval '1 day')`, [
  createHash("sha256").update(token).digest("hex"),
  rows[0].id,
]);
await client.end();
const cookie = `coterie_session=${encodeURIComponent(Buffer.from(JSON.stringify(token)).toString("base64"))}`;

const chrome = await chromeLauncher.launch({
  chromePath,
  chromeFlags: ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
});
const results: Array<{ page: string; accessibility: number; bestPractices: number; performance: number }> = [];
try {
  for (const [page, signedIn] of [["/", false], ["/forum", true], ["/roadmap", true]] as const) {
    const run = await lighthouse(
      `http://localhost:${port}${page}`,
      { port: chrome.port, output: "json", logLevel: "error", onlyCategories: ["accessibility", "best-practices", "performance"], extraHeaders: signedIn ? { Cookie: cookie } : undefined },
      { extends: "lighthouse:default", settings: { formFactor: "desktop", screenEmulation: { disabled: true }, throttlingMethod: "provided" } },
    );
    const categories = run!.lhr.categories;
    results.push({
      page,
      accessibility: Math.round((categories.accessibility.score ?? 0) * 100),
      bestPractices: Math.round((categories["best-practices"].score ?? 0) * 100),
      performance: Math.round((categories.performance.score ?? 0) * 100),
    });
    for (const [id, audit] of Object.entries(run!.lhr.audits)) {
      if (audit.score !== null && audit.score < 1 && ["accessibility", "best-practices"].some((c) => run!.lhr.categories[c].auditRefs.some((r) => r.id === id && r.weight > 0))) {
        console.log(`  ${page}: ${id} — ${audit.title}`);
      }
    }
  }
} finally {
  await chrome.kill();
  server.close();
  await postgres.stop().catch(() => {});
  await rm(dataDir, { recursive: true, force: true });
}
console.log("| page | accessibility | best practices | performance |");
console.log("| --- | ---: | ---: | ---: |");
for (const r of results) console.log(`| ${r.page} | ${r.accessibility} | ${r.bestPractices} | ${r.performance} |`);
const failed = results.filter((r) => r.accessibility < 95 || r.bestPractices < 95);
process.exit(failed.length ? 1 : 0);
