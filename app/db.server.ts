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
  if (error instanceof DatabaseUnavailable) return true;
  if (!error || typeof error !== "object") return false;
  const code = (error as { code?: unknown }).code;
  if (typeof code === "string" && UNAVAILABLE_CODES.has(code)) return true;
  return UNAVAILABLE_MESSAGE.test(String((error as { message?: unknown }).message ?? ""));
}

/**
 * What the data layer throws when the database cannot be reached: an Error, so a job's worker
 * sees a failure it can retry later; the HTTP edge (app/entry.server.tsx, app/http/response-head.ts)
 * answers it with 503 and Retry-After.
 */
export class DatabaseUnavailable extends Error {
  constructor(cause?: unknown) {
    super("The club's database cannot be reached right now.", { cause });
    this.name = "DatabaseUnavailable";
  }
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
// connection prepare them again, and the work that met the error runs once more: the query on
// its own, or, inside a transaction, the whole transaction (the failed query has aborted it, so
// PostgreSQL refuses every further statement in it with 25P02).
function isStalePlan(error: unknown): boolean {
  return /cached plan must not change result type/i.test(String((error as { message?: unknown })?.message ?? ""));
}

function renewStatementNames() {
  statementGeneration++;
  statementNames.clear();
  statementUses.clear();
}

/** Errors that mean "the database cannot be reached" become DatabaseUnavailable; others pass unchanged. */
function asDataLayerError(error: unknown): unknown {
  return isDatabaseUnavailable(error) && !(error instanceof DatabaseUnavailable) ? new DatabaseUnavailable(error) : error;
}

function createClient(connectionString = env().DATABASE_URL) {
  const adapter = new PrismaPg(
    { connectionString, max: env().DATABASE_POOL_SIZE, connectionTimeoutMillis: 5_000 },
    env().DATABASE_NAMED_STATEMENTS === "on" ? { statementNameGenerator: statementName } : {},
  );
  // Transactions wait up to 5 s for a connection and may run 10 s (Prisma: 2 s and 5 s), so a
  // busy moment delays a write instead of failing it.
  const client = new PrismaClient({ adapter, transactionOptions: { maxWait: 5_000, timeout: 10_000 } }).$extends({
    query: {
      async $allOperations(params) {
        const { args, query } = params;
        try {
          return await query(args);
        } catch (error) {
          if (!isStalePlan(error)) throw asDataLayerError(error);
          renewStatementNames();
          // Inside a transaction the failed statement has aborted it: the transaction is run again
          // as a whole (wholeTransactionRetry), never this query alone.
          if ((params as { __internalParams?: { transaction?: unknown } }).__internalParams?.transaction) throw error;
          try {
            return await query(args);
          } catch (again) {
            throw asDataLayerError(again);
          }
        }
      },
    },
  });
  return wholeTransactionRetry(client);
}

/**
 * The client with its interactive `$transaction` run once more, from the start, when a statement
 * in it met a stale plan; a transaction that cannot reach the database throws DatabaseUnavailable.
 */
function wholeTransactionRetry<C extends { $transaction: (...args: never[]) => Promise<unknown> }>(client: C): C {
  const transaction = client.$transaction.bind(client) as (...args: unknown[]) => Promise<unknown>;
  const retried = async (...args: unknown[]) => {
    try {
      return await transaction(...args);
    } catch (error) {
      // A batch (an array of queries) cannot be sent again: its queries have run. The names are
      // renewed (above), so the next request's batch works.
      if (!isStalePlan(error) || typeof args[0] !== "function") throw asDataLayerError(error);
      renewStatementNames();
      try {
        return await transaction(...args);
      } catch (again) {
        throw asDataLayerError(again);
      }
    }
  };
  return new Proxy(client, {
    get(target, property) {
      if (property === "$transaction") return retried;
      const value = Reflect.get(target, property, target);
      return typeof value === "function" ? value.bind(target) : value;
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
  return wholeTransactionRetry(db.$extends(readReplicas({ replicas: [replica as never] })));
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
