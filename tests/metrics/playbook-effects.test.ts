/** The dashboard's "do the playbooks bring members back?": each playbook's control group, in the JSON and the CSV. */
import { describe, expect, it } from "vitest";
import { db } from "~/db.server";
import { tableCsv } from "~/metrics/csv.server";
import { computeDashboard } from "~/metrics/dashboard.server";
import { SECTIONS } from "~/metrics/sections";
import { dashboardTables } from "~/metrics/tables";
import { addActivity, createPeople, ensureTiers } from "../factories";

const NOW = new Date("2025-07-15T12:00:00Z");
const DAY = 86_400_000;

describe("the playbooks' effect on the dashboard", () => {
  it("compares those followed up with those held out, and says not enough data for a small playbook", async () => {
    await ensureTiers();
    const people = await createPeople(90);
    const nudge = await db.playbook.create({ data: { name: "Inactivity nudge", trigger: "INACTIVE", triggerDays: 21, holdOutPercent: 50 } });
    const small = await db.playbook.create({ data: { name: "Welcome", trigger: "JOINED", triggerDays: 1, pausedAt: NOW } });
    const entered = new Date(NOW.getTime() - 45 * DAY);
    // 40 followed up, 24 came back; 40 held out, 10 came back; activity after the 30-day window does not count.
    for (const [i, person] of people.slice(0, 80).entries()) {
      const heldOut = i >= 40;
      await db.playbookRun.create({ data: { playbookId: nudge.id, version: 1, userId: person.id, occurrence: `inactive:${person.id}:x`, heldOut, enteredAt: entered } });
      const back = heldOut ? i - 40 < 10 : i < 24;
      if (back) await addActivity(person.id, "VISIT", new Date(entered.getTime() + 5 * DAY));
      else await addActivity(person.id, "VISIT", new Date(entered.getTime() + 35 * DAY));
    }
    // A run entered 10 days ago is still running; the small playbook has 3 runs.
    await db.playbookRun.create({ data: { playbookId: nudge.id, version: 1, userId: people[80].id, occurrence: `inactive:${people[80].id}:y`, enteredAt: new Date(NOW.getTime() - 10 * DAY) } });
    for (const person of people.slice(81, 84)) {
      await db.playbookRun.create({ data: { playbookId: small.id, version: 1, userId: person.id, occurrence: `joined:${person.id}:x`, enteredAt: entered } });
    }

    const result = await computeDashboard({ from: "2025-01-01", to: "2025-06-30", timeZone: "UTC", sections: SECTIONS, now: NOW });
    const byName = Object.fromEntries(result.playbooks!.map((p) => [p.name, p]));
    expect(byName["Inactivity nudge"]).toMatchObject({ paused: false, followedRuns: 40, followedReturned: 24, followedRate: 60, heldOutRuns: 40, heldOutReturned: 10, heldOutRate: 25, stillRunning: 1 });
    const difference = byName["Inactivity nudge"].difference!;
    expect(difference.value).toBeCloseTo(35);
    expect(difference.lower).toBeGreaterThan(0);
    expect(difference.lower).toBeLessThan(35);
    expect(difference.upper).toBeGreaterThan(35);
    expect(byName.Welcome).toMatchObject({ paused: true, followedRuns: 3, heldOutRuns: 0, heldOutRate: null, difference: null });

    const table = dashboardTables(result).find((t) => t.id === "playbooks")!;
    const ru = tableCsv(table, { locale: "ru", tiers: result.tiers, currency: "eur" }).split("\r\n");
    expect(ru[0]).toContain("Сценарий;");
    const welcome = ru.find((line) => line.startsWith("Welcome;"))!;
    expect(welcome.split(";").slice(1, 6)).toEqual(["3", "0", "0", "", ""]);
  });
});
