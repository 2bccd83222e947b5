import { db, type Tx } from "~/db.server";

/**
 * Rate limits counted in PostgreSQL, so every app instance shares them.
 * A limit allows `limit` counted events per key within `windowMs`; the next one is refused.
 */
export type RateLimit = { bucket: string; limit: number; windowMs: number };

export const LOGIN_FAILURES: RateLimit = { bucket: "login-failure", limit: 10, windowMs: 10 * 60 * 1000 };

export type RateLimitState = { limited: boolean; retryAfterSeconds: number };

/** Whether any of the keys has used up its allowance. Counting is done by `recordHit`. */
export async function checkRateLimit(rule: RateLimit, keys: string[], client: Tx | typeof db = db): Promise<RateLimitState> {
  const since = new Date(Date.now() - rule.windowMs);
  const rows = await client.$queryRaw<Array<{ key: string; hits: bigint; oldest: Date }>>`
    SELECT "key", count(*) AS hits, min("createdAt") AS oldest
    FROM "RateLimitHit"
    WHERE "bucket" = ${rule.bucket} AND "key" = ANY(${keys}) AND "createdAt" > ${since}
    GROUP BY "key"`;
  let retryAfterSeconds = 0;
  for (const row of rows) {
    if (Number(row.hits) >= rule.limit) {
      const freesAt = row.oldest.getTime() + rule.windowMs;
      retryAfterSeconds = Math.max(retryAfterSeconds, Math.ceil((freesAt - Date.now()) / 1000));
    }
  }
  return { limited: retryAfterSeconds > 0, retryAfterSeconds: Math.max(retryAfterSeconds, 0) };
}

export async function recordHit(rule: RateLimit, keys: string[], client: Tx | typeof db = db): Promise<void> {
  await client.rateLimitHit.createMany({ data: keys.map((key) => ({ bucket: rule.bucket, key })) });
}

/**
 * Counts one event and tells whether it went over the limit, in one call. The keys are
 * locked for the transaction (advisory locks, so every app instance waits its turn), so a
 * burst sent all at once cannot pass the check before any of it is counted.
 */
export async function consumeRateLimit(rule: RateLimit, keys: string[]): Promise<RateLimitState> {
  return db.$transaction(async (tx) => {
    await tx.$queryRaw`
      SELECT count(*)::int AS locked
      FROM unnest(${[...new Set(keys)].sort()}::text[]) WITH ORDINALITY AS k(key, n)
      CROSS JOIN LATERAL (SELECT pg_advisory_xact_lock(hashtextextended(${rule.bucket} || ':' || k.key, 0))) AS l`;
    const state = await checkRateLimit(rule, keys, tx);
    if (!state.limited) await recordHit(rule, keys, tx);
    return state;
  });
}

export async function clearRateLimit(rule: RateLimit, keys: string[]): Promise<void> {
  await db.rateLimitHit.deleteMany({ where: { bucket: rule.bucket, key: { in: keys } } });
}

export function tooManyRequests(state: RateLimitState, body = "Too many requests"): Response {
  return new Response(body, {
    status: 429,
    headers: { "Retry-After": String(state.retryAfterSeconds), "Content-Type": "text/plain; charset=utf-8" },
  });
}

/** Old hits are useless; the queue worker calls this periodically. */
export async function pruneRateLimitHits(olderThanMs = 24 * 60 * 60 * 1000) {
  await db.rateLimitHit.deleteMany({ where: { createdAt: { lt: new Date(Date.now() - olderThanMs) } } });
}
