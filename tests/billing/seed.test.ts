import "./without-stripe-keys";
import { describe, expect, it } from "vitest";
import { currentMembership } from "~/billing/access.server";
import { db } from "~/db.server";
import { seedBilling } from "../../prisma/seed/billing";
import { MEMBERS, seedFoundation } from "../../prisma/seed/foundation";

describe("the demo club's billing seed", () => {
  it("gives every paying member a year and more of paid invoices, upgrades and a cancellation, and can run again", async () => {
    await seedFoundation();
    await seedBilling();
    const counts = async () => ({ rows: await db.subscription.count(), ledger: await db.ledgerEntry.count() });
    const first = await counts();
    await seedBilling();
    expect(await counts()).toEqual(first);

    for (const member of MEMBERS) {
      const user = await db.user.findUniqueOrThrow({
        where: { email: member.email },
        include: { subscriptions: { orderBy: { startedAt: "asc" } }, ledgerEntries: { orderBy: { occurredAt: "asc" } } },
      });
      if (member.role === "OWNER") {
        expect(user.ledgerEntries).toHaveLength(0);
        continue;
      }
      expect(user.stripeCustomerId).toMatch(/^cus_demo_/);
      // Each invoice lies within its row's period of membership, at the row's price.
      for (const entry of user.ledgerEntries) {
        const row = user.subscriptions.find((s) => s.id === entry.subscriptionId)!;
        expect(entry.amount).toBe(row.amount);
        expect(entry.occurredAt.getTime()).toBeGreaterThanOrEqual(row.startedAt.getTime());
        expect(entry.occurredAt.getTime()).toBeLessThan((row.endedAt ?? new Date()).getTime());
      }
      // Rows of one member follow each other without gaps or overlaps.
      for (let i = 1; i < user.subscriptions.length; i += 1) {
        expect(user.subscriptions[i - 1].endedAt).toEqual(user.subscriptions[i].startedAt);
      }
      if (member.monthsAgo >= 12 && member.interval !== "YEAR" && !member.status) expect(user.ledgerEntries.length).toBeGreaterThanOrEqual(12);
    }

    const dmitry = await db.user.findUniqueOrThrow({ where: { email: "dmitry.orlov@example.com" }, include: { subscriptions: { include: { tier: true }, orderBy: { startedAt: "asc" } } } });
    expect(dmitry.subscriptions.map((s) => [s.tier.slug, s.status])).toEqual([
      ["professional", "CANCELED"],
      ["private-client", "ACTIVE"],
    ]);
    const sarah = await db.subscription.count({ where: { user: { email: "sarah.chen@example.com" } } });
    expect(sarah).toBe(3);

    const nikita = await db.subscription.findFirstOrThrow({ where: { user: { email: "nikita.smirnov@example.com" } } });
    expect(nikita).toMatchObject({ status: "CANCELED", cancelAtPeriodEnd: true });
    expect(nikita.currentPeriodEnd).toEqual(nikita.endedAt);
    expect(await currentMembership(nikita.userId)).toBeNull();

    const maria = await db.user.findUniqueOrThrow({ where: { email: "maria.garcia@example.com" } });
    expect((await currentMembership(maria.id))?.graceEndsAt).not.toBeNull();

    const irina = await db.ledgerEntry.findMany({ where: { user: { email: "irina.petrova@example.com" } } });
    expect(irina.map((e) => e.amount)).toEqual([499000, 499000]);
  });
});
