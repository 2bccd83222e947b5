/** The playbook scheduler with a controlled clock (runPlaybooks(now)): entries, steps, exits, control group, concurrency. */
import { afterEach, describe, expect, it } from "vitest";
import { db } from "~/db.server";
import type { PlaybookStepKind, PlaybookTrigger } from "~/generated/prisma/client";
import { FOLLOW_UP_EMAIL_TEMPLATE, runPlaybooks } from "~/playbooks/scheduler.server";
import { eraseAccount } from "~/privacy/erasure.server";
import { addActivity, addMembership, addNpsAnswer, createApplication, createPeople, createUser, ensureClubSettings, ensureTiers } from "../factories";

const DAY = 86_400_000;
const HOUR = 3_600_000;
/** The simulation starts at the next UTC midnight but one: after every timestamp the factories write with the real clock. */
const T0 = new Date(Math.ceil(Date.now() / DAY) * DAY + DAY);
const at = (days: number, hours = 0) => new Date(T0.getTime() + days * DAY + hours * HOUR);

type StepSpec = { kind: PlaybookStepKind; days?: number; templateId?: string; taskNote?: string };

async function template(reason: PlaybookTrigger, label: string) {
  return db.followUpTemplate.create({
    data: {
      name: label,
      reason,
      subjectEn: `${label}: hello {name}`,
      bodyEn: `Your {tier} membership at {club}. ({label} stays as written)`,
      subjectRu: `${label}: здравствуйте, {name}`,
      bodyRu: `Ваше членство {tier} в клубе {club}.`,
    },
  });
}

async function playbook(options: {
  trigger: PlaybookTrigger;
  triggerDays?: number;
  steps: StepSpec[];
  holdOutPercent?: number;
  exitOnReturn?: boolean;
  exitOnSurvey?: boolean;
  exitOnPayment?: boolean;
  createdAt?: Date;
  pausedAt?: Date | null;
  segmentId?: string;
}) {
  return db.playbook.create({
    data: {
      name: `Playbook ${Math.random().toString(36).slice(2, 8)}`,
      trigger: options.trigger,
      triggerDays: options.triggerDays ?? null,
      holdOutPercent: options.holdOutPercent ?? 0,
      exitOnReturn: options.exitOnReturn ?? false,
      exitOnSurvey: options.exitOnSurvey ?? false,
      exitOnPayment: options.exitOnPayment ?? false,
      createdAt: options.createdAt ?? T0,
      pausedAt: options.pausedAt ?? null,
      segmentId: options.segmentId ?? null,
      steps: { create: options.steps.map((step, position) => ({ version: 1, position, kind: step.kind, days: step.days ?? null, templateId: step.templateId ?? null, taskNote: step.taskNote ?? null })) },
    },
  });
}

/** Members without passwords who joined at `joined` (one membership, still open). */
async function members(count: number, joined: Date, locale: "en" | "ru" = "en") {
  const people = await createPeople(count, { locale });
  for (const person of people) await addMembership(person.id, { tier: "professional", startedAt: joined });
  return people;
}

/** Ticks from `from` to `to` (both included) every `hours` hours. */
async function tick(from: Date, to: Date, hours = 6) {
  for (let t = from.getTime(); t <= to.getTime(); t += hours * HOUR) await runPlaybooks(new Date(t));
}

const emailsTo = (userId: string) => db.email.findMany({ where: { userId, template: FOLLOW_UP_EMAIL_TEMPLATE }, orderBy: { createdAt: "asc" } });
const runsOf = (playbookId: string, userId: string) => db.playbookRun.findMany({ where: { playbookId, userId }, include: { steps: { orderBy: { position: "asc" } } }, orderBy: { enteredAt: "asc" } });

await ensureClubSettings();
await ensureTiers();

// Each test's members and playbooks are its own: afterwards its playbooks pause and its members leave the club.
afterEach(async () => {
  await db.playbook.updateMany({ where: { pausedAt: null }, data: { pausedAt: new Date() } });
  await db.user.updateMany({ where: { deactivatedAt: null }, data: { deactivatedAt: new Date() } });
});

describe("runPlaybooks", () => {
  it("gives every member every step once, on time, over 60 days (a tick every 6 hours)", async () => {
    const [welcome, checkIn] = [await template("JOINED", "Welcome"), await template("JOINED", "Check-in")];
    const book = await playbook({
      trigger: "JOINED",
      triggerDays: 1,
      createdAt: at(0),
      steps: [
        { kind: "SEND", templateId: welcome.id },
        { kind: "WAIT", days: 7 },
        { kind: "TASK", taskNote: "Call them about their first week" },
        { kind: "WAIT", days: 20 },
        { kind: "SEND", templateId: checkIn.id },
      ],
    });
    const joined = Array.from({ length: 8 }, (_, k) => at(2 * k, 3));
    const people = [];
    for (const start of joined) people.push(...(await members(1, start, people.length % 2 ? "ru" : "en")));
    await tick(at(0), at(60));

    for (const [i, person] of people.entries()) {
      const runs = await runsOf(book.id, person.id);
      expect(runs).toHaveLength(1);
      const [run] = runs;
      expect(run).toMatchObject({ occurrence: `joined:${person.id}:${joined[i].toISOString()}`, version: 1, heldOut: false, exitReason: "COMPLETED", nextAt: null, nextStep: 5 });
      expect(run.enteredAt).toEqual(new Date(joined[i].getTime() + DAY));
      expect(run.steps.map((s) => [s.position, s.kind])).toEqual([
        [0, "SEND"],
        [1, "WAIT"],
        [2, "TASK"],
        [3, "WAIT"],
        [4, "SEND"],
      ]);
      // The first tick after entering sends; the waits add up to 27 days to the day.
      expect(run.steps[0].doneAt.getTime() - run.enteredAt.getTime()).toBeLessThan(6 * HOUR);
      expect(run.steps[4].doneAt.getTime() - run.steps[0].doneAt.getTime()).toBe(27 * DAY);
      expect(run.exitedAt).toEqual(run.steps[4].doneAt);
      expect(run.steps[0]).toMatchObject({ templateId: welcome.id, channels: { IN_APP: 1, EMAIL: 1, TELEGRAM: 0 } });
      expect(run.steps[4]).toMatchObject({ templateId: checkIn.id, channels: { IN_APP: 1, EMAIL: 1, TELEGRAM: 0 } });

      const ru = person.locale === "ru";
      const emails = await emailsTo(person.id);
      expect(emails.map((e) => e.subject)).toEqual(ru ? [`Welcome: здравствуйте, ${person.name}`, `Check-in: здравствуйте, ${person.name}`] : [`Welcome: hello ${person.name}`, `Check-in: hello ${person.name}`]);
      expect(emails[0].text).toContain(ru ? "Ваше членство Professional в клубе Test Club." : "Your Professional membership at Test Club. ({label} stays as written)");
      expect(await db.notification.count({ where: { userId: person.id, kind: "FOLLOW_UP" } })).toBe(2);
      const tasks = await db.curatorTask.findMany({ where: { memberId: person.id } });
      expect(tasks).toHaveLength(1);
      expect(tasks[0]).toMatchObject({ runId: run.id, note: "Call them about their first week", doneAt: null });
      expect(run.steps[2].taskId).toBe(tasks[0].id);
    }
    // Ticking the same period again changes nothing.
    await tick(at(58), at(60));
    expect(await db.playbookRunStep.count({ where: { run: { playbookId: book.id } } })).toBe(people.length * 5);
  }, 240_000);

  it("stops the rest when the member comes back (a survey answer alone is not coming back)", async () => {
    const nudge = await template("INACTIVE", "Nudge");
    const book = await playbook({ trigger: "INACTIVE", triggerDays: 21, exitOnReturn: true, steps: [{ kind: "SEND", templateId: nudge.id }, { kind: "WAIT", days: 7 }, { kind: "SEND", templateId: nudge.id }] });
    const [back, quiet, surveyed] = await members(3, at(-30));
    await tick(at(0), at(3));
    await addActivity(back.id, "POST", at(3, 2));
    await addActivity(surveyed.id, "SURVEY", at(3, 2));
    await tick(at(3, 6), at(10));

    const [backRun] = await runsOf(book.id, back.id);
    expect(backRun).toMatchObject({ exitReason: "CAME_BACK", exitedAt: at(3, 2), nextAt: null });
    // The wait had begun; the second message never went.
    expect(backRun.steps.map((s) => s.kind)).toEqual(["SEND", "WAIT"]);
    expect(await emailsTo(back.id)).toHaveLength(1);
    for (const person of [quiet, surveyed]) {
      const [run] = await runsOf(book.id, person.id);
      expect(run.exitReason).toBe("COMPLETED");
      expect(run.steps.map((s) => s.kind)).toEqual(["SEND", "WAIT", "SEND"]);
      expect(await emailsTo(person.id)).toHaveLength(2);
    }
  }, 120_000);

  it("exits on an answered survey and on a payment when the playbook says so", async () => {
    const note = await template("PAYMENT_FAILED", "Card");
    const book = await playbook({ trigger: "PAYMENT_FAILED", exitOnPayment: true, steps: [{ kind: "SEND", templateId: note.id }, { kind: "WAIT", days: 3 }, { kind: "SEND", templateId: note.id }] });
    const [paid, recovered, unpaid] = await createPeople(3);
    const rows = [];
    for (const person of [paid, recovered, unpaid]) {
      const row = await addMembership(person.id, { tier: "community", startedAt: at(-60), status: "PAST_DUE" });
      rows.push(await db.subscription.update({ where: { id: row.id }, data: { pastDueSince: at(-1) } }));
    }
    await tick(at(0), at(1));
    await db.ledgerEntry.create({ data: { userId: paid.id, kind: "INVOICE_PAID", amount: 2900, currency: "eur", occurredAt: at(1, 3) } });
    await db.subscription.update({ where: { id: rows[1].id }, data: { status: "ACTIVE", pastDueSince: null, updatedAt: at(1, 4) } });
    await tick(at(1, 6), at(5));
    const [paidRun] = await runsOf(book.id, paid.id);
    expect(paidRun).toMatchObject({ occurrence: `past-due:${rows[0].id}:${at(-1).toISOString()}`, exitReason: "PAID", exitedAt: at(1, 3) });
    expect(paidRun.steps.map((s) => s.kind)).toEqual(["SEND", "WAIT"]);
    const [recoveredRun] = await runsOf(book.id, recovered.id);
    expect(recoveredRun).toMatchObject({ exitReason: "PAID", exitedAt: at(1, 4) });
    expect(recoveredRun.steps).toHaveLength(2);
    const [unpaidRun] = await runsOf(book.id, unpaid.id);
    expect(unpaidRun.exitReason).toBe("COMPLETED");
    expect(unpaidRun.steps).toHaveLength(3);

    const sorry = await template("BECAME_DETRACTOR", "Sorry");
    const detractors = await playbook({ trigger: "BECAME_DETRACTOR", exitOnSurvey: true, createdAt: at(5), steps: [{ kind: "SEND", templateId: sorry.id }, { kind: "WAIT", days: 7 }, { kind: "SEND", templateId: sorry.id }] });
    const [critic] = await members(1, at(-90));
    await addNpsAnswer(critic.id, { score: 3, createdAt: at(5, 1), comment: "Too few events" });
    await tick(at(5, 6), at(6));
    await addNpsAnswer(critic.id, { score: 8, createdAt: at(6, 2) });
    await tick(at(6, 6), at(14));
    const criticRuns = await runsOf(detractors.id, critic.id);
    expect(criticRuns).toHaveLength(1);
    expect(criticRuns[0]).toMatchObject({ exitReason: "ANSWERED_SURVEY", exitedAt: at(6, 2) });
    expect(criticRuns[0].steps.map((s) => s.kind)).toEqual(["SEND", "WAIT"]);
    // The comment is for curators: it is never in what the member is sent.
    for (const email of await emailsTo(critic.id)) expect(email.text).not.toContain("Too few events");
  }, 120_000);

  it("enters a member once per occurrence, and again for a new one", async () => {
    const sorry = await template("BECAME_DETRACTOR", "Sorry");
    const detractors = await playbook({ trigger: "BECAME_DETRACTOR", steps: [{ kind: "SEND", templateId: sorry.id }] });
    const [critic] = await members(1, at(-60));
    await addNpsAnswer(critic.id, { score: 3, createdAt: at(-1) }); // before the playbook existed
    await tick(at(0), at(0));
    expect(await runsOf(detractors.id, critic.id)).toHaveLength(0);
    const first = await addNpsAnswer(critic.id, { score: 4, createdAt: at(0, 1) });
    await tick(at(0, 6), at(1, 18));
    const second = await addNpsAnswer(critic.id, { score: 2, createdAt: at(2) });
    await tick(at(2, 6), at(3));
    // A low answer that a better one followed before the tick is no longer theirs.
    await addNpsAnswer(critic.id, { score: 5, createdAt: at(3, 1) });
    await addNpsAnswer(critic.id, { score: 9, createdAt: at(3, 2) });
    await tick(at(3, 6), at(4));
    const runs = await runsOf(detractors.id, critic.id);
    expect(runs.map((r) => [r.occurrence, r.enteredAt])).toEqual([
      [`nps:${first.id}`, first.createdAt],
      [`nps:${second.id}`, second.createdAt],
    ]);
    expect(await emailsTo(critic.id)).toHaveLength(2);

    const nudge = await template("INACTIVE", "Nudge");
    const inactive = await playbook({ trigger: "INACTIVE", triggerDays: 21, exitOnReturn: true, createdAt: at(4), steps: [{ kind: "SEND", templateId: nudge.id }] });
    const [quiet] = await members(1, at(-26));
    await tick(at(4), at(6), 24);
    await addActivity(quiet.id, "VISIT", at(6, 5));
    await tick(at(7), at(28), 24);
    const quietRuns = await runsOf(inactive.id, quiet.id);
    expect(quietRuns.map((r) => [r.occurrence, r.enteredAt, r.exitReason])).toEqual([
      [`inactive:${quiet.id}:${at(-26).toISOString()}`, at(4), "COMPLETED"],
      [`inactive:${quiet.id}:${at(6, 5).toISOString()}`, at(27, 5), "COMPLETED"],
    ]);
  }, 120_000);

  it("sends nothing for a paused playbook, and carries on where it stopped on resume", async () => {
    const nudge = await template("INACTIVE", "Nudge");
    const book = await playbook({ trigger: "INACTIVE", triggerDays: 21, pausedAt: at(-1), steps: [{ kind: "SEND", templateId: nudge.id }, { kind: "WAIT", days: 2 }, { kind: "SEND", templateId: nudge.id }] });
    const [quiet] = await members(1, at(-40));
    await tick(at(0), at(2));
    expect(await runsOf(book.id, quiet.id)).toHaveLength(0);
    expect(await emailsTo(quiet.id)).toHaveLength(0);

    await db.playbook.update({ where: { id: book.id }, data: { pausedAt: null } });
    await tick(at(2, 6), at(2, 6));
    expect((await runsOf(book.id, quiet.id))[0].steps.map((s) => s.kind)).toEqual(["SEND", "WAIT"]);
    await db.playbook.update({ where: { id: book.id }, data: { pausedAt: at(2, 7) } });
    await tick(at(2, 12), at(8));
    const [paused] = await runsOf(book.id, quiet.id);
    expect(paused.steps).toHaveLength(2);
    expect(paused.exitedAt).toBeNull();
    expect(await emailsTo(quiet.id)).toHaveLength(1);

    await db.playbook.update({ where: { id: book.id }, data: { pausedAt: null } });
    await tick(at(8, 6), at(8, 6));
    const [resumed] = await runsOf(book.id, quiet.id);
    expect(resumed).toMatchObject({ exitReason: "COMPLETED" });
    expect(resumed.steps.map((s) => s.kind)).toEqual(["SEND", "WAIT", "SEND"]);
    expect(await emailsTo(quiet.id)).toHaveLength(2);
  }, 120_000);

  it("applies a changed playbook (a new version) to new runs only", async () => {
    const [a, b, c] = [await template("INACTIVE", "A"), await template("INACTIVE", "B"), await template("INACTIVE", "C")];
    const book = await playbook({ trigger: "INACTIVE", triggerDays: 21, steps: [{ kind: "SEND", templateId: a.id }, { kind: "WAIT", days: 5 }, { kind: "SEND", templateId: b.id }] });
    const [early] = await members(1, at(-30));
    const [late] = await members(1, at(-20));
    await tick(at(0), at(0, 6));
    await db.$transaction(async (tx) => {
      await tx.playbook.update({ where: { id: book.id }, data: { version: 2 } });
      await tx.playbookStep.create({ data: { playbookId: book.id, version: 2, position: 0, kind: "SEND", templateId: c.id } });
    });
    await tick(at(0, 12), at(7));
    const [earlyRun] = await runsOf(book.id, early.id);
    expect(earlyRun).toMatchObject({ version: 1, exitReason: "COMPLETED" });
    expect(earlyRun.steps.map((s) => s.templateId ?? s.kind)).toEqual([a.id, "WAIT", b.id]);
    const [lateRun] = await runsOf(book.id, late.id);
    expect(lateRun).toMatchObject({ version: 2, exitReason: "COMPLETED", enteredAt: at(1) });
    expect(lateRun.steps.map((s) => s.templateId)).toEqual([c.id]);
    expect((await emailsTo(late.id)).map((e) => e.subject)).toEqual([`C: hello ${late.name}`]);
  }, 120_000);

  it("does each step exactly once when two schedulers tick at the same time", async () => {
    const [a, b] = [await template("INACTIVE", "A"), await template("INACTIVE", "B")];
    const book = await playbook({
      trigger: "INACTIVE",
      triggerDays: 21,
      steps: [{ kind: "SEND", templateId: a.id }, { kind: "TASK", taskNote: "Call" }, { kind: "WAIT", days: 1 }, { kind: "SEND", templateId: b.id }],
    });
    const people = await members(20, at(-30));
    for (const t of [at(0), at(0), at(0, 6), at(1), at(1, 6)]) await Promise.all([runPlaybooks(t), runPlaybooks(t), runPlaybooks(t)]);
    const ids = people.map((p) => p.id);
    expect(await db.playbookRun.count({ where: { playbookId: book.id } })).toBe(20);
    expect(await db.playbookRunStep.count({ where: { run: { playbookId: book.id } } })).toBe(20 * 4);
    expect(await db.email.count({ where: { userId: { in: ids }, template: FOLLOW_UP_EMAIL_TEMPLATE } })).toBe(40);
    expect(await db.notification.count({ where: { userId: { in: ids }, kind: "FOLLOW_UP" } })).toBe(40);
    expect(await db.curatorTask.count({ where: { memberId: { in: ids } } })).toBe(20);
    expect(await db.playbookRun.count({ where: { playbookId: book.id, exitReason: "COMPLETED" } })).toBe(20);
  }, 120_000);

  it("respects the member's channels: FOLLOW_UP off on email means in-app only", async () => {
    const nudge = await template("INACTIVE", "Nudge");
    const book = await playbook({ trigger: "INACTIVE", triggerDays: 21, steps: [{ kind: "SEND", templateId: nudge.id }] });
    const [muted, plain] = await members(2, at(-30));
    await db.notificationPreference.create({ data: { userId: muted.id, kind: "FOLLOW_UP", channel: "EMAIL", enabled: false } });
    await tick(at(0), at(0, 6));
    const [mutedRun] = await runsOf(book.id, muted.id);
    expect(mutedRun.steps[0].channels).toEqual({ IN_APP: 1, EMAIL: 0, TELEGRAM: 0 });
    expect(await emailsTo(muted.id)).toHaveLength(0);
    expect(await db.notification.count({ where: { userId: muted.id, kind: "FOLLOW_UP" } })).toBe(1);
    expect(await emailsTo(plain.id)).toHaveLength(1);
  });

  it("takes a member who erased their account, was deactivated or whose membership ended out of every playbook", async () => {
    const [nudge, sorry] = [await template("INACTIVE", "Nudge"), await template("BECAME_DETRACTOR", "Sorry")];
    const steps = (id: string): StepSpec[] => [{ kind: "SEND", templateId: id }, { kind: "WAIT", days: 3 }, { kind: "SEND", templateId: id }];
    const inactive = await playbook({ trigger: "INACTIVE", triggerDays: 21, steps: steps(nudge.id) });
    const detractors = await playbook({ trigger: "BECAME_DETRACTOR", steps: steps(sorry.id) });
    const leaver = await createUser({ tier: null });
    await addMembership(leaver.id, { tier: "community", startedAt: at(-40) });
    const [removed, lapsed] = await members(2, at(-40));
    for (const person of [leaver, removed, lapsed]) await addNpsAnswer(person.id, { score: 1, createdAt: at(0, 1) });
    await tick(at(0, 6), at(0, 6));
    expect(await db.playbookRun.count({ where: { userId: { in: [leaver.id, removed.id, lapsed.id] }, exitedAt: null } })).toBe(6);

    expect(await eraseAccount(leaver.id, { password: leaver.password }, at(1))).toEqual({ ok: true });
    await db.user.update({ where: { id: removed.id }, data: { deactivatedAt: at(1, 1) } });
    await db.subscription.updateMany({ where: { userId: lapsed.id }, data: { endedAt: at(1, 2), status: "CANCELED" } });
    await tick(at(1, 6), at(6));
    for (const book of [inactive, detractors]) {
      const [leaverRun] = await runsOf(book.id, leaver.id);
      expect(leaverRun).toMatchObject({ exitReason: "LEFT", exitedAt: at(1), nextAt: null });
      expect(leaverRun.steps.map((s) => s.kind)).toEqual(["SEND", "WAIT"]);
      const [removedRun] = await runsOf(book.id, removed.id);
      expect(removedRun).toMatchObject({ exitReason: "LEFT", exitedAt: at(1, 1) });
      expect(removedRun.steps).toHaveLength(2);
      // Their membership ended: they left the club too.
      const [lapsedRun] = await runsOf(book.id, lapsed.id);
      expect(lapsedRun).toMatchObject({ exitReason: "LEFT", exitedAt: at(1, 2) });
      expect(lapsedRun.steps).toHaveLength(2);
    }
    expect(await db.playbookRun.count({ where: { userId: { in: [leaver.id, removed.id, lapsed.id] } } })).toBe(6);
  }, 120_000);

  it("emails a waitlisted applicant in their language, and stops when they leave the waitlist", async () => {
    const waiting = await template("APPLICATION_WAITLISTED", "Waitlist");
    const book = await playbook({
      trigger: "APPLICATION_WAITLISTED",
      createdAt: new Date(Date.now() - HOUR),
      steps: [{ kind: "SEND", templateId: waiting.id }, { kind: "WAIT", days: 3 }, { kind: "SEND", templateId: waiting.id }],
    });
    const { application } = await createApplication({ status: "WAITLISTED", locale: "ru" });
    const { application: before } = await createApplication({ status: "WAITLISTED" });
    await db.$executeRaw`UPDATE "Application" SET "updatedAt" = ${new Date(Date.now() - 2 * HOUR)} WHERE id = ${before.id}`;
    await createApplication({ status: "IN_REVIEW" });
    await tick(at(0), at(0, 6));

    const runs = await db.playbookRun.findMany({ where: { playbookId: book.id }, include: { steps: true } });
    expect(runs).toHaveLength(1);
    expect(runs[0]).toMatchObject({ userId: null, applicationId: application.id, occurrence: `application:${application.id}` });
    const emails = await db.email.findMany({ where: { to: application.email } });
    expect(emails).toHaveLength(1);
    expect(emails[0]).toMatchObject({ locale: "ru", template: FOLLOW_UP_EMAIL_TEMPLATE, subject: `Waitlist: здравствуйте, ${application.name}`, userId: null });
    expect(emails[0].text).toContain("Вы получили это письмо, потому что подали заявку на вступление в клуб «Test Club».");
    expect(runs[0].steps[0].channels).toEqual({ EMAIL: 1 });

    await db.application.update({ where: { id: application.id }, data: { status: "APPROVED" } });
    await tick(at(1), at(5));
    const [run] = await db.playbookRun.findMany({ where: { playbookId: book.id } });
    expect(run.exitReason).toBe("LEFT");
    expect(await db.email.count({ where: { to: application.email } })).toBe(1);
  }, 120_000);

  it("holds out a share near holdOutPercent of 500 members, and sends the held-out nothing", async () => {
    const nudge = await template("INACTIVE", "Nudge");
    const book = await playbook({ trigger: "INACTIVE", triggerDays: 21, holdOutPercent: 20, steps: [{ kind: "SEND", templateId: nudge.id }, { kind: "TASK", taskNote: "Call" }] });
    const people = await createPeople(500);
    const { professional } = await ensureTiers();
    await db.subscription.createMany({
      data: people.map((p) => ({ userId: p.id, tierId: professional.id, status: "ACTIVE" as const, interval: "MONTH" as const, amount: 9900, currency: "eur", startedAt: at(-30), createdAt: at(-30) })),
    });
    const first = await runPlaybooks(at(0));
    expect(first.entered).toBe(500);
    // 500 draws at 20 %: 100 expected, standard deviation 8.9; 60–140 is ±4.5 of them.
    expect(first.heldOut).toBeGreaterThanOrEqual(60);
    expect(first.heldOut).toBeLessThanOrEqual(140);
    await runPlaybooks(at(0, 6));

    const runs = await db.playbookRun.findMany({ where: { playbookId: book.id }, include: { steps: true } });
    expect(runs).toHaveLength(500);
    expect(runs.filter((r) => r.heldOut)).toHaveLength(first.heldOut);
    const held = runs.filter((r) => r.heldOut).map((r) => r.userId!);
    const treated = runs.filter((r) => !r.heldOut).map((r) => r.userId!);
    expect(runs.every((r) => r.exitReason === "COMPLETED")).toBe(true);
    expect(runs.filter((r) => r.heldOut).every((r) => r.steps.length === 0)).toBe(true);
    expect(runs.filter((r) => !r.heldOut).every((r) => r.steps.length === 2)).toBe(true);
    expect(await db.email.count({ where: { userId: { in: held } } })).toBe(0);
    expect(await db.notification.count({ where: { userId: { in: held } } })).toBe(0);
    expect(await db.curatorTask.count({ where: { memberId: { in: held } } })).toBe(0);
    expect(await db.email.count({ where: { userId: { in: treated }, template: FOLLOW_UP_EMAIL_TEMPLATE } })).toBe(treated.length);
    expect(await db.curatorTask.count({ where: { memberId: { in: treated } } })).toBe(treated.length);
  }, 300_000);
});
