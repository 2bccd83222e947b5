/**
 * Mass assignment: each form below is submitted with the fields it really has plus the
 * ones an attacker would add (role, tier, tierId, userId, authorId, amount, status,
 * weight, ids of other rows...). The database must hold what the form is for, and
 * nothing the extra fields asked for.
 */
import "../billing/without-stripe-keys";
import { beforeAll, describe, expect, it } from "vitest";
import { db } from "~/db.server";
import * as adminMember from "~/routes/admin.members.$userId";
import * as adminTier from "~/routes/admin.tiers.$tierId";
import * as account from "~/routes/account";
import * as apply from "~/routes/apply";
import * as billingJoin from "~/routes/billing.join";
import * as testCheckout from "~/routes/billing.test-checkout.$sessionId";
import * as newThread from "~/routes/forum.$category_.new";
import * as editPost from "~/routes/forum.p.$postId_.edit";
import * as reportPost from "~/routes/forum.p.$postId_.report";
import * as thread from "~/routes/forum.t.$threadId";
import * as invite from "~/routes/invite.$token";
import * as vouch from "~/routes/members.vouch";
import * as roadmapItem from "~/routes/roadmap.$itemId";
import * as roadmapNew from "~/routes/roadmap.new";
import * as board from "~/routes/roadmap._index";
import {
  createCriterion,
  createForumCategory,
  createForumReply,
  createForumThread,
  createInviteCode,
  createRoadmapItem,
  ensureClubSettings,
  ensureTiers,
} from "../factories";
import { fingerprint, person, post, type Person } from "./support";

let tiers: Awaited<ReturnType<typeof ensureTiers>>;
let owner: Person, alice: Person, bob: Person, pat: Person, vic: Person;
let open: { id: string; slug: string }, proOnly: { id: string; slug: string };

/** What an attacker adds to every form. */
function extras(ids: { otherUserId: string; otherThreadId?: string; otherCategoryId?: string; otherItemId?: string }) {
  return {
    id: "forged-id",
    role: "OWNER",
    tier: "private-client",
    tierId: tiers["private-client"].id,
    userId: ids.otherUserId,
    authorId: ids.otherUserId,
    voucherId: ids.otherUserId,
    reporterId: ids.otherUserId,
    amount: "1",
    currency: "usd",
    status: "APPROVED",
    weight: "1000",
    voteWeight: "1000",
    voteCount: "999",
    weightedVotes: "999",
    canVote: "on",
    pinned: "on",
    lockedAt: "2020-01-01",
    hiddenAt: "2020-01-01",
    deletedAt: "2020-01-01",
    isOpening: "on",
    mergedIntoId: ids.otherItemId ?? "x",
    threadId: ids.otherThreadId ?? "x",
    categoryId: ids.otherCategoryId ?? "x",
    stripeCustomerId: "cus_forged",
    emailVerifiedAt: "2020-01-01",
    passwordHash: "forged",
    createdAt: "2000-01-01",
  };
}

beforeAll(async () => {
  await ensureClubSettings();
  tiers = await ensureTiers();
  owner = await person({ role: "OWNER", tier: "private-client" });
  alice = await person({ tier: "community", name: "Alice Author" });
  bob = await person({ tier: "community", name: "Bob Bystander" });
  pat = await person({ tier: "professional", name: "Pat Professional" });
  vic = await person({ tier: "private-client", name: "Vic Voter" });
  open = await createForumCategory();
  proOnly = await createForumCategory({ access: { professional: "post", "private-client": "post" } });
});

describe("applying, /apply, and redeeming an invite, /invite/:token", () => {
  it("stores an unverified application with the form's fields and answers to real criteria only", async () => {
    const scale = await createCriterion({ kind: "SCALE", required: true });
    const text = await createCriterion({ kind: "TEXT", required: false });
    const { invite: unusedInvite } = await createInviteCode();
    const email = "mallory.applicant@example.com";
    const result = await post(apply.action, "/apply", {}, {
      ...extras({ otherUserId: owner.id }),
      name: "Mallory Applicant",
      email,
      company: "Evil Corp",
      jobTitle: "Intruder",
      consent: "on",
      [`answers.${scale.id}`]: "5",
      [`answers.${text.id}`]: "Because.",
      "answers.not-a-criterion": "smuggled",
      vouchId: "forged-vouch",
      inviteCodeId: unusedInvite.id,
      accessTokenHash: "forged",
      decidedAt: "2020-01-01",
    });
    expect(result.status).toBe(302);
    const application = await db.application.findFirstOrThrow({ where: { email }, include: { answers: true } });
    expect(application).toMatchObject({ status: "UNVERIFIED", emailVerifiedAt: null, vouchId: null, inviteCodeId: null, name: "Mallory Applicant" });
    expect(application.accessTokenHash).not.toBe("forged");
    expect(application.createdAt.getFullYear()).toBeGreaterThan(2020);
    expect(application.answers.map((a) => a.criterionId).sort()).toEqual([scale.id, text.id].sort());
    expect(await db.user.count({ where: { email } })).toBe(0);
    expect((await db.invite.findUniqueOrThrow({ where: { id: unusedInvite.id } })).usedAt).toBeNull();
  });

  it("makes an invitee a plain member with no tier, whatever the form says", async () => {
    const { code } = await createInviteCode();
    const email = "mallory.invitee@example.com";
    const result = await post(invite.action, `/invite/${code}`, { token: code }, {
      ...extras({ otherUserId: owner.id }),
      name: "Mallory Invitee",
      email,
      password: "a long and unusual passphrase 42",
      confirmPassword: "a long and unusual passphrase 42",
    });
    expect(result.status).toBe(302);
    const user = await db.user.findUniqueOrThrow({ where: { email }, include: { subscriptions: true } });
    expect(user).toMatchObject({ role: "MEMBER", stripeCustomerId: null, emailVerifiedAt: null });
    expect(user.id).not.toBe("forged-id");
    expect(user.passwordHash).not.toBe("forged");
    expect(user.subscriptions).toEqual([]);
  });
});

describe("the account, /account", () => {
  it("changes only the member's own profile fields", async () => {
    const bobBefore = await db.user.findUniqueOrThrow({ where: { id: bob.id } });
    const aliceBefore = await db.user.findUniqueOrThrow({ where: { id: alice.id } });
    const subscriptionsBefore = await db.subscription.findMany({ orderBy: { id: "asc" } });
    const result = await post(account.action, "/account", {}, {
      ...extras({ otherUserId: bob.id }),
      name: "Alice Renamed",
      company: "Acme",
      jobTitle: "CTO",
      locale: "ru",
      email: "alice.hijacked@example.com",
      deactivatedAt: "2020-01-01",
    }, alice);
    expect(result.status).toBe(200);
    const after = await db.user.findUniqueOrThrow({ where: { id: alice.id } });
    expect(after).toMatchObject({ name: "Alice Renamed", company: "Acme", jobTitle: "CTO", locale: "ru" });
    expect(after).toMatchObject({
      id: aliceBefore.id,
      email: aliceBefore.email,
      role: "MEMBER",
      passwordHash: aliceBefore.passwordHash,
      stripeCustomerId: null,
      deactivatedAt: null,
      emailVerifiedAt: aliceBefore.emailVerifiedAt,
      createdAt: aliceBefore.createdAt,
    });
    expect(await db.user.findUniqueOrThrow({ where: { id: bob.id } })).toEqual(bobBefore);
    expect(await db.subscription.findMany({ orderBy: { id: "asc" } })).toEqual(subscriptionsBefore);
  });
});

describe("the forum", () => {
  it("edits only the body of a reply: not its author, thread, category, state, nor the thread's title", async () => {
    const started = await createForumThread(alice, open, { title: "Original title" });
    const elsewhere = await createForumThread(pat, proOnly, { title: "Elsewhere" });
    const reply = await createForumReply(alice, started.thread.id, "First version.");
    const result = await post(editPost.action, `/forum/p/${reply.id}/edit`, { postId: reply.id }, {
      ...extras({ otherUserId: bob.id, otherThreadId: elsewhere.thread.id, otherCategoryId: proOnly.id }),
      intent: "save",
      title: "Hijacked title",
      body: "Second version.",
    }, alice);
    expect(result.status).toBe(302);
    const after = await db.forumPost.findUniqueOrThrow({ where: { id: reply.id } });
    expect(after).toMatchObject({
      body: "Second version.",
      authorId: alice.id,
      threadId: started.thread.id,
      categoryId: open.id,
      isOpening: false,
      hiddenAt: null,
      deletedAt: null,
      title: null,
      createdAt: reply.createdAt,
    });
    const threadAfter = await db.forumThread.findUniqueOrThrow({ where: { id: started.thread.id } });
    expect(threadAfter).toMatchObject({ title: "Original title", pinned: false, lockedAt: null, hiddenAt: null, categoryId: open.id });
    expect((await db.forumThread.findUniqueOrThrow({ where: { id: elsewhere.thread.id } })).replyCount).toBe(0);
  });

  it("writes a reply by the reader, into the thread of the address", async () => {
    const started = await createForumThread(alice, open);
    const elsewhere = await createForumThread(pat, proOnly);
    const result = await post(thread.action, `/forum/t/${started.thread.id}`, { threadId: started.thread.id }, {
      ...extras({ otherUserId: pat.id, otherThreadId: elsewhere.thread.id, otherCategoryId: proOnly.id }),
      intent: "reply",
      body: "My reply.",
      postId: elsewhere.post.id,
    }, bob);
    expect(result.status).toBe(302);
    const replies = await db.forumPost.findMany({ where: { body: "My reply." } });
    expect(replies).toHaveLength(1);
    expect(replies[0]).toMatchObject({ authorId: bob.id, threadId: started.thread.id, categoryId: open.id, isOpening: false, hiddenAt: null });
    expect(await db.forumPost.count({ where: { threadId: elsewhere.thread.id } })).toBe(1);
  });

  it("starts a thread in the category of the address, by the reader, neither pinned nor locked", async () => {
    const result = await post(newThread.action, `/forum/${open.slug}/new`, { category: open.slug }, {
      ...extras({ otherUserId: pat.id, otherCategoryId: proOnly.id }),
      title: "A new thread",
      body: "Its opening post.",
    }, bob);
    expect(result.status).toBe(302);
    const started = await db.forumThread.findFirstOrThrow({ where: { title: "A new thread" } });
    expect(started).toMatchObject({ categoryId: open.id, authorId: bob.id, pinned: false, lockedAt: null, hiddenAt: null, deletedAt: null });
    expect(started.createdAt.getFullYear()).toBeGreaterThan(2020);
  });

  it("files a report as the reader, open", async () => {
    const started = await createForumThread(pat, open);
    const result = await post(reportPost.action, `/forum/p/${started.post.id}/report`, { postId: started.post.id }, {
      ...extras({ otherUserId: vic.id }),
      reason: "Advertising.",
      status: "RESOLVED",
      resolvedById: owner.id,
      resolutionNote: "forged",
    }, alice);
    expect(result.status).toBe(302);
    const report = await db.forumReport.findFirstOrThrow({ where: { postId: started.post.id } });
    expect(report).toMatchObject({ reporterId: alice.id, reason: "Advertising.", status: "OPEN", resolvedById: null, resolutionNote: null });
  });
});

describe("the roadmap", () => {
  it("keeps a member's suggestion under review, theirs, without votes, quarter or merge", async () => {
    const other = await createRoadmapItem();
    const result = await post(roadmapNew.action, "/roadmap/new", {}, {
      ...extras({ otherUserId: vic.id, otherItemId: other.id }),
      title: "Dark mode",
      description: "Please.",
      status: "SHIPPED",
      targetQuarter: "2027-Q1",
    }, alice);
    expect(result.status).toBe(302);
    const item = await db.roadmapItem.findFirstOrThrow({ where: { title: "Dark mode" } });
    expect(item).toMatchObject({ status: "UNDER_REVIEW", authorId: alice.id, voteCount: 0, weightedVotes: 0, targetQuarter: null, mergedIntoId: null });
    expect(await db.roadmapStatusChange.findMany({ where: { itemId: item.id }, select: { toStatus: true, changedById: true } })).toEqual([
      { toStatus: "UNDER_REVIEW", changedById: alice.id },
    ]);
  });

  it("weighs a vote by the voter's tier, for the voter, whatever the form says", async () => {
    const item = await createRoadmapItem({ status: "PLANNED" });
    const forged = { ...extras({ otherUserId: bob.id }), intent: "vote", itemId: item.id };
    const cast = await post(board.action, "/roadmap?index", {}, forged, vic);
    expect(cast.status).toBe(200);
    expect(await db.roadmapVote.findMany({ where: { itemId: item.id }, select: { userId: true, weight: true } })).toEqual([{ userId: vic.id, weight: 3 }]);
    expect(await db.roadmapItem.findUniqueOrThrow({ where: { id: item.id } })).toMatchObject({ voteCount: 1, weightedVotes: 3 });

    const refused = await post(board.action, "/roadmap?index", {}, forged, pat);
    expect(refused.status).toBe(403);
    expect(await db.roadmapVote.count({ where: { itemId: item.id } })).toBe(1);
  });

  it("signs a comment with the commenter's name", async () => {
    const item = await createRoadmapItem();
    const result = await post(roadmapItem.action, `/roadmap/${item.id}`, { itemId: item.id }, {
      ...extras({ otherUserId: vic.id }),
      intent: "comment",
      body: "Mine.",
      itemId: "another-item",
    }, alice);
    expect(result.status).toBe(200);
    expect(await db.roadmapComment.findMany({ where: { bodyMd: "Mine." }, select: { itemId: true, authorId: true, deletedAt: true } })).toEqual([
      { itemId: item.id, authorId: alice.id, deletedAt: null },
    ]);
  });
});

describe("billing", () => {
  it("charges the tier's own price in checkout and payment, for the member who pays", async () => {
    const started = await post(billingJoin.action, "/billing/join", {}, {
      ...extras({ otherUserId: bob.id }),
      tierId: tiers.professional.id,
      interval: "MONTH",
      attempt: "mass-assignment-attempt-01",
      priceId: "price_cheap",
      monthlyAmount: "1",
    }, pat);
    expect(started.status).toBe(302);
    const sessionId = started.location!.split("/").at(-1)!;
    expect(await db.testCheckoutSession.findUniqueOrThrow({ where: { id: sessionId } })).toMatchObject({
      userId: pat.id,
      tierId: tiers.professional.id,
      amount: tiers.professional.monthlyAmount,
      currency: tiers.professional.currency,
      priceId: "price_test_professional_month",
    });
    const paid = await post(testCheckout.action, started.location!, { sessionId }, { ...extras({ otherUserId: bob.id }), intent: "pay" }, pat);
    expect(paid.status).toBe(302);
    const open = await db.subscription.findFirstOrThrow({ where: { userId: pat.id, endedAt: null, stripeSubscriptionId: { not: null } } });
    expect(open).toMatchObject({ tierId: tiers.professional.id, amount: tiers.professional.monthlyAmount, status: "ACTIVE" });
    expect(await db.subscription.count({ where: { userId: bob.id } })).toBe(1);
  });

  it("grants a complimentary membership at no charge, and never makes another owner", async () => {
    const member = await person({ tier: null });
    const path = `/admin/members/${member.id}`;
    const grant = await post(adminMember.action, path, { userId: member.id }, {
      ...extras({ otherUserId: bob.id }),
      intent: "grant",
      tierId: tiers.professional.id,
      status: "ACTIVE",
      amount: "9900",
      interval: "YEAR",
      stripeSubscriptionId: "sub_forged",
    }, owner);
    expect(grant.status).toBe(200);
    expect(await db.subscription.findMany({ where: { userId: member.id }, select: { tierId: true, status: true, amount: true, stripeSubscriptionId: true, endedAt: true } })).toEqual([
      { tierId: tiers.professional.id, status: "COMPLIMENTARY", amount: 0, stripeSubscriptionId: null, endedAt: null },
    ]);
    const before = await fingerprint();
    const promote = await post(adminMember.action, path, { userId: member.id }, { intent: "role", role: "OWNER" }, owner);
    expect(promote.status).toBe(400);
    expect(await fingerprint()).toEqual(before);
  });

  it("keeps a tier's slug when the owner edits it", async () => {
    const tier = tiers.community;
    const result = await post(adminTier.action, `/admin/tiers/${tier.id}`, { tierId: tier.id }, {
      ...extras({ otherUserId: bob.id }),
      slug: "renamed-slug",
      nameEn: "Community",
      nameRu: "Community",
      position: "1",
      currency: "eur",
      monthlyPrice: "29",
      yearlyPrice: "290",
      voteWeight: "1",
      referralQuota: "0",
      archivedAt: "2020-01-01",
    }, owner);
    expect(result.status).toBe(302);
    expect(await db.tier.findUniqueOrThrow({ where: { id: tier.id } })).toMatchObject({ slug: "community", archivedAt: null, id: tier.id });
  });
});

describe("vouching, /members/vouch", () => {
  it("records the vouch as the voucher's own", async () => {
    const result = await post(vouch.action, "/members/vouch", {}, {
      ...extras({ otherUserId: vic.id }),
      name: "A Friend",
      email: "friend.of.pat@example.com",
      locale: "en",
      tokenHash: "forged",
    }, pat);
    expect(result.status).toBe(200);
    const vouches = await db.vouch.findMany({ where: { email: "friend.of.pat@example.com" } });
    expect(vouches).toHaveLength(1);
    expect(vouches[0].voucherId).toBe(pat.id);
    expect(vouches[0].tokenHash).not.toBe("forged");
    expect(await db.vouch.count({ where: { voucherId: vic.id } })).toBe(0);
  });
});
