import { PrismaPg } from "@prisma/adapter-pg";
import { readReplicas } from "@prisma/extension-read-replicas";
import { PrismaClient } from "~/generated/prisma/client";
import { env } from "~/env.server";

export type { Prisma } from "~/generated/prisma/client";

// Prisma's codes for "the database cannot be reached" (connection refused, timed out,
// closed, pool exhausted, no connection for a transaction in time), and the driver's
// messages for raw queries. Under overload these answer 503 with Retry-After, not 500.
const UNAVAILABLE_CODES = new Set(["P1001", "P1002", "P1008", "P1017", "P2024", "P2028"]);
const UNAVAILABLE_MESSAGE =
  /Can't reach database server|timeout exceeded when trying to connect|Connection terminated|ECONNREFUSED|ECONNRESET|terminating connection|the database system is (shutting down|starting up|in recovery mode)|Server has closed the connection|Timed out fetching a new connection|connection timeout|Unable to start a transaction in the given time/i;

export function isDatabaseUnavailable(error: unknown): boolean {
  if (!error || typeof error !== "object") return false;
  const code = (error as { code?: unknown }).code;
  if (typeof code === "string" && UNAVAILABLE_CODES.has(code)) return true;
  return UNAVAILABLE_MESSAGE.test(String((error as { message?: unknown }).message ?? ""));
}

/** What a request gets while the database is down: a readable 503 page, not a stack trace. */
export function databaseUnavailable(): Response {
  return new Response("The club's database cannot be reached right now. Please try again shortly.", {
    status: 503,
    statusText: "Service Unavailable",
    headers: { "Retry-After": "10" },
  });
}

// The club's frequent SQL gets a name, so a connection parses it once and PostgreSQL can keep
// its plan (a generic plan once it proves as good) instead of planning every query again. A
// text is named once it has run NAME_AFTER_USES times in this process, and at most
// MAX_NAMED_STATEMENTS are: a prepared statement holds 10–130 KB on each connection that ran
// it, so the page queries get names and rare ones (admin screens, lists of varying length) run
// unnamed, and neither side's memory grows without bound. Long texts (bulk inserts) are never
// counted or named.
const MAX_NAMED_STATEMENTS = 100;
const NAME_AFTER_USES = 20;
const MAX_COUNTED_STATEMENTS = 2_000;
const MAX_NAMED_SQL_LENGTH = 8_000;
const statementNames = new Map<string, string>();
const statementUses = new Map<string, number>();
let statementGeneration = 0;

function statementName({ sql }: { sql: string }): string {
  const name = statementNames.get(sql);
  if (name !== undefined) return name;
  if (statementNames.size >= MAX_NAMED_STATEMENTS || sql.length > MAX_NAMED_SQL_LENGTH) return "";
  const uses = (statementUses.get(sql) ?? 0) + 1;
  if (uses < NAME_AFTER_USES) {
    if (statementUses.size < MAX_COUNTED_STATEMENTS || statementUses.has(sql)) statementUses.set(sql, uses);
    return "";
  }
  statementUses.delete(sql);
  const next = `coterie_${statementGeneration}_${statementNames.size}`;
  statementNames.set(sql, next);
  return next;
}

// A migration that changes a table's columns while the app runs (a rolling deploy) leaves the
// statements that read `*` from it unusable on every open connection. New names make each
// connection prepare them again; the query that met the error is run once more.
function isStalePlan(error: unknown): boolean {
  return /cached plan must not change result type/i.test(String((error as { message?: unknown })?.message ?? ""));
}

function createClient(connectionString = env().DATABASE_URL) {
  const adapter = new PrismaPg(
    { connectionString, max: env().DATABASE_POOL_SIZE, connectionTimeoutMillis: 5_000 },
    env().DATABASE_NAMED_STATEMENTS === "on" ? { statementNameGenerator: statementName } : {},
  );
  // Transactions wait up to 5 s for a connection and may run 10 s (Prisma: 2 s and 5 s), so a
  // busy moment delays a write instead of failing it.
  return new PrismaClient({ adapter, transactionOptions: { maxWait: 5_000, timeout: 10_000 } }).$extends({
    query: {
      async $allOperations({ args, query }) {
        try {
          return await query(args);
        } catch (error) {
          if (isDatabaseUnavailable(error)) throw databaseUnavailable();
          if (!isStalePlan(error)) throw error;
          statementGeneration++;
          statementNames.clear();
          statementUses.clear();
          return await query(args);
        }
      },
    },
  });
}

type Client = ReturnType<typeof createClient>;

// One client per process; kept on globalThis so development rebuilds reuse it.
const globalForDb = globalThis as unknown as { __coterieDb?: Client; __coterieReadDb?: ReadClient };

export const db: Client = (globalForDb.__coterieDb ??= createClient());

function createReadClient() {
  const replicaUrl = env().DATABASE_REPLICA_URL;
  // Without a replica the primary serves as its own "replica", so callers need no branch.
  const replica = replicaUrl ? createClient(replicaUrl) : db;
  return db.$extends(readReplicas({ replicas: [replica as never] }));
}
type ReadClient = ReturnType<typeof createReadClient>;

/**
 * For the heavy read paths (forum lists and search, the roadmap board, metrics). With
 * DATABASE_REPLICA_URL set, Prisma's read-replicas extension sends its model reads to the
 * replica and its writes and transactions to the primary; raw SQL goes to the replica through
 * `readDb.$replica().$queryRaw`. A replica lags a little: read your own fresh writes from `db`.
 */
export const readDb: ReadClient = (globalForDb.__coterieReadDb ??= createReadClient());

/**
 * A timestamp from PostgreSQL's JSON (`to_jsonb`, `json_build_object`) as a Date. The schema's
 * TIMESTAMP(3) columns hold UTC without a zone, and their JSON is "2026-11-22T10:00:00.123".
 */
export function fromJsonTimestamp(value: string | null | undefined): Date | null {
  return value == null ? null : new Date(`${value}Z`);
}

/** A row from PostgreSQL's JSON (`to_jsonb(row)`) with its timestamp columns (`dateKeys`) as Dates. */
export function rowFromJson<T>(row: object, dateKeys: readonly string[]): T {
  const out: Record<string, unknown> = { ...row };
  for (const key of dateKeys) out[key] = fromJsonTimestamp(out[key] as string | null);
  return out as T;
}

/** The client inside an interactive transaction; area functions accept it to join one. */
export type Tx = Parameters<Parameters<Client["$transaction"]>[0]>[0];
