/**
 * A member with a rich history in every area, written the way the app writes it where that is
 * cheap (forum posts, replies and mentions through the forum's own functions, so notifications
 * and emails are real), and directly for the rest.
 */
import { randomBytes } from "node:crypto";
import { db } from "~/db.server";
import { queueEmail } from "~/email/email.server";
import { hashToken } from "~/auth/tokens.server";
import {
  addActivity,
  addLedgerEntry,
  addNpsAnswer,
  createApplication,
  createCriterion,
  createForumCategory,
  createForumReply,
  createForumThread,
  createRoadmapItem,
  createUser,
  sessionCookie,
} from "../factories";

let counter = 0;
/** A name and address nobody else in the database has, in any case (letters only: a mention is letters). */
export function uniquePerson(label: string) {
  const letters = [...randomBytes(10)].map((b) => String.fromCharCode(97 + (b % 26))).join("");
  const tag = `${label}${letters}${String.fromCharCode(97 + (counter++ % 26))}`;
  const first = `Zephyrine${tag}`;
  return { name: `${first} Quillfeather`, email: `${first.toLowerCase()}.q@example.org` };
}

export async function memberWithHistory(options: { role?: "MEMBER" | "OWNER" | "CURATOR"; label?: string } = {}) {
  const person = uniquePerson(options.label ?? "m");
  const member = await createUser({ ...person, role: options.role ?? "MEMBER", tier: "professional" });
  const category = await createForumCategory();
  const criterion = await createCriterion({ kind: "TEXT" });

  // Admission: the application (with an answer naming them), the invite they redeemed, consent.
  const { application } = await createApplication({ email: person.email, name: person.name, status: "APPROVED", answers: { [criterion.id]: `I am ${person.name}, answer ${person.email}` } });
  await db.application.update({ where: { id: application.id }, data: { company: `${person.name} Holdings` } });
  const invite = await db.invite.create({
    data: { source: "APPROVAL", tokenHash: hashToken(randomBytes(20).toString("hex")), email: person.email, note: `for ${person.name}`, applicationId: application.id, expiresAt: new Date(Date.now() + 86_400_000), usedAt: new Date(), usedById: member.id },
  });
  const document = await db.legalDocument.create({ data: { kind: "PRIVACY", version: 1000 + counter++, bodyEn: "Privacy", bodyRu: "Конфиденциальность" } });
  await db.consentRecord.create({ data: { documentId: document.id, applicationId: application.id } });
  await db.consentRecord.create({ data: { documentId: document.id, userId: member.id } });
  const vouch = await db.vouch.create({ data: { voucherId: member.id, email: `friend-${counter++}@example.org`, name: "Friend Of Theirs", note: `from ${person.name}`, tokenHash: hashToken(randomBytes(20).toString("hex")) } });

  // Billing: a payment on their subscription.
  const subscription = await db.subscription.findFirstOrThrow({ where: { userId: member.id } });
  const payment = await addLedgerEntry(member.id, { amount: 4900, occurredAt: new Date(Date.now() - 86_400_000), subscriptionId: subscription.id });

  // Forum: their thread, a reply from someone else (notifies them), their reply in another's
  // thread (notifies the other member, by name), a mention of them, a report they filed.
  const other = await createUser({ ...uniquePerson("other"), tier: "professional" });
  const opened = await createForumThread(member, category, { title: "Sourdough at altitude", body: "My starter sulks above 2,000 metres." });
  await createForumReply(other, opened.thread.id, "Feed it twice a day and keep it warm.");
  const otherThread = await createForumThread(other, category, { title: "Office plants", body: "Which ones survive neglect?" });
  const reply = await createForumReply(member, otherThread.thread.id, "A snake plant, every time.");
  await createForumReply(other, otherThread.thread.id, `Thanks @${person.name}, ordering one.`);
  const report = await db.forumReport.create({ data: { postId: otherThread.post.id, reporterId: member.id, reason: "Off topic, says I." } });

  // Roadmap: their idea, their vote and comment.
  const item = await createRoadmapItem({ authorId: member.id, title: "Quarterly dinners", description: "Somewhere with a long table." });
  await db.roadmapVote.create({ data: { itemId: item.id, userId: member.id, weight: 1 } });
  const comment = await db.roadmapComment.create({ data: { itemId: item.id, authorId: member.id, bodyMd: "Count me in.", bodyHtml: "<p>Count me in.</p>" } });

  // Surveys, notifications, email, sessions, devices, Telegram, activity, staff notes, 2FA.
  await addNpsAnswer(member.id, { score: 6, createdAt: new Date(), comment: `${person.name} thinks dinners are too rare.` });
  await db.notificationPreference.create({ data: { userId: member.id, kind: "DIGEST", channel: "EMAIL", enabled: false } });
  await queueEmail({ to: person.email, userId: member.id, locale: "en", template: "test-note", subject: `Hello ${person.name}`, text: `Dear ${person.name}, this went to ${person.email}.` });
  const cookie = await sessionCookie(member.id);
  await db.session.updateMany({ where: { userId: member.id }, data: { userAgent: "PrivacyTestBrowser/1.0", ip: "198.51.100.23" } });
  await db.knownDevice.create({ data: { id: hashToken(randomBytes(20).toString("hex")), userId: member.id } });
  await db.telegramLink.create({ data: { userId: member.id, telegramUserId: BigInt(700_000 + counter++), chatId: BigInt(700_000 + counter), username: `zq${counter}`, firstName: person.name.split(" ")[0] } });
  await addActivity(member.id, "POST", new Date());
  const staff = await createUser({ role: "CURATOR", tier: null });
  await db.memberFollowUp.create({ data: { memberId: member.id, staffId: staff.id, kind: "NOTE", note: `Called ${person.name} at ${person.email}` } });
  await db.twoFactorCredential.create({ data: { userId: member.id, secret: "JBSWY3DPEHPK3PXPSECRET", confirmedAt: new Date() } });
  await db.twoFactorRecoveryCode.create({ data: { userId: member.id, codeHash: hashToken("recovery-code-one") } });

  return { member, person, other, staff, cookie, application, invite, vouch, subscription, payment, opened, otherThread, reply, report, item, comment, category };
}
