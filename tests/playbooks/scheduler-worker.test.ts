/** The playbooks queue: a pg-boss schedule every minute, and each job is one scheduler tick. */
import { afterAll, describe, expect, it } from "vitest";
import { db } from "~/db.server";
import { queue, QUEUES, stopQueue } from "~/jobs/queue.server";
import { PLAYBOOKS_CRON, workPlaybooks } from "~/playbooks/worker.server";
import { addMembership, createPeople, ensureClubSettings } from "../factories";

const DAY = 86_400_000;

afterAll(async () => {
  await stopQueue();
});

describe("the playbooks worker", () => {
  it("is scheduled every minute, and a job runs one tick: the quiet member enters and gets the message", async () => {
    await ensureClubSettings();
    const template = await db.followUpTemplate.create({
      data: { name: "Nudge", reason: "INACTIVE", subjectEn: "We miss you, {name}", bodyEn: "Come back to {club}.", subjectRu: "Мы скучаем, {name}", bodyRu: "Возвращайтесь в {club}." },
    });
    const playbook = await db.playbook.create({
      data: {
        name: "Nudge",
        trigger: "INACTIVE",
        triggerDays: 21,
        createdAt: new Date(Date.now() - DAY),
        steps: { create: [{ version: 1, position: 0, kind: "SEND", templateId: template.id }] },
      },
    });
    const [quiet] = await createPeople(1);
    await addMembership(quiet.id, { tier: "community", startedAt: new Date(Date.now() - 40 * DAY) });

    await workPlaybooks();
    const schedules = await db.$queryRawUnsafe<Array<{ name: string; cron: string }>>(`SELECT name, cron FROM pgboss.schedule WHERE name = 'playbooks'`);
    expect(schedules).toEqual([{ name: QUEUES.playbooks, cron: PLAYBOOKS_CRON }]);
    expect(PLAYBOOKS_CRON).toBe("* * * * *");

    await (await queue()).send(QUEUES.playbooks, {});
    let run = null;
    for (let i = 0; i < 60 && !run?.exitedAt; i++) {
      await new Promise((resolve) => setTimeout(resolve, 500));
      run = await db.playbookRun.findFirst({ where: { playbookId: playbook.id, userId: quiet.id } });
    }
    expect(run).toMatchObject({ exitReason: "COMPLETED" });
    expect(await db.email.count({ where: { userId: quiet.id, subject: `We miss you, ${quiet.name}` } })).toBe(1);
  }, 60_000);
});
