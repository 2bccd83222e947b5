import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db } from "~/db.server";
import { stopQueue } from "~/jobs/queue.server";
import { action as criteriaAction, loader as criteriaLoader } from "~/routes/admin.applications.criteria";
import { loader as applyLoader } from "~/routes/apply";
import { createApplication, createUser, ensureClubSettings, sessionCookie } from "../factories";
import { appRequest, routeArgs } from "../support/requests";
import { fieldErrors, outcome } from "./support";

afterAll(() => stopQueue());

let owner: Awaited<ReturnType<typeof createUser>>;
beforeAll(async () => {
  await ensureClubSettings();
  owner = await createUser({ role: "OWNER" });
});

async function post(form: Record<string, string>) {
  return outcome(criteriaAction(routeArgs(appRequest("/admin/applications/criteria", { form, cookie: await sessionCookie(owner.id) }))));
}

async function formTitles() {
  const page = await outcome(applyLoader(routeArgs(appRequest("/apply"))));
  return page.data.criteria.map((c: { title: string }) => c.title);
}

const base = { intent: "create", descriptionEn: "", descriptionRu: "", optionsEn: "", optionsRu: "" };

describe("selection criteria", () => {
  it("lets the owner define criteria of every kind; the form asks them in order", async () => {
    await post({ ...base, titleEn: "Readiness to co-innovate", titleRu: "Готовность", kind: "SCALE", required: "on" });
    await post({ ...base, titleEn: "Expertise", titleRu: "Экспертиза", kind: "TEXT" });
    await post({ ...base, titleEn: "Growth", titleRu: "Рост", kind: "CHOICE", optionsEn: "Low\nHigh\n", optionsRu: "Низкий\nВысокий" });
    const stored = await db.admissionCriterion.findMany({ orderBy: { position: "asc" } });
    expect(stored.map((c) => [c.titleEn, c.kind, c.required])).toEqual([
      ["Readiness to co-innovate", "SCALE", true],
      ["Expertise", "TEXT", false],
      ["Growth", "CHOICE", false],
    ]);
    expect(stored[2].optionsEn).toEqual(["Low", "High"]);
    expect(await formTitles()).toEqual(["Readiness to co-innovate", "Expertise", "Growth"]);

    await post({ intent: "down", criterionId: stored[0].id });
    expect(await formTitles()).toEqual(["Expertise", "Readiness to co-innovate", "Growth"]);
    await post({ intent: "up", criterionId: stored[2].id });
    expect(await formTitles()).toEqual(["Expertise", "Growth", "Readiness to co-innovate"]);
  });

  it("checks a choice's options: at least two, as many in Russian as in English", async () => {
    const few = await post({ ...base, titleEn: "Choice", titleRu: "Выбор", kind: "CHOICE", optionsEn: "Only one", optionsRu: "Один\nДва" });
    expect(few.status).toBe(400);
    expect(fieldErrors(few.data.result).optionsEn).toEqual(["admission.criteria.optionsTooFew"]);
    const mismatch = await post({ ...base, titleEn: "Choice", titleRu: "Выбор", kind: "CHOICE", optionsEn: "A\nB\nC", optionsRu: "А\nБ" });
    expect(fieldErrors(mismatch.data.result).optionsRu).toEqual(["admission.criteria.optionsMismatch"]);
    const noTitle = await post({ ...base, titleEn: "", titleRu: "Выбор", kind: "TEXT" });
    expect(fieldErrors(noTitle.data.result).titleEn).toEqual(["form.required"]);
    expect(await db.admissionCriterion.count({ where: { titleRu: "Выбор" } })).toBe(0);
  });

  it("keeps answered criteria meaningful: the kind is fixed and removal archives", async () => {
    await post({ ...base, titleEn: "Answered", titleRu: "Отвечен", kind: "CHOICE", optionsEn: "A\nB\nC", optionsRu: "А\nБ\nВ" });
    const criterion = await db.admissionCriterion.findFirstOrThrow({ where: { titleEn: "Answered" } });
    await createApplication({ answers: { [criterion.id]: "1" } });

    const kind = await post({ ...base, intent: "update", criterionId: criterion.id, titleEn: "Answered", titleRu: "Отвечен", kind: "TEXT" });
    expect(kind.status).toBe(409);
    expect(fieldErrors(kind.data.result).kind).toEqual(["admission.criteria.kindLocked"]);
    const fewer = await post({ ...base, intent: "update", criterionId: criterion.id, titleEn: "Answered", titleRu: "Отвечен", kind: "CHOICE", optionsEn: "A\nB", optionsRu: "А\nБ" });
    expect(fewer.status).toBe(409);
    expect(fieldErrors(fewer.data.result).optionsEn).toEqual(["admission.criteria.optionsLocked"]);
    const renamed = await post({ ...base, intent: "update", criterionId: criterion.id, titleEn: "Answered", titleRu: "Отвечен", kind: "CHOICE", optionsEn: "A\nX\nC\nD", optionsRu: "А\nХ\nВ\nГ" });
    expect(renamed.status).toBe(200);
    expect((await db.admissionCriterion.findUniqueOrThrow({ where: { id: criterion.id } })).optionsEn).toEqual(["A", "X", "C", "D"]);

    const removed = await post({ intent: "remove", criterionId: criterion.id });
    expect(removed.data.notice).toBe("archived");
    const archived = await db.admissionCriterion.findUniqueOrThrow({ where: { id: criterion.id } });
    expect(archived.archivedAt).not.toBeNull();
    expect(await formTitles()).not.toContain("Answered");

    await post({ intent: "restore", criterionId: criterion.id });
    expect(await formTitles()).toContain("Answered");

    await post({ ...base, titleEn: "Unused", titleRu: "Не нужен", kind: "TEXT" });
    const unused = await db.admissionCriterion.findFirstOrThrow({ where: { titleEn: "Unused" } });
    expect((await post({ intent: "remove", criterionId: unused.id })).data.notice).toBe("removed");
    expect(await db.admissionCriterion.count({ where: { id: unused.id } })).toBe(0);
  });

  it("lists every criterion for the owner, with the number of answers", async () => {
    const page = await outcome(criteriaLoader(routeArgs(appRequest("/admin/applications/criteria", { cookie: await sessionCookie(owner.id) }))));
    expect(page.status).toBe(200);
    const answered = page.data.criteria.find((c: { titleEn: string }) => c.titleEn === "Answered");
    expect(answered.answers).toBe(1);
  });
});
