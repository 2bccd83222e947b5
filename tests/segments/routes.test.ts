import { beforeAll, describe, expect, it } from "vitest";
import { db } from "~/db.server";
import { loader as listLoader } from "~/routes/admin.segments._index";
import { action as editAction, loader as editLoader } from "~/routes/admin.segments.$segmentId";
import { loader as csvLoader } from "~/routes/admin.segments.$segmentId[.]csv";
import { action as newAction, loader as newLoader } from "~/routes/admin.segments.new";
import { addActivity, addMembership, addNpsAnswer, createUser, ensureClubSettings, ensureTiers, sessionCookie } from "../factories";
import { appRequest, routeArgs, settle } from "../support/requests";

const DAY = 86_400_000;
const daysAgo = (n: number) => new Date(Date.now() - n * DAY);

let owner = "";
let ownerId = "";
let russianOwner = "";
let curator = "";
let tierIds: Record<string, string> = {};

type Reply = { data: { result: { error?: Record<string, string[] | null> } | null; preview: { count: number; sample: Array<{ id: string }> } | null; inUse: string[] | null }; init: { status: number } };

async function member(name: string, options: { tier: "community" | "professional"; locale?: "en" | "ru"; joinedDaysAgo: number; score?: number }) {
  const user = await createUser({ tier: null, name, locale: options.locale });
  await addMembership(user.id, { tier: options.tier, startedAt: daysAgo(options.joinedDaysAgo) });
  await addActivity(user.id, "POST", daysAgo(3));
  if (options.score !== undefined) await addNpsAnswer(user.id, { score: options.score, createdAt: daysAgo(10) });
  return user;
}

let anna: { id: string };
let boris: { id: string };

beforeAll(async () => {
  await ensureClubSettings();
  const tiers = await ensureTiers();
  tierIds = { community: tiers.community.id, professional: tiers.professional.id };
  const o = await createUser({ role: "OWNER", tier: null });
  const r = await createUser({ role: "OWNER", tier: null, locale: "ru" });
  const c = await createUser({ role: "CURATOR", tier: null });
  ownerId = o.id;
  anna = await member("Anna Arkhipova", { tier: "professional", locale: "ru", joinedDaysAgo: 400, score: 3 });
  boris = await member("Boris; Belov", { tier: "professional", locale: "en", joinedDaysAgo: 100, score: 10 });
  await member("Carl Community", { tier: "community", joinedDaysAgo: 50 });
  [owner, russianOwner, curator] = await Promise.all([sessionCookie(o.id), sessionCookie(r.id), sessionCookie(c.id)]);
});

const post = (path: string, cookie: string, form: Record<string, string | string[]>) => routeArgs(appRequest(path, { cookie, form }));
const postEdit = (id: string, cookie: string, form: Record<string, string | string[]>) => routeArgs(appRequest(`/admin/segments/${id}`, { cookie, form }), { segmentId: id });
const get = (path: string, cookie: string, params: Record<string, string> = {}) => routeArgs(appRequest(path, { cookie }), params);

async function saveNew(name: string, form: Record<string, string | string[]> = {}) {
  const response = (await settle(newAction(post("/admin/segments/new", owner, { intent: "save", name, ...form })))) as Response;
  expect(response.status).toBe(302);
  const id = response.headers.get("Location")!.match(/^\/admin\/segments\/([^?]+)\?saved=1$/)![1];
  return id;
}

describe("saving a segment", () => {
  it("saves the owner's filter, audits it, and shows its count and sample", async () => {
    const id = await saveNew("Professional detractors", { tierIds: [tierIds.professional], npsGroups: ["DETRACTOR"], tenureMin: "6" });
    const row = await db.segment.findUniqueOrThrow({ where: { id } });
    expect(row.filter).toEqual({ tierIds: [tierIds.professional], npsGroups: ["DETRACTOR"], tenureMonths: { min: 6 } });
    expect(row.createdById).toBe(ownerId);
    const audit = await db.auditEntry.findFirstOrThrow({ where: { action: "segment.save", subjectId: id } });
    expect(audit).toMatchObject({ actorId: ownerId, subjectType: "Segment", after: { filter: row.filter } });
    expect(JSON.stringify([audit.before, audit.after])).not.toContain("Professional detractors");

    const page = (await editLoader(get(`/admin/segments/${id}`, owner, { segmentId: id }))) as { count: number; sample: Array<{ id: string }>; words: string };
    expect(page.count).toBe(1);
    expect(page.sample.map((m) => m.id)).toEqual([anna.id]);
    expect(page.words).toBe("hold Professional; joined at least 6 months ago; latest survey answer: Detractor (0–6)");

    const list = (await listLoader(get("/admin/segments", curator))) as { canEdit: boolean; segments: Array<{ id: string; count: number }> };
    expect(list.canEdit).toBe(false);
    expect(list.segments.find((s) => s.id === id)?.count).toBe(1);
  });

  it("previews without saving, and works with flat fields only", async () => {
    const before = await db.segment.count();
    const reply = (await newAction(post("/admin/segments/new", owner, { intent: "preview", tierIds: tierIds.professional }))) as unknown as Reply["data"];
    expect(reply.preview!.count).toBe(2);
    expect(reply.preview!.sample.map((m) => m.id).sort()).toEqual([anna.id, boris.id].sort());
    expect(await db.segment.count()).toBe(before);
  });

  it("keeps curators out of every write, and out of the new page", async () => {
    const id = await saveNew("Curators may read");
    expect(((await settle(newAction(post("/admin/segments/new", curator, { intent: "save", name: "Nope" })))) as Response).status).toBe(403);
    expect(((await settle(editAction(postEdit(id, curator, { intent: "delete" })))) as Response).status).toBe(403);
    expect(((await settle(newLoader(get("/admin/segments/new", curator)))) as Response).status).toBe(403);
    const page = (await editLoader(get(`/admin/segments/${id}`, curator, { segmentId: id }))) as { canEdit: boolean };
    expect(page.canEdit).toBe(false);
    expect(await db.segment.count({ where: { name: "Nope" } })).toBe(0);
  });

  it("refuses malformed input at the field, with a 400 and nothing saved", async () => {
    const before = await db.segment.count();
    const cases: Array<[Record<string, string | string[]>, string, string]> = [
      [{ name: "", intent: "save" }, "name", "form.required"],
      [{ name: "\u200b", intent: "save" }, "name", "form.required"],
      [{ tenureMin: "-1" }, "tenureMin", "segments.form.negative"],
      [{ tenureMin: "1.5" }, "tenureMin", "segments.form.notWholeNumber"],
      [{ inactiveMax: "ten" }, "inactiveMax", "segments.form.notWholeNumber"],
      [{ inactiveMin: "99999999" }, "inactiveMin", 'segments.form.tooLarge|{"max":36500}'],
      [{ tenureMin: "5", tenureMax: "2" }, "tenureMax", "segments.form.minAboveMax"],
      [{ tierIds: ["no-such-tier"] }, "tierIds", "segments.form.unknownTier"],
      [{ vouchedBy: ownerId }, "vouchedBy", "segments.form.unknownMember"],
      [{ npsGroups: ["HAPPY"] }, "npsGroups[0]", "segments.form.unknownGroup"],
      [{ locale: "de" }, "locale", "segments.form.unknownLocale"],
    ];
    for (const [form, field, message] of cases) {
      const reply = (await newAction(post("/admin/segments/new", owner, { intent: "save", name: "Malformed", ...form }))) as unknown as Reply;
      expect(reply.init.status, JSON.stringify(form)).toBe(400);
      expect(reply.data.result!.error![field], JSON.stringify(form)).toEqual([message]);
    }
    expect(await db.segment.count()).toBe(before);
  });

  it("refuses a second segment with the same name at the name field", async () => {
    await saveNew("Unique name");
    const reply = (await newAction(post("/admin/segments/new", owner, { intent: "save", name: "Unique name" }))) as unknown as Reply;
    expect(reply.init.status).toBe(400);
    expect(reply.data.result!.error!.name).toEqual(["segments.form.nameTaken"]);
  });

  it("answers a form no page sends with 400", async () => {
    expect(((await settle(newAction(post("/admin/segments/new", owner, { intent: "launch" })))) as Response).status).toBe(400);
  });
});

describe("deleting a segment", () => {
  it("is refused while a playbook uses it, naming the playbook", async () => {
    const id = await saveNew("Used by a playbook");
    await db.playbook.create({ data: { name: "Win back detractors", trigger: "BECAME_DETRACTOR", segmentId: id } });
    const reply = (await editAction(postEdit(id, owner, { intent: "delete" }))) as unknown as Reply;
    expect(reply.init.status).toBe(409);
    expect(reply.data.inUse).toEqual(["Win back detractors"]);
    expect(await db.segment.count({ where: { id } })).toBe(1);
    expect(await db.auditEntry.count({ where: { action: "segment.delete", subjectId: id } })).toBe(0);
  });

  it("deletes an unused one and audits it", async () => {
    const id = await saveNew("Soon gone");
    const response = (await settle(editAction(postEdit(id, owner, { intent: "delete" })))) as Response;
    expect(response.status).toBe(302);
    expect(response.headers.get("Location")).toBe("/admin/segments?deleted=1");
    expect(await db.segment.count({ where: { id } })).toBe(0);
    expect(await db.auditEntry.count({ where: { action: "segment.delete", subjectId: id, actorId: ownerId } })).toBe(1);
  });
});

describe("the CSV export", () => {
  it("is in Russian for a Russian reader: BOM, semicolons, Russian headers, dates as days", async () => {
    const id = await saveNew("Professional", { tierIds: [tierIds.professional] });
    const response = (await csvLoader(get(`/admin/segments/${id}.csv`, russianOwner, { segmentId: id }))) as Response;
    expect(response.status).toBe(200);
    expect(response.headers.get("Content-Type")).toBe("text/csv; charset=utf-8");
    const bytes = new Uint8Array(await response.clone().arrayBuffer());
    expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const text = (await response.text()).replace(/^\uFEFF/, "");
    const [header, ...rows] = text.trimEnd().split("\r\n");
    expect(header).toBe("Участник;Email;Уровень;Язык;Первое вступление;Последняя активность;Дней без активности;Последняя оценка NPS;Группа NPS;Telegram привязан");
    expect(rows).toHaveLength(2);
    const annaRow = rows.find((r) => r.startsWith("Anna Arkhipova;"))!;
    expect(annaRow).toMatch(/^Anna Arkhipova;[^;]+@example\.com;Professional;русский;\d{4}-\d{2}-\d{2};\d{4}-\d{2}-\d{2};3;3;Критик \(0–6\);Нет$/);
    // A name holding the separator is quoted.
    expect(rows.some((r) => r.startsWith('"Boris; Belov";'))).toBe(true);
  });

  it("is for staff only, and 404 for a segment that does not exist", async () => {
    const id = await saveNew("Everyone");
    expect(((await csvLoader(get(`/admin/segments/${id}.csv`, curator, { segmentId: id }))) as Response).status).toBe(200);
    const member = await createUser();
    const cookie = await sessionCookie(member.id);
    expect(((await settle(csvLoader(get(`/admin/segments/${id}.csv`, cookie, { segmentId: id })))) as Response).status).toBe(403);
    expect(((await settle(csvLoader(get("/admin/segments/nope.csv", owner, { segmentId: "nope" })))) as Response).status).toBe(404);
  });
});
