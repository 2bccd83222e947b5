/**
 * Stored XSS on the way in and out of the server (the pages themselves are checked in a
 * browser by xss.spec.ts):
 *  - Markdown written through the forms (roadmap descriptions and comments, forum posts)
 *    is stored as sanitized HTML (tests/forum/xss.test.ts renders each vector on its own);
 *  - every email's HTML is the layout (app/email/layout.server.ts) with every vector escaped
 *    in its subject, text and button; and the emails that quote a plain-text field (vouching,
 *    rejection, roadmap status, forum replies, the at-risk follow-up, the applicant's
 *    verification), sent through the forms with chunks of vectors, quote it as typed and
 *    carry no markup of their own.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { db } from "~/db.server";
import { renderEmailHtml } from "~/email/layout.server";
import { currentMembership } from "~/billing/access.server";
import { expandPendingFanouts } from "~/notifications/notify.server";
import { castVote } from "~/roadmap/votes.server";
import * as account from "~/routes/account";
import * as adminApplication from "~/routes/admin.applications.$applicationId";
import * as atRisk from "~/routes/admin.metrics_.at-risk";
import * as followUp from "~/routes/admin.metrics_.follow-up";
import * as apply from "~/routes/apply";
import * as editPost from "~/routes/forum.p.$postId_.edit";
import * as newThread from "~/routes/forum.$category_.new";
import * as thread from "~/routes/forum.t.$threadId";
import * as vouch from "~/routes/members.vouch";
import * as roadmapItem from "~/routes/roadmap.$itemId";
import * as roadmapEdit from "~/routes/roadmap.$itemId_.edit";
import * as roadmapNew from "~/routes/roadmap.new";
import { createApplication, createForumCategory, createRoadmapItem, ensureClubSettings, ensureTiers } from "../factories";
import { ALL_VECTORS, executableMarkup, MARKDOWN_AND_MUTATION_VECTORS, OWASP_VECTORS, unescapeHtml } from "../support/xss-vectors";
import { appRequest, routeArgs } from "../support/requests";
import { outcome, person, post, type Person } from "./support";

let owner: Person, curator: Person, vic: Person;

beforeAll(async () => {
  await ensureClubSettings();
  const tiers = await ensureTiers();
  // Enough vouches for every chunk of vectors.
  await db.tier.update({ where: { id: tiers["private-client"].id }, data: { referralQuota: 1000 } });
  owner = await person({ role: "OWNER", tier: "private-client" });
  curator = await person({ role: "CURATOR", tier: "professional" });
  vic = await person({ tier: "private-client", name: "Vic Voter" });
});

/** The vectors that fit in `max` characters, grouped into as few values as fit, one vector a line. */
function chunks(max: number, vectors: string[] = ALL_VECTORS): string[] {
  const out: string[] = [];
  let current = "";
  for (const vector of vectors.filter((v) => v.length <= max)) {
    if (current && current.length + 1 + vector.length > max) {
      out.push(current);
      current = "";
    }
    current = current ? `${current}\n${vector}` : vector;
  }
  if (current) out.push(current);
  return out;
}

/**
 * What in an email's HTML is not the layout's own markup (app/email/layout.server.ts):
 * once the layout's tags are taken away, no "<" may remain, and the button's link is http(s).
 */
function emailMarkupProblems(html: string): string[] {
  const layout = /^<!doctype html><html lang="(?:en|ru)"><head><meta charset="utf-8"><title>([^<]*)<\/title><\/head><body style="[^"<]*">([\s\S]*)<\/body><\/html>$/.exec(html);
  if (!layout) return ["the HTML is not the email layout"];
  // The club's sign-off closes every email: text and <br> only.
  let body = layout[2].replace(/<p style="margin:24px 0 0;color:#374151">[^<]*(?:<br>[^<]*)*<\/p>$/, "");
  body = body.replace(/<p style="margin:24px 0"><a href="https?:\/\/[^"<]*" style="[^"<]*">[^<]*<\/a><\/p>$/, "");
  body = body.replace(/<p style="margin:0 0 16px">|<\/p>|<br>/g, "");
  return body.includes("<") ? [`markup outside the layout: ${body.slice(body.indexOf("<"), body.indexOf("<") + 80)}`] : [];
}

async function newEmails(since: Date, to?: string) {
  return db.email.findMany({ where: { createdAt: { gte: since }, ...(to ? { to } : {}) }, orderBy: { createdAt: "asc" } });
}

/** Every email since `since` is the layout plus escaped text, and together their texts quote every value. */
async function expectEmailsEscaped(since: Date, values: string[], to?: string) {
  const emails = await newEmails(since, to);
  expect(emails.length).toBeGreaterThan(0);
  for (const email of emails) expect(emailMarkupProblems(email.html), email.template).toEqual([]);
  const texts = emails.map((email) => `${email.subject}\n${email.text}`).join("\n");
  for (const value of values) for (const line of value.split("\n")) expect(texts).toContain(line);
}

describe("the checker of email HTML", () => {
  it("passes the layout and catches markup outside it", () => {
    const layout = (body: string) =>
      `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Hi</title></head><body style="font-family:x">${body}</body></html>`;
    expect(emailMarkupProblems(layout(`<p style="margin:0 0 16px">a &lt;b&gt;<br>c</p><p style="margin:24px 0"><a href="https://x.example/a?b=1&amp;c" style="x">Go</a></p>`))).toEqual([]);
    expect(emailMarkupProblems(layout(`<p style="margin:0 0 16px"><img src=x onerror=alert(1)></p>`))).not.toEqual([]);
    expect(emailMarkupProblems(layout(`<p style="margin:24px 0"><a href="javascript:alert(1)" style="x">Go</a></p>`))).not.toEqual([]);
  });
});

describe("the email layout", () => {
  it("escapes every vector in the subject, the text and the button", () => {
    for (const vector of ALL_VECTORS) {
      const html = renderEmailHtml({ subject: vector, text: `${vector}\n\n${vector}`, action: { label: vector, url: `https://club.example/a?${vector}` }, locale: "en" });
      expect(emailMarkupProblems(html), vector).toEqual([]);
      expect(unescapeHtml(html.replace(/<br>/g, "\n")), vector).toContain(vector);
    }
  });
});

describe("Markdown fields, written through the forms", () => {
  it("roadmap descriptions: stored sanitized, on creation and on edit", async () => {
    const created = await post(roadmapNew.action, "/roadmap/new", {}, { title: "Item", description: ALL_VECTORS.join("\n\n"), status: "PLANNED" }, curator);
    expect(created.status).toBe(302);
    const itemId = created.location!.split("/").at(-1)!;
    expect(executableMarkup((await db.roadmapItem.findUniqueOrThrow({ where: { id: itemId } })).descriptionHtml)).toEqual([]);
    const edited = await post(roadmapEdit.action, `/roadmap/${itemId}/edit`, { itemId }, { title: "Item", description: ALL_VECTORS.join("\n") }, curator);
    expect(edited.status).toBe(302);
    const item = await db.roadmapItem.findUniqueOrThrow({ where: { id: itemId } });
    expect(item.descriptionMd).toBe(ALL_VECTORS.join("\n"));
    expect(executableMarkup(item.descriptionHtml)).toEqual([]);
  });

  it("roadmap suggestions by members and comments: stored sanitized", async () => {
    const suggested = await post(roadmapNew.action, "/roadmap/new", {}, { title: "Suggestion", description: ALL_VECTORS.join("\n\n") }, vic);
    expect(suggested.status).toBe(302);
    const item = await db.roadmapItem.findUniqueOrThrow({ where: { id: suggested.location!.split("/").at(-1)! } });
    expect(executableMarkup(item.descriptionHtml)).toEqual([]);
    for (const body of chunks(5_000)) {
      const commented = await post(roadmapItem.action, `/roadmap/${item.id}`, { itemId: item.id }, { intent: "comment", body }, vic);
      expect(commented.status).toBe(200);
    }
    const comments = await db.roadmapComment.findMany({ where: { itemId: item.id } });
    expect(comments.length).toBeGreaterThan(1);
    for (const comment of comments) expect(executableMarkup(comment.bodyHtml)).toEqual([]);
  });

  it("forum posts: stored sanitized when started, replied and edited", async () => {
    const category = await createForumCategory();
    const started = await post(newThread.action, `/forum/${category.slug}/new`, { category: category.slug }, { title: "Vectors", body: ALL_VECTORS.join("\n\n") }, vic);
    expect(started.status).toBe(302);
    const threadId = started.location!.split("/").at(-1)!;
    const replied = await post(thread.action, `/forum/t/${threadId}`, { threadId }, { intent: "reply", body: ALL_VECTORS.join("\n") }, vic);
    expect(replied.status).toBe(302);
    const [opening] = await db.forumPost.findMany({ where: { threadId, isOpening: true } });
    const saved = await post(editPost.action, `/forum/p/${opening.id}/edit`, { postId: opening.id }, { intent: "save", title: "Vectors", body: ALL_VECTORS.join(" ") }, vic);
    expect(saved.status).toBe(302);
    const posts = await db.forumPost.findMany({ where: { threadId } });
    expect(posts.map((p) => p.body).sort()).toEqual([ALL_VECTORS.join(" "), ALL_VECTORS.join("\n")].sort());
    for (const stored of posts) expect(executableMarkup(stored.bodyHtml)).toEqual([]);
  });
});

describe("plain-text fields quoted in emails", () => {
  it("vouching: the friend's name and the voucher's note", async () => {
    const since = new Date();
    const names = chunks(120);
    const notes = chunks(1_000);
    for (let i = 0; i < notes.length; i += 1) {
      const to = `friend-${i}@example.com`;
      const result = await post(vouch.action, "/members/vouch", {}, { name: names[i % names.length], note: notes[i % notes.length], email: to, locale: i % 2 ? "ru" : "en" }, vic);
      expect(result.status, names[i % names.length]).toBe(200);
      expect(await db.vouch.findFirstOrThrow({ where: { email: to } })).toMatchObject({ name: names[i % names.length], note: notes[i % notes.length] });
    }
    await expectEmailsEscaped(since, [...names.slice(0, notes.length), ...notes]);
  });

  it("the applicant's name in the verification email, and the rejection reason", async () => {
    for (const [i, name] of chunks(120).slice(0, 3).entries()) {
      const since = new Date();
      const email = `applicant-${i}@example.com`;
      // One address per application, as the limits per address would otherwise stop the run.
      const request = appRequest("/apply", { form: { name, email, company: name, jobTitle: name, consent: "on" }, ip: `198.51.100.${i + 1}` });
      const applied = await outcome(apply.action(routeArgs(request)));
      expect(applied.status, name).toBe(302);
      expect(await db.application.findFirstOrThrow({ where: { email } })).toMatchObject({ name, company: name, jobTitle: name });
      await expectEmailsEscaped(since, [name], email);
    }
    for (const reason of chunks(2_000)) {
      const { application } = await createApplication({ status: "IN_REVIEW", name: OWASP_VECTORS[2] });
      const since = new Date();
      const rejected = await post(adminApplication.action, `/admin/applications/${application.id}`, { applicationId: application.id }, { intent: "reject", reason }, curator);
      expect(rejected.status).toBe(302);
      await expectEmailsEscaped(since, [reason, OWASP_VECTORS[2]], application.email);
    }
  });

  it("a roadmap item's title and a status note, in the voters' emails", async () => {
    for (const [i, note] of chunks(500).slice(0, 4).entries()) {
      const title = chunks(140)[i];
      const item = await createRoadmapItem({ title, status: "PLANNED" });
      await castVote({ userId: vic.id, tier: (await currentMembership(vic.id))?.tier }, item.id);
      const since = new Date();
      const changed = await post(roadmapItem.action, `/roadmap/${item.id}`, { itemId: item.id }, { intent: "status", status: i % 2 ? "DECLINED" : "SHIPPED", note }, curator);
      expect(changed.status).toBe(200);
      await expandPendingFanouts();
      await expectEmailsEscaped(since, [title, note], vic.email);
    }
  });

  it("a thread's title and the replier's name, in the reply notification", async () => {
    // Staff start and answer the threads: members may post 30 times in 10 minutes.
    const category = await createForumCategory();
    const titles = chunks(200).slice(0, 4);
    const names = chunks(120).slice(-4);
    for (const [i, title] of titles.entries()) {
      const renamed = await post(account.action, "/account", {}, { name: names[i % names.length], locale: "en", notifyReplies: "on" }, owner);
      expect(renamed.status).toBe(200);
      const started = await post(newThread.action, `/forum/${category.slug}/new`, { category: category.slug }, { title, body: "Opening." }, curator);
      expect(started.status).toBe(302);
      const threadId = started.location!.split("/").at(-1)!;
      expect((await db.forumThread.findUniqueOrThrow({ where: { id: threadId } })).title).toBe(title);
      const since = new Date();
      const replied = await post(thread.action, `/forum/t/${threadId}`, { threadId }, { intent: "reply", body: "A reply." }, owner);
      expect(replied.status).toBe(302);
      await expectEmailsEscaped(since, [title, names[i % names.length]], curator.email);
    }
  });

  it("the owner's follow-up template and the member's name, in the follow-up email", async () => {
    const member = await person({ tier: "community", name: MARKDOWN_AND_MUTATION_VECTORS[12] });
    await db.user.update({ where: { id: member.id }, data: { createdAt: new Date(Date.now() - 200 * 86_400_000) } });
    for (const body of chunks(4_990)) {
      const subject = chunks(190)[0];
      const saved = await post(followUp.action, "/admin/metrics/follow-up", {}, {
        followUpSubjectEn: subject,
        followUpBodyEn: `${body}\n{name}`,
        followUpSubjectRu: subject,
        followUpBodyRu: `${body}\n{name}`,
        detractorSubjectEn: subject,
        detractorBodyEn: `${body}\n{name}`,
        detractorSubjectRu: subject,
        detractorBodyRu: `${body}\n{name}`,
      }, owner);
      expect(saved.status).toBe(200);
      await db.memberFollowUp.deleteMany({ where: { memberId: member.id } });
      const since = new Date();
      const sent = await post(atRisk.action, "/admin/metrics/at-risk", {}, { intent: "follow-up", memberId: member.id }, owner);
      expect(sent.status, JSON.stringify(sent.data)).toBe(302);
      await expectEmailsEscaped(since, [subject, body, MARKDOWN_AND_MUTATION_VECTORS[12]], member.email);
    }
  });
});
