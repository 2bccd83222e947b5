import { beforeEach, describe, expect, it } from "vitest";
import { getClubSettings } from "~/club.server";
import { db } from "~/db.server";
import {
  addNote,
  atRiskPage,
  atRiskSummary,
  FOLLOW_UP_EMAIL_TEMPLATE,
  followUpHistory,
  FollowUpRefused,
  markContacted,
  sendFollowUp,
} from "~/metrics/at-risk.server";
import { action as atRiskAction, loader as atRiskLoader } from "~/routes/admin.metrics_.at-risk";
import { action as templateAction, loader as templateLoader } from "~/routes/admin.metrics_.follow-up";
import { loader as csvLoader } from "~/routes/admin.metrics[.]csv";
import { addActivity, addMembership, addNpsAnswer, createUser, ensureClubSettings, ensureTiers, sessionCookie } from "../factories";
import { appRequest, routeArgs, settle } from "../support/requests";

const DAY = 86_400_000;
const daysAgo = (n: number) => new Date(Date.now() - n * DAY);

async function member(name: string, joinedDaysAgo: number, options: { locale?: "en" | "ru"; role?: "MEMBER" | "CURATOR" } = {}) {
  const user = await createUser({ tier: null, name, locale: options.locale, role: options.role });
  await addMembership(user.id, { tier: "community", startedAt: daysAgo(joinedDaysAgo) });
  return user;
}

let owner: Awaited<ReturnType<typeof createUser>>;

beforeEach(async () => {
  await db.$executeRawUnsafe(`TRUNCATE "User" CASCADE`);
  await db.$executeRawUnsafe(`DELETE FROM "MetricsSettings"`);
  await ensureTiers();
  await ensureClubSettings();
  owner = await createUser({ role: "OWNER", name: "Olivia Owner", tier: null });
});

describe("who is at risk", () => {
  it("lists detractors by their latest answer and members quiet for 30 days, with the reason", async () => {
    const detractor = await member("Dana Detractor", 200);
    await addNpsAnswer(detractor.id, { score: 9, createdAt: daysAgo(120) });
    await addNpsAnswer(detractor.id, { score: 3, createdAt: daysAgo(20) });
    await addActivity(detractor.id, "POST", daysAgo(2));
    const converted = await member("Chris Converted", 200);
    await addNpsAnswer(converted.id, { score: 2, createdAt: daysAgo(120) });
    await addNpsAnswer(converted.id, { score: 10, createdAt: daysAgo(10) });
    await addActivity(converted.id, "VISIT", daysAgo(1));
    const quiet = await member("Quinn Quiet", 100);
    await addActivity(quiet.id, "VISIT", daysAgo(45));
    const neverSeen = await member("Nova Never", 60);
    const newcomer = await member("Nell Newcomer", 10);
    const curator = await member("Cora Curator", 300, { role: "CURATOR" });
    const former = await createUser({ tier: null, name: "Fred Former" });
    await addMembership(former.id, { tier: "community", startedAt: daysAgo(300), endedAt: daysAgo(100) });

    const page = await atRiskPage();
    expect(page).toMatchObject({ total: 3, detractors: 1, inactive: 2, page: 1, pageCount: 1 });
    expect(page.members.map((m) => [m.name, m.detractor, m.inactive])).toEqual([
      ["Dana Detractor", true, false],
      ["Nova Never", false, true],
      ["Quinn Quiet", false, true],
    ]);
    expect(page.members[0]).toMatchObject({ score: 3 });
    expect(page.members[1]).toMatchObject({ id: neverSeen.id, lastActiveAt: null });
    const listed = page.members.map((m) => m.id);
    for (const person of [converted, newcomer, curator, former]) expect(listed).not.toContain(person.id);
  });
});

describe("following up", () => {
  it("sends the follow-up email in the member's language through the email queue, and records it", async () => {
    const quiet = await member("Ирина Тихая", 90, { locale: "ru" });
    await addActivity(quiet.id, "VISIT", daysAgo(40));
    const followUp = await sendFollowUp(quiet.id, owner);
    const email = await db.email.findUniqueOrThrow({ where: { id: followUp.emailId! } });
    expect(email).toMatchObject({ to: quiet.email, locale: "ru", template: FOLLOW_UP_EMAIL_TEMPLATE, subject: "Нам вас не хватает в Test Club", userId: quiet.id });
    expect(email.text).toContain("Здравствуйте, Ирина Тихая!");
    expect(email.text).toContain("/forum");
    expect(followUp).toMatchObject({ kind: "EMAIL", staffId: owner.id, wasInactive: true, wasDetractor: false });
  });

  it("asks a detractor what went wrong and tells a quiet member we miss them, in English and Russian", async () => {
    const critic = await member("Dana Detractor", 200);
    await addNpsAnswer(critic.id, { score: 3, createdAt: daysAgo(5) });
    await addActivity(critic.id, "POST", daysAgo(2));
    const quietCritic = await member("Ирина Критик", 200, { locale: "ru" });
    await addNpsAnswer(quietCritic.id, { score: 1, createdAt: daysAgo(50) });
    await addActivity(quietCritic.id, "VISIT", daysAgo(45));
    const quiet = await member("Quinn Quiet", 100);
    await addActivity(quiet.id, "VISIT", daysAgo(45));
    const sent = async (id: string) => {
      const followUp = await sendFollowUp(id, owner);
      return db.email.findUniqueOrThrow({ where: { id: followUp.emailId! } });
    };
    const toCritic = await sent(critic.id);
    expect(toCritic.subject).toBe("What went wrong at Test Club?");
    expect(toCritic.text).toContain("What went wrong?");
    expect(toCritic.text).not.toContain("We have not seen you");
    const toQuietCritic = await sent(quietCritic.id);
    expect(toQuietCritic.subject).toBe("Что пошло не так в Test Club?");
    expect(toQuietCritic.text).toContain("Здравствуйте, Ирина Критик!");
    expect(toQuietCritic.text).not.toContain("давно не видели");
    const toQuiet = await sent(quiet.id);
    expect(toQuiet.subject).toBe("We miss you at Test Club");
    expect(toQuiet.text).not.toContain("What went wrong");
  });

  it("sends the owner's saved detractor wording to detractors only, and the default when a row saved before has none", async () => {
    const critic = await member("Dana Detractor", 200);
    await addNpsAnswer(critic.id, { score: 4, createdAt: daysAgo(5) });
    await addActivity(critic.id, "POST", daysAgo(2));
    await db.metricsSettings.create({ data: { id: 1, followUpSubjectEn: "Quiet {name}", followUpBodyEn: "q", followUpSubjectRu: "x", followUpBodyRu: "y" } });
    expect((await db.email.findUniqueOrThrow({ where: { id: (await sendFollowUp(critic.id, owner)).emailId! } })).subject).toBe("What went wrong at Test Club?");
    await db.memberFollowUp.deleteMany();
    await db.metricsSettings.update({ where: { id: 1 }, data: { detractorSubjectEn: "{name}, tell us what to fix", detractorBodyEn: "Dear {name}, what went wrong?", detractorSubjectRu: "x", detractorBodyRu: "y" } });
    const email = await db.email.findUniqueOrThrow({ where: { id: (await sendFollowUp(critic.id, owner)).emailId! } });
    expect(email.subject).toBe("Dana Detractor, tell us what to fix");
    expect(email.text.startsWith("Dear Dana Detractor, what went wrong?")).toBe(true);
  });

  it("uses the owner's wording once saved", async () => {
    const quiet = await member("Sam Silent", 90);
    await db.metricsSettings.create({
      data: { id: 1, followUpSubjectEn: "{name}, a seat is waiting", followUpBodyEn: "Dear {name}, {club} misses you.", followUpSubjectRu: "x", followUpBodyRu: "y" },
    });
    const followUp = await sendFollowUp(quiet.id, owner);
    const email = await db.email.findUniqueOrThrow({ where: { id: followUp.emailId! } });
    expect(email.subject).toBe("Sam Silent, a seat is waiting");
    expect(email.text.startsWith("Dear Sam Silent, Test Club misses you.")).toBe(true);
  });

  it("refuses a second email within a day, and anyone who is not a current member", async () => {
    const quiet = await member("Sam Silent", 90);
    await sendFollowUp(quiet.id, owner);
    await expect(sendFollowUp(quiet.id, owner)).rejects.toMatchObject({ status: 409, messageKey: "metrics.atRisk.alreadySent" });
    await expect(sendFollowUp(owner.id, owner)).rejects.toBeInstanceOf(FollowUpRefused);
    await expect(markContacted("nobody", owner)).rejects.toMatchObject({ status: 404 });
    expect(await db.email.count({ where: { to: quiet.email } })).toBe(1);
  });

  it("tells whether each contact brought the member back within 30 days, and the return rate", async () => {
    const back = await member("Bea Back", 200);
    const gone = await member("Gus Gone", 200);
    const recent = await member("Rae Recent", 200);
    await markContacted(back.id, owner, daysAgo(40));
    await addActivity(back.id, "SIGN_IN", daysAgo(31));
    await markContacted(gone.id, owner, daysAgo(40));
    await addActivity(gone.id, "SIGN_IN", daysAgo(2)); // too late to count
    await markContacted(recent.id, owner, daysAgo(5));
    await addNote(recent.id, owner, "Moved to a new company.", daysAgo(5));

    const history = await followUpHistory();
    const outcome = (id: string) => history.entries.filter((e) => e.member.id === id && e.kind !== "NOTE").map((e) => e.outcome);
    expect(outcome(back.id)).toEqual(["returned"]);
    expect(outcome(gone.id)).toEqual(["not-returned"]);
    expect(outcome(recent.id)).toEqual(["pending"]);
    expect(history.entries.find((e) => e.kind === "NOTE")).toMatchObject({ note: "Moved to a new company.", staffName: "Olivia Owner", outcome: null });

    const summary = await atRiskSummary({ startsAt: daysAgo(60), endsAt: new Date(Date.now() + DAY) });
    expect(summary.followUps).toEqual({ contacts: 3, returned: 1, notReturned: 1, pending: 1, returnRate: 50 });
  });
});

describe("the follow-ups as CSV", () => {
  it("says how many days a pending contact has left, and names each date column for what it is", async () => {
    const quiet = await member("Sam Silent", 90, { locale: "ru" });
    await markContacted(quiet.id, owner, daysAgo(10));
    for (const [locale, header, pending, separator] of [
      ["en", "Date,Member,Email,Action,By,Note,Was a detractor,Was inactive,Came back,Came back on", "Not back yet; days left: 20", ","],
      ["ru", "Дата;Участник;Почта;Действие;Кто;Заметка;Был критиком;Был неактивен;Вернулся;Дата возвращения", '"Пока не вернулся; осталось дней: 20"', ";"],
    ] as const) {
      await db.user.update({ where: { id: owner.id }, data: { locale } });
      const cookie = await sessionCookie(owner.id);
      const response = (await csvLoader(routeArgs(appRequest("/admin/metrics.csv?table=follow-ups", { cookie })))) as Response;
      const [head, row] = (await response.text()).replace(/^\uFEFF/, "").split("\r\n");
      expect(head).toBe(header);
      expect(row).toContain(`${separator}${pending}${separator}`);
    }
  });

  it("writes dates in the club's time zone, as the page shows them, in both exports", async () => {
    await db.clubSettings.update({ where: { id: 1 }, data: { timeZone: "Europe/Moscow" } });
    await getClubSettings(); // a fresh read renews the copy pages may keep for a few seconds
    const quiet = await member("Sam Silent", 400, { locale: "ru" });
    // 22:30 UTC on 1 March is 01:30 on 2 March in Moscow.
    await addActivity(quiet.id, "VISIT", new Date("2026-03-01T22:30:00Z"));
    await markContacted(quiet.id, owner, new Date("2026-03-05T21:15:00Z"));
    await db.user.update({ where: { id: owner.id }, data: { locale: "ru" } });
    const cookie = await sessionCookie(owner.id);
    const bytes = new Uint8Array(await ((await csvLoader(routeArgs(appRequest("/admin/metrics.csv?table=at-risk", { cookie })))) as Response).arrayBuffer());
    expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const atRisk = new TextDecoder().decode(bytes);
    const row = atRisk.split("\r\n").find((line) => line.startsWith("Sam Silent;"))!;
    expect(row.split(";")[7]).toBe("2026-03-02");
    const followUps = await ((await csvLoader(routeArgs(appRequest("/admin/metrics.csv?table=follow-ups&from=2026-03-01&to=2026-03-31", { cookie })))) as Response).text();
    expect(followUps.split("\r\n")[1].split(";")[0]).toBe("2026-03-06 00:15");
  });
});

describe("/admin/metrics/at-risk", () => {
  it("lets staff send a follow-up; the email lands in the outbox and the page says so", async () => {
    const quiet = await member("Sam Silent", 90);
    const curator = await createUser({ role: "CURATOR", tier: null });
    const cookie = await sessionCookie(curator.id);
    const response = (await settle(atRiskAction(routeArgs(appRequest("/admin/metrics/at-risk", { cookie, form: { intent: "follow-up", memberId: quiet.id } }))))) as Response;
    expect(response.status).toBe(302);
    expect(response.headers.get("Location")).toBe(`/admin/metrics/at-risk?page=1&done=sent&member=${quiet.id}#member-${quiet.id}`);
    expect(await db.email.count({ where: { to: quiet.email, template: FOLLOW_UP_EMAIL_TEMPLATE } })).toBe(1);
    const page = await atRiskLoader(routeArgs(appRequest(`/admin/metrics/at-risk?done=sent&member=${quiet.id}`, { cookie })));
    expect(page.done).toEqual({ kind: "sent", memberId: quiet.id });
    expect(page.list.members.find((m) => m.id === quiet.id)?.followUps[0]).toMatchObject({ kind: "EMAIL", outcome: "pending" });

    const again = (await atRiskAction(routeArgs(appRequest("/admin/metrics/at-risk", { cookie, form: { intent: "follow-up", memberId: quiet.id } })))) as unknown as {
      data: { memberId: string; result: { error: Record<string, string[]> } };
      init: { status: number };
    };
    expect(again.init.status).toBe(409);
    expect(again.data).toMatchObject({ memberId: quiet.id, result: { error: { "": ["metrics.atRisk.alreadySent"] } } });
  });

  it("puts an empty note's error next to that member's note field", async () => {
    const quiet = await member("Sam Silent", 90);
    const cookie = await sessionCookie(owner.id);
    const result = (await atRiskAction(routeArgs(appRequest("/admin/metrics/at-risk", { cookie, form: { intent: "note", memberId: quiet.id, note: "   " } })))) as unknown as {
      data: { memberId: string; intent: string; result: { error: Record<string, string[]> } };
      init: { status: number };
    };
    expect(result.init.status).toBe(400);
    expect(result.data).toMatchObject({ memberId: quiet.id, intent: "note", result: { error: { note: ["form.required"] } } });
    expect(await db.memberFollowUp.count()).toBe(0);
  });

  it("is for staff only", async () => {
    const plain = await member("Pat Plain", 90);
    const cookie = await sessionCookie(plain.id);
    expect(((await settle(atRiskLoader(routeArgs(appRequest("/admin/metrics/at-risk", { cookie }))))) as Response).status).toBe(403);
    const attempt = (await settle(atRiskAction(routeArgs(appRequest("/admin/metrics/at-risk", { cookie, form: { intent: "contacted", memberId: plain.id } }))))) as Response;
    expect(attempt.status).toBe(403);
    expect(await db.memberFollowUp.count()).toBe(0);
  });
});

describe("/admin/metrics/follow-up (the template)", () => {
  const valid = {
    followUpSubjectEn: "Hello {name}",
    followUpBodyEn: "We miss you at {club}.",
    followUpSubjectRu: "Здравствуйте, {name}",
    followUpBodyRu: "Нам вас не хватает в {club}.",
    detractorSubjectEn: "{name}, what went wrong?",
    detractorBodyEn: "Tell us what {club} should fix.",
    detractorSubjectRu: "{name}, что пошло не так?",
    detractorBodyRu: "Расскажите, что {club} стоит исправить.",
  };

  it("shows the default wording until the owner saves their own", async () => {
    const cookie = await sessionCookie(owner.id);
    const page = await templateLoader(routeArgs(appRequest("/admin/metrics/follow-up", { cookie })));
    expect(page.template).toMatchObject({ followUpSubjectEn: "We miss you at {club}", detractorSubjectEn: "What went wrong at {club}?", detractorSubjectRu: "Что пошло не так в {club}?", updatedAt: null });
    const saved = await templateAction(routeArgs(appRequest("/admin/metrics/follow-up", { cookie, form: valid })));
    expect(saved).toMatchObject({ status: "success" });
    expect(await db.metricsSettings.findUnique({ where: { id: 1 } })).toMatchObject({ ...valid, updatedById: owner.id });
  });

  it("names an unknown placeholder next to its field", async () => {
    const cookie = await sessionCookie(owner.id);
    const result = (await templateAction(routeArgs(appRequest("/admin/metrics/follow-up", { cookie, form: { ...valid, followUpBodyRu: "Привет, {firstName}", detractorBodyEn: "" } })))) as unknown as {
      data: { error: Record<string, string[]> };
      init: { status: number };
    };
    expect(result.init.status).toBe(400);
    expect(result.data.error.followUpBodyRu).toEqual(['metrics.template.unknownPlaceholder|{"name":"firstName"}']);
    expect(result.data.error.detractorBodyEn).toEqual(["form.required"]);
    expect(await db.metricsSettings.count()).toBe(0);
  });

  it("is the owner's alone", async () => {
    const curator = await createUser({ role: "CURATOR", tier: null });
    const cookie = await sessionCookie(curator.id);
    expect(((await settle(templateLoader(routeArgs(appRequest("/admin/metrics/follow-up", { cookie }))))) as Response).status).toBe(403);
    expect(((await settle(templateAction(routeArgs(appRequest("/admin/metrics/follow-up", { cookie, form: valid }))))) as Response).status).toBe(403);
    expect(await db.metricsSettings.count()).toBe(0);
  });
});
