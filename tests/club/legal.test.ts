import { afterAll, describe, expect, it } from "vitest";
import { publishLegalDocument } from "~/club/legal.server";
import { db } from "~/db.server";
import { stopQueue } from "~/jobs/queue.server";
import { action as legalAction, loader as legalLoader } from "~/routes/admin.settings_.legal";
import { loader as privacyLoader } from "~/routes/privacy";
import { loader as rulesLoader } from "~/routes/rules";
import { createUser, ensureClubSettings, sessionCookie } from "../factories";
import { appRequest, routeArgs } from "../support/requests";
import { fieldErrors, outcome } from "../admission/support";

afterAll(() => stopQueue());

async function owner() {
  await ensureClubSettings();
  const user = await createUser({ role: "OWNER", tier: null, name: "Alexandra Volkova" });
  return { user, cookie: await sessionCookie(user.id) };
}

function publish(cookie: string, form: Record<string, string>) {
  return outcome(legalAction(routeArgs(appRequest("/admin/settings/legal", { form, cookie }))));
}

const rulesPage = (query = "", headers: Record<string, string> = {}) =>
  outcome(rulesLoader(routeArgs(appRequest(`/rules${query}`, { headers }))));

describe("/admin/settings/legal", () => {
  it("publishes version N+1 with an audit row; earlier versions stay as they were", async () => {
    const { user, cookie } = await owner();
    // Nothing published yet: both public pages are 404.
    expect((await rulesPage()).status).toBe(404);
    expect((await outcome(privacyLoader(routeArgs(appRequest("/privacy"))))).status).toBe(404);
    const first = await publish(cookie, { kind: "RULES", bodyEn: "# Rules\nBe kind.", bodyRu: "# Правила\nБудьте добры." });
    expect(first.data).toMatchObject({ kind: "RULES", published: 1 });
    const v1 = await db.legalDocument.findUniqueOrThrow({ where: { kind_version: { kind: "RULES", version: 1 } } });

    const second = await publish(cookie, { kind: "RULES", bodyEn: "# Rules\nBe kinder.", bodyRu: "# Правила\nБудьте добрее." });
    expect(second.data).toMatchObject({ kind: "RULES", published: 2 });
    expect(await db.legalDocument.findUniqueOrThrow({ where: { id: v1.id } })).toEqual(v1);
    const v2 = await db.legalDocument.findUniqueOrThrow({ where: { kind_version: { kind: "RULES", version: 2 } } });
    expect(v2).toMatchObject({ bodyEn: "# Rules\nBe kinder.", bodyRu: "# Правила\nБудьте добрее.", publishedById: user.id });

    const audits = await db.auditEntry.findMany({ where: { action: "legal.publish", actorId: user.id }, orderBy: { id: "asc" } });
    expect(audits.map((a) => [a.subjectType, a.subjectId, a.before, a.after])).toEqual([
      ["LegalDocument", v1.id, null, { kind: "RULES", version: 1 }],
      ["LegalDocument", v2.id, { kind: "RULES", version: 1 }, { kind: "RULES", version: 2 }],
    ]);

    // The owner's page: the current version with who and when, and every past one.
    const page = await outcome(legalLoader(routeArgs(appRequest("/admin/settings/legal", { cookie }))));
    const rules = page.data.documents.find((doc: { kind: string }) => doc.kind === "RULES");
    expect(rules.versions.map((v: { version: number; publishedBy: string }) => [v.version, v.publishedBy])).toEqual([
      [2, "Alexandra Volkova"],
      [1, "Alexandra Volkova"],
    ]);
    expect(rules.current.bodyEn).toBe("# Rules\nBe kinder.");
  });

  it("refuses a text missing a language or too long, next to the field, and publishes nothing", async () => {
    const { cookie } = await owner();
    const before = await db.legalDocument.count();
    const result = await publish(cookie, { kind: "PRIVACY", bodyEn: "x".repeat(20_001), bodyRu: " \u200b" });
    expect(result.status).toBe(400);
    expect(fieldErrors(result.data.result)).toEqual({ bodyEn: ['form.tooLong|{"max":20000}'], bodyRu: ["form.required"] });
    expect(await db.legalDocument.count()).toBe(before);
    const unknownKind = await publish(cookie, { kind: "COOKIES", bodyEn: "a", bodyRu: "б" });
    expect(unknownKind.status).toBe(400);
    expect(await db.legalDocument.count()).toBe(before);
  });

  it("gives the owner who lost a race to publish the same version a readable error, not a 500", async () => {
    const { user } = await owner();
    const latest = await db.legalDocument.findFirst({ where: { kind: "PRIVACY" }, orderBy: { version: "desc" } });
    const next = (latest?.version ?? 0) + 1;
    // Another owner's publication of the same next version, committed only once ours has read the latest.
    let inserted!: () => void;
    const insertedYet = new Promise<void>((resolve) => (inserted = resolve));
    let release!: () => void;
    const released = new Promise<void>((resolve) => (release = resolve));
    const other = db.$transaction(async (tx) => {
      await tx.legalDocument.create({ data: { kind: "PRIVACY", version: next, bodyEn: "Theirs", bodyRu: "Их" } });
      inserted();
      await released;
    });
    await insertedYet;
    const ours = publishLegalDocument(user.id, { kind: "PRIVACY", bodyEn: "Ours", bodyRu: "Наш" });
    await new Promise((resolve) => setTimeout(resolve, 300));
    release();
    await other;
    expect(await ours).toEqual({ ok: false, reason: "race" });
    expect(await db.legalDocument.findMany({ where: { kind: "PRIVACY", version: next } })).toHaveLength(1);
    expect(await db.auditEntry.count({ where: { action: "legal.publish", actorId: user.id } })).toBe(0);
  });

  it("is for owners only", async () => {
    await ensureClubSettings();
    const curator = await createUser({ role: "CURATOR", tier: null });
    const cookie = await sessionCookie(curator.id);
    const before = await db.legalDocument.count();
    expect((await outcome(legalLoader(routeArgs(appRequest("/admin/settings/legal", { cookie }))))).status).toBe(403);
    expect((await publish(cookie, { kind: "RULES", bodyEn: "Mine now", bodyRu: "Теперь мои" })).status).toBe(403);
    expect(await db.legalDocument.count()).toBe(before);
  });
});

describe("/rules and /privacy", () => {
  it("show the current version in the reader's language, sanitized, an older one with ?version=N, and 404 for a version that does not exist", async () => {
    const { user } = await owner();
    await publishLegalDocument(user.id, { kind: "PRIVACY", bodyEn: "# Privacy\nWe store little.", bodyRu: "# Конфиденциальность\nМы храним мало." });
    const privacy = await outcome(privacyLoader(routeArgs(appRequest("/privacy", { headers: { "Accept-Language": "ru" } }))));
    expect(privacy.data).toMatchObject({ kind: "PRIVACY", latestVersion: privacy.data.version });
    expect(privacy.data.html).toContain("Мы храним мало.");

    const latest = (await db.legalDocument.findFirst({ where: { kind: "RULES" }, orderBy: { version: "desc" } }))?.version ?? 0;
    await publishLegalDocument(user.id, { kind: "RULES", bodyEn: 'Old rules <script>alert(1)</script><a href="javascript:alert(2)">x</a>', bodyRu: "Старые" });
    await publishLegalDocument(user.id, { kind: "RULES", bodyEn: "New rules", bodyRu: "Новые" });
    const current = await rulesPage();
    expect(current.data).toMatchObject({ version: latest + 2, latestVersion: latest + 2 });
    expect(current.data.html).toContain("New rules");
    const older = await rulesPage(`?version=${latest + 1}`);
    expect(older.data).toMatchObject({ version: latest + 1, latestVersion: latest + 2 });
    expect(older.data.html).toContain("Old rules");
    expect(older.data.html).not.toContain("<script");
    expect(older.data.html).not.toContain("javascript:");
    for (const query of ["?version=999", "?version=abc", "?version=-1", "?version=1e3"]) expect((await rulesPage(query)).status).toBe(404);
  });
});
