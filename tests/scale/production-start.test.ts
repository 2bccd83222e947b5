import { spawn } from "node:child_process";
import path from "node:path";
import pg from "pg";
import { describe, expect, inject, it } from "vitest";
import { freePort } from "../../scripts/embedded-postgres";
import { buildApp } from "../support/app-server";

const root = path.resolve(import.meta.dirname, "../..");

async function emptyDatabase(): Promise<string> {
  const name = `prod_${Math.random().toString(36).slice(2, 10)}`;
  const admin = new pg.Client({ connectionString: inject("postgresAdminUrl") });
  await admin.connect();
  await admin.query(`CREATE DATABASE "${name}"`);
  await admin.end();
  return `${inject("postgresUrlPrefix")}${name}`;
}

function npmStart(env: Record<string, string>) {
  let output = "";
  // Its own process group, so stopping it stops npm, the shell and every server process under it.
  const child = spawn("npm", ["start", "--silent"], {
    cwd: root,
    detached: true,
    env: { ...process.env, REMIX_BUILD_DIR: buildApp(), COTERIE_WORKER: "0", LOG_LEVEL: "info", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  child.stdout!.on("data", (c) => (output += c));
  child.stderr!.on("data", (c) => (output += c));
  const exited = new Promise<number | null>((resolve) => child.on("exit", resolve));
  const stop = () => {
    try {
      process.kill(-child.pid!, "SIGTERM");
    } catch {
      // Already gone.
    }
  };
  return { child, output: () => output, exited, stop };
}

describe("the production start command (npm start)", () => {
  it("applies migrations to an empty database, then serves with production headers from two processes", async () => {
    const databaseUrl = await emptyDatabase();
    const port = await freePort();
    const app = npmStart({
      NODE_ENV: "production",
      DATABASE_URL: databaseUrl,
      PORT: String(port),
      HOST: "127.0.0.1",
      APP_URL: "https://club.example.com",
      STRIPE_SECRET_KEY: "sk_test_start",
      STRIPE_WEBHOOK_SECRET: "whsec_start",
      WEB_CONCURRENCY: "2",
    });
    try {
      let status = 0;
      for (let i = 0; i < 150 && status !== 200; i += 1) {
        status = await fetch(`http://127.0.0.1:${port}/healthz`).then((r) => r.status).catch(() => 0);
        if (status !== 200) await new Promise((r) => setTimeout(r, 200));
      }
      expect(status, app.output()).toBe(200);
      const client = new pg.Client({ connectionString: databaseUrl });
      await client.connect();
      const { rows } = await client.query(`SELECT count(*)::int AS n FROM "_prisma_migrations" WHERE finished_at IS NOT NULL`);
      await client.end();
      expect(rows[0].n).toBeGreaterThan(0);
      const page = await fetch(`http://127.0.0.1:${port}/`);
      expect(page.headers.get("strict-transport-security")).toContain("max-age=");
      // Logs are JSON lines with a request id.
      await new Promise((r) => setTimeout(r, 200));
      const requestLine = app.output().split("\n").find((line) => line.includes('"msg":"request"'));
      expect(JSON.parse(requestLine!)).toMatchObject({ level: "info", method: "GET", requestId: expect.any(String) });
      // WEB_CONCURRENCY=2: two server processes share the port and both answer.
      for (let i = 0; i < 8; i += 1) await fetch(`http://127.0.0.1:${port}/ping`, { headers: { Connection: "close" } });
      await new Promise((r) => setTimeout(r, 200));
      const pids = new Set(
        app.output().split("\n").filter((line) => line.includes('"msg":"request"')).map((line) => JSON.parse(line).pid),
      );
      expect(pids.size, app.output()).toBe(2);
    } finally {
      app.stop();
      await app.exited;
    }
  });

  it("refuses to start in production without Stripe keys, naming them", async () => {
    const app = npmStart({
      NODE_ENV: "production",
      DATABASE_URL: await emptyDatabase(),
      PORT: String(await freePort()),
      APP_URL: "https://club.example.com",
      STRIPE_SECRET_KEY: "",
      STRIPE_WEBHOOK_SECRET: "",
    });
    const code = await app.exited;
    expect(code).not.toBe(0);
    expect(app.output()).toMatch(/STRIPE_SECRET_KEY/);
    expect(app.output()).toMatch(/STRIPE_WEBHOOK_SECRET/);
    expect(app.output()).not.toMatch(/\n\s+at /);
  });
});
