import { db, readDb } from "~/db.server";
import type { Prisma } from "~/generated/prisma/client";

/**
 * Runs one analytic query with enough working memory for its hash tables (PostgreSQL's
 * default 4 MB spills them to disk at ten thousand members), and with hash joins rather than
 * merge joins: row estimates of CTEs are guesses, and a merge join then sorts ~100k member
 * keys. `hashJoinsOnly` also rules out nested loops, for queries that join whole member
 * lists, where a guessed-small input would otherwise mean one index probe per member.
 * The settings last for this query's transaction only. Reads go to the replica when there is
 * one; `primary` reads the primary, for pages that must see a write made just before.
 * The transaction may run for ANALYTIC_TIMEOUT_MS: Prisma's default of 5 s ended the
 * dashboard's membership query at 100,000 members on a busy machine (and answered 503).
 * Waiting for a connection keeps Prisma's default, so an overloaded pool still answers 503.
 */
const ANALYTIC_TIMEOUT_MS = 30_000;

export async function analyticQuery<T>(query: Prisma.Sql, { hashJoinsOnly = false, primary = false } = {}): Promise<T> {
  const client = primary ? db : readDb.$replica();
  const [, rows] = await client.$transaction([
    client.$queryRaw`SELECT set_config('work_mem', '64MB', true), set_config('enable_mergejoin', 'off', true),
                            set_config('enable_nestloop', ${hashJoinsOnly ? "off" : "on"}, true)`,
    client.$queryRaw<T>(query),
  ], { timeout: ANALYTIC_TIMEOUT_MS });
  return rows;
}
