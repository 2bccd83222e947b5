import { db } from "~/db.server";

/**
 * A member's data export (/account/data.json): everything the club holds about the signed-in
 * member, as one JSON document. Only the viewer's own rows are read (every query is keyed by
 * their id, their email or ids found from those). Secrets stay out: no password hash, no
 * session ids (they are token hashes), no two-factor secret or code hashes, no token hashes.
 * Events and RSVPs are not part of the club's data yet.
 */
export const EXPORT_VERSION = 1;

export async function applicationIdsOf(user: { id: string; email: string }, client: Pick<typeof db, "application" | "invite"> = db) {
  const [byEmail, invites] = await Promise.all([
    client.application.findMany({ where: { email: { equals: user.email, mode: "insensitive" } }, select: { id: true } }),
    client.invite.findMany({ where: { usedById: user.id }, select: { applicationId: true, appliedWith: { select: { id: true } } } }),
  ]);
  const ids = new Set(byEmail.map((a) => a.id));
  for (const invite of invites) {
    if (invite.applicationId) ids.add(invite.applicationId);
    if (invite.appliedWith) ids.add(invite.appliedWith.id);
  }
  return [...ids];
}

export async function exportMemberData(userId: string, now = new Date()) {
  const user = await db.user.findUniqueOrThrow({
    where: { id: userId },
    select: {
      id: true,
      email: true,
      name: true,
      company: true,
      jobTitle: true,
      role: true,
      locale: true,
      emailVerifiedAt: true,
      deactivatedAt: true,
      createdAt: true,
      updatedAt: true,
      stripeCustomerId: true,
    },
  });
  const applicationIds = await applicationIdsOf(user);
  const [
    applications,
    inviteRedeemed,
    vouches,
    subscriptions,
    ledgerEntries,
    testInvoices,
    paymentMethod,
    forumThreads,
    forumPosts,
    forumReports,
    helpfulMarks,
    roadmapItems,
    roadmapVotes,
    roadmapComments,
    npsResponses,
    notifications,
    notificationPreferences,
    sessions,
    knownDevices,
    telegramLink,
    emails,
    consentRecords,
    activityEvents,
    followUps,
    playbookRuns,
    curatorTasks,
    surveyReplies,
    twoFactor,
    recoveryCodes,
  ] = await Promise.all([
    db.application.findMany({
      where: { id: { in: applicationIds } },
      orderBy: { createdAt: "asc" },
      select: {
        id: true,
        email: true,
        name: true,
        company: true,
        jobTitle: true,
        locale: true,
        status: true,
        consentedAt: true,
        emailVerifiedAt: true,
        rejectionReason: true,
        createdAt: true,
        updatedAt: true,
        vouch: { select: { voucherId: true, createdAt: true } },
        answers: { select: { value: true, criterion: { select: { id: true, titleEn: true, titleRu: true, kind: true, optionsEn: true, optionsRu: true } } } },
        decisions: { orderBy: { createdAt: "asc" }, select: { kind: true, reason: true, createdAt: true } },
      },
    }),
    db.invite.findUnique({ where: { usedById: user.id }, select: { id: true, source: true, email: true, expiresAt: true, usedAt: true, createdAt: true } }),
    db.vouch.findMany({ where: { voucherId: user.id }, orderBy: { createdAt: "asc" }, select: { id: true, name: true, email: true, note: true, createdAt: true } }),
    db.subscription.findMany({
      where: { userId: user.id },
      orderBy: { startedAt: "asc" },
      select: {
        id: true,
        tier: { select: { slug: true, nameEn: true, nameRu: true } },
        status: true,
        interval: true,
        amount: true,
        currency: true,
        stripeSubscriptionId: true,
        currentPeriodStart: true,
        currentPeriodEnd: true,
        cancelAtPeriodEnd: true,
        pastDueSince: true,
        startedAt: true,
        endedAt: true,
      },
    }),
    db.ledgerEntry.findMany({
      where: { userId: user.id },
      orderBy: { occurredAt: "asc" },
      select: { id: true, kind: true, subscriptionId: true, amount: true, currency: true, periodStart: true, periodEnd: true, occurredAt: true, stripeInvoiceId: true, stripeChargeId: true },
    }),
    db.testInvoice.findMany({
      where: { userId: user.id },
      orderBy: { createdAt: "asc" },
      select: { id: true, status: true, billingReason: true, currency: true, total: true, amountPaid: true, periodStart: true, periodEnd: true, lines: true, createdAt: true, paidAt: true },
    }),
    db.testPaymentMethod.findUnique({ where: { userId: user.id }, select: { brand: true, last4: true, expMonth: true, expYear: true, updatedAt: true } }),
    db.forumThread.findMany({
      where: { authorId: user.id },
      orderBy: { createdAt: "asc" },
      select: { id: true, title: true, category: { select: { slug: true } }, createdAt: true, deletedAt: true, hiddenAt: true, lockedAt: true },
    }),
    db.forumPost.findMany({
      where: { authorId: user.id },
      orderBy: { createdAt: "asc" },
      select: { id: true, threadId: true, isOpening: true, title: true, body: true, createdAt: true, editedAt: true, deletedAt: true, hiddenAt: true },
    }),
    db.forumReport.findMany({
      where: { reporterId: user.id },
      orderBy: { createdAt: "asc" },
      select: { id: true, postId: true, reason: true, status: true, resolutionNote: true, resolvedAt: true, postHidden: true, createdAt: true },
    }),
    db.forumHelpfulMark.findMany({ where: { userId: user.id }, orderBy: { createdAt: "asc" }, select: { postId: true, createdAt: true } }),
    db.roadmapItem.findMany({
      where: { authorId: user.id },
      orderBy: { createdAt: "asc" },
      select: { id: true, title: true, descriptionMd: true, status: true, createdAt: true },
    }),
    db.roadmapVote.findMany({ where: { userId: user.id }, orderBy: { createdAt: "asc" }, select: { itemId: true, weight: true, createdAt: true, item: { select: { title: true } } } }),
    db.roadmapComment.findMany({
      where: { authorId: user.id },
      orderBy: { createdAt: "asc" },
      select: { id: true, itemId: true, bodyMd: true, createdAt: true, editedAt: true, deletedAt: true },
    }),
    db.npsResponse.findMany({ where: { userId: user.id }, orderBy: { createdAt: "asc" }, select: { score: true, comment: true, createdAt: true, tier: { select: { slug: true } } } }),
    db.notification.findMany({ where: { userId: user.id }, orderBy: { createdAt: "asc" }, select: { kind: true, values: true, url: true, createdAt: true, readAt: true } }),
    db.notificationPreference.findMany({ where: { userId: user.id }, select: { kind: true, channel: true, enabled: true } }),
    db.session.findMany({ where: { userId: user.id }, orderBy: { createdAt: "asc" }, select: { createdAt: true, lastUsedAt: true, expiresAt: true, userAgent: true, ip: true } }),
    db.knownDevice.findMany({ where: { userId: user.id }, orderBy: { createdAt: "asc" }, select: { createdAt: true, lastUsedAt: true } }),
    db.telegramLink.findUnique({ where: { userId: user.id }, select: { telegramUserId: true, username: true, firstName: true, linkedAt: true } }),
    db.email.findMany({
      where: { OR: [{ userId: user.id }, { to: { equals: user.email, mode: "insensitive" } }] },
      orderBy: { createdAt: "asc" },
      select: { to: true, template: true, locale: true, subject: true, text: true, status: true, createdAt: true, sentAt: true },
    }),
    db.consentRecord.findMany({
      where: { OR: [{ userId: user.id }, ...(applicationIds.length ? [{ applicationId: { in: applicationIds } }] : [])] },
      orderBy: { acceptedAt: "asc" },
      select: { documentId: true, applicationId: true, acceptedAt: true },
    }),
    db.activityEvent.findMany({ where: { userId: user.id }, orderBy: { occurredAt: "asc" }, select: { kind: true, occurredAt: true } }),
    db.memberFollowUp.findMany({ where: { memberId: user.id }, orderBy: { createdAt: "asc" }, select: { kind: true, wasDetractor: true, wasInactive: true, note: true, createdAt: true } }),
    db.playbookRun.findMany({
      where: { userId: user.id },
      orderBy: { enteredAt: "asc" },
      select: { playbook: { select: { name: true, trigger: true } }, enteredAt: true, heldOut: true, exitedAt: true, exitReason: true, steps: { orderBy: { position: "asc" }, select: { kind: true, doneAt: true, channels: true } } },
    }),
    db.curatorTask.findMany({ where: { memberId: user.id }, orderBy: { createdAt: "asc" }, select: { note: true, createdAt: true, doneAt: true } }),
    db.$queryRaw<Array<{ body: string; createdAt: Date }>>`SELECT r."body", r."createdAt" FROM "NpsReply" r JOIN "NpsResponse" a ON a.id = r."responseId" WHERE a."userId" = ${user.id} ORDER BY r."createdAt"`,
    db.twoFactorCredential.findUnique({ where: { userId: user.id }, select: { confirmedAt: true } }),
    db.twoFactorRecoveryCode.count({ where: { userId: user.id, usedAt: null } }),
  ]);
  const documents = consentRecords.length
    ? await db.legalDocument.findMany({ where: { id: { in: [...new Set(consentRecords.map((c) => c.documentId))] } }, select: { id: true, kind: true, version: true } })
    : [];
  const documentOf = new Map(documents.map((d) => [d.id, d]));

  return {
    format: "coterie-member-data",
    version: EXPORT_VERSION,
    generatedAt: now.toISOString(),
    profile: user,
    twoFactor: { enabled: Boolean(twoFactor?.confirmedAt), since: twoFactor?.confirmedAt ?? null, unusedRecoveryCodes: twoFactor?.confirmedAt ? recoveryCodes : 0 },
    admission: {
      applications: applications.map(({ vouch, answers, ...application }) => ({
        ...application,
        vouchedBy: vouch ? { memberId: vouch.voucherId, at: vouch.createdAt } : null,
        answers: answers.map((answer) => ({ criterion: answer.criterion, value: answer.value })),
      })),
      inviteRedeemed,
      vouchesGiven: vouches,
      consent: consentRecords.map((record) => ({ ...record, document: documentOf.get(record.documentId) ?? null })),
    },
    billing: {
      subscriptions,
      payments: ledgerEntries,
      invoices: testInvoices,
      paymentMethod,
    },
    forum: { threads: forumThreads, posts: forumPosts, reports: forumReports, helpfulMarks },
    roadmap: { items: roadmapItems, votes: roadmapVotes.map(({ item, ...vote }) => ({ ...vote, itemTitle: item.title })), comments: roadmapComments },
    surveys: { nps: npsResponses.map(({ tier, ...answer }) => ({ ...answer, tier: tier?.slug ?? null })) },
    notifications: { received: notifications, preferences: notificationPreferences },
    emails,
    sessions,
    knownDevices,
    telegram: telegramLink ? { ...telegramLink, telegramUserId: telegramLink.telegramUserId.toString() } : null,
    activity: activityEvents,
    staffFollowUps: followUps,
    playbooks: playbookRuns.map(({ playbook, ...run }) => ({ ...run, playbook: playbook.name, trigger: playbook.trigger })),
    curatorTasks,
    surveyReplies,
    notIncluded: {
      events: "The club has no events or RSVPs yet.",
      secrets: "Password hash, session and device tokens, two-factor secret and recovery codes are never exported.",
    },
  };
}

export type MemberDataExport = Awaited<ReturnType<typeof exportMemberData>>;
