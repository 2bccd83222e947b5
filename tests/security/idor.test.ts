/**
 * Insecure direct object references: every route that takes an id, tried by a visitor,
 * by a member whose tier may not see the resource, and by a member who does not own it.
 * A visitor is sent to sign in; members get 403, or 404 where the app hides that the
 * resource exists (forum categories and threads their tier may not read, other people's
 * checkouts, unknown tokens). Each refusal is checked against a fingerprint of the
 * database: nothing changed. Each group also shows the rightful person getting in, so the
 * refusals cannot come from a broken fixture.
 */
import "../billing/without-stripe-keys";
import { beforeAll, describe, expect, it } from "vitest";
import { db } from "~/db.server";
import { currentMembership } from "~/billing/access.server";
import { addComment } from "~/roadmap/items.server";
import { castVote } from "~/roadmap/votes.server";
import * as adminApplication from "~/routes/admin.applications.$applicationId";
import * as adminForumCategory from "~/routes/admin.forum.$categoryId";
import * as adminInvites from "~/routes/admin.invites._index";
import * as adminMember from "~/routes/admin.members.$userId";
import * as atRisk from "~/routes/admin.metrics_.at-risk";
import * as followUp from "~/routes/admin.metrics_.follow-up";
import * as adminOutbox from "~/routes/admin.outbox";
import * as adminReports from "~/routes/admin.reports";
import * as adminTier from "~/routes/admin.tiers.$tierId";
import * as adminTiers from "~/routes/admin.tiers._index";
import * as applyStatus from "~/routes/apply_.status.$token";
import * as billing from "~/routes/billing._index";
import * as billingJoin from "~/routes/billing.join";
import * as testCheckout from "~/routes/billing.test-checkout.$sessionId";
import * as forumCategory from "~/routes/forum.$category";
import * as newThread from "~/routes/forum.$category_.new";
import * as forumPost from "~/routes/forum.p.$postId";
import * as editPost from "~/routes/forum.p.$postId_.edit";
import * as reportPost from "~/routes/forum.p.$postId_.report";
import * as thread from "~/routes/forum.t.$threadId";
import * as memberProfile from "~/routes/members.$id";
import * as vouch from "~/routes/members.vouch";
import * as roadmapItem from "~/routes/roadmap.$itemId";
import * as roadmapEdit from "~/routes/roadmap.$itemId_.edit";
import {
  createApplication,
  createForumCategory,
  createForumReply,
  createForumThread,
  createInviteCode,
  createRoadmapItem,
  ensureClubSettings,
  ensureTiers,
} from "../factories";
import { expectRefused, get, person, post, type Person } from "./support";

let owner: Person, curator: Person, alice: Person, bob: Person, pat: Person, vic: Person, lapsed: Person;
let tiers: Awaited<ReturnType<typeof ensureTiers>>;
let open: { id: string; slug: string }, proOnly: { id: string; slug: string }, readOnly: { id: string; slug: string };
let aliceThreadId: string, aliceOpeningId: string, aliceReplyId: string, bobReplyId: string;
let proThreadId: string, proOpeningId: string, proReplyId: string, readOnlyThreadId: string;
let itemId: string, otherItemId: string, aliceCommentId: string;
let application: { id: string; accessTokenHash: string }, applicationToken: string;

beforeAll(async () => {
  await ensureClubSettings();
  tiers = await ensureTiers();
  owner = await person({ role: "OWNER", tier: "private-client" });
  curator = await person({ role: "CURATOR", tier: "professional" });
  alice = await person({ tier: "community", name: "Alice Author" });
  bob = await person({ tier: "community", name: "Bob Bystander" });
  pat = await person({ tier: "professional", name: "Pat Professional" });
  vic = await person({ tier: "private-client", name: "Vic Voter" });
  lapsed = await person({ tier: "community", status: "CANCELED" });

  open = await createForumCategory({ access: { community: "post", professional: "post", "private-client": "post" } });
  proOnly = await createForumCategory({ nameEn: "Ask the CTO (secret title)", access: { professional: "post", "private-client": "post" } });
  readOnly = await createForumCategory({ access: { community: "read", professional: "post", "private-client": "post" } });

  const started = await createForumThread(alice, open, { title: "Alice's thread" });
  aliceThreadId = started.thread.id;
  aliceOpeningId = started.post.id;
  aliceReplyId = (await createForumReply(alice, aliceThreadId, "Alice adds something.")).id;
  bobReplyId = (await createForumReply(bob, aliceThreadId, "Bob answers.")).id;
  const pro = await createForumThread(pat, proOnly, { title: "Secret roadmap of the CTO" });
  proThreadId = pro.thread.id;
  proOpeningId = pro.post.id;
  proReplyId = (await createForumReply(vic, proThreadId, "Vic replies in the private category.")).id;
  readOnlyThreadId = (await createForumThread(pat, readOnly, { title: "Announcements" })).thread.id;

  const item = await createRoadmapItem({ authorId: curator.id, status: "PLANNED" });
  itemId = item.id;
  otherItemId = (await createRoadmapItem({ authorId: curator.id })).id;
  const added = await addComment(itemId, alice.id, "Alice's comment");
  if (!added.ok) throw new Error("could not comment");
  aliceCommentId = added.comment.id;
  await castVote({ userId: vic.id, tier: (await currentMembership(vic.id))?.tier }, itemId);

  const created = await createApplication({ status: "NEW" });
  application = created.application;
  applicationToken = created.token;
});

describe("forum threads, /forum/t/:threadId", () => {
  it("keeps a thread of a category the tier may not read hidden (404), and visitors out", async () => {
    const path = `/forum/t/${proThreadId}`;
    const params = { threadId: proThreadId };
    await expectRefused(() => get(thread.loader, path, params), "login", "visitor reads");
    await expectRefused(() => get(thread.loader, path, params, lapsed), 403, "member without a tier reads");
    const hidden = await expectRefused(() => get(thread.loader, path, params, alice), 404, "community member reads");
    expect(hidden.data).not.toContain("Secret");
    await expectRefused(() => post(thread.action, path, params, { intent: "reply", body: "Let me in" }), "login", "visitor replies");
    await expectRefused(() => post(thread.action, path, params, { intent: "reply", body: "Let me in" }, alice), 404, "community member replies");
    await expectRefused(() => post(thread.action, path, params, { intent: "helpful", postId: proReplyId }, alice), 404, "community member marks helpful");
    await expectRefused(() => get(thread.loader, `/forum/t/no-such-thread`, { threadId: "no-such-thread" }, vic), 404, "unknown thread");
    expect((await get(thread.loader, path, params, vic)).status).toBe(200);
  });

  it("refuses replies where the tier may only read (403)", async () => {
    const path = `/forum/t/${readOnlyThreadId}`;
    await expectRefused(() => post(thread.action, path, { threadId: readOnlyThreadId }, { intent: "reply", body: "Me too" }, alice), 403, "reply in a read-only category");
    expect((await get(thread.loader, path, { threadId: readOnlyThreadId }, alice)).status).toBe(200);
  });

  it("leaves moderation to curators and owners", async () => {
    const path = `/forum/t/${aliceThreadId}`;
    const params = { threadId: aliceThreadId };
    for (const intent of ["pin", "lock", "hide", "unhide", "unlock", "unpin"]) {
      await expectRefused(() => post(thread.action, path, params, { intent }, alice), 403, `the author tries to ${intent}`);
    }
    await expectRefused(() => post(thread.action, path, params, { intent: "move", categoryId: proOnly.id }, alice), 403, "the author moves the thread");
    await expectRefused(() => post(thread.action, path, params, { intent: "hide-post", postId: bobReplyId }, alice), 403, "a member hides another's post");
    await expectRefused(() => post(thread.action, path, params, { intent: "hide-post", postId: proReplyId }, bob), 403, "a member hides a post in another category");
  });
});

describe("forum posts, /forum/p/:postId, /edit and /report", () => {
  it("sends /forum/p/:postId of an unreadable category to 404", async () => {
    await expectRefused(() => get(forumPost.loader, `/forum/p/${proOpeningId}`, { postId: proOpeningId }), "login", "visitor");
    await expectRefused(() => get(forumPost.loader, `/forum/p/${proOpeningId}`, { postId: proOpeningId }, alice), 404, "community member");
    expect((await get(forumPost.loader, `/forum/p/${proOpeningId}`, { postId: proOpeningId }, vic)).status).toBe(302);
  });

  it("lets only the author edit or delete a post, whoever else asks", async () => {
    const path = `/forum/p/${aliceReplyId}/edit`;
    const params = { postId: aliceReplyId };
    await expectRefused(() => get(editPost.loader, path, params), "login", "visitor opens the editor");
    await expectRefused(() => post(editPost.action, path, params, { intent: "save", body: "pwned" }), "login", "visitor saves");
    await expectRefused(() => get(editPost.loader, path, params, lapsed), 403, "member without a tier opens the editor");
    await expectRefused(() => get(editPost.loader, path, params, bob), 403, "another member opens the editor");
    await expectRefused(() => post(editPost.action, path, params, { intent: "save", body: "Edited by someone else" }, bob), 403, "another member saves");
    // Curators and owners may edit a member's post to redact it (recorded as theirs), never delete it.
    for (const [who, label] of [
      [bob, "another member"],
      [curator, "a curator"],
      [owner, "the owner"],
    ] as const) {
      await expectRefused(() => post(editPost.action, path, params, { intent: "delete", confirm: "yes" }, who), 403, `${label} deletes`);
    }
    const opening = `/forum/p/${aliceOpeningId}/edit`;
    await expectRefused(
      () => post(editPost.action, opening, { postId: aliceOpeningId }, { intent: "save", title: "Renamed by Bob", body: "x" }, bob),
      403,
      "another member renames the thread",
    );
    expect((await get(editPost.loader, path, params, alice)).status).toBe(200);
  });

  it("answers 404 for the editor of a post in a category the member may not read", async () => {
    await expectRefused(() => get(editPost.loader, `/forum/p/${proOpeningId}/edit`, { postId: proOpeningId }, alice), 404, "community member opens the editor");
    await expectRefused(
      () => post(editPost.action, `/forum/p/${proOpeningId}/edit`, { postId: proOpeningId }, { intent: "delete" }, alice),
      404,
      "community member deletes",
    );
  });

  it("lets members report only posts they can read", async () => {
    const path = `/forum/p/${proReplyId}/report`;
    const params = { postId: proReplyId };
    await expectRefused(() => get(reportPost.loader, path, params), "login", "visitor opens the report form");
    await expectRefused(() => post(reportPost.action, path, params, { reason: "spam" }), "login", "visitor reports");
    await expectRefused(() => get(reportPost.loader, path, params, alice), 404, "community member opens the report form");
    await expectRefused(() => post(reportPost.action, path, params, { reason: "spam" }, alice), 404, "community member reports");
    await expectRefused(() => post(reportPost.action, path, params, { reason: "spam" }, lapsed), 403, "member without a tier reports");
    expect((await get(reportPost.loader, path, params, pat)).status).toBe(200);
  });

  it("hides categories the tier may not read and refuses new threads where it may only read", async () => {
    await expectRefused(() => get(forumCategory.loader, `/forum/${proOnly.slug}`, { category: proOnly.slug }, alice), 404, "community member opens the category");
    await expectRefused(
      () => post(newThread.action, `/forum/${proOnly.slug}/new`, { category: proOnly.slug }, { title: "Hello", body: "Hi" }, alice),
      404,
      "community member starts a thread in an unreadable category",
    );
    await expectRefused(
      () => post(newThread.action, `/forum/${readOnly.slug}/new`, { category: readOnly.slug }, { title: "Hello", body: "Hi" }, alice),
      403,
      "community member starts a thread in a read-only category",
    );
  });
});

describe("roadmap items, /roadmap/:itemId and /edit", () => {
  it("sends visitors to sign in and answers 404 for unknown items", async () => {
    await expectRefused(() => get(roadmapItem.loader, `/roadmap/${itemId}`, { itemId }), "login", "visitor reads");
    await expectRefused(() => post(roadmapItem.action, `/roadmap/${itemId}`, { itemId }, { intent: "comment", body: "hi" }), "login", "visitor comments");
    await expectRefused(() => get(roadmapItem.loader, "/roadmap/nope", { itemId: "nope" }, alice), 404, "unknown item");
    await expectRefused(() => post(roadmapItem.action, "/roadmap/nope", { itemId: "nope" }, { intent: "comment", body: "hi" }, alice), 404, "comment on an unknown item");
  });

  it("refuses votes from a tier that does not vote", async () => {
    for (const who of [alice, pat, lapsed]) {
      await expectRefused(() => post(roadmapItem.action, `/roadmap/${itemId}`, { itemId }, { intent: "vote" }, who), 403, `${who.name} votes`);
    }
  });

  it("lets only the author or staff delete a comment, and only on its own item", async () => {
    const path = `/roadmap/${itemId}`;
    await expectRefused(() => post(roadmapItem.action, path, { itemId }, { intent: "delete-comment", commentId: aliceCommentId }, bob), 403, "another member deletes the comment");
    await expectRefused(() => post(roadmapItem.action, path, { itemId }, { intent: "delete-comment", commentId: aliceCommentId }, vic), 403, "a voter deletes the comment");
    await expectRefused(
      () => post(roadmapItem.action, `/roadmap/${otherItemId}`, { itemId: otherItemId }, { intent: "delete-comment", commentId: aliceCommentId }, curator),
      404,
      "the comment through another item's address",
    );
  });

  it("leaves status changes to staff and merges to the owner", async () => {
    const path = `/roadmap/${itemId}`;
    for (const who of [alice, vic]) {
      await expectRefused(() => post(roadmapItem.action, path, { itemId }, { intent: "status", status: "SHIPPED" }, who), 403, `${who.name} changes the status`);
      await expectRefused(() => post(roadmapItem.action, path, { itemId }, { intent: "merge", intoId: otherItemId }, who), 403, `${who.name} merges`);
    }
    await expectRefused(() => post(roadmapItem.action, path, { itemId }, { intent: "merge", intoId: otherItemId }, curator), 403, "a curator merges");
  });

  it("leaves the editor to staff", async () => {
    const path = `/roadmap/${itemId}/edit`;
    const form = { title: "Hijacked", description: "x" };
    await expectRefused(() => get(roadmapEdit.loader, path, { itemId }), "login", "visitor opens the editor");
    await expectRefused(() => post(roadmapEdit.action, path, { itemId }, form), "login", "visitor saves");
    for (const who of [alice, vic, lapsed]) {
      await expectRefused(() => get(roadmapEdit.loader, path, { itemId }, who), 403, `${who.name} opens the editor`);
      await expectRefused(() => post(roadmapEdit.action, path, { itemId }, form, who), 403, `${who.name} saves`);
    }
    expect((await get(roadmapEdit.loader, path, { itemId }, curator)).status).toBe(200);
  });
});

describe("applications, /admin/applications/:applicationId and /apply/status/:token", () => {
  it("shows and decides applications only for curators and owners", async () => {
    const path = `/admin/applications/${application.id}`;
    const params = { applicationId: application.id };
    await expectRefused(() => get(adminApplication.loader, path, params), "login", "visitor reads");
    for (const intent of ["approve", "waitlist", "reissue"]) {
      await expectRefused(() => post(adminApplication.action, path, params, { intent }), "login", `visitor ${intent}s`);
    }
    for (const who of [alice, vic]) {
      await expectRefused(() => get(adminApplication.loader, path, params, who), 403, `${who.name} reads`);
      await expectRefused(() => post(adminApplication.action, path, params, { intent: "approve" }, who), 403, `${who.name} approves`);
      await expectRefused(() => post(adminApplication.action, path, params, { intent: "reject", reason: "no" }, who), 403, `${who.name} rejects`);
      await expectRefused(() => post(adminApplication.action, path, params, { intent: "review", comment: "x" }, who), 403, `${who.name} reviews`);
    }
    await expectRefused(() => get(adminApplication.loader, "/admin/applications/nope", { applicationId: "nope" }, curator), 404, "unknown application");
    expect((await get(adminApplication.loader, path, params, curator)).status).toBe(200);
  });

  it("shows an applicant's status only for their own token", async () => {
    const status = (token: string) => get(applyStatus.loader, `/apply/status/${token}`, { token });
    for (const [token, label] of [
      [application.id, "the application's id"],
      [application.accessTokenHash, "the stored hash of the token"],
      [applicationToken.slice(0, -1) + (applicationToken.endsWith("a") ? "b" : "a"), "a token one letter off"],
      [applicationToken.toUpperCase() + "x", "a longer token"],
    ]) {
      const refused = await expectRefused(() => status(token), 404, label);
      expect(refused.data).toEqual({ application: null });
    }
    const own = await status(applicationToken);
    expect(own.status).toBe(200);
    expect(own.headers.get("Cache-Control")).toBe("no-store");
  });
});

describe("billing, /billing, its checkout pages, and /admin/members/:userId", () => {
  it("never opens another member's billing portal", async () => {
    await db.user.update({ where: { id: bob.id }, data: { stripeCustomerId: "cus_bob_secret" } });
    await expectRefused(() => post(billing.action, "/billing", {}, { intent: "portal", customer: "cus_bob_secret" }, alice), 403, "alice opens bob's portal");
    await expectRefused(() => post(billing.action, "/billing", {}, { intent: "portal", customer: "cus_bob_secret" }), "login", "visitor opens bob's portal");
  });

  it("keeps a checkout session to the member who started it", async () => {
    const started = await post(billingJoin.action, "/billing/join", {}, { tierId: tiers.professional.id, interval: "MONTH", attempt: "bob-attempt-0123456789" }, bob);
    expect(started.status).toBe(302);
    const sessionPath = started.location!;
    const sessionId = sessionPath.split("/").at(-1)!;
    const params = { sessionId };
    await expectRefused(() => get(testCheckout.loader, sessionPath, params), "login", "visitor opens the checkout");
    await expectRefused(() => get(testCheckout.loader, sessionPath, params, alice), 404, "alice opens bob's checkout");
    await expectRefused(() => post(testCheckout.action, sessionPath, params, { intent: "pay" }, alice), 404, "alice pays bob's checkout");
    await expectRefused(() => post(testCheckout.action, sessionPath, params, { intent: "cancel" }, alice), 404, "alice cancels bob's checkout");
    expect((await get(testCheckout.loader, sessionPath, params, bob)).status).toBe(200);
  });

  it("shows a member their own payments only", async () => {
    await db.ledgerEntry.create({ data: { userId: bob.id, kind: "INVOICE_PAID", amount: 987_654, currency: "eur", occurredAt: new Date() } });
    const page = await get(billing.loader, "/billing", {}, alice);
    expect(page.status).toBe(200);
    expect(JSON.stringify(page.data)).not.toContain("987654");
    expect(JSON.stringify((await get(billing.loader, "/billing", {}, bob)).data)).toContain("987654");
  });

  it("shows a member's billing record to staff only, and lets only the owner change it", async () => {
    const path = `/admin/members/${bob.id}`;
    const params = { userId: bob.id };
    await expectRefused(() => get(adminMember.loader, path, params), "login", "visitor reads");
    await expectRefused(() => post(adminMember.action, path, params, { intent: "grant", tierId: tiers["private-client"].id }), "login", "visitor grants");
    for (const who of [alice, vic]) {
      await expectRefused(() => get(adminMember.loader, path, params, who), 403, `${who.name} reads`);
    }
    for (const who of [alice, vic, curator]) {
      await expectRefused(() => post(adminMember.action, path, params, { intent: "grant", tierId: tiers["private-client"].id }, who), 403, `${who.name} grants`);
      await expectRefused(() => post(adminMember.action, path, params, { intent: "role", role: "CURATOR" }, who), 403, `${who.name} promotes`);
      await expectRefused(() => post(adminMember.action, path, params, { intent: "revoke" }, who), 403, `${who.name} revokes`);
    }
    await expectRefused(
      () => post(adminMember.action, `/admin/members/${alice.id}`, { userId: alice.id }, { intent: "role", role: "CURATOR" }, alice),
      403,
      "alice promotes herself",
    );
    await expectRefused(() => get(adminMember.loader, "/admin/members/nope", { userId: "nope" }, curator), 404, "unknown member");
    expect((await get(adminMember.loader, path, params, curator)).status).toBe(200);
  });
});

describe("member profiles, /members/:id", () => {
  it("shows profiles to members only, with posts only from categories the reader may read", async () => {
    const path = `/members/${pat.id}`;
    await expectRefused(() => get(memberProfile.loader, path, { id: pat.id }), "login", "visitor");
    await expectRefused(() => get(memberProfile.loader, path, { id: pat.id }, lapsed), 403, "member without a tier");
    await expectRefused(() => get(memberProfile.loader, "/members/nope", { id: "nope" }, alice), 404, "unknown member");
    const seenByAlice = await get(memberProfile.loader, path, { id: pat.id }, alice);
    expect(seenByAlice.status).toBe(200);
    const titles = (seenByAlice.data as { recentPosts: Array<{ threadTitle: string }> }).recentPosts.map((p) => p.threadTitle);
    expect(titles).toEqual(["Announcements"]);
    expect(JSON.stringify(seenByAlice.data)).not.toContain("Secret");
    const seenByVic = (await get(memberProfile.loader, path, { id: pat.id }, vic)).data as { recentPosts: Array<{ threadTitle: string }> };
    expect(seenByVic.recentPosts.map((p) => p.threadTitle).sort()).toEqual(["Announcements", "Secret roadmap of the CTO"]);
  });
});

describe("owner's pages, /admin/forum/:categoryId and /admin/tiers/:tierId", () => {
  it("leaves forum categories to the owner", async () => {
    const path = `/admin/forum/${proOnly.id}`;
    const params = { categoryId: proOnly.id };
    const form = { slug: proOnly.slug, nameEn: "Renamed", nameRu: "Renamed", position: "0", [`access.${tiers.community.id}`]: "post" };
    await expectRefused(() => get(adminForumCategory.loader, path, params), "login", "visitor reads");
    await expectRefused(() => post(adminForumCategory.action, path, params, form), "login", "visitor saves");
    for (const who of [alice, vic, curator]) {
      await expectRefused(() => get(adminForumCategory.loader, path, params, who), 403, `${who.name} reads`);
      await expectRefused(() => post(adminForumCategory.action, path, params, form, who), 403, `${who.name} opens the category to community`);
      await expectRefused(() => post(adminForumCategory.action, path, params, { intent: "delete" }, who), 403, `${who.name} deletes`);
    }
    await expectRefused(() => get(adminForumCategory.loader, "/admin/forum/nope", { categoryId: "nope" }, owner), 404, "unknown category");
    expect((await get(adminForumCategory.loader, path, params, owner)).status).toBe(200);
  });

  it("leaves tiers to the owner", async () => {
    const tier = tiers["private-client"];
    const path = `/admin/tiers/${tier.id}`;
    const params = { tierId: tier.id };
    const form = { nameEn: "Free VIP", nameRu: "Free VIP", position: "3", currency: "eur", monthlyPrice: "0.01", voteWeight: "100", referralQuota: "1000", canVote: "on" };
    await expectRefused(() => get(adminTier.loader, path, params), "login", "visitor reads");
    await expectRefused(() => post(adminTier.action, path, params, form), "login", "visitor saves");
    for (const who of [alice, vic, curator]) {
      await expectRefused(() => get(adminTier.loader, path, params, who), 403, `${who.name} reads`);
      await expectRefused(() => post(adminTier.action, path, params, form, who), 403, `${who.name} reprices`);
      await expectRefused(() => post(adminTiers.action, "/admin/tiers", {}, { intent: "archive", tierId: tier.id }, who), 403, `${who.name} archives`);
    }
    await expectRefused(() => get(adminTier.loader, "/admin/tiers/nope", { tierId: "nope" }, owner), 404, "unknown tier");
    expect((await get(adminTier.loader, path, params, owner)).status).toBe(200);
  });

  it("leaves invites, the outbox and the follow-up template to the owner, reports and notes to staff, vouching to tiers with a quota", async () => {
    const { invite } = await createInviteCode();
    const report = await db.forumReport.create({ data: { postId: bobReplyId, reporterId: alice.id, reason: "rude" } });
    for (const who of [alice, curator]) {
      await expectRefused(() => post(adminInvites.action, "/admin/invites", {}, { intent: "revoke", inviteId: invite.id }, who), 403, `${who.name} revokes an invite`);
      await expectRefused(() => post(adminInvites.action, "/admin/invites", {}, { intent: "issue", count: "5", validDays: "30" }, who), 403, `${who.name} issues invites`);
      await expectRefused(() => get(adminOutbox.loader, "/admin/outbox", {}, who), 403, `${who.name} reads the outbox`);
      await expectRefused(
        () =>
          post(followUp.action, "/admin/metrics/follow-up", {}, { followUpSubjectEn: "x", followUpBodyEn: "x", followUpSubjectRu: "x", followUpBodyRu: "x" }, who),
        403,
        `${who.name} rewrites the follow-up email`,
      );
    }
    await expectRefused(
      () => post(adminReports.action, "/admin/reports", {}, { intent: "resolve", reportId: report.id, note: "fine", hidePost: "on" }, bob),
      403,
      "the reported member resolves the report",
    );
    await expectRefused(() => post(atRisk.action, "/admin/metrics/at-risk", {}, { intent: "note", memberId: bob.id, note: "x" }, alice), 403, "a member writes an at-risk note");
    await expectRefused(() => post(atRisk.action, "/admin/metrics/at-risk", {}, { intent: "follow-up", memberId: bob.id }, alice), 403, "a member sends a follow-up");
    await expectRefused(
      () => post(vouch.action, "/members/vouch", {}, { name: "Friend", email: "friend@example.com", locale: "en" }, alice),
      403,
      "a community member (no referral quota) vouches",
    );
  });
});
