import { beforeEach, describe, expect, it } from "vitest";
import { db } from "~/db.server";
import { computeDashboard } from "~/metrics/dashboard.server";
import { tableCsv } from "~/metrics/csv.server";
import { SECTIONS } from "~/metrics/sections";
import { dashboardTables } from "~/metrics/tables";
import { addActivity, addLedgerEntry, addMembership, addNpsAnswer, createPeople, ensureTiers, type TierSlug } from "../factories";

const NOW = new Date("2025-07-15T12:00:00Z");
const d = (iso: string) => new Date(iso);

function dashboard(from: string, to: string, options: { timeZone?: string; now?: Date; cohortTierId?: string } = {}) {
  return computeDashboard({ from, to, timeZone: options.timeZone ?? "UTC", sections: SECTIONS, now: options.now ?? NOW, cohortTierId: options.cohortTierId });
}

/** Many spans in one INSERT: the worked examples need a hundred members or more. */
async function bulkMemberships(spans: Array<{ userId: string; tier: TierSlug; startedAt: Date; endedAt?: Date | null; amount?: number }>) {
  const tiers = await ensureTiers();
  await db.subscription.createMany({
    data: spans.map((s) => ({
      userId: s.userId,
      tierId: tiers[s.tier].id,
      status: s.endedAt ? ("CANCELED" as const) : ("ACTIVE" as const),
      interval: "MONTH" as const,
      amount: s.amount ?? tiers[s.tier].monthlyAmount!,
      startedAt: s.startedAt,
      endedAt: s.endedAt ?? null,
    })),
  });
}

function expectNoNaN(value: unknown, path = "dashboard") {
  if (typeof value === "number") expect(Number.isFinite(value), path).toBe(true);
  else if (Array.isArray(value)) value.forEach((v, i) => expectNoNaN(v, `${path}[${i}]`));
  else if (value && typeof value === "object") for (const [k, v] of Object.entries(value)) expectNoNaN(v, `${path}.${k}`);
}

beforeEach(async () => {
  await db.$executeRawUnsafe(`TRUNCATE "User" CASCADE`);
  await ensureTiers();
});

describe("the seed talks' worked examples", () => {
  it("NPS: 70 % promoters and 10 % detractors give NPS 60", async () => {
    const people = await createPeople(10);
    const scores = [9, 10, 9, 10, 9, 10, 10, 7, 8, 3];
    for (const [i, person] of people.entries()) {
      await addMembership(person.id, { tier: "community", startedAt: d("2025-01-01T00:00:00Z") });
      await addNpsAnswer(person.id, { score: scores[i], createdAt: d(`2025-06-${String(10 + i).padStart(2, "0")}T10:00:00Z`), tier: "community" });
    }
    const result = await dashboard("2025-06-01", "2025-06-30");
    expect(result.nps!.period).toMatchObject({ promoters: 7, passives: 2, detractors: 1, responses: 10, promoterShare: 70, detractorShare: 10, score: 60 });
  });

  it("retention: 100 at start, 90 at end of whom 10 are new, give 80 %", async () => {
    const base = await createPeople(100);
    const newcomers = await createPeople(10);
    const passersBy = await createPeople(3);
    await bulkMemberships([
      ...base.map((p, i) => ({ userId: p.id, tier: "community" as const, startedAt: d("2025-01-10T00:00:00Z"), endedAt: i < 20 ? d("2025-06-10T00:00:00Z") : null })),
      ...newcomers.map((p) => ({ userId: p.id, tier: "community" as const, startedAt: d("2025-06-05T00:00:00Z") })),
      // Joined and left within the period: neither at the start nor at the end.
      ...passersBy.map((p) => ({ userId: p.id, tier: "community" as const, startedAt: d("2025-06-03T00:00:00Z"), endedAt: d("2025-06-20T00:00:00Z") })),
    ]);
    const result = await dashboard("2025-06-01", "2025-06-30");
    expect(result.retention).toMatchObject({ start: 100, end: 90, joined: 10, retained: 80, rate: 80 });
  });

  it("LTV: ARPA 100 with 5 % monthly churn gives LTV 2,000", async () => {
    // 100 paying members at €100 a month; each month 5 leave and 5 others join, for six months.
    const base = await createPeople(100);
    const joiners = await createPeople(30);
    const spans: Array<{ userId: string; tier: TierSlug; startedAt: Date; endedAt?: Date | null; amount: number }> = [];
    const leavers = base.slice(0, 30);
    base.forEach((p, i) => {
      const month = Math.floor(i / 5) + 1; // the first 30 leave, five a month, January to June
      spans.push({ userId: p.id, tier: "professional", startedAt: d("2024-12-01T00:00:00Z"), endedAt: i < 30 ? d(`2025-0${month}-10T00:00:00Z`) : null, amount: 10_000 });
    });
    joiners.forEach((p, i) => {
      const month = Math.floor(i / 5) + 1;
      spans.push({ userId: p.id, tier: "professional", startedAt: d(`2025-0${month}-15T00:00:00Z`), amount: 10_000 });
    });
    expect(leavers).toHaveLength(30);
    await bulkMemberships(spans);
    const result = await dashboard("2025-06-01", "2025-06-30");
    expect(result.ltv!.trailingMonths.map((m) => m.month)).toEqual(["2025-01-01", "2025-02-01", "2025-03-01", "2025-04-01", "2025-05-01", "2025-06-01"]);
    expect(result.ltv!.trailingMonths.map((m) => [m.start, m.lost])).toEqual(Array(6).fill([100, 5]));
    expect(result.ltv!.averageChurn).toBe(5);
    expect(result.ltv!.arpa).toBe(10_000);
    expect(result.ltv!.value).toBe(200_000);
    expect(result.revenue!.atEnd).toEqual({ mrr: 1_000_000, paying: 100, arpa: 10_000 });
  });
});

describe("edge cases", () => {
  it("an empty period gives zeros and empty states, never NaN", async () => {
    const result = await dashboard("2025-06-01", "2025-06-30");
    expectNoNaN(result);
    expect(result.nps!.period.score).toBeNull();
    expect(result.retention!.rate).toBeNull();
    expect(result.churn!.average).toBeNull();
    expect(result.revenue!.atEnd).toEqual({ mrr: 0, paying: 0, arpa: null });
    expect(result.ltv).toMatchObject({ value: null, reason: "no-paying-members", realized: { netPaid: 0, members: 0, value: null } });
    expect(result.engagement).toMatchObject({ members: 0, active: 0, activeShare: null, postsPerActive: null });
    expect(result.cohorts!.rows).toEqual([{ month: "2025-06-01", size: 0, cells: expect.any(Array) }]);
    expect(result.atRisk).toMatchObject({ total: 0, followUps: { contacts: 0, returnRate: null } });
  });

  it("no answers: NPS is null, with zero counts, and tiers still listed", async () => {
    const [person] = await createPeople(1);
    await addMembership(person.id, { tier: "community", startedAt: d("2025-01-01T00:00:00Z") });
    await addNpsAnswer(person.id, { score: null, createdAt: d("2025-06-10T00:00:00Z"), tier: "community" }); // dismissed
    const result = await dashboard("2025-06-01", "2025-06-30");
    expect(result.nps!.period).toMatchObject({ responses: 0, score: null, promoterShare: null });
    expect(result.nps!.byTier.map((t) => t.responses)).toEqual([0, 0, 0]);
  });

  it("churn 0: LTV says not enough data instead of dividing by zero", async () => {
    const people = await createPeople(4);
    for (const p of people) await addMembership(p.id, { tier: "community", startedAt: d("2024-10-01T00:00:00Z") });
    const result = await dashboard("2025-06-01", "2025-06-30");
    expect(result.ltv).toMatchObject({ arpa: 2_900, averageChurn: 0, value: null, reason: "no-churn" });
    expect(result.churn!.months[0]).toMatchObject({ start: 4, lost: 0, rate: 0, complete: true });
  });

  it("a member who joins and leaves in the same month is not churn", async () => {
    const [stayer, leaver, passer] = await createPeople(3);
    await addMembership(stayer.id, { tier: "community", startedAt: d("2025-01-01T00:00:00Z") });
    await addMembership(leaver.id, { tier: "community", startedAt: d("2025-01-01T00:00:00Z"), endedAt: d("2025-06-12T00:00:00Z") });
    await addMembership(passer.id, { tier: "community", startedAt: d("2025-06-05T00:00:00Z"), endedAt: d("2025-06-25T00:00:00Z") });
    const result = await dashboard("2025-06-01", "2025-06-30");
    expect(result.churn!.months).toEqual([{ month: "2025-06-01", start: 2, lost: 1, rate: 50, complete: true }]);
    expect(result.retention).toMatchObject({ start: 2, end: 1, joined: 0, rate: 50 });
  });

  it("an upgrade in the middle of the month is neither churn nor a new member, and MRR follows the new price", async () => {
    const [member] = await createPeople(1);
    await addMembership(member.id, { tier: "community", startedAt: d("2025-01-01T00:00:00Z"), endedAt: d("2025-06-15T09:00:00Z") });
    await addMembership(member.id, { tier: "professional", startedAt: d("2025-06-15T09:00:00Z") });
    const result = await dashboard("2025-06-01", "2025-06-30");
    const tiers = await ensureTiers();
    expect(result.churn!.months[0]).toMatchObject({ start: 1, lost: 0 });
    expect(result.retention).toMatchObject({ start: 1, end: 1, joined: 0, rate: 100 });
    expect(result.revenue!.atStart.mrr).toBe(2_900);
    expect(result.revenue!.atEnd.mrr).toBe(9_900);
    expect(result.revenue!.byTier.find((t) => t.tierId === tiers.professional.id)).toMatchObject({ mrr: 9_900, paying: 1 });
    expect(result.revenue!.byTier.find((t) => t.tierId === tiers.community.id)).toMatchObject({ mrr: 0, paying: 0 });
    expect(result.retention!.byTier.find((t) => t.tierId === tiers.community.id)).toMatchObject({ start: 1, retained: 1, end: 0 });
  });

  it("a refunded invoice is taken off realized LTV", async () => {
    const [payer, guest] = await createPeople(2);
    const sub = await addMembership(payer.id, { tier: "professional", startedAt: d("2025-03-01T00:00:00Z") });
    for (const month of ["03", "04", "05"]) await addLedgerEntry(payer.id, { amount: 9_900, occurredAt: d(`2025-${month}-01T00:05:00Z`), subscriptionId: sub.id });
    await addLedgerEntry(payer.id, { amount: -9_900, occurredAt: d("2025-05-03T00:00:00Z"), kind: "REFUND", subscriptionId: sub.id });
    await addMembership(guest.id, { tier: "private-client", startedAt: d("2025-03-01T00:00:00Z"), status: "COMPLIMENTARY" });
    const result = await dashboard("2025-05-01", "2025-05-31");
    expect(result.ltv!.realized).toEqual({ netPaid: 19_800, members: 2, value: 9_900 });
  });

  it("a complimentary member counts as a member and adds no revenue", async () => {
    const [payer, guest] = await createPeople(2);
    await addMembership(payer.id, { tier: "community", startedAt: d("2025-01-01T00:00:00Z") });
    await addMembership(guest.id, { tier: "private-client", startedAt: d("2025-01-01T00:00:00Z"), status: "COMPLIMENTARY" });
    const result = await dashboard("2025-06-01", "2025-06-30");
    expect(result.retention).toMatchObject({ start: 2, end: 2 });
    expect(result.revenue!.atEnd).toEqual({ mrr: 2_900, paying: 1, arpa: 2_900 });
    expect(result.churn!.months[0].start).toBe(1);
    expect(result.engagement!.members).toBe(2);
  });

  it("yearly plans count as price / 12", async () => {
    const [member] = await createPeople(1);
    await addMembership(member.id, { tier: "professional", interval: "YEAR", startedAt: d("2025-01-01T00:00:00Z") });
    const result = await dashboard("2025-06-01", "2025-06-30");
    expect(result.revenue!.atEnd.mrr).toBe(8_250);
  });

  it("a trial is a member but not a paying one, and an incomplete checkout is neither", async () => {
    const [trial, incomplete] = await createPeople(2);
    await addMembership(trial.id, { tier: "community", startedAt: d("2025-01-01T00:00:00Z"), status: "TRIALING" });
    await addMembership(incomplete.id, { tier: "community", startedAt: d("2025-01-01T00:00:00Z"), status: "INCOMPLETE" });
    const result = await dashboard("2025-06-01", "2025-06-30");
    expect(result.retention).toMatchObject({ start: 1, end: 1 });
    expect(result.revenue!.atEnd.paying).toBe(0);
  });
});

describe("tier splits", () => {
  it("splits NPS by the tier held when answering, and retention by the tier held at the start", async () => {
    const tiers = await ensureTiers();
    const [a, b, c] = await createPeople(3);
    await addMembership(a.id, { tier: "community", startedAt: d("2025-01-01T00:00:00Z") });
    await addMembership(b.id, { tier: "private-client", startedAt: d("2025-01-01T00:00:00Z"), endedAt: d("2025-06-20T00:00:00Z") });
    await addMembership(c.id, { tier: "private-client", startedAt: d("2025-01-01T00:00:00Z") });
    await addNpsAnswer(a.id, { score: 10, createdAt: d("2025-06-02T00:00:00Z"), tier: "community" });
    await addNpsAnswer(b.id, { score: 2, createdAt: d("2025-06-03T00:00:00Z"), tier: "private-client" });
    await addNpsAnswer(c.id, { score: 9, createdAt: d("2025-06-04T00:00:00Z"), tier: "private-client" });
    // Every answer counts, a member's earlier one too; the respondents are counted beside.
    await addNpsAnswer(a.id, { score: 4, createdAt: d("2025-06-01T00:00:00Z"), tier: "community" });
    const result = await dashboard("2025-06-01", "2025-06-30");
    const byTier = (id: string) => result.nps!.byTier.find((t) => t.tierId === id)!;
    expect(byTier(tiers.community.id)).toMatchObject({ responses: 2, respondents: 1, promoters: 1, detractors: 1, score: 0 });
    expect(byTier(tiers["private-client"].id)).toMatchObject({ responses: 2, respondents: 2, promoters: 1, detractors: 1, score: 0 });
    expect(result.nps!.period).toMatchObject({ responses: 4, respondents: 3, promoters: 2, detractors: 2, score: 0 });
    const retention = (id: string) => result.retention!.byTier.find((t) => t.tierId === id)!;
    expect(retention(tiers["private-client"].id)).toMatchObject({ start: 2, retained: 1, rate: 50 });
    expect(retention(tiers.community.id)).toMatchObject({ start: 1, retained: 1, rate: 100 });
    expect(result.churn!.byTier.find((t) => t.tierId === tiers["private-client"].id)).toMatchObject({ start: 2, lost: 1, average: 50 });
    expect(result.revenue!.byTier.find((t) => t.tierId === tiers["private-client"].id)).toMatchObject({ mrr: 49_900, paying: 1 });
  });
});

describe("time zones", () => {
  it("a period is whole days in the club's time zone", async () => {
    const [early, late] = await createPeople(2);
    // 22:30 UTC on 31 May is 01:30 on 1 June in Moscow.
    await addMembership(early.id, { tier: "community", startedAt: d("2025-05-31T22:30:00Z") });
    await addMembership(late.id, { tier: "community", startedAt: d("2025-01-01T00:00:00Z") });
    // 22:00 UTC on 30 June is already July in Moscow.
    await addNpsAnswer(late.id, { score: 10, createdAt: d("2025-06-30T22:00:00Z"), tier: "community" });

    const utc = await dashboard("2025-06-01", "2025-06-30", { timeZone: "UTC" });
    expect(utc.period.startsAt).toBe("2025-06-01T00:00:00.000Z");
    expect(utc.retention).toMatchObject({ start: 2, joined: 0 });
    expect(utc.nps!.period.responses).toBe(1);

    const moscow = await dashboard("2025-06-01", "2025-06-30", { timeZone: "Europe/Moscow" });
    expect(moscow.period.startsAt).toBe("2025-05-31T21:00:00.000Z");
    expect(moscow.period.endsAt).toBe("2025-06-30T21:00:00.000Z");
    expect(moscow.retention).toMatchObject({ start: 1, end: 2, joined: 1 });
    expect(moscow.nps!.period.responses).toBe(0);
    expect(moscow.nps!.byMonth).toEqual([expect.objectContaining({ month: "2025-06-01", responses: 0 })]);
  });

  it("follows daylight saving time in zones that have it", async () => {
    const result = await dashboard("2025-03-01", "2025-03-31", { timeZone: "America/New_York" });
    expect(result.period.startsAt).toBe("2025-03-01T05:00:00.000Z");
    expect(result.period.endsAt).toBe("2025-04-01T04:00:00.000Z");
  });

  it("counts a period that reaches today up to now", async () => {
    const result = await dashboard("2025-07-01", "2025-07-31");
    expect(result.period).toMatchObject({ countedToNow: true, asOf: NOW.toISOString() });
    expect(result.months).toEqual([{ month: "2025-07-01", startsAt: "2025-07-01T00:00:00.000Z", endsAt: NOW.toISOString(), complete: false }]);
    expect(result.churn!.average).toBeNull();
  });
});

describe("cohorts", () => {
  it("gives the share of each cohort still paying N months later", async () => {
    const tiers = await ensureTiers();
    const people = await createPeople(5);
    const june = d("2025-06-10T00:00:00Z");
    await addMembership(people[0].id, { tier: "community", startedAt: june });
    await addMembership(people[1].id, { tier: "community", startedAt: june });
    await addMembership(people[2].id, { tier: "professional", startedAt: june, endedAt: d("2025-07-05T00:00:00Z") });
    await addMembership(people[3].id, { tier: "community", startedAt: june, endedAt: d("2025-06-20T00:00:00Z") });
    // Complimentary members never pay, so they are in no cohort.
    await addMembership(people[4].id, { tier: "community", startedAt: june, status: "COMPLIMENTARY" });
    const result = await dashboard("2025-05-01", "2025-06-30");
    expect(result.cohorts!.rows).toEqual([
      { month: "2025-05-01", size: 0, cells: [
        { offset: 0, paying: 0, share: null, partial: false },
        { offset: 1, paying: 0, share: null, partial: false },
        { offset: 2, paying: 0, share: null, partial: true },
      ] },
      { month: "2025-06-01", size: 4, cells: [
        { offset: 0, paying: 3, share: 75, partial: false },
        { offset: 1, paying: 2, share: 50, partial: true },
      ] },
    ]);
    // The average row leaves out empty cohorts and cells still maturing (July is not over on 15 July).
    expect(result.cohorts!.average).toEqual([
      { offset: 0, cohorts: 1, share: 75 },
      { offset: 1, cohorts: 0, share: null },
    ]);
    const table = dashboardTables(result).find((t) => t.id === "cohorts")!;
    expect(table.partial).toEqual([
      [false, false, false, false],
      [false, false, false, true],
    ]);
    const csv = tableCsv(table, { locale: "en", tiers: result.tiers, currency: "eur" }).split("\r\n");
    expect(csv[3]).toBe("Average of complete cells,,75,");
    const professional = await dashboard("2025-06-01", "2025-06-30", { cohortTierId: tiers.professional.id });
    expect(professional.cohorts!.rows[0]).toMatchObject({ size: 1, cells: [{ offset: 0, paying: 1 }, { offset: 1, paying: 0 }] });
  });
});

describe("cohorts of a period before anyone paid", () => {
  it("have no month columns of their own: the table is as wide as the cohorts that have members", async () => {
    const people = await createPeople(1);
    await addMembership(people[0].id, { tier: "community", startedAt: d("2025-06-10T00:00:00Z") });
    const before = await dashboard("2020-01-01", "2020-03-31");
    expect(before.cohorts!.rows.map((r) => r.size)).toEqual([0, 0, 0]);
    expect(before.cohorts!.maxOffset).toBe(-1);
    expect(dashboardTables(before).find((t) => t.id === "cohorts")!.columns).toHaveLength(2);

    const spanning = await dashboard("2025-04-01", "2025-06-30");
    expect(spanning.cohorts!.rows.map((r) => r.size)).toEqual([0, 0, 1]);
    // June's cohort is followed to July (month 1); April's empty one adds no Month 2 or 3.
    expect(spanning.cohorts!.maxOffset).toBe(1);
    expect(tableCsv(dashboardTables(spanning).find((t) => t.id === "cohorts")!, { locale: "en", tiers: spanning.tiers, currency: "eur" }).split("\r\n")[0]).toBe(
      "\uFEFFCohort,Members,Month 0 (%),Month 1 (%)",
    );
  });
});

describe("engagement", () => {
  it("counts members active in the last 30 days, posts per active member and this month's contributors", async () => {
    const [poster, reader, quiet, former] = await createPeople(4);
    for (const p of [poster, reader, quiet]) await addMembership(p.id, { tier: "community", startedAt: d("2025-01-01T00:00:00Z") });
    await addMembership(former.id, { tier: "community", startedAt: d("2025-01-01T00:00:00Z"), endedAt: d("2025-06-01T00:00:00Z") });
    await addActivity(poster.id, "POST", d("2025-07-02T10:00:00Z"));
    await addActivity(poster.id, "REPLY", d("2025-07-03T10:00:00Z"));
    await addActivity(poster.id, "REPLY", d("2025-06-20T10:00:00Z"));
    await addActivity(reader.id, "VISIT", d("2025-07-10T10:00:00Z"));
    await addActivity(quiet.id, "SIGN_IN", d("2025-05-01T10:00:00Z"));
    await addActivity(former.id, "POST", d("2025-07-05T10:00:00Z")); // not a member any more
    const result = await dashboard("2025-07-01", "2025-07-31");
    expect(result.engagement).toMatchObject({
      window: { startsAt: "2025-06-15T12:00:00.000Z", endsAt: NOW.toISOString() },
      members: 3,
      active: 2,
      posts: 3,
      postsPerActive: 1.5,
      thisMonth: { month: "2025-07-01", members: 3, contributors: 1 },
    });
    expect(result.engagement!.thisMonth.share).toBeCloseTo(100 / 3);
    expect(result.engagement!.months[0]).toMatchObject({ active: 2, posts: 2, contributors: 1 });
  });
});

describe("figures an owner can trust", () => {
  it("counts no staff in any figure, revenue included", async () => {
    const [member] = await createPeople(1);
    const [owner] = await createPeople(1, { role: "OWNER" });
    const [curator] = await createPeople(1, { role: "CURATOR" });
    for (const person of [member, owner, curator]) {
      await addMembership(person.id, { tier: "professional", startedAt: d("2025-01-01T00:00:00Z") });
      await addNpsAnswer(person.id, { score: person.id === member.id ? 10 : 0, createdAt: d("2025-07-02T10:00:00Z"), tier: "professional" });
      await addActivity(person.id, "POST", d("2025-07-03T10:00:00Z"));
      await addLedgerEntry(person.id, { amount: 9900, occurredAt: d("2025-07-01T10:00:00Z") });
    }
    const tiers = await ensureTiers();
    const result = await dashboard("2025-07-01", "2025-07-31");
    expect(result.revenue!.atEnd).toMatchObject({ paying: 1, mrr: tiers.professional.monthlyAmount });
    expect(result.nps!.period).toMatchObject({ responses: 1, score: 100 });
    expect(result.retention).toMatchObject({ start: 1, end: 1 });
    expect(result.engagement).toMatchObject({ members: 1, active: 1, posts: 1, thisMonth: { members: 1, contributors: 1 } });
    expect(result.ltv!.realized).toMatchObject({ members: 1, netPaid: 9900 });
  });

  it("counts 'contributed this month' only up to the period's end, and says the month is partial", async () => {
    const [early, late] = await createPeople(2);
    for (const person of [early, late]) await addMembership(person.id, { tier: "community", startedAt: d("2025-01-01T00:00:00Z") });
    await addActivity(early.id, "REPLY", d("2025-06-10T10:00:00Z"));
    await addActivity(late.id, "VOTE", d("2025-06-20T10:00:00Z"));
    const half = await dashboard("2025-06-01", "2025-06-15");
    expect(half.engagement!.thisMonth).toMatchObject({
      month: "2025-06-01",
      startsAt: "2025-06-01T00:00:00.000Z",
      endsAt: "2025-06-16T00:00:00.000Z",
      complete: false,
      members: 2,
      contributors: 1,
      share: 50,
    });
    const whole = await dashboard("2025-06-01", "2025-06-30");
    expect(whole.engagement!.thisMonth).toMatchObject({ complete: true, contributors: 2, share: 100 });
    // A period reaching today: the month is running.
    const running = await dashboard("2025-07-01", "2025-07-31");
    expect(running.engagement!.thisMonth).toMatchObject({ month: "2025-07-01", complete: false, endsAt: NOW.toISOString() });
    expect(running.months.map((m) => m.complete)).toEqual([false]);
  });

  it("writes each unit once in CSV headers", async () => {
    const [member] = await createPeople(1);
    await addMembership(member.id, { tier: "community", startedAt: d("2025-01-01T00:00:00Z") });
    const result = await dashboard("2025-06-01", "2025-06-30");
    for (const locale of ["en", "ru"] as const) {
      for (const table of dashboardTables(result)) {
        const header = tableCsv(table, { locale, tiers: result.tiers, currency: "eur" }).split("\r\n")[0];
        for (const label of header.split(locale === "ru" ? ";" : ",")) expect(label, `${locale} ${table.id}`).not.toMatch(/%.*\(%\)|EUR.*\(EUR\)/);
      }
    }
    const nps = tableCsv(dashboardTables(result).find((t) => t.id === "nps-months")!, { locale: "en", tiers: result.tiers, currency: "eur" }).split("\r\n")[0];
    expect(nps).toContain(",Promoters %,");
  });
});

describe("NPS in depth", () => {
  it("counts every answer in the headline and the months alike, with respondents, response rate, tenure bands and comments", async () => {
    const [veteran, newcomer, shy] = await createPeople(3);
    const [owner] = await createPeople(1, { role: "OWNER" });
    await addMembership(veteran.id, { tier: "professional", startedAt: d("2022-01-01T00:00:00Z") });
    await addMembership(newcomer.id, { tier: "community", startedAt: d("2025-04-01T00:00:00Z") });
    await addMembership(shy.id, { tier: "community", startedAt: d("2025-01-01T00:00:00Z") });
    await addMembership(owner.id, { tier: "community", startedAt: d("2025-01-01T00:00:00Z"), status: "COMPLIMENTARY" });
    // The veteran answers twice (a 3 in May, a 10 in June): both count, in the headline as in the months.
    await addNpsAnswer(veteran.id, { score: 3, createdAt: d("2025-05-10T10:00:00Z"), tier: "professional", comment: "The events moved online." });
    await addNpsAnswer(veteran.id, { score: 10, createdAt: d("2025-06-10T10:00:00Z"), tier: "professional", comment: "Back on track, thank you." });
    await addNpsAnswer(newcomer.id, { score: 9, createdAt: d("2025-06-12T10:00:00Z"), tier: "community" });
    await addNpsAnswer(shy.id, { score: null, createdAt: d("2025-06-14T10:00:00Z") });
    await addNpsAnswer(owner.id, { score: 0, createdAt: d("2025-06-15T10:00:00Z"), comment: "Staff test" });
    const result = await dashboard("2025-05-01", "2025-06-30");
    const n = result.nps!;
    expect(n.period).toMatchObject({ responses: 3, respondents: 2, promoters: 2, detractors: 1, asked: 3 });
    expect(n.period.score).toBeCloseTo(100 / 3);
    expect(n.period.responseRate).toBeCloseTo(200 / 3);
    const summed = n.byMonth.reduce((sum, m) => sum + m.promoters - m.detractors, 0) / n.byMonth.reduce((sum, m) => sum + m.responses, 0);
    expect(n.period.score! / 100).toBeCloseTo(summed);
    expect(n.byMonth.map((m) => [m.month, m.responses, m.respondents])).toEqual([
      ["2025-05-01", 1, 1],
      ["2025-06-01", 2, 2],
    ]);
    expect(n.byTenure.map((b) => [b.band, b.responses, b.respondents])).toEqual([
      ["under3m", 1, 1],
      ["3to12m", 0, 0],
      ["1to2y", 0, 0],
      ["over2y", 2, 1],
    ]);
    expect(n.comments.map((c) => [c.memberName, c.score, c.comment])).toEqual([
      [veteran.name, 10, "Back on track, thank you."],
      [veteran.name, 3, "The events moved online."],
    ]);
    const tenure = tableCsv(dashboardTables(result).find((t) => t.id === "nps-tenure")!, { locale: "en", tiers: result.tiers, currency: "eur" }).split("\r\n");
    expect(tenure[1].startsWith("Under 3 months,100,1,0,0,1,1,")).toBe(true);
  });

  it("gives NPS per saved segment: the answers in the period of the members in it now", async () => {
    const [veteran, newcomer] = await createPeople(2);
    await addMembership(veteran.id, { tier: "professional", startedAt: d("2022-01-01T00:00:00Z") });
    await addMembership(newcomer.id, { tier: "community", startedAt: d("2025-04-01T00:00:00Z") });
    await addNpsAnswer(veteran.id, { score: 3, createdAt: d("2025-05-10T10:00:00Z"), tier: "professional" });
    await addNpsAnswer(newcomer.id, { score: 9, createdAt: d("2025-06-12T10:00:00Z"), tier: "community" });
    await addNpsAnswer(newcomer.id, { score: 6, createdAt: d("2025-06-20T10:00:00Z"), tier: "community" });
    const community = await db.tier.findUniqueOrThrow({ where: { slug: "community" } });
    await db.segment.create({ data: { name: "Community", filter: { tierIds: [community.id] } } });
    await db.segment.create({ data: { name: "Nobody", filter: { locale: "ru", tierIds: [community.id], npsGroups: ["PROMOTER"] } } });
    const result = await dashboard("2025-05-01", "2025-06-30");
    expect(result.nps!.bySegment.map((g) => [g.name, g.members, g.responses, g.respondents, g.promoters, g.detractors, g.score])).toEqual([
      ["Community", 1, 2, 1, 1, 1, 0],
      ["Nobody", 0, 0, 0, 0, 0, null],
    ]);
    const csv = tableCsv(dashboardTables(result).find((t) => t.id === "nps-segments")!, { locale: "en", tiers: result.tiers, currency: "eur" }).split("\r\n");
    expect(csv[1].startsWith("Community,1,0,1,0,1,2,1")).toBe(true);
  });

  it("says not enough data for a period nobody was asked in", async () => {
    const result = await dashboard("2025-06-01", "2025-06-30");
    expect(result.nps!.period).toMatchObject({ responses: 0, respondents: 0, asked: 0, responseRate: null, score: null });
    expect(result.nps!.comments).toEqual([]);
  });
});

describe("CSV in Russian", () => {
  it("separates fields with semicolons and writes decimal commas, keeping the byte-order mark", async () => {
    const people = await createPeople(3);
    for (const [i, person] of people.entries()) {
      await addMembership(person.id, { tier: "community", startedAt: d("2025-01-01T00:00:00Z") });
      await addNpsAnswer(person.id, { score: [10, 8, 3][i], createdAt: d("2025-06-10T10:00:00Z") });
    }
    const result = await dashboard("2025-06-01", "2025-06-30");
    const table = dashboardTables(result).find((t) => t.id === "nps-months")!;
    const [head, row] = tableCsv(table, { locale: "ru", tiers: result.tiers, currency: "eur" }).split("\r\n");
    expect(head).toBe("\uFEFFМесяц;NPS;Промоутеры;Нейтральные;Критики;Ответы;Ответившие;Промоутеры, %;Нейтральные, %;Критики, %");
    expect(row).toBe("2025-06;0;1;1;1;3;3;33,33;33,33;33,33");
    const [, enRow] = tableCsv(table, { locale: "en", tiers: result.tiers, currency: "eur" }).split("\r\n");
    expect(enRow).toBe("2025-06,0,1,1,1,3,3,33.33,33.33,33.33");
  });
});
