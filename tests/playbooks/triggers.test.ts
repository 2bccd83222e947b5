/** Who each playbook trigger takes in, with which occurrence key and entry time (firedOccurrences, the scheduler's entry query). */
import { beforeAll, describe, expect, it } from "vitest";
import { db } from "~/db.server";
import type { PlaybookTrigger } from "~/generated/prisma/client";
import { firedOccurrences, JOINED_LOOKBACK_DAYS, playbookForTrigger, type PlaybookForTrigger } from "~/playbooks/triggers.server";
import { addActivity, addMembership, addNpsAnswer, createApplication, createPeople, ensureClubSettings, ensureTiers } from "../factories";

const DAY = 86_400_000;
const HOUR = 3_600_000;
const T0 = new Date(Math.ceil(Date.now() / DAY) * DAY + DAY);
const at = (days: number, hours = 0) => new Date(T0.getTime() + days * DAY + hours * HOUR);
const NOW = at(0, 12);

const book = (trigger: PlaybookTrigger, triggerDays: number | null = null, createdAt = at(-10)): PlaybookForTrigger => ({
  id: `playbook-${trigger}-${triggerDays}`,
  trigger,
  triggerDays,
  createdAt,
  segment: null,
});

/** A member, a curator, a deactivated and an erased member, all with the same membership and history. */
async function cast(joined: Date, locale: "en" | "ru" = "en") {
  const [member] = await createPeople(1, { locale });
  const [curator] = await createPeople(1, { role: "CURATOR", locale });
  const [deactivated, erased] = await createPeople(2, { locale });
  await db.user.update({ where: { id: deactivated.id }, data: { deactivatedAt: at(-1) } });
  await db.user.update({ where: { id: erased.id }, data: { erasedAt: at(-1), deactivatedAt: at(-1), name: "" } });
  const everyone = [member, curator, deactivated, erased];
  for (const person of everyone) await addMembership(person.id, { tier: "community", startedAt: joined });
  return { member, everyone };
}

const fired = async (playbook: PlaybookForTrigger, ids: string[], now = NOW) => (await firedOccurrences(playbook, now)).filter((f) => (f.userId ? ids.includes(f.userId) : true));

beforeAll(async () => {
  await ensureClubSettings();
  await ensureTiers();
});

describe("playbook triggers", () => {
  it("BECAME_DETRACTOR: the member's latest scored answer of 0–6, given after the playbook was made", async () => {
    const { member, everyone } = await cast(at(-200));
    const ids = everyone.map((p) => p.id);
    await addNpsAnswer(member.id, { score: 2, createdAt: at(-20) }); // before the playbook
    for (const person of everyone) await addNpsAnswer(person.id, { score: 6, createdAt: at(-5) });
    const seven = await createPeople(1);
    await addMembership(seven[0].id, { tier: "community", startedAt: at(-200) });
    await addNpsAnswer(seven[0].id, { score: 7, createdAt: at(-5) });
    const answer = await db.npsResponse.findFirstOrThrow({ where: { userId: member.id, score: 6 } });
    expect(await fired(book("BECAME_DETRACTOR"), [...ids, seven[0].id])).toEqual([
      { userId: member.id, applicationId: null, occurrence: `nps:${answer.id}`, enteredAt: at(-5) },
    ]);
    // A dismissal (no score) does not change their latest answer; a better score does.
    await addNpsAnswer(member.id, { score: null, createdAt: at(-4) });
    expect(await fired(book("BECAME_DETRACTOR"), ids)).toHaveLength(1);
    await addNpsAnswer(member.id, { score: 9, createdAt: at(-3) });
    expect(await fired(book("BECAME_DETRACTOR"), ids)).toHaveLength(0);
    // An answer after `now` is not seen yet.
    await addNpsAnswer(member.id, { score: 1, createdAt: at(1) });
    expect(await fired(book("BECAME_DETRACTOR"), ids)).toHaveLength(0);
  });

  it("INACTIVE: quiet since greatest(last activity, joined) for N days or more, entered then (not before the playbook)", async () => {
    const { member, everyone } = await cast(at(-100));
    const ids = everyone.map((p) => p.id);
    for (const person of everyone) await addActivity(person.id, "POST", at(-30, 4));
    const [fresh] = await createPeople(1);
    await addMembership(fresh.id, { tier: "community", startedAt: at(-25) });
    const [busy] = await createPeople(1);
    await addMembership(busy.id, { tier: "community", startedAt: at(-100) });
    await addActivity(busy.id, "VISIT", at(-2));
    const old = await fired(book("INACTIVE", 21, at(-60)), [...ids, fresh.id, busy.id]);
    const byUser = <T extends { userId: string | null }>(rows: T[]) => [...rows].sort((a, b) => (a.userId! < b.userId! ? -1 : 1));
    expect(byUser(old)).toEqual(
      byUser([
        { userId: member.id, applicationId: null, occurrence: `inactive:${member.id}:${at(-30, 4).toISOString()}`, enteredAt: at(-9, 4) },
        { userId: fresh.id, applicationId: null, occurrence: `inactive:${fresh.id}:${at(-25).toISOString()}`, enteredAt: at(-4) },
      ]),
    );
    // A playbook made after the trigger fired takes them in when it was made.
    expect((await fired(book("INACTIVE", 21, at(-1)), [member.id]))[0].enteredAt).toEqual(at(-1));
    // Not yet quiet for 40 days.
    expect(await fired(book("INACTIVE", 40, at(-60)), [member.id])).toHaveLength(0);
  });

  it("JOINED: the first membership started N days ago, at most N + 7 days ago", async () => {
    const { member, everyone } = await cast(at(-3, 2));
    const ids = everyone.map((p) => p.id);
    const [upgraded, tooOld, tooNew] = await createPeople(3);
    // An upgrade is a second row: the first start counts.
    await addMembership(upgraded.id, { tier: "community", startedAt: at(-5), endedAt: at(-2) });
    await addMembership(upgraded.id, { tier: "professional", startedAt: at(-2) });
    await addMembership(tooOld.id, { tier: "community", startedAt: at(-1 - JOINED_LOOKBACK_DAYS - 1) });
    await addMembership(tooNew.id, { tier: "community", startedAt: at(0) });
    const rows = await fired(book("JOINED", 1), [...ids, upgraded.id, tooOld.id, tooNew.id]);
    expect(rows.map((r) => [r.userId, r.occurrence, r.enteredAt]).sort()).toEqual(
      [
        [member.id, `joined:${member.id}:${at(-3, 2).toISOString()}`, at(-2, 2)],
        [upgraded.id, `joined:${upgraded.id}:${at(-5).toISOString()}`, at(-4)],
      ].sort(),
    );
  });

  it("PAYMENT_FAILED and CANCELLATION_SCHEDULED: the subscription row, its pastDueSince or period end", async () => {
    const [payer, curator, canceller, ended] = [...(await createPeople(1)), ...(await createPeople(1, { role: "CURATOR" })), ...(await createPeople(2))];
    const pastDue = await addMembership(payer.id, { tier: "community", startedAt: at(-90), status: "PAST_DUE" });
    await db.subscription.update({ where: { id: pastDue.id }, data: { pastDueSince: at(-2) } });
    const staffRow = await addMembership(curator.id, { tier: "community", startedAt: at(-90), status: "PAST_DUE" });
    await db.subscription.update({ where: { id: staffRow.id }, data: { pastDueSince: at(-2), cancelAtPeriodEnd: true, currentPeriodEnd: at(20) } });
    const cancelling = await addMembership(canceller.id, { tier: "community", startedAt: at(-90) });
    await db.subscription.update({ where: { id: cancelling.id }, data: { cancelAtPeriodEnd: true, currentPeriodEnd: at(20), updatedAt: at(-1) } });
    const over = await addMembership(ended.id, { tier: "community", startedAt: at(-90) });
    await db.subscription.update({ where: { id: over.id }, data: { cancelAtPeriodEnd: true, currentPeriodEnd: at(-1) } });
    const ids = [payer.id, curator.id, canceller.id, ended.id];
    expect(await fired(book("PAYMENT_FAILED"), ids)).toEqual([
      { userId: payer.id, applicationId: null, occurrence: `past-due:${pastDue.id}:${at(-2).toISOString()}`, enteredAt: at(-2) },
    ]);
    expect(await fired(book("CANCELLATION_SCHEDULED"), ids)).toEqual([
      { userId: canceller.id, applicationId: null, occurrence: `cancel:${cancelling.id}:${at(20).toISOString()}`, enteredAt: at(-1) },
    ]);
  });

  it("APPLICATION_WAITLISTED: applications put on the waitlist after the playbook was made, no member attached", async () => {
    const made = new Date(Date.now() - HOUR);
    const { application } = await createApplication({ status: "WAITLISTED" });
    const { application: older } = await createApplication({ status: "WAITLISTED" });
    await db.$executeRaw`UPDATE "Application" SET "updatedAt" = ${new Date(Date.now() - 2 * HOUR)} WHERE id = ${older.id}`;
    const { application: erased } = await createApplication({ status: "WAITLISTED" });
    await db.application.update({ where: { id: erased.id }, data: { name: "" } });
    await createApplication({ status: "APPROVED" });
    const rows = await fired(book("APPLICATION_WAITLISTED", null, made), []);
    expect(rows).toEqual([{ userId: null, applicationId: application.id, occurrence: `application:${application.id}`, enteredAt: (await db.application.findUniqueOrThrow({ where: { id: application.id } })).updatedAt }]);
  });

  it("takes in only the segment's members, nobody when the segment is gone, and nobody twice", async () => {
    const { member: en } = await cast(at(-100), "en");
    const { member: ru } = await cast(at(-100), "ru");
    const segment = await db.segment.create({ data: { name: "Russian speakers", filter: { locale: "ru" } } });
    const stored = { id: "playbook-segmented", trigger: "INACTIVE" as const, triggerDays: 21, createdAt: at(-10), segmentId: segment.id };
    const segmented = await playbookForTrigger(stored);
    expect(segmented?.segment).toEqual({ locale: "ru" });
    expect((await fired(segmented!, [en.id, ru.id])).map((r) => r.userId)).toEqual([ru.id]);
    expect(await playbookForTrigger({ ...stored, segmentId: "no-such-segment" })).toBeUndefined();

    // With a run for the occurrence, it is not fired again.
    const playbook = await db.playbook.create({ data: { name: "Nudge", trigger: "INACTIVE", triggerDays: 21, createdAt: at(-10) } });
    const forTrigger = (await playbookForTrigger(playbook))!;
    const [first] = await fired(forTrigger, [ru.id]);
    await db.playbookRun.create({ data: { playbookId: playbook.id, version: 1, userId: ru.id, occurrence: first.occurrence, enteredAt: first.enteredAt } });
    expect(await fired(forTrigger, [ru.id])).toHaveLength(0);
    expect(await fired(forTrigger, [en.id])).toHaveLength(1);
  });
});
