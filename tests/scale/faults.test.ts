import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ensureDatabase, freePort, startEmbeddedPostgres, type RunningPostgres } from "../../scripts/embedded-postgres";
import { applyMigrations } from "../../scripts/migrate";
import { startAppInstance, type AppInstance } from "../support/app-server";

// A database this test can stop and start again, and an app instance in front of it.
let dataDir: string;
let pgPort: number;
let postgres: RunningPostgres;
let app: AppInstance;

beforeAll(async () => {
  dataDir = await mkdtemp(path.join(os.tmpdir(), "coterie-faults-"));
  pgPort = await freePort();
  postgres = await startEmbeddedPostgres({ dataDir, port: pgPort });
  await ensureDatabase(postgres.url("postgres"), "coterie");
  await applyMigrations(postgres.url("coterie"), { log: () => {} });
  app = await startAppInstance({ databaseUrl: postgres.url("coterie"), port: await freePort(), env: { COTERIE_WORKER: "0" } });
}, 120_000);

afterAll(async () => {
  await app?.stop();
  await postgres?.stop().catch(() => {});
  await rm(dataDir, { recursive: true, force: true });
});

describe("when the database goes away", () => {
  it("pages answer 503 with a readable page, /healthz says 503, and the app recovers without a restart", async () => {
    expect((await fetch(`${app.url}/`)).status).toBe(200);
    expect((await fetch(`${app.url}/healthz`)).status).toBe(200);

    await postgres.stop();

    const health = await fetch(`${app.url}/healthz`);
    expect(health.status).toBe(503);
    // A member's request (any session cookie) needs the database to check the session.
    // (A visitor's landing page may still be served: the layout keeps the club's name for 5 s.)
    const cookie = `coterie_session=${Buffer.from(JSON.stringify("a".repeat(32))).toString("base64")}`;
    for (const pagePath of ["/", "/forum", "/roadmap"]) {
      const page = await fetch(`${app.url}${pagePath}`, { headers: { "Accept-Language": "en", Cookie: cookie } });
      expect(page.status, pagePath).toBe(503);
      expect(page.headers.get("retry-after"), pagePath).toBe("10");
      const html = await page.text();
      expect(html).toContain("Temporarily unavailable");
      expect(html).not.toMatch(/at .+\.(ts|js):\d+|PrismaClient|Error:/);
    }
    const login = await fetch(`${app.url}/login`, {
      method: "POST",
      headers: { Origin: app.url, "Content-Type": "application/x-www-form-urlencoded" },
      body: "email=owner%40example.com&password=whatever",
      redirect: "manual",
    });
    expect(login.status).toBe(503);
    expect(login.headers.get("retry-after")).toBe("10");
    // A client-side navigation's data request, and /healthz, say when to try again too.
    const data = await fetch(`${app.url}/forum.data`, { headers: { Cookie: cookie } });
    expect(data.status).toBe(503);
    expect(data.headers.get("retry-after")).toBe("10");
    expect(health.headers.get("retry-after")).toBe("10");

    postgres = await startEmbeddedPostgres({ dataDir, port: pgPort });
    let status = 0;
    for (let i = 0; i < 50 && status !== 200; i += 1) {
      status = (await fetch(`${app.url}/healthz`)).status;
      if (status !== 200) await new Promise((r) => setTimeout(r, 200));
    }
    expect(status).toBe(200);
    expect((await fetch(`${app.url}/`)).status).toBe(200);
    expect(app.process.exitCode).toBeNull();
  });
});
