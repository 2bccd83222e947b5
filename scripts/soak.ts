/**
 * npm run soak: 200 concurrent readers plus 20 forum replies a second for 60 seconds on
 * loopback, against a seeded club. Passes when no response is a 5xx and every accepted
 * write is in the database (the rows are counted).
 *   SOAK_SECONDS=60 SOAK_READERS=200 SOAK_WRITES_PER_SECOND=20 npm run soak
 */
import { spawn, execFileSync } from "node:child_process";
import { createHash, randomBytes } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import autocannon from "autocannon";
import pg from "pg";
import { ensureDatabase, freePort, startEmbeddedPostgres } from "./embedded-postgres";
import { applyMigrations } from "./migrate";
import { seedLargeMembers } from "./bench/seed-members";
import { seedLargeForum, seedLargeRoadmap } from "./bench/seed-areas";

const root = path.resolve(import.meta.dirname, "..");
const SECONDS = Number(process.env.SOAK_SECONDS ?? 60);
const READERS = Number(process.env.SOAK_READERS ?? 200);
const WRITES_PER_SECOND = Number(process.env.SOAK_WRITES_PER_SECOND ?? 20);

async function sessionCookie(client: pg.Client, userId: string) {
  const token = randomBytes(20).toString("hex").replace(/[^a-z2-7]/g, "a").slice(0, 32);
  await client.query(`INSERT INTO "Session" (id, "userId", "expiresAt") VALUES ($1, $2, now() + interval '1 day')`, [
    createHash("sha256").update(token).digest("hex"),
    userId,
  ]);
  return `coterie_session=${encodeURIComponent(Buffer.from(JSON.stringify(token)).toString("base64"))}`;
}

const dataDir = await mkdtemp(path.join(os.tmpdir(), "coterie-soak-"));
const postgres = await startEmbeddedPostgres({ dataDir, port: await freePort(), persistent: false });
let exitCode = 1;
try {
  await ensureDatabase(postgres.url("postgres"), "soak");
  const url = postgres.url("soak");
  await applyMigrations(url, { log: () => {} });
  execFileSync(path.join(root, "node_modules/.bin/tsx"), ["prisma/seed.ts"], { cwd: root, env: { ...process.env, DATABASE_URL: url }, stdio: "ignore" });
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  await seedLargeMembers(client, { members: 2_000, months: 24 });
  await seedLargeForum(client, { members: 2_000, threads: 1_000, postsPerThread: 20 });
  await seedLargeRoadmap(client, { members: 2_000, items: 200, votes: 20_000 });
  await client.query("VACUUM ANALYZE");
  const cookie = await sessionCookie(client, "bench-user-10");
  // Writers: many members, since each may post 30 times in 10 minutes (forum rate limit).
  const writers: string[] = [];
  // (Every 9th bench member has cancelled, and may no longer post.)
  for (let i = 1; writers.length < 120; i += 1) if (i % 9 !== 0) writers.push(await sessionCookie(client, `bench-user-${i}`));

  const buildDir = path.join(root, "tests/.tmp/build-soak");
  execFileSync(path.join(root, "node_modules/.bin/remix"), ["build"], { cwd: root, env: { ...process.env, NODE_ENV: "production", REMIX_BUILD_DIR: buildDir }, stdio: "ignore" });
  const port = await freePort();
  const server = spawn(path.join(root, "node_modules/.bin/tsx"), ["scripts/serve.ts"], {
    cwd: root,
    env: { ...process.env, NODE_ENV: "production", DATABASE_URL: url, DATABASE_POOL_SIZE: "20", PORT: String(port), HOST: "127.0.0.1", APP_URL: `http://localhost:${port}`, STRIPE_SECRET_KEY: "sk_test_soak", STRIPE_WEBHOOK_SECRET: "whsec_soak", REMIX_BUILD_DIR: buildDir, COTERIE_WORKER: "0", LOG_LEVEL: process.env.SOAK_LOG_LEVEL ?? "silent" },
    // SOAK_LOG_LEVEL=error shows the server's error log.
    stdio: ["ignore", process.env.SOAK_LOG_LEVEL ? "inherit" : "ignore", "inherit"],
  });
  const base = `http://localhost:${port}`;
  for (let i = 0; i < 150 && !(await fetch(`${base}/ping`).then((r) => r.ok).catch(() => false)); i += 1) await new Promise((r) => setTimeout(r, 200));

  console.log(`Soak: ${READERS} readers + ${WRITES_PER_SECOND} replies/s for ${SECONDS} s…`);
  const readers = autocannon({
    url: base,
    connections: READERS,
    duration: SECONDS,
    headers: { cookie },
    requests: [{ path: "/forum/bench-general" }, { path: "/forum/t/bench-thread-7" }, { path: "/roadmap" }, { path: "/" }, { path: "/forum?q=backup" }],
  });

  let accepted = 0;
  let writeErrors = 0;
  const statuses = new Map<number, number>();
  const writes: Array<Promise<void>> = [];
  const started = Date.now();
  let n = 0;
  while (Date.now() - started < SECONDS * 1000) {
    const tick = Date.now();
    for (let i = 0; i < WRITES_PER_SECOND; i += 1) {
      const index = n++;
      writes.push(
        fetch(`${base}/forum/t/bench-thread-${1 + (index % 1000)}`, {
          method: "POST",
          headers: { cookie: writers[index % writers.length], Origin: base, "Content-Type": "application/x-www-form-urlencoded" },
          body: new URLSearchParams({ intent: "reply", body: `soak write ${index}` }),
          redirect: "manual",
        })
          .then((r) => {
            statuses.set(r.status, (statuses.get(r.status) ?? 0) + 1);
            if (r.status === 302) accepted += 1;
            else writeErrors += 1;
          })
          .catch(() => {
            writeErrors += 1;
          }),
      );
    }
    await new Promise((r) => setTimeout(r, Math.max(0, 1000 - (Date.now() - tick))));
  }
  const readResult = await readers;
  await Promise.all(writes);
  server.kill("SIGTERM");

  const { rows } = await client.query(`SELECT count(*)::int AS n FROM "ForumPost" WHERE body LIKE 'soak write %'`);
  await client.end();
  const readerStatuses = readResult.statusCodeStats as unknown as Record<string, { count: number }>;
  const read5xx = Object.entries(readerStatuses).filter(([code]) => code.startsWith("5")).reduce((sum, [, v]) => sum + v.count, 0);
  const write5xx = [...statuses].filter(([code]) => code >= 500).reduce((sum, [, c]) => sum + c, 0);
  console.log(`reads: ${readResult.requests.total} requests, ${readResult.requests.average.toFixed(0)} req/s, p50 ${readResult.latency.p50} ms, p99 ${readResult.latency.p99} ms, 5xx ${read5xx}, errors ${readResult.errors}, timeouts ${readResult.timeouts}`);
  console.log(`writes: ${n} sent, ${accepted} accepted (302), statuses ${JSON.stringify(Object.fromEntries(statuses))}, rows in the database ${rows[0].n}`);
  const ok = read5xx === 0 && write5xx === 0 && rows[0].n === accepted && readResult.errors === 0 && writeErrors === 0;
  console.log(ok ? "PASS: no 5xx, no lost writes." : "FAIL");
  exitCode = ok ? 0 : 1;
} finally {
  await postgres.stop().catch(() => {});
  await rm(dataDir, { recursive: true, force: true });
}
process.exit(exitCode);
