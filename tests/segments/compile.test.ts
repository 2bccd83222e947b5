/**
 * Random members and random filters: `segmentMembersSql` (one SQL query) against a reference
 * written here in plain JavaScript from the filter's definitions (app/segments/filter.ts):
 * current members only (role MEMBER, not deactivated, a membership now), the tier held now,
 * whole months since first joining, the latest answer with a score, days quiet, vouches and
 * Telegram links. Instants fall on the boundaries often (exactly N days or N months ago).
 */
import fc from "fast-check";
import { beforeAll, describe, expect, it } from "vitest";
import { db } from "~/db.server";
import { Prisma } from "~/generated/prisma/client";
import { ANY_VOUCHER, NPS_GROUPS, segmentFilterSchema, type NpsGroup, type SegmentFilter } from "~/segments/filter";
import { countSegment, sampleSegment, segmentMemberIds, segmentMembersSql } from "~/segments/segments.server";
import { ensureTiers } from "../factories";

const NOW = Date.UTC(2026, 2, 31, 10, 30, 0); // 31 March 2026: months back from it clamp (28 Feb, 30 Nov…)
const DAY = 86_400_000;
const STATUSES = ["ACTIVE", "ACTIVE", "ACTIVE", "PAST_DUE", "CANCELED", "UNPAID", "COMPLIMENTARY", "TRIALING", "INCOMPLETE"] as const;

/** PostgreSQL's timestamp + N months: same day of month, clamped to the month's last day, same time of day. */
function plusMonths(t: number, months: number): number {
  const d = new Date(t);
  const y = d.getUTCFullYear();
  const m = d.getUTCMonth() + months;
  const last = new Date(Date.UTC(y, m + 1, 0)).getUTCDate();
  return Date.UTC(y, m, Math.min(d.getUTCDate(), last), d.getUTCHours(), d.getUTCMinutes(), d.getUTCSeconds(), d.getUTCMilliseconds());
}

// Any minute of the last three years, or exactly N days or N months before NOW (a boundary), or just after one.
const past = fc.oneof(
  { weight: 2, arbitrary: fc.integer({ min: 1, max: 3 * 365 * 24 * 60 }).map((minutes) => NOW - minutes * 60_000) },
  { weight: 2, arbitrary: fc.integer({ min: 0, max: 12 }).map((days) => NOW - days * DAY) },
  { weight: 1, arbitrary: fc.integer({ min: 0, max: 12 }).map((days) => NOW - days * DAY + 1) },
  { weight: 2, arbitrary: fc.integer({ min: 0, max: 8 }).map((months) => plusMonths(NOW, -months)) },
  { weight: 1, arbitrary: fc.integer({ min: 0, max: 8 }).map((months) => plusMonths(NOW, -months) + 1) },
);
const anytime = fc.oneof({ weight: 5, arbitrary: past }, { weight: 1, arbitrary: fc.integer({ min: 1, max: 90 }).map((days) => NOW + days * DAY) });

type Span = { tier: number; status: (typeof STATUSES)[number]; start: number; end: number | null; updated: number };
type Person = {
  role: "MEMBER" | "CURATOR" | "OWNER";
  locale: "en" | "ru";
  deactivated: boolean;
  spans: Span[];
  lastActive: number | null;
  answers: Array<{ at: number; score: number | null }>;
  /** Index of the person whose vouch they joined through; -1 an application without a vouch; null none. */
  vouchedBy: number | null;
  telegram: boolean;
};

const span: fc.Arbitrary<Span> = fc
  .record({
    tier: fc.integer({ min: 0, max: 2 }),
    status: fc.constantFrom(...STATUSES),
    start: past,
    length: fc.option(fc.integer({ min: 0, max: 900 * DAY }), { nil: null }),
    updatedAfter: fc.integer({ min: 0, max: 900 * DAY }),
  })
  .map(({ tier, status, start, length, updatedAfter }) => ({ tier, status, start, end: length === null ? null : start + length, updated: Math.min(start + updatedAfter, NOW) }));

const person = (count: number): fc.Arbitrary<Person> =>
  fc.record({
    role: fc.constantFrom("MEMBER", "MEMBER", "MEMBER", "MEMBER", "MEMBER", "CURATOR", "OWNER"),
    locale: fc.constantFrom("en", "ru"),
    deactivated: fc.boolean().map((b) => b && Math.random() < 0.4),
    spans: fc.array(span, { maxLength: 3 }),
    lastActive: fc.option(past, { nil: null }),
    // Several answers, some at the same instant (the lowest score counts), some dismissed, some after NOW.
    answers: fc.array(fc.record({ at: fc.oneof(anytime, fc.constant(NOW - 10 * DAY)), score: fc.option(fc.integer({ min: 0, max: 10 }), { nil: null, freq: 4 }) }), { maxLength: 4 }),
    vouchedBy: fc.option(fc.integer({ min: -1, max: count - 1 }), { nil: null }),
    telegram: fc.boolean(),
  });

const club = fc.integer({ min: 1, max: 12 }).chain((count) => fc.array(person(count), { minLength: count, maxLength: count }));

const range = (max: number) =>
  fc.oneof(
    fc.record({ min: fc.integer({ min: 0, max }) }),
    fc.record({ max: fc.integer({ min: 0, max }) }),
    fc.tuple(fc.integer({ min: 0, max }), fc.integer({ min: 0, max })).map(([a, b]) => ({ min: Math.min(a, b), max: Math.max(a, b) })),
  );

/** A filter over the generated club: tier indexes (3 = a tier that does not exist) and person indexes are resolved to ids later. */
type FilterSpec = Omit<SegmentFilter, "tierIds" | "vouchedBy"> & { tiers?: number[]; voucher?: number | "ANY" };
const conditions = {
  tiers: fc.uniqueArray(fc.integer({ min: 0, max: 3 }), { minLength: 1, maxLength: 3 }),
  tenureMonths: range(8),
  locale: fc.constantFrom("en" as const, "ru" as const),
  npsGroups: fc.uniqueArray(fc.constantFrom(...NPS_GROUPS), { minLength: 1, maxLength: 3 }),
  inactiveDays: fc.oneof(range(12), range(400)),
  voucher: fc.oneof(fc.constant("ANY" as const), fc.integer({ min: 0, max: 9 })),
  telegramLinked: fc.boolean(),
};
// Mostly one condition (so a boundary is not hidden by another condition), sometimes several.
const filterSpec: fc.Arbitrary<FilterSpec> = fc.oneof(
  { weight: 3, arbitrary: fc.oneof(...Object.entries(conditions).map(([key, value]) => (value as fc.Arbitrary<unknown>).map((v) => ({ [key]: v }) as FilterSpec))) },
  { weight: 1, arbitrary: fc.record(conditions, { requiredKeys: [] }) },
);

let tierIds: string[] = [];
let run = 0;

beforeAll(async () => {
  const tiers = await ensureTiers();
  // Ranked by position, as the at-risk list ranks them.
  tierIds = [tiers.community.id, tiers.professional.id, tiers["private-client"].id];
});

async function insert(people: Person[]): Promise<string[]> {
  await db.$executeRawUnsafe(`TRUNCATE "User", "Vouch", "Application", "Invite", "TelegramLink" CASCADE`);
  run += 1;
  const ids = people.map((_, i) => `p${run}-${i}`);
  await db.user.createMany({
    data: people.map((p, i) => ({
      id: ids[i],
      email: `${ids[i]}@example.com`,
      name: `Person ${String(i).padStart(2, "0")}`,
      role: p.role,
      locale: p.locale,
      deactivatedAt: p.deactivated ? new Date(NOW - DAY) : null,
    })),
  });
  const spans = people.flatMap((p, i) => p.spans.map((s) => ({ userId: ids[i], ...s })));
  if (spans.length) {
    await db.subscription.createMany({
      data: spans.map((s) => ({
        userId: s.userId,
        tierId: tierIds[s.tier],
        status: s.status,
        interval: "MONTH" as const,
        amount: s.status === "COMPLIMENTARY" ? 0 : 2900,
        startedAt: new Date(s.start),
        endedAt: s.end === null ? null : new Date(s.end),
        createdAt: new Date(s.start),
        updatedAt: new Date(s.updated),
      })),
    });
  }
  const activity = people.flatMap((p, i) => (p.lastActive === null ? [] : [{ userId: ids[i], lastActiveAt: new Date(p.lastActive) }]));
  if (activity.length) await db.memberActivity.createMany({ data: activity });
  const answers = people.flatMap((p, i) => p.answers.map((a) => ({ userId: ids[i], score: a.score, createdAt: new Date(a.at) })));
  if (answers.length) await db.npsResponse.createMany({ data: answers });
  const links = people.flatMap((p, i) => (p.telegram ? [{ userId: ids[i], telegramUserId: BigInt(run * 100 + i), chatId: BigInt(run * 100 + i) }] : []));
  if (links.length) await db.telegramLink.createMany({ data: links });
  for (const [i, p] of people.entries()) {
    if (p.vouchedBy === null) continue;
    const voucher = p.vouchedBy >= 0 ? ids[Math.min(p.vouchedBy, ids.length - 1)] : null;
    const vouch = voucher
      ? await db.vouch.create({ data: { voucherId: voucher, email: `${ids[i]}@example.com`, name: "Vouched", tokenHash: `vouch-${ids[i]}` } })
      : null;
    const application = await db.application.create({
      data: {
        email: `${ids[i]}@example.com`,
        name: "Applicant",
        company: "Co",
        jobTitle: "Role",
        locale: p.locale,
        status: "APPROVED",
        accessTokenHash: `access-${ids[i]}`,
        consentedAt: new Date(NOW - 400 * DAY),
        vouchId: vouch?.id ?? null,
      },
    });
    await db.invite.create({
      data: { source: "APPROVAL", tokenHash: `invite-${ids[i]}`, applicationId: application.id, expiresAt: new Date(NOW), usedAt: new Date(NOW - 300 * DAY), usedById: ids[i] },
    });
  }
  return ids;
}

/** The reference: who the filter takes, computed from the generated data alone. */
function reference(people: Person[], ids: string[], filter: SegmentFilter): string[] {
  const out: string[] = [];
  for (const [i, p] of people.entries()) {
    if (p.role !== "MEMBER" || p.deactivated) continue;
    const spans = p.spans
      .filter((s) => s.status !== "INCOMPLETE")
      .map((s) => ({ ...s, ended: s.end ?? (s.status === "CANCELED" || s.status === "UNPAID" ? s.updated : null) }));
    const held = spans.filter((s) => s.start < NOW && (s.ended === null || s.ended >= NOW));
    if (!held.length) continue;
    const tier = tierIds[Math.max(...held.map((s) => s.tier))];
    const joined = Math.min(...spans.map((s) => s.start));
    const scored = p.answers.filter((a) => a.score !== null && a.at < NOW);
    const latestAt = scored.length ? Math.max(...scored.map((a) => a.at)) : null;
    const score = latestAt === null ? null : Math.min(...scored.filter((a) => a.at === latestAt).map((a) => a.score!));
    const group: NpsGroup = score === null ? "NONE" : score >= 9 ? "PROMOTER" : score >= 7 ? "PASSIVE" : "DETRACTOR";
    const quietSince = p.lastActive === null ? joined : Math.max(p.lastActive, joined);
    const voucher = p.vouchedBy !== null && p.vouchedBy >= 0 ? ids[Math.min(p.vouchedBy, ids.length - 1)] : null;

    if (filter.tierIds && !filter.tierIds.includes(tier)) continue;
    if (filter.tenureMonths?.min !== undefined && !(plusMonths(joined, filter.tenureMonths.min) <= NOW)) continue;
    if (filter.tenureMonths?.max !== undefined && !(plusMonths(joined, filter.tenureMonths.max + 1) > NOW)) continue;
    if (filter.locale && p.locale !== filter.locale) continue;
    if (filter.npsGroups && !filter.npsGroups.includes(group)) continue;
    if (filter.inactiveDays?.min !== undefined && !(quietSince <= NOW - filter.inactiveDays.min * DAY)) continue;
    if (filter.inactiveDays?.max !== undefined && !(quietSince > NOW - (filter.inactiveDays.max + 1) * DAY)) continue;
    if (filter.vouchedBy === ANY_VOUCHER && !voucher) continue;
    if (filter.vouchedBy && filter.vouchedBy !== ANY_VOUCHER && voucher !== filter.vouchedBy) continue;
    if (filter.telegramLinked !== undefined && p.telegram !== filter.telegramLinked) continue;
    out.push(ids[i]);
  }
  return out.sort();
}

function resolve(spec: FilterSpec, ids: string[]): SegmentFilter {
  const { tiers, voucher, ...rest } = spec;
  return segmentFilterSchema.parse({
    ...rest,
    ...(tiers ? { tierIds: tiers.map((t) => tierIds[t] ?? "no-such-tier") } : {}),
    ...(voucher === undefined ? {} : { vouchedBy: voucher === "ANY" ? ANY_VOUCHER : (ids[voucher] ?? "no-such-member") }),
  });
}

const sorted = (xs: string[]) => [...xs].sort();

describe("segmentMembersSql", () => {
  it("selects exactly the members the reference selects, alone and as a subquery", async () => {
    await fc.assert(
      fc.asyncProperty(club, fc.array(filterSpec, { minLength: 8, maxLength: 8 }), async (people, specs) => {
        const ids = await insert(people);
        const now = new Date(NOW);
        for (const spec of [{}, ...specs]) {
          const filter = resolve(spec, ids);
          const expected = reference(people, ids, filter);
          expect(sorted(await segmentMemberIds(filter, now)), JSON.stringify(filter)).toEqual(expected);
          const embedded = await db.$queryRaw<Array<{ id: string }>>(
            Prisma.sql`SELECT u.id FROM "User" u WHERE u.id IN (${segmentMembersSql(filter, now)}) ORDER BY u.id`,
          );
          expect(sorted(embedded.map((r) => r.id))).toEqual(expected);
        }
        const last = resolve(specs[specs.length - 1], ids);
        expect(await countSegment(last, now)).toBe(reference(people, ids, last).length);
      }),
      { numRuns: 40 },
    );
  }, 120_000);

  it("samples by name, at most the limit, with the same members", async () => {
    await fc.assert(
      fc.asyncProperty(club, filterSpec, async (people, spec) => {
        const ids = await insert(people);
        const filter = resolve(spec, ids);
        const expected = reference(people, ids, filter);
        const sample = await sampleSegment(filter, new Date(NOW), 3);
        expect(sample.map((m) => m.id)).toEqual(expected.slice(0, 3));
      }),
      { numRuns: 10 },
    );
  }, 60_000);

  it("a stored filter that no longer parses matches nobody", async () => {
    await insert([{ role: "MEMBER", locale: "en", deactivated: false, spans: [{ tier: 0, status: "ACTIVE", start: NOW - 40 * DAY, end: null, updated: NOW }], lastActive: null, answers: [], vouchedBy: null, telegram: false }]);
    expect(await countSegment(null, new Date(NOW))).toBe(0);
    expect(await countSegment({}, new Date(NOW))).toBe(1);
  });
});
