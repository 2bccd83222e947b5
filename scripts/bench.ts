/**
 * npm run bench: seeds a large club into a throwaway embedded PostgreSQL, serves the
 * production build, and measures the main pages with autocannon on loopback.
 *
 *   BENCH_SECONDS=10 BENCH_CONNECTIONS=50 npm run bench
 *   BENCH_DATA_DIR=/tmp/coterie-bench BENCH_PAGES=category,thread BENCH_SCALES= npm run bench
 *     (keeps the seeded database between runs, measures only some pages, skips the scales)
 *
 * 1. seed: 10,000 members, 24 months of billing and activity, 200,000 forum posts,
 *    500 roadmap items with 200,000 votes, 300,000 activity events, 20,000 NPS answers;
 * 2. the ceiling: /apply/sent, a plain Remix page route that renders static text (through the
 *    club's layout, for a visitor, without the database); and /ping, a resource route that
 *    answers "ok" without React, as the floor of the HTTP stack;
 * 3. the landing, category, thread, search, roadmap and metrics JSON pages;
 * 4. a table of requests/s, p50/p95/p99 and each page's throughput as a share of the ceiling
 *    (and of /ping), with each target and whether it was met;
 * 5. the status change of a roadmap item with 10,000 voters: the owner's request, and how long
 *    until the fan-out worker has queued every notification (BENCH_PAGES=status-change);
 * 6. how /admin/metrics.json grows with the club: 1,000, 10,000 and 100,000 members;
 * 7. the playbook scheduler's ticks with five playbooks over the club, and EXPLAIN of each
 *    trigger's entry query (BENCH_PAGES=playbooks; scripts/bench/playbooks-tick.ts).
 */
import { spawn, execFileSync, type ChildProcess } from "node:child_process";
import { createHash, randomBytes } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import autocannon from "autocannon";
import pg from "pg";
import { ensureDatabase, freePort, startEmbeddedPostgres } from "./embedded-postgres";
import { applyMigrations } from "./migrate";
import { seedLargeMembers } from "./bench/seed-members";
import { seedLargeForum, seedLargeMetrics, seedLargeRoadmap } from "./bench/seed-areas";

const root = path.resolve(import.meta.dirname, "..");
const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 50);
const MEMBERS = Number(process.env.BENCH_MEMBERS ?? 10_000);
const SCALES = (process.env.BENCH_SCALES ?? "1000,10000,100000").split(",").map(Number).filter(Boolean);
const DATA_DIR = process.env.BENCH_DATA_DIR ? path.resolve(process.env.BENCH_DATA_DIR) : null;
const PAGES = (process.env.BENCH_PAGES ?? "").split(",").map((s) => s.trim()).filter(Boolean);

/** A page's targets from the issues: a p95 in ms, and a share of the ceiling's throughput. */
type Target = { p95Ms?: number; share?: number };
type Row = { page: string; rps: number; p50: number; p95: number; p99: number; errors: number; target?: Target };

/** Every member page is to reach 40 % of the ceiling. */
const MEMBER_PAGE_SHARE = 0.4;

function log(line: string) {
  process.stdout.write(`${line}\n`);
}

function percentile(sorted: number[], p: number) {
  if (!sorted.length) return 0;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

async function measure(page: string, url: string, cookie?: string, target?: Target): Promise<Row> {
  // A short warm-up, then the measured run.
  await autocannon({ url, connections: 10, duration: 2, headers: cookie ? { cookie } : {} });
  const times: number[] = [];
  const result = await new Promise<autocannon.Result>((resolve, reject) => {
    const instance = autocannon(
      { url, connections: CONNECTIONS, duration: SECONDS, headers: cookie ? { cookie } : {} },
      (error, outcome) => (error ? reject(error) : resolve(outcome)),
    );
    instance.on("response", (_client, _status, _bytes, responseTime) => times.push(responseTime));
  });
  times.sort((a, b) => a - b);
  return {
    page,
    rps: result.requests.average,
    p50: percentile(times, 50),
    p95: percentile(times, 95),
    p99: percentile(times, 99),
    errors: result.non2xx + result.errors + result.timeouts,
    target,
  };
}

async function createSessionCookie(client: pg.Client, userId: string): Promise<string> {
  const token = randomBytes(20).toString("hex").replace(/[^a-z2-7]/g, "a").slice(0, 32);
  const id = createHash("sha256").update(token).digest("hex");
  await client.query(
    `INSERT INTO "Session" (id, "userId", "expiresAt", "createdAt", "lastUsedAt") VALUES ($1, $2, now() + interval '1 day', now(), now())`,
    [id, userId],
  );
  return `coterie_session=${encodeURIComponent(Buffer.from(JSON.stringify(token)).toString("base64"))}`;
}

async function startServer(databaseUrl: string, buildDir: string, { worker = false } = {}): Promise<{ url: string; stop: () => void; child: ChildProcess }> {
  const port = await freePort();
  const child = spawn(path.join(root, "node_modules/.bin/tsx"), ["scripts/serve.ts"], {
    cwd: root,
    env: {
      ...process.env,
      NODE_ENV: "production",
      DATABASE_URL: databaseUrl,
      DATABASE_POOL_SIZE: "20",
      PORT: String(port),
      HOST: "127.0.0.1",
      APP_URL: `http://localhost:${port}`,
      // Real-looking values so production mode starts; GET pages make no Stripe calls.
      STRIPE_SECRET_KEY: "sk_test_bench",
      STRIPE_WEBHOOK_SECRET: "whsec_bench",
      REMIX_BUILD_DIR: buildDir,
      // The pages are measured without background work; the status-change row needs the fan-out worker.
      COTERIE_WORKER: worker ? "1" : "0",
      LOG_LEVEL: "silent",
      // BENCH_PROFILE=<dir> writes a V8 CPU profile of the app server there.
      ...(process.env.BENCH_PROFILE ? { NODE_OPTIONS: `${process.env.NODE_OPTIONS ?? ""} --cpu-prof --cpu-prof-dir=${path.resolve(process.env.BENCH_PROFILE)}` } : {}),
    },
    stdio: ["ignore", "ignore", "inherit"],
  });
  const url = `http://localhost:${port}`;
  for (let i = 0; i < 150; i += 1) {
    if (await fetch(`${url}/ping`).then((r) => r.ok).catch(() => false)) break;
    await new Promise((r) => setTimeout(r, 200));
  }
  return { url, child, stop: () => child.kill("SIGTERM") };
}

async function seedClub(url: string, members: number, { full }: { full: boolean }) {
  await applyMigrations(url, { log: () => {} });
  execFileSync(path.join(root, "node_modules/.bin/tsx"), ["prisma/seed.ts"], {
    cwd: root,
    env: { ...process.env, DATABASE_URL: url, LOG_LEVEL: "silent" },
    stdio: "ignore",
  });
  const client = new pg.Client({ connectionString: url });
  client.on("error", () => {});
  await client.connect();
  const started = Date.now();
  await seedLargeMembers(client, { members, months: 24 });
  await seedLargeMetrics(client, { members, months: 24, events: members * 30, surveys: members * 2 });
  if (full) {
    await seedLargeForum(client, { members, threads: 10_000, postsPerThread: 20 });
    await seedLargeRoadmap(client, { members, items: 500, votes: 200_000 });
  }
  await client.query("VACUUM ANALYZE");
  await client.end();
  return Date.now() - started;
}

/** Drops a kept database that an interrupted run left half seeded, and creates it empty. */
async function recreateDatabase(adminUrl: string, name: string) {
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  try {
    await admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
    await admin.query(`CREATE DATABASE "${name}"`);
  } finally {
    await admin.end();
  }
}

/** Whether a kept database holds the whole seed (an interrupted seeding does not count). */
async function alreadySeeded(url: string, members: number, { full }: { full: boolean }): Promise<boolean> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const { rows } = await client.query(`SELECT to_regclass('"RoadmapVote"') IS NOT NULL AS migrated`);
    if (!rows[0].migrated) return false;
    const { rows: counts } = await client.query(`
      SELECT (SELECT count(*) FROM "User")::int AS users, (SELECT count(*) FROM "RoadmapVote")::int AS votes,
             (SELECT count(*) FROM "ActivityEvent")::int AS events, (SELECT count(*) FROM "NpsResponse")::int AS answers`);
    const [c] = counts;
    const seeded = c.users >= members && c.events >= members * 30 && c.answers >= members * 2 && (!full || c.votes >= 200_000);
    // A kept database seeded before the latest migrations gets them now (applying is idempotent).
    if (seeded) await applyMigrations(url, { log: () => {} });
    return seeded;
  } finally {
    await client.end();
  }
}

/**
 * The status change of an item with 10,000 voters: how long the owner's request takes (the
 * target is under 1 s), then how long until the fan-out worker has queued all 10,000
 * notifications (in-app entries, and emails with their delivery jobs).
 */
/** The playbook scheduler's ticks over the club, in a process of its own (scripts/bench/playbooks-tick.ts). */
async function benchPlaybooks(databaseUrl: string) {
  log("");
  const output = execFileSync(path.join(root, "node_modules/.bin/tsx"), ["scripts/bench/playbooks-tick.ts"], {
    cwd: root,
    env: { ...process.env, NODE_ENV: "production", DATABASE_URL: databaseUrl, APP_URL: "http://localhost:3000", STRIPE_SECRET_KEY: "sk_test_bench", STRIPE_WEBHOOK_SECRET: "whsec_bench", LOG_LEVEL: "silent", COTERIE_WORKER: "0" },
    encoding: "utf8",
    stdio: ["ignore", "pipe", "inherit"],
    maxBuffer: 16 * 1024 * 1024,
  });
  for (const line of output.trimEnd().split("\n")) log(line);
}

async function benchStatusChange(databaseUrl: string, buildDir: string, ownerCookie: string) {
  const VOTERS = 10_000;
  const itemId = `bench-fanout-${Date.now()}`;
  const c = new pg.Client({ connectionString: databaseUrl });
  await c.connect();
  await c.query(
    `INSERT INTO "RoadmapItem" (id, title, "descriptionMd", "descriptionHtml", summary, status, "updatedAt")
     VALUES ($1, 'Bench: regional failover', '', '', '', 'PLANNED', now())`,
    [itemId],
  );
  const { rowCount } = await c.query(
    `INSERT INTO "RoadmapVote" ("itemId", "userId", weight, "createdAt")
     SELECT $1, u.id, 1, now() - interval '1 day' + (row_number() OVER (ORDER BY u.id)) * interval '1 second'
     FROM (SELECT id FROM "User" WHERE "deactivatedAt" IS NULL ORDER BY id LIMIT $2) u`,
    [itemId, VOTERS],
  );
  await c.query(`UPDATE "RoadmapItem" SET "voteCount" = $2, "weightedVotes" = $2 WHERE id = $1`, [itemId, rowCount]);
  const server = await startServer(databaseUrl, buildDir, { worker: true });
  try {
    // The owner opens the item page first (as they do before using its form); that request
    // is printed apart, since it also pays for the freshly started server's first queries.
    const opened = performance.now();
    const view = await fetch(`${server.url}/roadmap/${itemId}`, { headers: { cookie: ownerCookie } });
    await view.arrayBuffer();
    const openMs = performance.now() - opened;
    if (!view.ok) throw new Error(`the item page answered ${view.status}`);
    const started = performance.now();
    // The form's POST; its answer is the item page rendered again (the action, then every
    // loader), which lists the first voters and the totals, not all 10,000 voters.
    const response = await fetch(`${server.url}/roadmap/${itemId}`, {
      method: "POST",
      headers: { cookie: ownerCookie, "Content-Type": "application/x-www-form-urlencoded", Origin: server.url },
      body: new URLSearchParams({ intent: "status", status: "SHIPPED", note: "" }),
    });
    await response.arrayBuffer();
    const requestMs = performance.now() - started;
    if (!response.ok) throw new Error(`the status change answered ${response.status}`);
    let queuedMs = Number.NaN;
    for (let i = 0; i < 1200; i += 1) {
      const { rows } = await c.query(`SELECT "completedAt" IS NOT NULL AS done FROM "NotificationFanout" WHERE url = $1`, [`/roadmap/${itemId}`]);
      if (rows[0]?.done) {
        queuedMs = performance.now() - started;
        break;
      }
      await new Promise((r) => setTimeout(r, 100));
    }
    const { rows: queued } = await c.query(
      `SELECT (SELECT count(*)::int FROM "Notification" WHERE url = $1) AS "inApp",
              (SELECT count(*)::int FROM "Email" WHERE text LIKE $2) AS emails`,
      [`/roadmap/${itemId}`, `%/roadmap/${itemId}%`],
    );
    log("");
    log(`Status change of an item with ${rowCount?.toLocaleString("en")} voters (the owner's POST, then the fan-out worker; opening the page before took ${openMs.toFixed(0)} ms):`);
    log("| owner's request ms | target | met? | all notifications queued after ms | in-app entries | emails queued |");
    log("| ---: | --- | --- | ---: | ---: | ---: |");
    log(`| ${requestMs.toFixed(0)} | < 1000 ms | ${requestMs < 1000 ? "yes" : "no"} | ${Number.isNaN(queuedMs) ? "not within 120 s" : queuedMs.toFixed(0)} | ${queued[0].inApp} | ${queued[0].emails} |`);
  } finally {
    server.stop();
    await c.end();
  }
}

async function main() {
  const dataDir = DATA_DIR ?? (await mkdtemp(path.join(os.tmpdir(), "coterie-bench-")));
  // A kept data directory survives the run, but skips fsync like the throwaway one.
  const postgres = await startEmbeddedPostgres({ dataDir, port: await freePort(), persistent: Boolean(DATA_DIR), fsync: false });
  const buildDir = path.join(root, "tests/.tmp/build-bench");
  try {
    log(`Machine: ${os.cpus().length} × ${os.cpus()[0]?.model ?? "cpu"}, ${Math.round(os.totalmem() / 2 ** 30)} GiB, Node ${process.version}`);
    log("Building the app…");
    execFileSync(path.join(root, "node_modules/.bin/remix"), ["build"], { cwd: root, env: { ...process.env, NODE_ENV: "production", REMIX_BUILD_DIR: buildDir }, stdio: "ignore" });

    await ensureDatabase(postgres.url("postgres"), "bench");
    const url = postgres.url("bench");
    if (DATA_DIR && (await alreadySeeded(url, MEMBERS, { full: true }))) {
      log(`Reusing the database seeded earlier in ${DATA_DIR}.`);
    } else {
      log(`Seeding ${MEMBERS.toLocaleString("en")} members, 200,000 posts, 500 items with 200,000 votes, ${(MEMBERS * 30).toLocaleString("en")} events, ${(MEMBERS * 2).toLocaleString("en")} NPS answers…`);
      const seededIn = await seedClub(url, MEMBERS, { full: true });
      log(`Seeded in ${(seededIn / 1000).toFixed(1)} s.`);
    }

    const client = new pg.Client({ connectionString: url });
    await client.connect();
    const member = await createSessionCookie(client, "bench-user-10"); // a Private Client
    const owner = await createSessionCookie(client, (await client.query(`SELECT id FROM "User" WHERE role = 'OWNER' LIMIT 1`)).rows[0].id);
    const { rows: counts } = await client.query(`SELECT (SELECT count(*) FROM "ForumPost")::int AS posts, (SELECT count(*) FROM "RoadmapVote")::int AS votes, (SELECT count(*) FROM "User")::int AS users`);
    await client.end();
    log(`Database: ${counts[0].users} users, ${counts[0].posts} posts, ${counts[0].votes} votes.`);

    const server = await startServer(url, buildDir);
    const to = new Date().toISOString().slice(0, 10);
    const from = new Date(Date.now() - 365 * 86_400_000).toISOString().slice(0, 10);
    const rows: Row[] = [];
    const wanted = (page: string) => !PAGES.length || PAGES.some((name) => page.includes(name));
    try {
      rows.push(await measure("ceiling: /apply/sent (static text, visitor)", `${server.url}/apply/sent`));
      rows.push(await measure("/ping (resource route, no React)", `${server.url}/ping`));
      // The same static page for a signed-in member: what the session lookup and the member's
      // layout cost before a page does any work of its own.
      rows.push(await measure("/apply/sent (static text, signed-in member)", `${server.url}/apply/sent`, member));
      if (wanted("landing")) rows.push(await measure("landing / (visitor)", `${server.url}/`, undefined, { share: MEMBER_PAGE_SHARE }));
      if (wanted("category")) rows.push(await measure("category /forum/bench-general", `${server.url}/forum/bench-general`, member, { p95Ms: 50, share: MEMBER_PAGE_SHARE }));
      if (wanted("thread")) rows.push(await measure("thread /forum/t/bench-thread-4242", `${server.url}/forum/t/bench-thread-4242`, member, { p95Ms: 50, share: MEMBER_PAGE_SHARE }));
      if (wanted("search")) rows.push(await measure("search /forum?q=backup", `${server.url}/forum?q=backup`, member, { p95Ms: 150, share: MEMBER_PAGE_SHARE }));
      if (wanted("search")) rows.push(await measure("search /forum?q=шифрование", `${server.url}/forum?q=${encodeURIComponent("шифрование")}`, member, { p95Ms: 150, share: MEMBER_PAGE_SHARE }));
      if (wanted("roadmap")) rows.push(await measure("roadmap /roadmap", `${server.url}/roadmap`, member, { p95Ms: 50, share: MEMBER_PAGE_SHARE }));
      // 50 clients asking for the same year: after the first computation the 60 s cache answers.
      if (wanted("metrics")) rows.push(await measure("metrics /admin/metrics.json (year, cached)", `${server.url}/admin/metrics.json?from=${from}&to=${to}`, owner, { p95Ms: 250 }));
    } finally {
      server.stop();
    }

    const [ceiling, ping] = [rows[0].rps, rows[1].rps];
    const percent = (share: number) => `${(share * 100).toFixed(0)} %`;
    log("");
    log(`${CONNECTIONS} connections, ${SECONDS} s each, loopback`);
    log("| page | req/s | p50 ms | p95 ms | p99 ms | share of ceiling | share of /ping | errors | target | met? |");
    log("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- | --- |");
    for (const row of rows) {
      const share = row.rps / ceiling;
      const { p95Ms, share: wantedShare } = row.target ?? {};
      const target = [p95Ms && `p95 < ${p95Ms} ms`, wantedShare && `≥ ${percent(wantedShare)} of ceiling`].filter(Boolean).join(", ");
      const misses = [p95Ms && row.p95 >= p95Ms && "p95", wantedShare && share < wantedShare && "share"].filter(Boolean);
      const met = !row.target ? "" : misses.length ? `no (${misses.join(", ")})` : "yes";
      log(`| ${row.page} | ${row.rps.toFixed(0)} | ${row.p50.toFixed(0)} | ${row.p95.toFixed(0)} | ${row.p99.toFixed(0)} | ${percent(share)} | ${percent(row.rps / ping)} | ${row.errors} | ${target} | ${met} |`);
    }

    if (wanted("status-change")) await benchStatusChange(url, buildDir, owner);

    // How the metrics cost grows with the club: same queries, 1k / 10k / 100k members.
    log("");
    // Each request asks for another year (ending one day earlier), so the dashboard cache
    // (60 s per period) never answers and every figure is a full computation.
    log("/admin/metrics.json for a year, by club size (sequential requests, each for a different year so none is cached, after a warm-up):");
    log("| members | events | median ms | per 1,000 members |");
    log("| ---: | ---: | ---: | ---: |");
    for (const size of SCALES) {
      const name = `scale_${size}`;
      await ensureDatabase(postgres.url("postgres"), name);
      const scaleUrl = postgres.url(name);
      if (!DATA_DIR || !(await alreadySeeded(scaleUrl, size, { full: false }))) {
        await recreateDatabase(postgres.url("postgres"), name);
        await seedClub(scaleUrl, size, { full: false });
      }
      const c = new pg.Client({ connectionString: scaleUrl });
      await c.connect();
      const ownerCookie = await createSessionCookie(c, (await c.query(`SELECT id FROM "User" WHERE role = 'OWNER' LIMIT 1`)).rows[0].id);
      await c.end();
      const scaleServer = await startServer(scaleUrl, buildDir);
      try {
        const times: number[] = [];
        for (let i = 0; i < 13; i += 1) {
          const started = performance.now();
          const end = Date.now() - i * 86_400_000;
          const period = `from=${new Date(end - 365 * 86_400_000).toISOString().slice(0, 10)}&to=${new Date(end).toISOString().slice(0, 10)}`;
          const response = await fetch(`${scaleServer.url}/admin/metrics.json?${period}`, { headers: { cookie: ownerCookie } });
          await response.arrayBuffer();
          if (!response.ok) throw new Error(`metrics.json answered ${response.status} at ${size} members`);
          if (i >= 3) times.push(performance.now() - started);
        }
        times.sort((a, b) => a - b);
        const median = percentile(times, 50);
        log(`| ${size.toLocaleString("en")} | ${(size * 30).toLocaleString("en")} | ${median.toFixed(0)} | ${((median / size) * 1000).toFixed(2)} |`);
      } finally {
        scaleServer.stop();
      }
    }
    // The scheduler over the 10,000-member club of the scales when there is one, else this club.
    if (wanted("playbooks")) await benchPlaybooks(SCALES.includes(10_000) ? postgres.url("scale_10000") : url);
  } finally {
    await postgres.stop().catch(() => {});
    if (!DATA_DIR) await rm(dataDir, { recursive: true, force: true });
  }
}

main().then(
  () => process.exit(0),
  (error) => {
    console.error(error);
    process.exit(1);
  },
);
