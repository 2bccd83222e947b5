/**
 * The portal as the end-to-end tests see it: a throwaway embedded PostgreSQL, migrated
 * and seeded with the demo club, and the production build served by scripts/serve.ts.
 */
import { execFileSync } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { ensureDatabase, startEmbeddedPostgres } from "../../scripts/embedded-postgres";
import { applyMigrations } from "../../scripts/migrate";
import { e2eTelegramPort, startFakeTelegram } from "./fake-telegram";

const root = path.resolve(import.meta.dirname, "../..");
const pgPort = Number(process.env.E2E_PG_PORT);
const appPort = process.env.E2E_PORT!;

const dataDir = await mkdtemp(path.join(os.tmpdir(), "coterie-e2e-pg-"));
const postgres = await startEmbeddedPostgres({ dataDir, port: pgPort, persistent: false });
await ensureDatabase(postgres.url("postgres"), "coterie");
const databaseUrl = postgres.url("coterie");
await applyMigrations(databaseUrl, { log: () => {} });

// Telegram is the Bot API stand-in, in this process; the app gets updates by webhook, and the tests play them over /_control.
const telegram = await startFakeTelegram({ port: e2eTelegramPort(appPort) });

const buildDir = path.join(root, `tests/.tmp/build-${appPort}`);
const env = {
  ...process.env,
  DATABASE_URL: databaseUrl,
  PORT: appPort,
  APP_URL: `http://localhost:${appPort}`,
  REMIX_BUILD_DIR: buildDir,
  LOG_LEVEL: "warn",
  TRUST_PROXY: "loopback",
  TELEGRAM_BOT_TOKEN: telegram.token,
  TELEGRAM_API_ROOT: telegram.apiRoot,
  TELEGRAM_WEBHOOK_SECRET: "e2e-telegram-webhook-secret",
  TELEGRAM_UPDATES: "webhook",
};
execFileSync("npx", ["tsx", "prisma/seed.ts"], { cwd: root, env, stdio: "inherit" });
execFileSync("npx", ["remix", "build"], { cwd: root, env: { ...env, NODE_ENV: "production" }, stdio: "ignore" });

Object.assign(process.env, env, { NODE_ENV: "test" });
const { startServer } = await import("../../scripts/serve");
const server = await startServer();

async function stop() {
  server.close();
  await telegram.stop().catch(() => {});
  await postgres.stop().catch(() => {});
  await rm(dataDir, { recursive: true, force: true });
  process.exit(0);
}
process.on("SIGTERM", stop);
process.on("SIGINT", stop);
