/**
 * The owner's playbook and template pages, called as a browser would: owners create and edit,
 * curators read and get 403 on changes, bad steps and a template for another reason are refused
 * at the field, a template in use cannot be archived (the playbook is named), changed steps are
 * a new version, and an every-member audience asks for confirmation first.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { db } from "~/db.server";
import { action as playbookAction, loader as playbookLoader } from "~/routes/admin.playbooks.$playbookId";
import { loader as listLoader } from "~/routes/admin.playbooks._index";
import { action as newPlaybookAction, loader as newPlaybookLoader } from "~/routes/admin.playbooks.new";
import { action as templateAction, loader as templateLoader } from "~/routes/admin.playbooks.templates.$templateId";
import { loader as templatesLoader } from "~/routes/admin.playbooks.templates._index";
import { action as newTemplateAction } from "~/routes/admin.playbooks.templates.new";
import { addActivity, addMembership, createUser, ensureClubSettings, sessionCookie } from "../factories";
import { appRequest, routeArgs, settle } from "../support/requests";

const DAY = 86_400_000;
let owner = "";
let ownerId = "";
let curator = "";
let member = "";

type ActionData = { result: { status?: string; error?: Record<string, string[] | null> | null; initialValue?: Record<string, unknown> } | null; confirm?: number | null; inUse?: string[] | null; saved?: unknown; notice?: string | null };

/** What an action returned with data(): its body and status. */
function unwrap(value: unknown): { body: ActionData; status: number } {
  if (value instanceof Response) return { body: {} as ActionData, status: value.status };
  const { data, init } = value as { data: ActionData; init: { status?: number } | null };
  return { body: data, status: init?.status ?? 200 };
}

const post = (path: string, form: Record<string, string | string[]>, cookie: string) => appRequest(path, { form, cookie });

const templateForm = (overrides: Record<string, string> = {}) => ({
  name: "Miss you",
  reason: "INACTIVE",
  subjectEn: "We miss you, {name}",
  bodyEn: "The {club} forum has new threads.",
  subjectRu: "Мы скучаем, {name}",
  bodyRu: "На форуме {club} новые темы.",
  ...overrides,
});

async function newTemplate(overrides: Record<string, string> = {}): Promise<string> {
  const response = (await settle(newTemplateAction(routeArgs(post("/admin/playbooks/templates/new", templateForm(overrides), owner))))) as Response;
  expect(response.status).toBe(302);
  return response.headers.get("Location")!.split("/").pop()!.split("?")[0];
}

function playbookForm(steps: Array<Record<string, string>>, overrides: Record<string, string> = {}) {
  const form: Record<string, string> = { intent: "save", name: "Detractor follow-up", trigger: "BECAME_DETRACTOR", holdOutPercent: "10", exitOnSurvey: "on", ...overrides };
  steps.forEach((step, i) => {
    for (const [key, value] of Object.entries(step)) form[`steps[${i}].${key}`] = value;
  });
  return form;
}

async function createPlaybook(form: Record<string, string>): Promise<string> {
  const response = (await settle(newPlaybookAction(routeArgs(post("/admin/playbooks/new", form, owner))))) as Response;
  expect(response.status).toBe(302);
  return response.headers.get("Location")!.split("/").pop()!.split("?")[0];
}

beforeAll(async () => {
  await ensureClubSettings();
  const o = await createUser({ role: "OWNER", tier: null });
  const c = await createUser({ role: "CURATOR", tier: null });
  const m = await createUser({ tier: "community" });
  ownerId = o.id;
  [owner, curator, member] = await Promise.all([sessionCookie(o.id), sessionCookie(c.id), sessionCookie(m.id)]);
});

describe("templates", () => {
  it("an owner creates one; an unknown placeholder is refused at its field", async () => {
    const id = await newTemplate();
    const stored = await db.followUpTemplate.findUniqueOrThrow({ where: { id } });
    expect(stored).toMatchObject({ name: "Miss you", reason: "INACTIVE", subjectRu: "Мы скучаем, {name}", createdById: ownerId });
    expect(await db.auditEntry.count({ where: { action: "template.save", subjectId: id } })).toBe(1);

    const bad = unwrap(await newTemplateAction(routeArgs(post("/admin/playbooks/templates/new", templateForm({ bodyEn: "Hello {nmae}", subjectRu: "  " }), owner))));
    expect(bad.status).toBe(400);
    expect(bad.body.result!.error!.bodyEn).toEqual(['playbooks.template.unknownPlaceholder|{"placeholder":"{nmae}"}']);
    expect(bad.body.result!.error!.subjectRu).toEqual(["form.required"]);
  });

  it("curators read templates but cannot change them", async () => {
    const id = await newTemplate({ name: "Curator sees" });
    const page = (await templateLoader(routeArgs(appRequest(`/admin/playbooks/templates/${id}`, { cookie: curator }), { templateId: id }))) as { isOwner: boolean };
    expect(page.isOwner).toBe(false);
    const refused = (await settle(templateAction(routeArgs(post(`/admin/playbooks/templates/${id}`, { intent: "archive" }, curator), { templateId: id })))) as Response;
    expect(refused.status).toBe(403);
    expect(((await settle(newTemplateAction(routeArgs(post("/admin/playbooks/templates/new", templateForm(), curator))))) as Response).status).toBe(403);
    expect(((await settle(templatesLoader(routeArgs(appRequest("/admin/playbooks/templates", { cookie: member }))))) as Response).status).toBe(403);
  });
});

describe("playbooks", () => {
  it("an owner creates one with two steps; curators may read it but get 403 on changes", async () => {
    const tpl = await newTemplate({ name: "Sorry to hear", reason: "BECAME_DETRACTOR" });
    const id = await createPlaybook(playbookForm([{ kind: "WAIT", days: "2" }, { kind: "SEND", templateId: tpl }]));
    const stored = await db.playbook.findUniqueOrThrow({ where: { id }, include: { steps: { orderBy: { position: "asc" } } } });
    expect(stored).toMatchObject({ name: "Detractor follow-up", trigger: "BECAME_DETRACTOR", triggerDays: null, holdOutPercent: 10, exitOnReturn: false, exitOnSurvey: true, version: 1 });
    expect(stored.steps.map((s) => [s.version, s.position, s.kind, s.days, s.templateId])).toEqual([
      [1, 0, "WAIT", 2, null],
      [1, 1, "SEND", null, tpl],
    ]);
    expect(await db.auditEntry.count({ where: { action: "playbook.save", subjectId: id } })).toBe(1);

    const list = (await listLoader(routeArgs(appRequest("/admin/playbooks", { cookie: curator })))) as { playbooks: Array<{ id: string }> };
    expect(list.playbooks.map((p) => p.id)).toContain(id);
    const page = (await playbookLoader(routeArgs(appRequest(`/admin/playbooks/${id}`, { cookie: curator }), { playbookId: id }))) as { isOwner: boolean };
    expect(page.isOwner).toBe(false);
    expect(((await settle(newPlaybookLoader(routeArgs(appRequest("/admin/playbooks/new", { cookie: curator }))))) as Response).status).toBe(403);
    const form = playbookForm([{ kind: "TASK", note: "Call them" }]);
    expect(((await settle(newPlaybookAction(routeArgs(post("/admin/playbooks/new", form, curator))))) as Response).status).toBe(403);
    expect(((await settle(playbookAction(routeArgs(post(`/admin/playbooks/${id}`, form, curator), { playbookId: id })))) as Response).status).toBe(403);
    expect(((await settle(playbookAction(routeArgs(post(`/admin/playbooks/${id}`, { intent: "pause" }, curator), { playbookId: id })))) as Response).status).toBe(403);
    expect(await db.playbook.count({ where: { name: "Detractor follow-up" } })).toBe(1);
  });

  it("refuses bad steps at their fields, and saves nothing", async () => {
    const before = await db.playbook.count();
    const cases: Array<[Array<Record<string, string>>, Record<string, string>, string, string[]]> = [
      [[{ kind: "WAIT", days: "0" }, { kind: "TASK", note: "Call" }], {}, "steps[0].days", ['playbooks.form.between|{"min":1,"max":90}']],
      [[{ kind: "WAIT", days: "91" }, { kind: "TASK", note: "Call" }], {}, "steps[0].days", ['playbooks.form.between|{"min":1,"max":90}']],
      [[{ kind: "WAIT", days: "3" }], {}, "steps", ["playbooks.step.needsAction"]],
      [[{ kind: "SEND" }], {}, "steps[0].templateId", ["playbooks.step.templateRequired"]],
      [[{ kind: "TASK", note: " " }], {}, "steps[0].note", ["form.required"]],
      [Array.from({ length: 11 }, () => ({ kind: "TASK", note: "Call" })), {}, "steps", ['playbooks.step.tooMany|{"max":10}']],
      [[{ kind: "TASK", note: "Call" }], { trigger: "INACTIVE" }, "triggerDays", ["form.required"]],
      [[{ kind: "TASK", note: "Call" }], { trigger: "JOINED", triggerDays: "366" }, "triggerDays", ['playbooks.form.between|{"min":1,"max":365}']],
      [[{ kind: "TASK", note: "Call" }], { triggerDays: "5" }, "triggerDays", ["playbooks.form.noDaysForTrigger"]],
      [[{ kind: "TASK", note: "Call" }], { holdOutPercent: "51" }, "holdOutPercent", ['playbooks.form.between|{"min":0,"max":50}']],
      [[{ kind: "TASK", note: "Call" }], { segmentId: "no-such-segment" }, "segmentId", ["playbooks.form.segmentUnknown"]],
    ];
    for (const [steps, overrides, field, errors] of cases) {
      const reply = unwrap(await newPlaybookAction(routeArgs(post("/admin/playbooks/new", playbookForm(steps, overrides), owner))));
      expect(reply.status, field).toBe(400);
      expect(reply.body.result!.error![field], JSON.stringify(reply.body.result!.error)).toEqual(errors);
    }
    expect(await db.playbook.count()).toBe(before);
  });

  it("refuses a template written for another reason at the step's field", async () => {
    const missYou = await newTemplate({ name: "We miss you" });
    const reply = unwrap(await newPlaybookAction(routeArgs(post("/admin/playbooks/new", playbookForm([{ kind: "WAIT", days: "1" }, { kind: "SEND", templateId: missYou }], { name: "Wrong reason" }), owner))));
    expect(reply.status).toBe(400);
    expect(reply.body.result!.error!["steps[1].templateId"]).toEqual(["playbooks.step.wrongReason"]);
    expect(await db.playbook.count({ where: { name: "Wrong reason" } })).toBe(0);
  });

  it("adds and removes a step through Conform's list intents, without saving", async () => {
    const form = {
      ...playbookForm([{ kind: "TASK", note: "Call" }], { name: "Intents" }),
      __intent__: JSON.stringify({ type: "insert", payload: { name: "steps", defaultValue: { kind: "WAIT", days: "3" } } }),
    };
    const added = unwrap(await newPlaybookAction(routeArgs(post("/admin/playbooks/new", form, owner))));
    expect(added.status).toBe(200);
    expect(added.body.result!.initialValue!.steps).toEqual([{ kind: "TASK", note: "Call" }, { kind: "WAIT", days: "3" }]);
    const removed = unwrap(
      await newPlaybookAction(routeArgs(post("/admin/playbooks/new", { ...form, __intent__: JSON.stringify({ type: "remove", payload: { name: "steps", index: 0 } }) }, owner))),
    );
    expect(removed.body.result!.initialValue!.steps ?? []).toEqual([]);
    expect(await db.playbook.count({ where: { name: "Intents" } })).toBe(0);
  });

  it("writes changed steps as a new version; runs keep theirs; unchanged steps keep the version", async () => {
    const id = await createPlaybook(playbookForm([{ kind: "TASK", note: "Call them" }], { name: "Versions" }));
    const run = await db.playbookRun.create({ data: { playbookId: id, version: 1, occurrence: "nps:versions" } });
    const save = (steps: Array<Record<string, string>>, overrides: Record<string, string> = {}) =>
      playbookAction(routeArgs(post(`/admin/playbooks/${id}`, playbookForm(steps, { name: "Versions", ...overrides }), owner), { playbookId: id })).then(unwrap);

    const changed = await save([{ kind: "WAIT", days: "5" }, { kind: "TASK", note: "Call them" }]);
    expect(changed.body.saved).toEqual({ id, version: 2, newVersion: true });
    expect((await db.playbook.findUniqueOrThrow({ where: { id } })).version).toBe(2);
    const steps = await db.playbookStep.findMany({ where: { playbookId: id }, orderBy: [{ version: "asc" }, { position: "asc" }] });
    expect(steps.map((s) => [s.version, s.position, s.kind])).toEqual([
      [1, 0, "TASK"],
      [2, 0, "WAIT"],
      [2, 1, "TASK"],
    ]);
    expect((await db.playbookRun.findUniqueOrThrow({ where: { id: run.id } })).version).toBe(1);

    const renamed = await save([{ kind: "WAIT", days: "5" }, { kind: "TASK", note: "Call them" }], { holdOutPercent: "20" });
    expect(renamed.body.saved).toEqual({ id, version: 2, newVersion: false });
    expect((await db.playbook.findUniqueOrThrow({ where: { id } })).holdOutPercent).toBe(20);
    expect(await db.auditEntry.count({ where: { action: "playbook.save", subjectId: id } })).toBe(3);
  });

  it("pauses and resumes (owners), and staff close one open run", async () => {
    const id = await createPlaybook(playbookForm([{ kind: "TASK", note: "Call" }], { name: "Pausing" }));
    const act = (form: Record<string, string>, cookie = owner) => playbookAction(routeArgs(post(`/admin/playbooks/${id}`, form, cookie), { playbookId: id })).then(unwrap);
    expect((await act({ intent: "pause" })).body.notice).toBe("playbooks.paused");
    expect((await db.playbook.findUniqueOrThrow({ where: { id } })).pausedAt).not.toBeNull();
    expect((await act({ intent: "resume" })).body.notice).toBe("playbooks.resumed");
    expect((await db.playbook.findUniqueOrThrow({ where: { id } })).pausedAt).toBeNull();
    expect(await db.auditEntry.count({ where: { action: { in: ["playbook.pause", "playbook.resume"] }, subjectId: id } })).toBe(2);

    const run = await db.playbookRun.create({ data: { playbookId: id, version: 1, occurrence: "nps:close", nextAt: new Date() } });
    expect((await act({ intent: "close", runId: run.id }, curator)).body.notice).toBe("playbooks.runs.closed");
    expect(await db.playbookRun.findUniqueOrThrow({ where: { id: run.id } })).toMatchObject({ exitReason: "CLOSED_BY_STAFF", nextAt: null });
    expect((await act({ intent: "close", runId: run.id }, curator)).body.notice).toBe("playbooks.runs.alreadyClosed");
    expect(await db.auditEntry.count({ where: { action: "playbook.run-close", subjectId: run.id } })).toBe(1);
  });

  it("refuses to archive a template a current version sends, naming the playbook; an older version does not hold it", async () => {
    const tpl = await newTemplate({ name: "Held", reason: "BECAME_DETRACTOR" });
    const id = await createPlaybook(playbookForm([{ kind: "SEND", templateId: tpl }], { name: "Sends Held" }));
    const archive = () => templateAction(routeArgs(post(`/admin/playbooks/templates/${tpl}`, { intent: "archive" }, owner), { templateId: tpl }));
    const refused = unwrap(await archive());
    expect(refused.status).toBe(409);
    expect(refused.body.inUse).toEqual(["Sends Held"]);
    expect((await db.followUpTemplate.findUniqueOrThrow({ where: { id: tpl } })).archivedAt).toBeNull();

    // The reason cannot change under the playbook either.
    const reasonChange = unwrap(await templateAction(routeArgs(post(`/admin/playbooks/templates/${tpl}`, { intent: "save", ...templateForm({ name: "Held", reason: "INACTIVE" }) }, owner), { templateId: tpl })));
    expect(reasonChange.status).toBe(400);
    expect(reasonChange.body.result!.error!.reason).toEqual(['playbooks.template.reasonInUse|{"playbooks":"Sends Held"}']);

    await playbookAction(routeArgs(post(`/admin/playbooks/${id}`, playbookForm([{ kind: "TASK", note: "Call" }], { name: "Sends Held" }), owner), { playbookId: id }));
    const archived = (await settle(archive())) as Response;
    expect(archived.status).toBe(302);
    expect((await db.followUpTemplate.findUniqueOrThrow({ where: { id: tpl } })).archivedAt).not.toBeNull();
    const list = (await templatesLoader(routeArgs(appRequest("/admin/playbooks/templates", { cookie: owner })))) as { templates: Array<{ id: string }> };
    expect(list.templates.map((t) => t.id)).not.toContain(tpl);
    expect(((await settle(templateLoader(routeArgs(appRequest(`/admin/playbooks/templates/${tpl}`, { cookie: owner }), { templateId: tpl })))) as Response).status).toBe(404);
    // An archived template cannot be picked any more.
    const reply = unwrap(await newPlaybookAction(routeArgs(post("/admin/playbooks/new", playbookForm([{ kind: "SEND", templateId: tpl }], { name: "Archived pick" }), owner))));
    expect(reply.body.result!.error!["steps[0].templateId"]).toEqual(["playbooks.step.templateUnknown"]);
  });

  it("asks to confirm an every-member audience, with the number who would enter now", async () => {
    for (let i = 0; i < 3; i++) {
      const quiet = await createUser({ tier: null });
      await addMembership(quiet.id, { tier: "community", startedAt: new Date(Date.now() - 200 * DAY) });
      await addActivity(quiet.id, "POST", new Date(Date.now() - 60 * DAY));
    }
    const active = await createUser({ tier: null });
    await addMembership(active.id, { tier: "community", startedAt: new Date(Date.now() - 200 * DAY) });
    await addActivity(active.id, "POST", new Date(Date.now() - DAY));
    const form = playbookForm([{ kind: "TASK", note: "Call" }], { name: "Everyone quiet", trigger: "INACTIVE", triggerDays: "30" });

    const asked = unwrap(await newPlaybookAction(routeArgs(post("/admin/playbooks/new", form, owner))));
    expect(asked.status).toBe(200);
    expect(asked.body.confirm).toBeGreaterThanOrEqual(3);
    expect(await db.playbook.count({ where: { name: "Everyone quiet" } })).toBe(0);

    const id = await createPlaybook({ ...form, confirm: "yes" });
    expect(await db.playbook.findUniqueOrThrow({ where: { id } })).toMatchObject({ trigger: "INACTIVE", triggerDays: 30, segmentId: null });

    // A segment narrows the audience: no question.
    const segment = await db.segment.create({ data: { name: "Quiet ones", filter: {} } });
    const narrowed = await createPlaybook({ ...form, name: "Quiet in a segment", segmentId: segment.id });
    expect((await db.playbook.findUniqueOrThrow({ where: { id: narrowed } })).segmentId).toBe(segment.id);
  });
});
