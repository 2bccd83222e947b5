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
  const env = { ...process.env, DATABASE_URL: databaseUrl };
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

  const stop = async () => {
    server.kill("SIGTERM");
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
