import { db, type Tx } from "~/db.server";

/**
 * Rate limits counted in PostgreSQL, so every app instance shares them.
 * A limit allows `limit` counted events per key within `windowMs`; the next one is refused.
 */
export type RateLimit = { bucket: string; limit: number; windowMs: number };

/**
 * Wrong passwords, counted per account and per address separately (docs/decisions/
 * 007-login-lockouts.md): ten for one account lock that account, for strangers; an address
 * (an office, an event's Wi-Fi) takes many more before it is refused.
 */
export const LOGIN_FAILURES: RateLimit = { bucket: "login-failure", limit: 10, windowMs: 10 * 60 * 1000 };
export const LOGIN_FAILURES_PER_ADDRESS: RateLimit = { bucket: "login-failure-address", limit: 50, windowMs: 10 * 60 * 1000 };

/**
 * Two-factor codes (TOTP or recovery), counted per member: a six-digit code has a million
 * values, so ten guesses in ten minutes keep guessing hopeless. A right code gives its slot back.
 */
export const TWO_FACTOR_ATTEMPTS: RateLimit = { bucket: "two-factor", limit: 10, windowMs: 10 * 60 * 1000 };

export type RateLimitState = { limited: boolean; retryAfterSeconds: number };

/** Whether any of the keys has used up its allowance. */
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

/** Rules and the keys each counts under, e.g. [[LOGIN_FAILURES, ["account:a@b.c"]], ...]. */
export type RateLimitCharge = ReadonlyArray<readonly [RateLimit, string[]]>;

export type Reservation = RateLimitState & {
  /** Gives the slot back: the attempt turned out not to count (a right password, a valid code). */
  release: () => Promise<void>;
};

/**
 * Takes one slot under every rule before the attempt is evaluated, or refuses. The keys are
 * locked for the transaction (advisory locks, so every app instance waits its turn), so a
 * burst sent all at once cannot pass the check before any of it is counted: 40 wrong
 * passwords at once against a limit of 10 get exactly 10 evaluated. An attempt that should
 * not count gives its slot back with `release`.
 */
export async function reserveRateLimit(charges: RateLimitCharge): Promise<Reservation> {
  const locks = [...new Set(charges.flatMap(([rule, keys]) => keys.map((key) => `${rule.bucket}:${key}`)))].sort();
  return db.$transaction(async (tx) => {
    await tx.$queryRaw`
      SELECT count(*)::int AS locked
      FROM unnest(${locks}::text[]) AS k(name)
      CROSS JOIN LATERAL (SELECT pg_advisory_xact_lock(hashtextextended(k.name, 0))) AS l`;
    let retryAfterSeconds = 0;
    for (const [rule, keys] of charges) {
      const state = await checkRateLimit(rule, keys, tx);
      retryAfterSeconds = Math.max(retryAfterSeconds, state.retryAfterSeconds);
    }
    if (retryAfterSeconds > 0) return { limited: true, retryAfterSeconds, release: async () => {} };
    const hits = await tx.rateLimitHit.createManyAndReturn({
      data: charges.flatMap(([rule, keys]) => [...new Set(keys)].map((key) => ({ bucket: rule.bucket, key }))),
      select: { id: true },
    });
    const ids = hits.map((hit) => hit.id);
    return { limited: false, retryAfterSeconds: 0, release: async () => void (await db.rateLimitHit.deleteMany({ where: { id: { in: ids } } })) };
  });
}

/** Counts one event and tells whether it went over the limit, in one call (see reserveRateLimit). */
export async function consumeRateLimit(rule: RateLimit, keys: string[]): Promise<RateLimitState> {
  const { limited, retryAfterSeconds } = await reserveRateLimit([[rule, keys]]);
  return { limited, retryAfterSeconds };
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
