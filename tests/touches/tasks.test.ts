import { beforeEach, describe, expect, it } from "vitest";
import { db } from "~/db.server";
import { action as atRiskAction, loader as atRiskLoader } from "~/routes/admin.metrics_.at-risk";
import { completeTask, openTasks } from "~/touches/tasks.server";
import { addActivity, addMembership, addNpsAnswer, createPeople, createUser, ensureClubSettings, sessionCookie } from "../factories";
import { appRequest, routeArgs, settle } from "../support/requests";

type Page = {
  tasks: { total: number; tasks: Array<{ id: string; note: string; member: { id: string }; playbook: { name: string } | null }> };
  taskDone: string | null;
  segment: string | null;
  segmentError: string | null;
  list: { total: number; members: Array<{ id: string; comment: { comment: string; score: number; responseId: string } | null }> };
};

let curator: Awaited<ReturnType<typeof createUser>>;
let curatorCookie: string;

beforeEach(async () => {
  await ensureClubSettings();
  curator = await createUser({ role: "CURATOR", tier: null });
  curatorCookie = await sessionCookie(curator.id);
});

async function page(search = "") {
  return (await atRiskLoader(routeArgs(appRequest(`/admin/metrics/at-risk${search}`, { cookie: curatorCookie })))) as unknown as Page;
}

describe("curators' tasks in the at-risk list", () => {
  it("lists open tasks newest first with the member and the playbook, and completes one once under two concurrent calls", async () => {
    const member = await createUser({ tier: "community" });
    const playbook = await db.playbook.create({ data: { name: "Detractor follow-up", trigger: "BECAME_DETRACTOR" } });
    const run = await db.playbookRun.create({ data: { playbookId: playbook.id, version: 1, userId: member.id, occurrence: `nps:${member.id}` } });
    const older = await db.curatorTask.create({ data: { memberId: member.id, note: "Send the welcome pack", createdAt: new Date(Date.now() - 86_400_000) } });
    const task = await db.curatorTask.create({ data: { memberId: member.id, runId: run.id, note: "Call them about the dinners" } });
    const before = await page();
    const mine = before.tasks.tasks.filter((t) => t.member.id === member.id);
    expect(mine.map((t) => t.id)).toEqual([task.id, older.id]);
    expect(mine[0].playbook?.name).toBe("Detractor follow-up");
    expect(mine[1].playbook).toBeNull();

    const other = await createUser({ role: "CURATOR", tier: null });
    const [a, b] = await Promise.all([completeTask(curator.id, task.id), completeTask(other.id, task.id)]);
    expect([a.ok, b.ok].sort()).toEqual([false, true]);
    const refused = a.ok ? b : a;
    expect(refused).toMatchObject({ ok: false, status: 409, message: "touches.tasks.alreadyDone" });
    const stored = await db.curatorTask.findUniqueOrThrow({ where: { id: task.id } });
    expect(stored.doneAt).not.toBeNull();
    expect([curator.id, other.id]).toContain(stored.doneById);
    const audits = await db.auditEntry.findMany({ where: { action: "task.done", subjectId: task.id } });
    expect(audits).toHaveLength(1);
    expect(audits[0].actorId).toBe(stored.doneById);
    expect((await openTasks()).tasks.map((t) => t.id)).not.toContain(task.id);
  });

  it("the Done button works without JavaScript: a redirect, then the list says so; a second click is told", async () => {
    const member = await createUser({ tier: "community" });
    const task = await db.curatorTask.create({ data: { memberId: member.id, note: "Ask about the event" } });
    const done = await settle(atRiskAction(routeArgs(appRequest("/admin/metrics/at-risk", { cookie: curatorCookie, form: { intent: "task-done", taskId: task.id } }))));
    expect(done).toBeInstanceOf(Response);
    expect((done as Response).status).toBe(302);
    expect((done as Response).headers.get("Location")).toBe(`/admin/metrics/at-risk?page=1&done=task&task=${task.id}#curator-tasks`);
    const after = await page(`?page=1&done=task&task=${task.id}`);
    expect(after.taskDone).toBe(task.id);
    expect(after.tasks.tasks.map((t) => t.id)).not.toContain(task.id);
    const again = (await settle(atRiskAction(routeArgs(appRequest("/admin/metrics/at-risk", { cookie: curatorCookie, form: { intent: "task-done", taskId: task.id } }))))) as {
      data: { result: { error: Record<string, string[]> } };
      init: { status: number };
    };
    expect(again.init.status).toBe(409);
    expect(again.data.result.error[""]).toEqual(["touches.tasks.alreadyDone"]);
    const plain = await createUser({ tier: "community" });
    const forbidden = await settle(atRiskAction(routeArgs(appRequest("/admin/metrics/at-risk", { cookie: await sessionCookie(plain.id), form: { intent: "task-done", taskId: task.id } }))));
    expect((forbidden as Response).status).toBe(403);
  });

  it("shows a detractor's latest comment, and narrows the list to a segment", async () => {
    const [en, ru] = await createPeople(2);
    await db.user.update({ where: { id: ru.id }, data: { locale: "ru" } });
    for (const person of [en, ru]) {
      await addMembership(person.id, { tier: "community", startedAt: new Date(Date.now() - 200 * 86_400_000) });
      await addActivity(person.id, "SIGN_IN", new Date(Date.now() - 86_400_000));
    }
    await addNpsAnswer(en.id, { score: 2, createdAt: new Date(Date.now() - 10 * 86_400_000), comment: "Too few events" });
    await addNpsAnswer(en.id, { score: 3, createdAt: new Date(Date.now() - 5 * 86_400_000) });
    await addNpsAnswer(ru.id, { score: 1, createdAt: new Date(Date.now() - 3 * 86_400_000), comment: "Дорого" });
    const all = await page();
    const byId = new Map(all.list.members.map((m) => [m.id, m]));
    expect(byId.get(en.id)?.comment).toMatchObject({ comment: "Too few events", score: 2 });
    expect(byId.get(ru.id)?.comment).toMatchObject({ comment: "Дорого", score: 1 });
    const segment = await db.segment.create({ data: { name: `Russian ${ru.id}`, filter: { locale: "ru" } } });
    const narrowed = await page(`?segment=${segment.id}`);
    expect(narrowed.segment).toBe(segment.id);
    expect(narrowed.list.members.map((m) => m.id)).toContain(ru.id);
    expect(narrowed.list.members.map((m) => m.id)).not.toContain(en.id);
    expect(narrowed.list.total).toBe(narrowed.list.members.length);
    const unknown = await page(`?segment=nope`);
    expect(unknown.segmentError).toBe("touches.atRisk.segment.unknown");
    expect(unknown.segment).toBeNull();
    expect(unknown.list.members.map((m) => m.id)).toContain(en.id);
    // The CSV export follows the segment.
    const { loader: csvLoader } = await import("~/routes/admin.metrics[.]csv");
    const csv = (await csvLoader(routeArgs(appRequest(`/admin/metrics.csv?table=at-risk&segment=${segment.id}`, { cookie: curatorCookie })))) as Response;
    const text = await csv.text();
    expect(text).toContain(ru.email);
    expect(text).not.toContain(en.email);
  });
});
