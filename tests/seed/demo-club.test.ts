import "../billing/without-stripe-keys";
import { afterAll, describe, expect, it } from "vitest";
import { db } from "~/db.server";
import { computeDashboard } from "~/metrics/dashboard.server";
import { stopQueue } from "~/jobs/queue.server";
import { loader as outboxLoader } from "~/routes/admin.outbox";
import { runPlaybooks } from "~/playbooks/scheduler.server";
import { seedDemoClub } from "../../prisma/seed/demo-club";
import { FOLLOW_UP_IDS, PLAYBOOK_EMAIL_TEMPLATE } from "../../prisma/seed/follow-ups";
import { MEMBERS } from "../../prisma/seed/foundation";
import { sessionCookie } from "../factories";
import { appRequest, routeArgs } from "../support/requests";

afterAll(() => stopQueue());

/**
 * Timestamps that lie ahead by nature: when a period ends or an invitation expires, when a cache
 * was built, and when an open playbook run's next step is due (the scheduler does it then).
 */
const AHEAD = new Set(["Subscription.currentPeriodEnd", "LedgerEntry.periodEnd", "Invite.expiresAt", "ActivityRollup.builtAt", "PlaybookRun.nextAt"]);

const month = (at: Date) => at.toISOString().slice(0, 7);
const daysIn = (year: number, monthIndex: number) => new Date(Date.UTC(year, monthIndex + 1, 0)).getUTCDate();

/**
 * Whether [start, end) is one billing period of a plan anchored at `anchor`, as Stripe counts
 * them: `months` calendar months later, on the anchor's day of the month (or the month's last
 * day when it has fewer), at the anchor's time of day.
 */
function isCalendarPeriod(anchor: Date, start: Date, end: Date, months: number) {
  const span = (end.getUTCFullYear() - start.getUTCFullYear()) * 12 + end.getUTCMonth() - start.getUTCMonth();
  const dayOk = (at: Date) => at.getUTCDate() === Math.min(anchor.getUTCDate(), daysIn(at.getUTCFullYear(), at.getUTCMonth()));
  const timeOfDay = (at: Date) => at.getTime() % 86_400_000;
  return span === months && dayOk(start) && dayOk(end) && timeOfDay(start) === timeOfDay(anchor) && timeOfDay(end) === timeOfDay(anchor);
}

/** Every table's rows, hashed: the same after a second run means the seed changed nothing. */
async function fingerprint() {
  const tables = await db.$queryRaw<Array<{ name: string }>>`
    SELECT table_name AS name FROM information_schema.tables
    WHERE table_schema = 'public' AND table_type = 'BASE TABLE' AND table_name <> '_prisma_migrations' ORDER BY 1`;
  const result: Record<string, string> = {};
  for (const { name } of tables) {
    const [row] = await db.$queryRawUnsafe<Array<{ hash: string }>>(
      `SELECT count(*) || ':' || md5(coalesce(string_agg(t::text, '|' ORDER BY t::text), '')) AS hash FROM "${name}" t`,
    );
    result[name] = row.hash;
  }
  return result;
}

describe("the demo club", () => {
  let seededAt = new Date();

  it("looks like a year and more of a real club's life, and seeding again changes nothing", { timeout: 300_000 }, async () => {
    seededAt = new Date();
    await seedDemoClub(seededAt);

    // The named demo members keep their tiers and standing.
    for (const member of MEMBERS) {
      const current = await db.subscription.findFirstOrThrow({ where: { user: { email: member.email } }, orderBy: { startedAt: "desc" }, include: { tier: true } });
      expect([member.email, current.tier.slug, current.status]).toEqual([
        member.email,
        member.tier,
        member.status ?? (member.role === "OWNER" ? "COMPLIMENTARY" : "ACTIVE"),
      ]);
    }

    // Real work addresses: no numbered emails, no made-up bulk domain.
    const addresses = [
      ...(await db.user.findMany({ select: { email: true } })).map((u) => u.email),
      ...(await db.application.findMany({ select: { email: true } })).map((a) => a.email),
      ...(await db.email.findMany({ select: { to: true }, distinct: ["to"] })).map((e) => e.to),
    ];
    expect(addresses.length).toBeGreaterThan(200);
    expect(addresses.filter((address) => /\d/.test(address.split("@")[0]) || address.endsWith("@members.example"))).toEqual([]);
    const generated = await db.user.findMany({ where: { id: { startsWith: "metrics-demo-" } }, select: { company: true, jobTitle: true } });
    expect(generated.length).toBeGreaterThan(150);
    expect(generated.filter((u) => !u.company || !u.jobTitle)).toEqual([]);

    // Nothing is dated at seed time or later, but what lies ahead by nature.
    const columns = await db.$queryRaw<Array<{ table: string; column: string }>>`
      SELECT table_name AS table, column_name AS column FROM information_schema.columns
      WHERE table_schema = 'public' AND data_type LIKE 'timestamp%' AND table_name <> '_prisma_migrations'`;
    const late: string[] = [];
    for (const { table, column } of columns) {
      if (AHEAD.has(`${table}.${column}`)) continue;
      const [row] = await db.$queryRawUnsafe<Array<{ count: number }>>(`SELECT count(*)::int AS count FROM "${table}" WHERE "${column}" >= $1`, seededAt);
      if (row.count) late.push(`${table}.${column}: ${row.count}`);
    }
    expect(late).toEqual([]);

    // Reviews and decisions happened over the club's life: after the address was verified,
    // before the decision, in many different months.
    const applications = await db.application.findMany({ include: { reviews: true, decisions: true } });
    const decisions = applications.flatMap((a) => a.decisions);
    const reviews = applications.flatMap((a) => a.reviews);
    expect(decisions.length).toBeGreaterThan(150);
    expect(new Set(decisions.map((d) => month(d.createdAt))).size).toBeGreaterThanOrEqual(12);
    expect(new Set(reviews.map((r) => month(r.createdAt))).size).toBeGreaterThanOrEqual(12);
    for (const application of applications) {
      const decided = application.decisions[0]?.createdAt;
      for (const review of application.reviews) {
        expect(review.createdAt.getTime()).toBeGreaterThanOrEqual(application.emailVerifiedAt!.getTime());
        if (decided) expect(review.createdAt.getTime()).toBeLessThan(decided.getTime());
        expect(review.updatedAt.getTime()).toBeGreaterThanOrEqual(review.createdAt.getTime());
      }
    }
    // Every member came in through an approved application and its invitation, used the day they joined.
    const members = await db.user.findMany({ where: { role: "MEMBER" }, include: { subscriptions: { orderBy: { startedAt: "asc" } } } });
    const invites = await db.invite.findMany({ where: { source: "APPROVAL", usedById: { not: null } } });
    for (const member of members) {
      const invite = invites.find((i) => i.usedById === member.id);
      expect(invite, member.email).toBeDefined();
      expect(invite!.usedAt).toEqual(member.subscriptions[0].startedAt);
      expect(invite!.createdAt.getTime()).toBeLessThan(invite!.usedAt!.getTime());
      expect(invite!.expiresAt.getTime()).toBeGreaterThan(invite!.usedAt!.getTime());
    }

    // Monthly periods are calendar months and yearly ones calendar years, in the rows and in the ledger.
    const subscriptions = await db.subscription.findMany({ where: { interval: { not: null } }, include: { ledgerEntries: true } });
    expect(subscriptions.filter((s) => s.interval === "YEAR").length).toBeGreaterThan(10);
    for (const row of subscriptions) {
      const months = row.interval === "YEAR" ? 12 : 1;
      expect(isCalendarPeriod(row.startedAt, row.currentPeriodStart!, row.currentPeriodEnd!, months), `${row.id} ${row.currentPeriodStart?.toISOString()}`).toBe(true);
      for (const entry of row.ledgerEntries.filter((e) => e.periodStart)) {
        expect(isCalendarPeriod(row.startedAt, entry.periodStart!, entry.periodEnd!, months), entry.id).toBe(true);
      }
    }

    // The outbox holds what the club sent over its life, sent, dated when it was sent.
    const emails = await db.email.findMany({ select: { template: true, status: true, createdAt: true, sentAt: true, locale: true, userId: true, text: true } });
    const byTemplate = new Map<string, number>();
    for (const email of emails) byTemplate.set(email.template, (byTemplate.get(email.template) ?? 0) + 1);
    for (const template of [
      "application-verify",
      "application-approved",
      "application-rejected",
      "application-waitlisted",
      "vouch-invitation",
      "invite-code",
      "billing-welcome",
      "billing-renewal-receipt",
      "billing-receipt",
      "billing-plan-changed",
      "billing-canceled",
      "billing-ended",
      "billing-payment-failed",
      "forum-reply",
      "forum-mention",
      "forum-digest",
      "roadmap-status",
      "roadmap-shipped",
    ]) {
      expect(byTemplate.get(template) ?? 0, template).toBeGreaterThan(0);
    }
    expect(new Set(emails.map((e) => month(e.createdAt))).size).toBeGreaterThanOrEqual(12);
    for (const email of emails) {
      expect(email.status).toBe("SENT");
      expect(email.sentAt!.getTime()).toBeGreaterThanOrEqual(email.createdAt.getTime());
      expect(email.text).not.toMatch(/\{[a-z]+\}/);
    }
    const locales = new Map((await db.user.findMany({ select: { id: true, locale: true } })).map((u) => [u.id, u.locale]));
    expect(emails.filter((e) => e.userId && locales.get(e.userId) !== e.locale)).toEqual([]);
    // One welcome for each person who paid, and a receipt for every paid invoice.
    const paid = await db.ledgerEntry.findMany({ where: { kind: "INVOICE_PAID" }, select: { userId: true } });
    const receipts = ["billing-welcome", "billing-renewal-receipt", "billing-receipt"].reduce((sum, t) => sum + (byTemplate.get(t) ?? 0), 0);
    expect(receipts).toBe(paid.length);
    expect(byTemplate.get("billing-welcome")).toBe(new Set(paid.map((p) => p.userId)).size);

    // Seeding again adds and changes nothing.
    const before = await fingerprint();
    await seedDemoClub();
    expect(await fingerprint()).toEqual(before);

    // The owner's outbox shows that history, newest first.
    const owner = await db.user.findUniqueOrThrow({ where: { email: "owner@coterie.club" } });
    const outbox = await outboxLoader(routeArgs(appRequest("/admin/outbox", { cookie: await sessionCookie(owner.id) })));
    expect(outbox.total).toBe(emails.length);
    expect(outbox.emails).toHaveLength(30);
    const shown = outbox.emails.map((e) => e.createdAt);
    expect(shown).toEqual([...shown].sort().reverse());
    expect(new Date(shown[0]).getTime()).toBeLessThan(seededAt.getTime());
  });

  it("shows on its dashboard only figures that its forum, roadmap, survey and billing rows give again with SQL of their own", { timeout: 300_000 }, async () => {
    await seedDemoClub();
    const now = new Date();
    const first = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - 12, 1));
    const last = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 0));
    const iso = (d: Date) => d.toISOString().slice(0, 10);
    const dash = await computeDashboard({ from: iso(first), to: iso(last), timeZone: "UTC", sections: ["nps", "revenue", "growth", "engagement"], now });
    const months = Array.from({ length: 12 }, (_, i) => new Date(Date.UTC(first.getUTCFullYear(), first.getUTCMonth() + i, 1)));
    // A member at an instant: a membership (not an unpaid checkout) started before it and not ended before it; staff never.
    const member = (alias: string, at: string) => `EXISTS (SELECT 1 FROM "Subscription" s JOIN "User" u ON u.id = s."userId" AND u.role = 'MEMBER'
      WHERE s."userId" = ${alias} AND s.status <> 'INCOMPLETE' AND s."startedAt" < ${at}
      AND COALESCE(s."endedAt", CASE WHEN s.status IN ('CANCELED', 'UNPAID') THEN s."updatedAt" END, 'infinity') >= ${at})`;
    for (const [i, start] of months.entries()) {
      const end = new Date(Date.UTC(start.getUTCFullYear(), start.getUTCMonth() + 1, 1));
      const label = start.toISOString().slice(0, 7);
      // Engagement: the forum's posts and the roadmap's votes by members, nothing else.
      const [content] = await db.$queryRawUnsafe<Array<{ posts: number; contributors: number }>>(
        `WITH c AS (
           SELECT "authorId" AS u, 1 AS post FROM "ForumPost" WHERE "createdAt" >= $1 AND "createdAt" < $2
           UNION ALL SELECT "userId", 0 FROM "RoadmapVote" WHERE "createdAt" >= $1 AND "createdAt" < $2)
         SELECT COALESCE(sum(post), 0)::int AS posts, count(DISTINCT u)::int AS contributors FROM c WHERE ${member("c.u", "$2::timestamp")}`,
        start,
        end,
      );
      const engagement = dash.engagement!.months[i];
      expect([label, engagement.posts, engagement.contributors]).toEqual([label, content.posts, content.contributors]);
      // MRR at the month's end: every paying membership's monthly price (a yearly one's twelfth).
      const [mrr] = await db.$queryRawUnsafe<Array<{ mrr: number; paying: number }>>(
        `SELECT COALESCE(sum(CASE WHEN s.interval = 'YEAR' THEN s.amount / 12.0 ELSE s.amount END), 0)::float8 AS mrr, count(DISTINCT s."userId")::int AS paying
         FROM "Subscription" s JOIN "User" u ON u.id = s."userId" AND u.role = 'MEMBER'
         WHERE s.status NOT IN ('INCOMPLETE', 'COMPLIMENTARY', 'TRIALING') AND s.amount > 0 AND s."startedAt" < $1
           AND COALESCE(s."endedAt", CASE WHEN s.status IN ('CANCELED', 'UNPAID') THEN s."updatedAt" END, 'infinity') >= $1`,
        end,
      );
      const revenue = dash.revenue!.months[i];
      expect([label, revenue.paying]).toEqual([label, mrr.paying]);
      expect(Math.abs(revenue.mrr - mrr.mrr), label).toBeLessThan(1);
      // NPS: every answer by a member in the month.
      const [answers] = await db.$queryRawUnsafe<Array<{ promoters: number; passives: number; detractors: number }>>(
        `SELECT count(*) FILTER (WHERE score >= 9)::int AS promoters, count(*) FILTER (WHERE score BETWEEN 7 AND 8)::int AS passives, count(*) FILTER (WHERE score <= 6)::int AS detractors
         FROM "NpsResponse" r JOIN "User" u ON u.id = r."userId" AND u.role = 'MEMBER' WHERE r.score IS NOT NULL AND r."createdAt" >= $1 AND r."createdAt" < $2`,
        start,
        end,
      );
      const nps = dash.nps!.byMonth[i];
      expect([label, nps.promoters, nps.passives, nps.detractors]).toEqual([label, answers.promoters, answers.passives, answers.detractors]);
      // New members, and those who came through a member's vouch: the application behind the invite they used.
      const [joined] = await db.$queryRawUnsafe<Array<{ total: number; vouch: number }>>(
        `WITH f AS (SELECT s."userId" AS u, min(s."startedAt") AS at FROM "Subscription" s JOIN "User" u ON u.id = s."userId" AND u.role = 'MEMBER' WHERE s.status <> 'INCOMPLETE' GROUP BY 1)
         SELECT count(*)::int AS total, count(*) FILTER (WHERE a."vouchId" IS NOT NULL)::int AS vouch
         FROM f LEFT JOIN "Invite" i ON i."usedById" = f.u LEFT JOIN "Application" a ON a.id = i."applicationId" WHERE f.at >= $1 AND f.at < $2`,
        start,
        end,
      );
      const growth = dash.growth!.months[i];
      expect([label, growth.joined.total, growth.joined.vouch]).toEqual([label, joined.total, joined.vouch]);
    }
    // A club with a shape: members post, vote and vouch every month, and about a third come through a member.
    expect(dash.engagement!.months.filter((m) => m.posts > 0).length).toBeGreaterThanOrEqual(6);
    expect(dash.growth!.viaMembers).toBeGreaterThan(15);
    expect(dash.growth!.cac).not.toBeNull();
    // Not every vouch leads to an application: the conversion is a rate, not a certainty.
    expect(dash.growth!.vouches.conversion).toBeGreaterThan(20);
    expect(dash.growth!.vouches.conversion).toBeLessThan(80);
  });

  it("has a year of follow-ups: three playbooks whose runs are what the scheduler would have done with the club's history", { timeout: 300_000 }, async () => {
    await seedDemoClub();
    const DAY = 86_400_000;
    const playbooks = await db.playbook.findMany({ include: { steps: true, runs: { include: { steps: true } } } });
    const byId = new Map(playbooks.map((p) => [p.id, p]));
    const yearAgo = seededAt.getTime() - 365 * DAY;
    const lastMonths = new Set(Array.from({ length: 12 }, (_, i) => month(new Date(Date.UTC(seededAt.getUTCFullYear(), seededAt.getUTCMonth() - i, 15)))));
    for (const id of Object.values(FOLLOW_UP_IDS)) {
      const playbook = byId.get(id)!;
      expect(playbook.version, id).toBe(1);
      expect(playbook.steps.length, id).toBeGreaterThanOrEqual(3);
      expect(Math.abs(playbook.createdAt.getTime() - yearAgo), id).toBeLessThan(DAY);
      // Runs in most of the last twelve months, none before the playbook existed.
      expect(new Set(playbook.runs.map((r) => month(r.enteredAt)).filter((m) => lastMonths.has(m))).size, id).toBeGreaterThanOrEqual(10);
      expect(playbook.runs.filter((r) => r.enteredAt < playbook.createdAt), id).toEqual([]);
      // The control group near the playbook's share.
      const heldOut = playbook.runs.filter((r) => r.heldOut).length / playbook.runs.length;
      if (playbook.holdOutPercent) expect(Math.abs(heldOut - playbook.holdOutPercent / 100), id).toBeLessThan(0.06);
      else expect(heldOut, id).toBe(0);
    }
    expect(byId.get(FOLLOW_UP_IDS.detractor)!.holdOutPercent).toBe(10);
    expect(byId.get(FOLLOW_UP_IDS.inactive)!.holdOutPercent).toBe(20);
    const runs = playbooks.flatMap((p) => p.runs.map((r) => ({ ...r, playbook: p })));
    expect(runs.length).toBeGreaterThan(300);

    // Every occurrence is in its trigger's format and names what fired it.
    const answers = new Map((await db.npsResponse.findMany()).map((a) => [a.id, a]));
    const firstStart = new Map<string, Date>();
    for (const s of await db.subscription.findMany({ where: { status: { not: "INCOMPLETE" } }, orderBy: { startedAt: "asc" } })) if (!firstStart.has(s.userId)) firstStart.set(s.userId, s.startedAt);
    const activity = await db.activityEvent.findMany({ where: { userId: { in: [...new Set(runs.map((r) => r.userId!))] } }, select: { userId: true, kind: true, occurredAt: true } });
    const activityOf = new Map<string, typeof activity>();
    for (const e of activity) activityOf.set(e.userId, [...(activityOf.get(e.userId) ?? []), e]);
    for (const r of runs) {
      const label = `${r.playbook.name} ${r.occurrence}`;
      if (r.playbook.trigger === "BECAME_DETRACTOR") {
        const answer = answers.get(r.occurrence.replace(/^nps:/, ""));
        expect(r.occurrence, label).toMatch(/^nps:/);
        expect([answer?.userId, answer!.score! <= 6, answer?.createdAt.getTime()], label).toEqual([r.userId, true, r.enteredAt.getTime()]);
      } else if (r.playbook.trigger === "INACTIVE") {
        const [, userId, since] = /^inactive:([^:]+):(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z)$/.exec(r.occurrence) ?? [];
        expect(userId, label).toBe(r.userId);
        const quietSince = new Date(since).getTime();
        expect(r.enteredAt.getTime(), label).toBe(Math.max(quietSince + 21 * DAY, r.playbook.createdAt.getTime()));
        // Quiet since then: no activity between the quiet-since instant and entering.
        const own = activityOf.get(r.userId!) ?? [];
        expect(own.filter((e) => e.occurredAt.getTime() > quietSince && e.occurredAt < r.enteredAt), label).toEqual([]);
        expect(quietSince === firstStart.get(r.userId!)!.getTime() || own.some((e) => e.occurredAt.getTime() === quietSince), label).toBe(true);
      } else {
        const [, userId, start] = /^joined:([^:]+):(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z)$/.exec(r.occurrence) ?? [];
        expect([userId, start], label).toEqual([r.userId, firstStart.get(r.userId!)!.toISOString()]);
      }
      // A came-back exit is the member's activity (not a survey answer) at that instant, after entering.
      if (r.exitReason === "CAME_BACK") {
        expect(r.exitedAt!.getTime(), label).toBeGreaterThan(r.enteredAt.getTime());
        expect((activityOf.get(r.userId!) ?? []).some((e) => e.kind !== "SURVEY" && e.occurredAt.getTime() === r.exitedAt!.getTime()), label).toBe(true);
      }
      if (r.exitReason === "ANSWERED_SURVEY") expect([...answers.values()].some((a) => a.userId === r.userId && a.score !== null && a.createdAt.getTime() === r.exitedAt!.getTime()), label).toBe(true);
      // The held out get nothing; the others have each step up to where they are, once.
      if (r.heldOut) expect(r.steps, label).toEqual([]);
      else expect(r.steps.map((s) => s.position).sort((a, b) => a - b), label).toEqual(Array.from({ length: r.nextStep }, (_, i) => i));
      // Open runs wait for their next step, due after the seed; ended ones have none.
      if (r.exitedAt) expect(r.nextAt, label).toBeNull();
      else expect(r.nextAt!.getTime(), label).toBeGreaterThanOrEqual(seededAt.getTime());
    }
    // Answers are three or four months apart, so a week-long detractor run rarely ends by a new one.
    const reasons = new Set(runs.map((r) => r.exitReason));
    for (const reason of ["COMPLETED", "CAME_BACK", "CLOSED_BY_STAFF", "LEFT", null] as const) expect(reasons.has(reason), String(reason)).toBe(true);

    // Each message sent is in the member's outbox at that instant; each task is the curator's.
    const sends = runs.flatMap((r) => r.steps.filter((s) => s.kind === "SEND").map((s) => ({ ...s, userId: r.userId! })));
    const emails = await db.email.findMany({ where: { template: PLAYBOOK_EMAIL_TEMPLATE }, select: { userId: true, createdAt: true } });
    const sent = new Set(emails.map((e) => `${e.userId}|${e.createdAt.getTime()}`));
    expect(sends.filter((s) => (s.channels as { EMAIL: number }).EMAIL === 1 && !sent.has(`${s.userId}|${s.doneAt.getTime()}`))).toEqual([]);
    expect(emails.length).toBe(sends.filter((s) => (s.channels as { EMAIL: number }).EMAIL === 1).length);
    expect(await db.notification.count({ where: { kind: "FOLLOW_UP", readAt: null } })).toBe(0);
    const tasks = await db.curatorTask.findMany();
    expect(tasks.filter((t) => t.doneAt === null).length).toBeGreaterThan(0);
    expect(tasks.filter((t) => t.doneAt !== null).length).toBeGreaterThan(tasks.length / 2);
    const curator = await db.user.findUniqueOrThrow({ where: { email: "curator@coterie.club" } });
    expect(tasks.filter((t) => t.doneAt && (t.doneById !== curator.id || t.doneAt <= t.createdAt))).toEqual([]);
    const replies = await db.npsReply.findMany();
    expect(replies.length).toBeGreaterThan(0);
    for (const reply of replies) {
      const answer = answers.get(reply.responseId)!;
      expect([reply.staffId, answer.score! <= 6, Boolean(answer.comment), reply.createdAt > answer.createdAt]).toEqual([curator.id, true, true, true]);
    }
    const segments = await db.segment.findMany();
    expect(segments.length).toBeGreaterThanOrEqual(3);

    // The figures the playbook pages show: who came back within 30 days, followed and held out.
    const figures = await db.$queryRaw<Array<{ name: string; heldOut: boolean; runs: number; back: number }>>`
      SELECT p.name, r."heldOut", count(*)::int AS runs,
             count(*) FILTER (WHERE EXISTS (SELECT 1 FROM "ActivityEvent" e WHERE e."userId" = r."userId" AND e.kind <> 'SURVEY'
               AND e."occurredAt" > r."enteredAt" AND e."occurredAt" <= r."enteredAt" + interval '30 days'))::int AS back
      FROM "PlaybookRun" r JOIN "Playbook" p ON p.id = r."playbookId"
      WHERE r."enteredAt" <= ${new Date(seededAt.getTime() - 30 * DAY)} GROUP BY 1, 2 ORDER BY 1, 2`;
    console.info(figures.map((f) => `${f.name} ${f.heldOut ? "held out" : "followed"}: ${f.back}/${f.runs} = ${((100 * f.back) / f.runs).toFixed(1)} %`).join("\n"));

    // The scheduler, run at the seed's instant, finds nothing left to do: no occurrence without
    // its run, no exit not yet recorded, no step due that was not done.
    const tick = await runPlaybooks(seededAt);
    expect([tick.entered, tick.exited, tick.steps, tick.completed]).toEqual([0, {}, { WAIT: 0, SEND: 0, TASK: 0 }, 0]);
  });
});
