import "../billing/without-stripe-keys";
import { afterAll, describe, expect, it } from "vitest";
import { db } from "~/db.server";
import { stopQueue } from "~/jobs/queue.server";
import { loader as outboxLoader } from "~/routes/admin.outbox";
import { seedDemoClub } from "../../prisma/seed/demo-club";
import { MEMBERS } from "../../prisma/seed/foundation";
import { sessionCookie } from "../factories";
import { appRequest, routeArgs } from "../support/requests";

afterAll(() => stopQueue());

/** Timestamps that lie ahead by nature: when a period ends or an invitation expires, when a cache was built. */
const AHEAD = new Set(["Subscription.currentPeriodEnd", "LedgerEntry.periodEnd", "Invite.expiresAt", "ActivityRollup.builtAt"]);

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
  it("looks like a year and more of a real club's life, and seeding again changes nothing", { timeout: 300_000 }, async () => {
    const seededAt = new Date();
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
});
