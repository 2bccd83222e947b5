import { readDb } from "~/db.server";
import type { Prisma } from "~/generated/prisma/client";

/**
 * Runs one analytic query with enough working memory for its hash tables (PostgreSQL's
 * default 4 MB spills them to disk at ten thousand members), and with hash joins rather than
 * merge joins: row estimates of CTEs are guesses, and a merge join then sorts ~100k member
 * keys. The settings last for this query's transaction only.
 */
export async function analyticQuery<T>(query: Prisma.Sql): Promise<T> {
  const replica = readDb.$replica();
  const [, rows] = await replica.$transaction([
    replica.$queryRaw`SELECT set_config('work_mem', '64MB', true), set_config('enable_mergejoin', 'off', true)`,
    replica.$queryRaw<T>(query),
  ]);
  return rows;
}
