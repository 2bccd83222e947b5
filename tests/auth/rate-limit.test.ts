import { describe, expect, it } from "vitest";
import { consumeRateLimit } from "~/auth/rate-limit.server";
import { db } from "~/db.server";

describe("consumeRateLimit", () => {
  it("lets exactly `limit` requests through when a burst arrives at once, and counts only those", async () => {
    const rule = { bucket: "test-burst", limit: 5, windowMs: 60_000 };
    const key = `burst:${Math.random().toString(36).slice(2)}`;
    const states = await Promise.all(Array.from({ length: 20 }, () => consumeRateLimit(rule, [key])));
    expect(states.filter((state) => !state.limited)).toHaveLength(5);
    expect(states.filter((state) => state.limited).every((state) => state.retryAfterSeconds > 0)).toBe(true);
    expect(await db.rateLimitHit.count({ where: { bucket: rule.bucket, key } })).toBe(5);
  });

  it("counts each key on its own", async () => {
    const rule = { bucket: "test-keys", limit: 1, windowMs: 60_000 };
    const [a, b] = [`a:${Math.random()}`, `b:${Math.random()}`];
    expect((await consumeRateLimit(rule, [a])).limited).toBe(false);
    expect((await consumeRateLimit(rule, [b])).limited).toBe(false);
    expect((await consumeRateLimit(rule, [a])).limited).toBe(true);
    expect((await consumeRateLimit(rule, [a, b])).limited).toBe(true);
  });
});
