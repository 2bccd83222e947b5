/**
 * The control group's figures: Wilson's and Newcombe's intervals against published values,
 * "not enough data" below the minimum, and playbookOutcomes() on runs in the database (runs
 * younger than 30 days left out, returns counted within 30 days of entering only, exits and
 * messages by channel).
 */
import { describe, expect, it } from "vitest";
import { db } from "~/db.server";
import { controlGroupFigures, MIN_GROUP_SIZE, rateDifference, wilsonInterval } from "~/playbooks/outcomes";
import { playbookOutcome, playbookOutcomes } from "~/playbooks/outcomes.server";
import { addActivity, createPeople } from "../factories";

const DAY = 86_400_000;

describe("the intervals", () => {
  // Newcombe 1998 (Statistics in Medicine 17:873–890), table II, method 10 (hybrid score),
  // and the single proportion paper's Wilson interval for 81/263 (Newcombe 1998, 17:857–872).
  it.each([
    [56, 70, 48, 80, 0.0524, 0.3339],
    [9, 10, 3, 10, 0.1705, 0.809],
    [6, 7, 2, 7, 0.0582, 0.8062],
    [5, 56, 0, 29, -0.0381, 0.1926],
    [0, 10, 0, 20, -0.1611, 0.2775],
    [10, 10, 0, 20, 0.6791, 1],
  ])("%i/%i vs %i/%i: %f to %f", (x1, n1, x2, n2, lower, upper) => {
    const result = rateDifference(x1, n1, x2, n2);
    expect(result.difference).toBeCloseTo(x1 / n1 - x2 / n2, 10);
    expect(Math.abs(result.lower - lower)).toBeLessThan(0.00006);
    expect(Math.abs(result.upper - upper)).toBeLessThan(0.00006);
  });

  it("gives 56/70 vs 48/80 a difference of 0.2000 from 0.0524 to 0.3339", () => {
    const result = rateDifference(56, 70, 48, 80);
    expect(result.difference.toFixed(4)).toBe("0.2000");
    expect(result.lower.toFixed(4)).toBe("0.0524");
    expect(result.upper.toFixed(4)).toBe("0.3339");
  });

  it("matches Wilson's interval for 81/263 and stays within 0 and 1", () => {
    const { lower, upper } = wilsonInterval(81, 263);
    expect(lower.toFixed(4)).toBe("0.2553");
    expect(upper.toFixed(4)).toBe("0.3662");
    expect(wilsonInterval(0, 10).lower).toBe(0);
    expect(wilsonInterval(10, 10).upper).toBe(1);
  });

  it("says not enough data while either group is below the minimum", () => {
    const small = controlGroupFigures({ runs: 200, returned: 80 }, { runs: MIN_GROUP_SIZE - 1, returned: 5 }, 0);
    expect(small.enoughData).toBe(false);
    expect(small.difference).toBeNull();
    expect(small.followed.rate).toBeCloseTo(0.4);
    const enough = controlGroupFigures({ runs: MIN_GROUP_SIZE, returned: 15 }, { runs: MIN_GROUP_SIZE, returned: 6 }, 3);
    expect(enough.enoughData).toBe(true);
    expect(enough.difference!.difference).toBeCloseTo(0.3);
    expect(enough.stillRunning).toBe(3);
    expect(controlGroupFigures({ runs: 0, returned: 0 }, { runs: 0, returned: 0 }, 0).followed.rate).toBeNull();
  });
});

describe("playbookOutcomes", () => {
  it("counts returns within 30 days of entering, for runs old enough, per group", async () => {
    const now = new Date();
    const playbook = await db.playbook.create({ data: { name: "Quiet members", trigger: "INACTIVE", triggerDays: 21, holdOutPercent: 50 } });
    const other = await db.playbook.create({ data: { name: "Welcome", trigger: "JOINED", triggerDays: 3 } });
    const people = await createPeople(2 * MIN_GROUP_SIZE + 6);
    const entered = new Date(now.getTime() - 40 * DAY);
    const runs = people.map((person, i) => ({
      id: `run-${person.id}`,
      playbookId: playbook.id,
      version: 1,
      userId: person.id,
      occurrence: `inactive:${person.id}:x`,
      heldOut: i % 2 === 1,
      // The last six entered 10 days ago: still running, not counted.
      enteredAt: i >= 2 * MIN_GROUP_SIZE ? new Date(now.getTime() - 10 * DAY) : entered,
      exitedAt: i < 4 ? entered : null,
      exitReason: i < 4 ? ("CAME_BACK" as const) : null,
    }));
    await db.playbookRun.createMany({ data: runs });
    // Followed (even i < 60): 12 came back within 30 days; held out (odd): 3 did.
    for (let i = 0; i < 24; i += 2) await addActivity(people[i].id, "POST", new Date(entered.getTime() + 5 * DAY));
    for (let i = 1; i < 6; i += 2) await addActivity(people[i].id, "SIGN_IN", new Date(entered.getTime() + 30 * DAY));
    // Activity after the window, or before entering, is no return.
    await addActivity(people[31].id, "POST", new Date(entered.getTime() + 31 * DAY));
    await addActivity(people[33].id, "POST", new Date(entered.getTime() - DAY));
    // Activity of an other playbook's run does not count here.
    await db.playbookRun.create({ data: { playbookId: other.id, version: 1, userId: people[35].id, occurrence: "joined:x", enteredAt: entered } });
    await db.playbookRunStep.createMany({
      data: [
        { runId: runs[0].id, position: 0, kind: "SEND", channels: { EMAIL: 1, IN_APP: 1, TELEGRAM: 0 } },
        { runId: runs[2].id, position: 0, kind: "SEND", channels: { EMAIL: 1, IN_APP: 1, TELEGRAM: 1 } },
        { runId: runs[2].id, position: 1, kind: "WAIT" },
      ],
    });

    const outcome = (await playbookOutcome(playbook.id, now))!;
    expect(outcome.control.followed).toEqual({ runs: MIN_GROUP_SIZE, returned: 12, rate: 12 / MIN_GROUP_SIZE });
    expect(outcome.control.heldOut).toEqual({ runs: MIN_GROUP_SIZE, returned: 3, rate: 3 / MIN_GROUP_SIZE });
    expect(outcome.control.stillRunning).toBe(6);
    expect(outcome.control.enoughData).toBe(true);
    expect(outcome.control.difference!.difference).toBeCloseTo(0.3);
    expect(outcome.entered).toBe(2 * MIN_GROUP_SIZE + 6);
    expect(outcome.active).toBe(2 * MIN_GROUP_SIZE + 2);
    expect(outcome.exits).toEqual({ CAME_BACK: 4 });
    expect(outcome.sent).toEqual({ EMAIL: 2, IN_APP: 2, TELEGRAM: 1 });

    // Every playbook in one call, the other with nothing to compare yet.
    const all = await playbookOutcomes({ now });
    expect(all.map((o) => o.playbookId).sort()).toEqual([playbook.id, other.id].sort());
    const welcome = all.find((o) => o.playbookId === other.id)!;
    expect(welcome.control.followed.runs).toBe(1);
    expect(welcome.control.enoughData).toBe(false);
    expect(welcome.control.difference).toBeNull();

    // Seen 20 days earlier, the runs had not had their 30 days yet: nothing is counted.
    const earlier = (await playbookOutcome(playbook.id, new Date(now.getTime() - 20 * DAY)))!;
    expect(earlier.control.followed.runs).toBe(0);
    expect(earlier.control.enoughData).toBe(false);
  });
});
