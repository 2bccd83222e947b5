import { beforeEach, describe, expect, it } from "vitest";
import { getViewer } from "~/auth/guards.server";
import { db } from "~/db.server";
import { flushActivity } from "~/metrics/activity.server";
import { answerSurvey, dismissSurvey, isSurveyDue, SurveyNotDue } from "~/metrics/survey.server";
import { loader as rootLoader } from "~/root";
import { action as surveyAction, loader as surveyLoader } from "~/routes/survey";
import { addMembership, createUser, ensureTiers, sessionCookie } from "../factories";
import { appRequest, routeArgs, settle } from "../support/requests";

const DAY = 86_400_000;
const NOW = new Date();
const daysAgo = (n: number) => new Date(NOW.getTime() - n * DAY);

/** A member who joined `days` ago, signed in, as the loaders see them. */
async function memberSince(days: number, options: Parameters<typeof createUser>[0] = {}) {
  const user = await createUser({ tier: null, ...options });
  await addMembership(user.id, { tier: "professional", startedAt: daysAgo(days) });
  const cookie = await sessionCookie(user.id);
  const viewer = (await getViewer(appRequest("/", { cookie })))!;
  return { user, cookie, viewer };
}

beforeEach(async () => {
  await ensureTiers();
});

describe("when the survey is due", () => {
  it("asks first after 30 days of membership", async () => {
    const fresh = await memberSince(29);
    const settled = await memberSince(31);
    expect(await isSurveyDue(fresh.viewer)).toBe(false);
    expect(await isSurveyDue(settled.viewer)).toBe(true);
  });

  it("then at most every 90 days, a dismissal included", async () => {
    const { viewer } = await memberSince(200);
    await db.npsResponse.create({ data: { userId: viewer.user.id, score: 8, createdAt: daysAgo(89) } });
    expect(await isSurveyDue(viewer)).toBe(false);
    await db.npsResponse.updateMany({ where: { userId: viewer.user.id }, data: { createdAt: daysAgo(91) } });
    expect(await isSurveyDue(viewer)).toBe(true);
    await dismissSurvey(viewer);
    expect(await isSurveyDue(viewer)).toBe(false);
  });

  it("never asks staff or people without a membership", async () => {
    const curator = await memberSince(100, { role: "CURATOR" });
    const owner = await memberSince(100, { role: "OWNER" });
    const lapsed = await createUser({ tier: null });
    await addMembership(lapsed.id, { tier: "community", startedAt: daysAgo(100), endedAt: daysAgo(10) });
    const lapsedViewer = await getViewer(appRequest("/", { cookie: await sessionCookie(lapsed.id) }));
    expect(await isSurveyDue(curator.viewer)).toBe(false);
    expect(await isSurveyDue(owner.viewer)).toBe(false);
    expect(await isSurveyDue(lapsedViewer)).toBe(false);
    expect(await isSurveyDue(null)).toBe(false);
  });
});

describe("answering", () => {
  it("stores the score, comment and the tier held, and counts as activity", async () => {
    const { viewer } = await memberSince(40);
    await answerSurvey(viewer, { score: 9, comment: "Great peers." });
    await flushActivity();
    const tiers = await ensureTiers();
    expect(await db.npsResponse.findMany({ where: { userId: viewer.user.id }, select: { score: true, comment: true, tierId: true } })).toEqual([
      { score: 9, comment: "Great peers.", tierId: tiers.professional.id },
    ]);
    expect(await db.activityEvent.count({ where: { userId: viewer.user.id, kind: "SURVEY" } })).toBe(1);
  });

  it("stores a dismissal as no answer", async () => {
    const { viewer } = await memberSince(40);
    await dismissSurvey(viewer);
    expect(await db.npsResponse.findMany({ where: { userId: viewer.user.id }, select: { score: true } })).toEqual([{ score: null }]);
  });

  it("refuses a second answer to the same prompt", async () => {
    const { viewer } = await memberSince(40);
    await answerSurvey(viewer, { score: 7 });
    await expect(answerSurvey(viewer, { score: 3 })).rejects.toBeInstanceOf(SurveyNotDue);
    expect(await db.npsResponse.count({ where: { userId: viewer.user.id } })).toBe(1);
  });
});

describe("POST /survey", () => {
  it("without JavaScript: answers, then redirects to a thank-you page that links back", async () => {
    const { user, cookie } = await memberSince(40);
    const response = (await settle(surveyAction(routeArgs(appRequest("/survey", { cookie, form: { intent: "answer", score: "10", comment: "", redirectTo: "/forum" } }))))) as Response;
    expect(response.status).toBe(302);
    expect(response.headers.get("Location")).toBe("/survey?done=answered&back=%2Fforum");
    expect(await db.npsResponse.count({ where: { userId: user.id, score: 10 } })).toBe(1);
    const page = await surveyLoader(routeArgs(appRequest("/survey?done=answered&back=%2Fforum", { cookie })));
    expect(page).toEqual({ due: false, done: "answered", back: "/forum" });
  });

  it("with JavaScript: answers in place and says so", async () => {
    const { cookie } = await memberSince(40);
    const result = await surveyAction(routeArgs(appRequest("/survey", { cookie, form: { intent: "dismiss", enhanced: "1", redirectTo: "/" } })));
    expect(result).toMatchObject({ data: { done: "dismissed" } });
  });

  it("puts a missing score next to the scale, without storing anything", async () => {
    const { user, cookie } = await memberSince(40);
    const result = (await surveyAction(routeArgs(appRequest("/survey", { cookie, form: { intent: "answer", comment: "Hmm" } })))) as unknown as {
      data: { result: { error: Record<string, string[]> } };
      init: { status: number };
    };
    expect(result.init.status).toBe(400);
    expect(result.data.result.error.score).toEqual(["metrics.survey.scoreRequired"]);
    expect(await db.npsResponse.count({ where: { userId: user.id } })).toBe(0);
  });

  it("answers a comment sent twice with a message of ours, not the validator's", async () => {
    const { user, cookie } = await memberSince(40);
    const result = (await surveyAction(routeArgs(appRequest("/survey", { cookie, form: { intent: "answer", score: "9", comment: ["a", "b"] } })))) as unknown as {
      data: { result: { error: Record<string, string[]> } };
      init: { status: number };
    };
    expect(result.init.status).toBe(400);
    expect(result.data.result.error).toEqual({ comment: ["form.invalid"] });
    expect(await db.npsResponse.count({ where: { userId: user.id } })).toBe(0);
  });

  it("answers 409 when no survey is waiting, and sends visitors to sign in", async () => {
    const { cookie } = await memberSince(10);
    const refused = (await settle(surveyAction(routeArgs(appRequest("/survey", { cookie, form: { intent: "answer", score: "5" } }))))) as Response;
    expect(refused.status).toBe(409);
    expect(await refused.text()).toBe("There is no survey waiting for you right now.");
    const visitor = (await settle(surveyAction(routeArgs(appRequest("/survey", { form: { intent: "answer", score: "5" } }))))) as Response;
    expect(visitor.status).toBe(302);
    expect(visitor.headers.get("Location")).toMatch(/^\/login/);
  });

  it("never redirects outside the site", async () => {
    const { cookie } = await memberSince(40);
    const response = (await settle(surveyAction(routeArgs(appRequest("/survey", { cookie, form: { intent: "dismiss", redirectTo: "https://evil.example/" } }))))) as Response;
    expect(response.headers.get("Location")).toBe("/survey?done=dismissed&back=%2F");
  });
});

describe("the layout", () => {
  it("tells the root loader whether to show the prompt, and notes the visit", async () => {
    const due = await memberSince(40);
    const notDue = await memberSince(5);
    const root = async (cookie: string) => (await rootLoader(routeArgs(appRequest("/forum", { cookie })))) as { metrics: { surveyDue: boolean } };
    expect((await root(due.cookie)).metrics).toEqual({ surveyDue: true });
    expect((await root(notDue.cookie)).metrics).toEqual({ surveyDue: false });
    await flushActivity();
    expect(await db.activityEvent.count({ where: { userId: due.user.id, kind: "VISIT" } })).toBe(1);
  });
});
