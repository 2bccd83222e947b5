/**
 * Every staff action writes one audit row in its own transaction: who, what, the subject, the
 * values before and after, and never a member's name or email. A refused or failing action
 * writes none.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { changeMemberRole, grantComplimentary, revokeComplimentary } from "~/billing/members.server";
import { recordRefund } from "~/billing/ledger.server";
import { saveTier, setPastDueGraceDays, setTierArchived } from "~/billing/tiers.server";
import { createCriterion as addCriterion, moveCriterion, removeCriterion, restoreCriterion, updateCriterion } from "~/admission/criteria.server";
import { decideApplication, reissueApprovalInvite, saveReview } from "~/admission/applications.server";
import { issueInviteCodes, revokeInvite } from "~/admission/invites.server";
import { db } from "~/db.server";
import { forumReaderById } from "~/forum/access.server";
import { deleteCategory, moveCategory, saveCategory } from "~/forum/categories.server";
import { moderateThread, restorePost, setPostHidden } from "~/forum/moderation.server";
import { deletePost, editPost } from "~/forum/posts.server";
import { reportPost, resolveReport } from "~/forum/reports.server";
import { addNote, markContacted, saveFollowUpTemplate } from "~/metrics/at-risk.server";
import { addComment, changeItemStatus, deleteComment, mergeItems, updateItem } from "~/roadmap/items.server";
import {
  createApplication,
  createCriterion,
  createForumCategory,
  createForumReply,
  createForumThread,
  createRoadmapItem,
  createUser,
  ensureClubSettings,
  ensureTiers,
} from "../factories";

let owner: Awaited<ReturnType<typeof createUser>>;
let curator: Awaited<ReturnType<typeof createUser>>;
let tiers: Awaited<ReturnType<typeof ensureTiers>>;
beforeAll(async () => {
  await ensureClubSettings();
  tiers = await ensureTiers();
  owner = await createUser({ role: "OWNER", tier: null, name: "Alexandra Owner" });
  curator = await createUser({ role: "CURATOR", tier: "professional", name: "Marina Curator" });
});

/** The rows an action wrote: everything after the last id seen before it. */
async function rowsAfter(run: () => Promise<unknown>) {
  const last = await db.auditEntry.findFirst({ orderBy: { id: "desc" }, select: { id: true } });
  await run().catch((error) => {
    if (error instanceof Response || error instanceof Error) return;
    throw error;
  });
  return db.auditEntry.findMany({ where: { id: { gt: last?.id ?? 0n } }, orderBy: { id: "asc" } });
}

const textOf = (value: unknown) => JSON.stringify(value, (_key, v) => (typeof v === "bigint" ? String(v) : v));

async function one(run: () => Promise<unknown>) {
  const rows = await rowsAfter(run);
  expect(rows).toHaveLength(1);
  return rows[0];
}

describe("admission", () => {
  it("a review, a decision and a reissued invite each write one row; a refused decision writes none", async () => {
    const criterion = await createCriterion({ kind: "SCALE" });
    const { application } = await createApplication({ status: "NEW", answers: { [criterion.id]: "4" } });

    const review = await one(() => saveReview(application.id, curator.id, { scores: { [criterion.id]: "5" }, comment: "Strong fit" }));
    expect(review).toMatchObject({ actorId: curator.id, action: "application.review", subjectType: "Application", subjectId: application.id, before: { status: "NEW" } });
    expect(review.after).toMatchObject({ status: "IN_REVIEW", scores: { [criterion.id]: 5 } });

    const decision = await one(() => decideApplication(application.id, owner.id, { kind: "APPROVE" }));
    expect(decision).toMatchObject({
      actorId: owner.id,
      action: "application.decision",
      subjectId: application.id,
      before: { status: "IN_REVIEW" },
      after: { status: "APPROVED", decision: "APPROVE" },
    });

    expect(await rowsAfter(() => decideApplication(application.id, owner.id, { kind: "REJECT", reason: "Too late" }))).toEqual([]);
    expect(await rowsAfter(() => reissueApprovalInvite(application.id, owner.id))).toEqual([]); // the first link is still valid

    await db.invite.updateMany({ where: { applicationId: application.id }, data: { expiresAt: new Date(Date.now() - 1000) } });
    const reissued = await one(() => reissueApprovalInvite(application.id, owner.id));
    expect(reissued).toMatchObject({ actorId: owner.id, action: "invite.create", subjectType: "Application", subjectId: application.id, after: { source: "APPROVAL", reissued: true } });

    const waitlisted = await createApplication({ status: "NEW" });
    expect(await one(() => decideApplication(waitlisted.application.id, curator.id, { kind: "WAITLIST" }))).toMatchObject({
      before: { status: "NEW" },
      after: { status: "WAITLISTED", decision: "WAITLIST" },
    });
  });

  it("criteria edits, moves, removals and restores are recorded; a refused edit writes none", async () => {
    const input = { intent: "create" as const, kind: "SCALE" as const, titleEn: "Readiness", titleRu: "Готовность", required: true, descriptionEn: "", descriptionRu: "", optionsEn: "", optionsRu: "" };
    const [created] = await rowsAfter(() => addCriterion(input, owner.id));
    expect(created).toMatchObject({ actorId: owner.id, action: "criteria.update", subjectType: "AdmissionCriterion", after: { change: "create", titleEn: "Readiness" } });
    const id = created.subjectId!;

    const updated = await one(() => updateCriterion(id, { ...input, titleEn: "Readiness to co-innovate" }, owner.id));
    expect(updated).toMatchObject({ before: { titleEn: "Readiness" }, after: { change: "update", titleEn: "Readiness to co-innovate" } });

    await createCriterion({ kind: "TEXT" });
    expect(await one(() => moveCriterion(id, "down", owner.id))).toMatchObject({ after: { change: "move", direction: "down" } });

    const { application } = await createApplication({ answers: { [id]: "3" } });
    expect(application.id).toBeTruthy();
    expect(await rowsAfter(() => updateCriterion(id, { ...input, kind: "TEXT" }, owner.id))).toEqual([]); // answered: the kind is locked

    expect(await one(() => removeCriterion(id, owner.id))).toMatchObject({ after: { change: "archived" } });
    expect(await one(() => restoreCriterion(id, owner.id))).toMatchObject({ before: { archived: true }, after: { change: "restore", archived: false } });
    expect(await rowsAfter(() => restoreCriterion(id, owner.id))).toEqual([]); // not archived any more
  });

  it("issued codes and a revoked invite are recorded without the codes or the address", async () => {
    const issued = await rowsAfter(() => issueInviteCodes({ count: 3, validDays: 7, sendEmail: true, email: "guest.person@example.com", locale: "en", note: "" }, owner.id));
    expect(issued).toHaveLength(1);
    expect(issued[0]).toMatchObject({ actorId: owner.id, action: "invite.create", subjectType: "InviteBatch", after: { count: 3, validDays: 7, boundToEmail: true, emailed: true } });
    expect(textOf(issued[0])).not.toContain("guest.person");
    const invite = await db.invite.findFirstOrThrow({ where: { batch: issued[0].subjectId } });
    expect(textOf(issued[0])).not.toContain(invite.code!);

    expect(await one(() => revokeInvite(invite.id, owner.id))).toMatchObject({ action: "invite.revoke", subjectId: invite.id, before: { state: "valid" }, after: { state: "revoked" } });
    expect(await rowsAfter(() => revokeInvite(invite.id, owner.id))).toEqual([]); // already revoked
  });
});

describe("members and billing", () => {
  it("role changes and complimentary grants and revokes are recorded; refused ones write none", async () => {
    const member = await createUser({ tier: "community", name: "Quiet Member" });
    expect(await one(() => changeMemberRole(owner, member.id, "CURATOR"))).toMatchObject({
      actorId: owner.id,
      action: "member.role",
      subjectType: "User",
      subjectId: member.id,
      before: { role: "MEMBER" },
      after: { role: "CURATOR" },
    });
    expect(await rowsAfter(() => changeMemberRole(owner, member.id, "CURATOR"))).toEqual([]); // no change
    expect(await rowsAfter(() => changeMemberRole(owner, owner.id, "MEMBER"))).toEqual([]); // refused

    const granted = await one(() => grantComplimentary(owner, member.id, tiers["private-client"].id));
    expect(granted).toMatchObject({ action: "member.complimentary", subjectId: member.id, before: { complimentaryTierId: null }, after: { change: "grant", complimentaryTierId: tiers["private-client"].id } });
    expect(await rowsAfter(() => grantComplimentary(owner, member.id, tiers["private-client"].id))).toEqual([]); // already held
    expect(await one(() => revokeComplimentary(owner, member.id))).toMatchObject({ before: { complimentaryTierId: tiers["private-client"].id }, after: { change: "revoke", complimentaryTierId: null } });
    expect(await rowsAfter(() => revokeComplimentary(owner, member.id))).toEqual([]); // nothing to revoke
  });

  it("a refund Stripe reports is recorded by the system (no actor) with the amount", async () => {
    const member = await createUser({ tier: "professional" });
    await db.user.update({ where: { id: member.id }, data: { stripeCustomerId: `cus_audit_${member.id}` } });
    const charge = { id: `ch_${member.id}`, customer: `cus_audit_${member.id}`, amount_refunded: 4900, currency: "usd" } as never;
    const row = await one(() => db.$transaction((tx) => recordRefund(tx, charge, new Date())));
    expect(row).toMatchObject({ actorId: null, action: "refund.recorded", subjectType: "User", subjectId: member.id, before: { refunded: 0 }, after: { refunded: 4900, amount: 4900, currency: "usd" } });
    expect(await rowsAfter(() => db.$transaction((tx) => recordRefund(tx, charge, new Date())))).toEqual([]); // the same total again: nothing new
  });

  it("tiers created, edited and archived, and the grace period, are recorded; a refused save writes none", async () => {
    const input = {
      slug: "audit-gold",
      nameEn: "Gold",
      nameRu: "Золото",
      descriptionEn: "",
      descriptionRu: "",
      position: 9,
      currency: "usd" as const,
      monthlyPrice: "50",
      yearlyPrice: "",
      stripeMonthlyPriceId: "",
      stripeYearlyPriceId: "",
      canVote: false,
      voteWeight: 1,
      referralQuota: 0,
    };
    const [created] = await rowsAfter(() => saveTier(input, undefined, owner.id));
    expect(created).toMatchObject({ actorId: owner.id, action: "tier.update", subjectType: "Tier", before: null, after: { change: "create", slug: "audit-gold", monthlyAmount: 5000 } });
    const id = created.subjectId!;
    expect(await one(() => saveTier({ ...input, monthlyPrice: "60" }, id, owner.id))).toMatchObject({ before: { monthlyAmount: 5000 }, after: { change: "update", monthlyAmount: 6000 } });
    expect(await rowsAfter(() => saveTier({ ...input, monthlyPrice: "" }, id, owner.id))).toEqual([]); // no amount: refused
    expect(await rowsAfter(() => saveTier(input, undefined, owner.id))).toEqual([]); // the slug is taken (the insert fails)
    expect(await one(() => setTierArchived(id, true, owner.id))).toMatchObject({ before: { archived: false }, after: { change: "archive", archived: true } });
    expect(await one(() => setPastDueGraceDays(9, owner.id))).toMatchObject({ action: "club.settings", subjectType: "ClubSettings", after: { pastDueGraceDays: 9 } });
  });
});

describe("forum", () => {
  it("thread and post moderation, report resolutions and category edits are recorded", async () => {
    const member = await createUser({ tier: "professional", name: "Olga Poster" });
    const category = await createForumCategory();
    const other = await createForumCategory();
    const { thread } = await createForumThread(member, category);
    const reply = await createForumReply(member, thread.id);
    const reader = (await forumReaderById(curator.id))!;

    expect(await one(() => moderateThread(reader, thread.id, "pin"))).toMatchObject({
      actorId: curator.id,
      action: "forum.moderation",
      subjectType: "ForumThread",
      subjectId: thread.id,
      before: { pinned: false },
      after: { moderation: "pin", pinned: true },
    });
    expect(await one(() => moderateThread(reader, thread.id, "lock"))).toMatchObject({ before: { locked: false }, after: { moderation: "lock", locked: true } });
    expect(await one(() => moderateThread(reader, thread.id, "unlock"))).toMatchObject({ before: { locked: true }, after: { moderation: "unlock", locked: false } });
    expect(await one(() => moderateThread(reader, thread.id, "hide"))).toMatchObject({ after: { moderation: "hide", hidden: true } });
    expect(await one(() => moderateThread(reader, thread.id, "unhide"))).toMatchObject({ before: { hidden: true }, after: { hidden: false } });
    expect(await one(() => moderateThread(reader, thread.id, "move", { categoryId: other.id }))).toMatchObject({
      before: { categoryId: category.id },
      after: { moderation: "move", categoryId: other.id },
    });
    expect(await rowsAfter(() => moderateThread(reader, thread.id, "move", { categoryId: "nope" }))).toEqual([]);

    expect(await one(() => setPostHidden(reader, reply.id, true))).toMatchObject({ subjectType: "ForumPost", subjectId: reply.id, after: { moderation: "hide", hidden: true } });
    const author = (await forumReaderById(member.id))!;
    await setPostHidden(reader, reply.id, false);
    expect(await rowsAfter(() => editPost(author, reply.id, { body: "My own fix" }))).toEqual([]); // the author's own edit
    const redacted = await one(() => editPost(reader, reply.id, { body: "Redacted: a leaked key" }));
    expect(redacted).toMatchObject({ actorId: curator.id, subjectType: "ForumPost", subjectId: reply.id, after: { moderation: "edit" } });
    expect(textOf(redacted)).not.toContain("leaked key");
    await deletePost(author, reply.id);
    expect(await one(() => restorePost(reader, reply.id))).toMatchObject({ subjectId: reply.id, before: { deleted: true }, after: { moderation: "restore", deleted: false } });

    // A failure after the row was written (here, forced) leaves no row and no change.
    const before = await rowsAfter(() =>
      db.$transaction(async (tx) => {
        await setPostHidden(reader, reply.id, true, tx);
        throw new Error("forced failure");
      }),
    );
    expect(before).toEqual([]);
    expect((await db.forumPost.findUniqueOrThrow({ where: { id: reply.id } })).hiddenAt).toBeNull();

    const reporter = (await forumReaderById((await createUser({ tier: "professional" })).id))!;
    await reportPost(reporter, reply.id, "Spam");
    const report = await db.forumReport.findFirstOrThrow({ where: { postId: reply.id } });
    const resolved = await rowsAfter(() => resolveReport(reader, report.id, "Handled, thanks", true));
    expect(resolved.map((r) => r.action)).toEqual(["forum.report", "forum.moderation"]);
    expect(resolved[0]).toMatchObject({ subjectType: "ForumReport", before: { status: "OPEN" }, after: { status: "RESOLVED", postHidden: true } });
    expect(textOf(resolved)).not.toContain("Handled, thanks");
    expect(await rowsAfter(() => resolveReport(reader, report.id, "again", false))).toEqual([]); // 409

    const access = { [tiers.community.id]: "read" as const };
    const base = { slug: "audit-lounge", nameEn: "Lounge", nameRu: "Лаунж", descriptionEn: "", descriptionRu: "", position: 50, access };
    const [created] = await rowsAfter(() => saveCategory(null, base, owner.id));
    expect(created).toMatchObject({ actorId: owner.id, action: "forum.category", after: { change: "create", slug: "audit-lounge", tiers: [{ tierId: tiers.community.id, canPost: false }] } });
    const id = created.subjectId!;
    expect(await one(() => saveCategory(id, { ...base, nameEn: "The lounge" }, owner.id))).toMatchObject({ before: { nameEn: "Lounge" }, after: { change: "update", nameEn: "The lounge" } });
    expect(await rowsAfter(() => saveCategory(null, base, owner.id))).toEqual([]); // slug taken
    expect(await one(() => moveCategory(id, "up", owner.id))).toMatchObject({ after: { change: "move", direction: "up" } });
    expect(await one(() => deleteCategory(id, owner.id))).toMatchObject({ before: { slug: "audit-lounge" }, after: { change: "delete" } });
    expect(await rowsAfter(() => deleteCategory(other.id, owner.id))).toEqual([]); // the moved thread is in it
  });
});

describe("roadmap", () => {
  it("status changes, merges, staff edits and hidden comments are recorded; refused ones write none", async () => {
    const item = await createRoadmapItem({ authorId: curator.id });
    const duplicate = await createRoadmapItem({ authorId: curator.id });
    expect(await one(() => changeItemStatus(item.id, "PLANNED", { actorId: owner.id, note: "Next quarter" }))).toMatchObject({
      actorId: owner.id,
      action: "roadmap.moderation",
      subjectType: "RoadmapItem",
      subjectId: item.id,
      before: { status: item.status },
      after: { moderation: "status", status: "PLANNED" },
    });
    expect(await rowsAfter(() => changeItemStatus(item.id, "PLANNED", { actorId: owner.id }))).toEqual([]); // unchanged
    expect(await one(() => updateItem(item.id, { title: "Better exports", description: "CSV please" }, curator.id))).toMatchObject({
      actorId: curator.id,
      before: { title: item.title },
      after: { moderation: "edit", title: "Better exports" },
    });
    const member = await createUser({ tier: "private-client" });
    const comment = await addComment(item.id, member.id, "Please do this");
    const commentId = (comment as { comment: { id: string } }).comment.id;
    expect(await one(() => deleteComment(commentId, curator, item.id))).toMatchObject({ subjectType: "RoadmapComment", subjectId: commentId, after: { moderation: "hide-comment", itemId: item.id } });
    const own = await addComment(item.id, member.id, "Never mind");
    expect(await rowsAfter(() => deleteComment((own as { comment: { id: string } }).comment.id, member, item.id))).toEqual([]); // the author's own

    expect(await one(() => mergeItems(duplicate.id, item.id, owner.id))).toMatchObject({ subjectId: duplicate.id, before: { mergedIntoId: null }, after: { moderation: "merge", mergedIntoId: item.id } });
    expect(await rowsAfter(() => mergeItems(duplicate.id, item.id, owner.id))).toEqual([]); // already merged
  });
});

describe("metrics", () => {
  it("the follow-up template and follow-ups are recorded, without the note's words", async () => {
    const template = {
      followUpSubjectEn: "We miss you, {name}",
      followUpBodyEn: "Come back to {club}",
      followUpSubjectRu: "Мы скучаем, {name}",
      followUpBodyRu: "Возвращайтесь в {club}",
      detractorSubjectEn: "What went wrong?",
      detractorBodyEn: "Tell us",
      detractorSubjectRu: "Что не так?",
      detractorBodyRu: "Расскажите",
    };
    expect(await one(() => saveFollowUpTemplate(template, owner.id))).toMatchObject({ actorId: owner.id, action: "metrics.settings", subjectType: "MetricsSettings", before: null, after: template });
    expect(await one(() => saveFollowUpTemplate({ ...template, detractorBodyEn: "Tell us more" }, owner.id))).toMatchObject({ before: { detractorBodyEn: "Tell us" }, after: { detractorBodyEn: "Tell us more" } });

    const member = await createUser({ tier: "community", name: "Boris Quiet" });
    const contacted = await one(() => markContacted(member.id, curator));
    expect(contacted).toMatchObject({ actorId: curator.id, action: "metrics.follow-up", subjectType: "User", subjectId: member.id, after: { kind: "CONTACTED" } });
    const noted = await one(() => addNote(member.id, curator, "Boris said he moved to Berlin"));
    expect(noted).toMatchObject({ after: { kind: "NOTE" } });
    expect(textOf(noted)).not.toContain("Berlin");
    const outsider = await createUser({ tier: null });
    expect(await rowsAfter(() => markContacted(outsider.id, curator))).toEqual([]); // not a member: refused
  });
});

describe("nothing personal", () => {
  it("no audit row holds a member's name or email", async () => {
    const people = await db.user.findMany({ select: { name: true, email: true } });
    const application = await db.application.findMany({ select: { name: true, email: true } });
    const text = textOf(await db.auditEntry.findMany());
    for (const person of [...people, ...application]) {
      expect(text).not.toContain(person.name);
      expect(text).not.toContain(person.email);
    }
  });
});
