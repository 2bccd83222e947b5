/**
 * `npm run demo` and `npm run dev`: brings up the database, migrates and seeds it, then
 * runs the portal. Without DATABASE_URL an embedded PostgreSQL is started, with its data
 * in .data/postgres (git-ignored); with it, that server is used.
 *
 *   tsx scripts/start.ts demo    # build once and serve, as a club would run it
 *   tsx scripts/start.ts dev     # remix dev with rebuilds on change
 */
import { spawn, type ChildProcess } from "node:child_process";
import path from "node:path";
import { ensureDatabase, startEmbeddedPostgres, type RunningPostgres } from "./embedded-postgres";
import { applyMigrations } from "./migrate";
import { startFakeTelegram } from "../tests/support/fake-telegram";
import { DEMO_TELEGRAM } from "../prisma/seed/telegram-demo";

const mode = process.argv[2] === "dev" ? "dev" : "demo";
const root = path.resolve(import.meta.dirname, "..");

function run(command: string, args: string[], env: NodeJS.ProcessEnv): ChildProcess {
  return spawn(command, args, { cwd: root, env, stdio: "inherit" });
}

function runToEnd(command: string, args: string[], env: NodeJS.ProcessEnv): Promise<void> {
  return new Promise((resolve, reject) => {
    run(command, args, env).on("exit", (code) => (code === 0 ? resolve() : reject(new Error(`${command} ${args.join(" ")} exited with ${code}`))));
  });
}

async function main() {
  let postgres: RunningPostgres | undefined;
  let databaseUrl = process.env.DATABASE_URL;
  if (!databaseUrl) {
    const port = Number(process.env.EMBEDDED_PG_PORT ?? 5433);
    console.log(`Starting embedded PostgreSQL on port ${port} (data in .data/postgres)…`);
    postgres = await startEmbeddedPostgres({ dataDir: path.join(root, ".data/postgres"), port });
    await ensureDatabase(postgres.url("postgres"), "coterie");
    databaseUrl = postgres.url("coterie");
  }
  const env: NodeJS.ProcessEnv = { ...process.env, DATABASE_URL: databaseUrl };
  // The demo has no real bot: the Bot API stand-in plays Telegram, with the seeded chat and members.
  // With TELEGRAM_BOT_TOKEN set, the real Telegram is used (long polling outside production).
  let telegram: Awaited<ReturnType<typeof startFakeTelegram>> | undefined;
  if (mode === "demo" && !process.env.TELEGRAM_BOT_TOKEN) {
    telegram = await startFakeTelegram({ port: Number(process.env.FAKE_TELEGRAM_PORT ?? 3081) });
    telegram.addChat({
      ...DEMO_TELEGRAM.chat,
      botRights: { status: "administrator", can_invite_users: true, can_restrict_members: true },
      members: DEMO_TELEGRAM.members.map((member) => [member.telegramUserId, "member"] as [number, "member"]),
    });
    Object.assign(env, { TELEGRAM_BOT_TOKEN: telegram.token, TELEGRAM_API_ROOT: telegram.apiRoot, TELEGRAM_UPDATES: "polling", TELEGRAM_WEBHOOK_SECRET: "demo-stand-in-secret" });
  }
  await applyMigrations(databaseUrl);
  await runToEnd("npx", ["tsx", "prisma/seed.ts"], env);

  const port = process.env.PORT ?? "3000";
  let server: ChildProcess;
  if (mode === "dev") {
    server = run("npx", ["remix", "dev", "--manual", "-c", "tsx scripts/serve.ts"], { ...env, NODE_ENV: "development" });
  } else {
    await runToEnd("npx", ["remix", "build"], { ...env, NODE_ENV: "production" });
    server = run("npx", ["tsx", "scripts/serve.ts"], { ...env, NODE_ENV: env.NODE_ENV === "production" ? "production" : "development" });
  }
  console.log(`\nCoterie: http://localhost:${port}  (owner: owner@coterie.club / coterie-demo-owner)\n`);
  if (telegram) {
    console.log(
      `Telegram stand-in: ${telegram.apiRoot} (what the bot sent: ${telegram.apiRoot}/_control/calls)\n` +
        `  play a message to the bot: curl -H 'Content-Type: application/json' -d '{"from":{"id":42,"first_name":"Demo"},"text":"/start <token>"}' ${telegram.apiRoot}/_control/text\n`,
    );
  }

  const stop = async () => {
    server.kill("SIGTERM");
    await telegram?.stop().catch(() => {});
    await postgres?.stop().catch(() => {});
    process.exit(0);
  };
  process.on("SIGINT", stop);
  process.on("SIGTERM", stop);
  server.on("exit", async (code) => {
    await postgres?.stop().catch(() => {});
    process.exit(code ?? 0);
  });
}

main().catch(async (error) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
