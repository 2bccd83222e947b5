/**
 * /admin/audit and /admin/audit.csv: owners only, filters by person, kind and day (in the club's
 * time zone), keyset pages, refusals of bad filters as field messages, and no way to change or
 * delete a row, neither through a route nor in the database.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { recordAudit } from "~/audit/audit.server";
import { AUDIT_PAGE_SIZE } from "~/audit/filters";
import { db } from "~/db.server";
import { action as pageAction, loader as page } from "~/routes/admin.audit";
import { action as csvAction, loader as csv } from "~/routes/admin.audit[.]csv";
import { createUser, ensureClubSettings, sessionCookie } from "../factories";
import { appRequest, routeArgs, settle } from "../support/requests";

type PageData = {
  rows: Array<{ id: string; action: string; actorId: string | null; actorName: string | null; at: string }>;
  older: string | null;
  result: { error?: Record<string, string[]> } | null;
  actors: Array<{ id: string; name: string | null }>;
};

let owner: Awaited<ReturnType<typeof createUser>>;
let curator: Awaited<ReturnType<typeof createUser>>;
let ownerCookie: string;
let curatorCookie: string;
let memberCookie: string;
let erasedId: string;

async function read(path: string, cookie = ownerCookie) {
  const result = await settle(page(routeArgs(appRequest(path, { cookie }))));
  const status = result instanceof Response ? result.status : ((result as { init?: { status?: number } }).init?.status ?? 200);
  const body = (result instanceof Response ? null : ((result as { data?: unknown }).data ?? result)) as PageData | null;
  return { status, body };
}

beforeAll(async () => {
  await ensureClubSettings();
  // Moscow: a row at 22:30 UTC on 1 March is on 2 March in the club's days.
  await db.clubSettings.update({ where: { id: 1 }, data: { timeZone: "Europe/Moscow" } });
  owner = await createUser({ role: "OWNER", tier: null, name: "Alexandra Owner" });
  curator = await createUser({ role: "CURATOR", tier: "professional", name: "Marina Curator" });
  const member = await createUser({ tier: "community" });
  const erased = await createUser({ role: "CURATOR", tier: null, name: "Gone Curator" });
  erasedId = erased.id;
  await db.user.update({ where: { id: erased.id }, data: { erasedAt: new Date(), role: "MEMBER" } });
  [ownerCookie, curatorCookie, memberCookie] = await Promise.all([sessionCookie(owner.id), sessionCookie(curator.id), sessionCookie(member.id)]);
  await db.$transaction(async (tx) => {
    await recordAudit(tx, { actorId: curator.id, action: "forum.moderation", subjectType: "ForumThread", subjectId: "t1", before: { pinned: false }, after: { moderation: "pin", pinned: true } });
    await recordAudit(tx, { actorId: null, action: "refund.recorded", subjectType: "User", subjectId: member.id, after: { amount: 4900 } });
    await recordAudit(tx, { actorId: erased.id, action: "application.decision", subjectType: "Application", subjectId: "a1", before: { status: "NEW" }, after: { status: "APPROVED" } });
  });
  // Dated rows for the day filter: written with explicit times (inserts are allowed; only updates and deletes are refused).
  await db.auditEntry.create({ data: { actorId: owner.id, action: "tier.update", subjectType: "Tier", subjectId: "late", at: new Date("2026-03-01T22:30:00Z"), after: { change: "update" } } });
  await db.auditEntry.create({ data: { actorId: owner.id, action: "tier.update", subjectType: "Tier", subjectId: "early", at: new Date("2026-03-01T20:30:00Z"), after: { change: "update" } } });
});

describe("who may read it", () => {
  it("is 403 for curators and members, and needs a sign-in", async () => {
    expect((await read("/admin/audit", curatorCookie)).status).toBe(403);
    expect((await read("/admin/audit", memberCookie)).status).toBe(403);
    expect([302, 303]).toContain((await read("/admin/audit", "")).status);
    for (const cookie of [curatorCookie, memberCookie]) {
      const result = await settle(csv(routeArgs(appRequest("/admin/audit.csv", { cookie }))));
      expect((result as Response).status).toBe(403);
    }
  });
});

describe("the page", () => {
  it("lists rows newest first with who: a name, 'system', or a former member", async () => {
    const { status, body } = await read("/admin/audit");
    expect(status).toBe(200);
    const ids = body!.rows.map((r) => Number(r.id));
    expect(ids).toEqual([...ids].sort((a, b) => b - a));
    const byAction = Object.fromEntries(body!.rows.map((r) => [r.action, r]));
    expect(byAction["forum.moderation"]).toMatchObject({ actorId: curator.id, actorName: "Marina Curator" });
    expect(byAction["refund.recorded"]).toMatchObject({ actorId: null, actorName: null });
    expect(byAction["application.decision"]).toMatchObject({ actorId: erasedId, actorName: null, actorErased: true });
    expect(body!.actors.find((a) => a.id === erasedId)).toMatchObject({ name: null });
  });

  it("filters by person, by 'system', by kind and by days in the club's time zone", async () => {
    expect((await read(`/admin/audit?actor=${curator.id}`)).body!.rows.map((r) => r.action)).toEqual(["forum.moderation"]);
    expect((await read("/admin/audit?actor=system")).body!.rows.map((r) => r.action)).toEqual(["refund.recorded"]);
    expect((await read("/admin/audit?action=application.decision")).body!.rows).toHaveLength(1);
    const day = (from: string, to: string) => read(`/admin/audit?action=tier.update&from=${from}&to=${to}`).then((r) => r.body!.rows.map((row) => (row as { subjectId?: string }).subjectId));
    expect(await day("2026-03-02", "2026-03-02")).toEqual(["late"]); // 01:30 in Moscow
    expect(await day("2026-03-01", "2026-03-01")).toEqual(["early"]); // 23:30 in Moscow
    expect(await day("2026-03-01", "2026-03-02")).toEqual(["early", "late"]); // newest written first
  });

  it("refuses bad filters with 400 and a message at the field, never a 500", async () => {
    const cases: Array<[string, string, string]> = [
      ["from=2026-02-30", "from", "audit.filter.invalidDate"],
      ["to=yesterday", "to", "audit.filter.invalidDate"],
      ["from=2026-03-05&to=2026-03-01", "to", "audit.filter.endBeforeStart"],
      ["action=everything", "action", "audit.filter.unknownAction"],
      ["actor=nobody-at-all", "actor", "audit.filter.unknownActor"],
      ["before=-1", "before", "audit.filter.invalidCursor"],
      ["before=99999999999999999999999", "before", "audit.filter.invalidCursor"],
    ];
    for (const [query, field, message] of cases) {
      const { status, body } = await read(`/admin/audit?${query}`);
      expect(status, query).toBe(400);
      expect(body!.result!.error![field], query).toEqual([message]);
      const refused = (await settle(csv(routeArgs(appRequest(`/admin/audit.csv?${query}`, { cookie: ownerCookie }))))) as Response;
      expect(refused.status, query).toBe(400);
    }
    const nul = await read("/admin/audit?actor=%00");
    expect([200, 400]).toContain(nul.status);
  });

  it("pages by id: 'older' continues exactly below the last row, with the filters kept", async () => {
    await db.$transaction(async (tx) => {
      for (let i = 0; i < AUDIT_PAGE_SIZE + 5; i += 1) {
        await recordAudit(tx, { actorId: owner.id, action: "metrics.settings", subjectType: "MetricsSettings", subjectId: "1", after: { n: i } });
      }
    });
    const first = await read("/admin/audit?action=metrics.settings");
    expect(first.body!.rows).toHaveLength(AUDIT_PAGE_SIZE);
    expect(first.body!.older).toContain("action=metrics.settings");
    const second = await read(`/admin/audit${first.body!.older}`);
    expect(second.body!.rows).toHaveLength(5);
    expect(Number(second.body!.rows[0].id)).toBeLessThan(Number(first.body!.rows.at(-1)!.id));
    expect(second.body!.older).toBeNull();
  });
});

describe("the CSV", () => {
  it("has the filtered rows, a BOM, and Russian separators for a Russian owner", async () => {
    const response = (await csv(routeArgs(appRequest(`/admin/audit.csv?actor=${curator.id}`, { cookie: ownerCookie })))) as Response;
    expect(response.headers.get("Content-Type")).toContain("text/csv");
    const text = new TextDecoder("utf-8", { ignoreBOM: true }).decode(await response.arrayBuffer());
    expect(text.charCodeAt(0)).toBe(0xfeff);
    const lines = text.trim().split("\r\n");
    expect(lines).toHaveLength(2);
    expect(lines[1]).toContain("Marina Curator");
    expect(lines[1]).toContain("forum.moderation");

    const russian = await createUser({ role: "OWNER", tier: null, locale: "ru" });
    const ru = (await csv(routeArgs(appRequest("/admin/audit.csv?actor=system", { cookie: await sessionCookie(russian.id) })))) as Response;
    const ruText = new TextDecoder("utf-8", { ignoreBOM: true }).decode(await ru.arrayBuffer());
    expect(ruText.split("\r\n")[0]).toBe("\uFEFFКогда;Кто;Кто (id);Что;Вид;Объект;Id объекта;Было;Стало");
    expect(ruText).toContain(";Система;");
    expect(ruText).toContain("Учтён возврат");
  });
});

describe("rows cannot be changed or deleted", () => {
  it("no route changes or deletes a row, whatever the method or intent", async () => {
    const before = await db.auditEntry.findMany({ orderBy: { id: "asc" } });
    const target = before[0];
    const forms: Array<Record<string, string>> = [
      { intent: "delete", id: String(target.id) },
      { intent: "update", id: String(target.id), action: "tier.update", actorId: owner.id },
      { intent: "edit", entryId: String(target.id), after: "{}" },
      {},
    ];
    for (const method of ["POST", "PUT", "PATCH", "DELETE"]) {
      for (const form of forms) {
        for (const [handler, path] of [
          [pageAction, "/admin/audit"],
          [csvAction, "/admin/audit.csv"],
        ] as const) {
          for (const cookie of [ownerCookie, curatorCookie]) {
            const result = await settle(handler(routeArgs(appRequest(`${path}?id=${target.id}`, { method, form, cookie }))));
            expect(result instanceof Response ? [403, 405] : []).toContain((result as Response).status);
          }
        }
      }
    }
    expect(await db.auditEntry.findMany({ orderBy: { id: "asc" } })).toEqual(before);
  });

  it("the database refuses UPDATE, DELETE and TRUNCATE on AuditEntry", async () => {
    const [row] = await db.auditEntry.findMany({ take: 1 });
    await expect(db.$executeRaw`UPDATE "AuditEntry" SET "action" = 'tier.update' WHERE "id" = ${row.id}`).rejects.toThrow();
    await expect(db.$executeRaw`DELETE FROM "AuditEntry" WHERE "id" = ${row.id}`).rejects.toThrow();
    await expect(db.$executeRaw`TRUNCATE "AuditEntry"`).rejects.toThrow();
    await expect(db.auditEntry.update({ where: { id: row.id }, data: { action: "x" } })).rejects.toThrow();
    await expect(db.auditEntry.deleteMany({})).rejects.toThrow();
    expect(await db.auditEntry.findUnique({ where: { id: row.id } })).toEqual(row);
  });
});
