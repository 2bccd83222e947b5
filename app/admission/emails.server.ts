import type { Tx } from "~/db.server";
import { DEFAULT_CLUB, getClubSettings } from "~/club.server";
import { queueEmail } from "~/email/email.server";
import { translator, type Locale } from "~/i18n/dictionary";
import { formatDate } from "~/i18n/format";
import { links } from "./links.server";

/**
 * The admission area's emails, each written in its recipient's language and sent
 * through queueEmail (in the caller's transaction when one is given).
 */
async function club(tx?: Tx) {
  // Inside a transaction its own connection reads the settings: asking the pool for
  // another one could wait on transactions that are waiting on this one.
  const settings = tx
    ? ((await tx.clubSettings.findUnique({ where: { id: 1 }, select: { name: true, timeZone: true } })) ?? DEFAULT_CLUB)
    : await getClubSettings();
  return { club: settings.name, timeZone: settings.timeZone };
}

function longDate(locale: Locale, date: Date, timeZone: string) {
  return formatDate(locale, date, { dateStyle: "long" }, timeZone);
}

export async function sendApplicationVerification(
  application: { email: string; name: string; locale: Locale },
  token: string,
  tx?: Tx,
) {
  const t = translator(application.locale);
  const { club: name } = await club(tx);
  return queueEmail(
    {
      to: application.email,
      locale: application.locale,
      template: "application-verify",
      subject: t("admission.email.verify.subject", { club: name }),
      text: t("admission.email.verify.body", { name: application.name, club: name }),
      action: { label: t("admission.email.verify.action"), url: links.applicationVerify(token, application.locale) },
    },
    tx,
  );
}

export async function sendApprovalInvite(
  application: { email: string; name: string; locale: Locale },
  token: string,
  expiresAt: Date,
  tx?: Tx,
) {
  const t = translator(application.locale);
  const { club: name, timeZone } = await club(tx);
  return queueEmail(
    {
      to: application.email,
      locale: application.locale,
      template: "application-approved",
      subject: t("admission.email.approved.subject", { club: name }),
      text: t("admission.email.approved.body", {
        name: application.name,
        club: name,
        expires: longDate(application.locale, expiresAt, timeZone),
      }),
      action: { label: t("admission.email.approved.action"), url: links.invite(token, application.locale) },
    },
    tx,
  );
}

export async function sendRejection(application: { email: string; name: string; locale: Locale }, reason: string, tx?: Tx) {
  const t = translator(application.locale);
  const { club: name } = await club(tx);
  return queueEmail(
    {
      to: application.email,
      locale: application.locale,
      template: "application-rejected",
      subject: t("admission.email.rejected.subject", { club: name }),
      text: t("admission.email.rejected.body", { name: application.name, club: name, reason }),
    },
    tx,
  );
}

export async function sendWaitlisted(application: { email: string; name: string; locale: Locale }, tx?: Tx) {
  const t = translator(application.locale);
  const { club: name } = await club(tx);
  return queueEmail(
    {
      to: application.email,
      locale: application.locale,
      template: "application-waitlisted",
      subject: t("admission.email.waitlisted.subject", { club: name }),
      text: t("admission.email.waitlisted.body", { name: application.name, club: name }),
    },
    tx,
  );
}

export async function sendVouchInvitation(
  vouch: { email: string; name: string; note: string },
  voucherName: string,
  locale: Locale,
  token: string,
  tx?: Tx,
) {
  const t = translator(locale);
  const { club: name } = await club(tx);
  const body = t("admission.email.vouch.body", { name: vouch.name, voucher: voucherName, club: name });
  const note = vouch.note ? `\n\n${t("admission.email.vouch.note", { voucher: voucherName })}\n${vouch.note}` : "";
  return queueEmail(
    {
      to: vouch.email,
      locale,
      template: "vouch-invitation",
      subject: t("admission.email.vouch.subject", { voucher: voucherName, club: name }),
      text: `${body}${note}`,
      action: { label: t("admission.email.vouch.action"), url: links.vouchedApply(token, locale) },
    },
    tx,
  );
}

export async function sendInviteCode(invite: { email: string; code: string; expiresAt: Date }, locale: Locale, tx?: Tx) {
  const t = translator(locale);
  const { club: name, timeZone } = await club(tx);
  return queueEmail(
    {
      to: invite.email,
      locale,
      template: "invite-code",
      subject: t("admission.email.code.subject", { club: name }),
      text: t("admission.email.code.body", { club: name, code: invite.code, expires: longDate(locale, invite.expiresAt, timeZone) }),
      action: { label: t("admission.email.code.action"), url: links.invite(invite.code, locale) },
    },
    tx,
  );
}

export async function sendPasswordReset(user: { id: string; email: string; name: string; locale: Locale }, token: string, tx?: Tx) {
  const t = translator(user.locale);
  const { club: name } = await club(tx);
  return queueEmail(
    {
      to: user.email,
      userId: user.id,
      locale: user.locale,
      template: "password-reset",
      subject: t("admission.email.reset.subject", { club: name }),
      text: t("admission.email.reset.body", { name: user.name, club: name }),
      action: { label: t("admission.email.reset.action"), url: links.passwordReset(token, user.locale) },
    },
    tx,
  );
}

/** After a reset or a change on /account: the member hears of it, with a way back if it was not them. */
export async function sendPasswordChanged(user: { id: string; email: string; name: string; locale: Locale }, at: Date, tx?: Tx) {
  const t = translator(user.locale);
  const { club: name, timeZone } = await club(tx);
  return queueEmail(
    {
      to: user.email,
      userId: user.id,
      locale: user.locale,
      template: "password-changed",
      subject: t("admission.email.passwordChanged.subject", { club: name }),
      text: t("admission.email.passwordChanged.body", { name: user.name, club: name, date: longDate(user.locale, at, timeZone) }),
      action: { label: t("admission.email.passwordChanged.action"), url: links.forgotPassword(user.locale) },
    },
    tx,
  );
}

export async function sendEmailVerification(
  user: { id: string; email: string; name: string; locale: Locale },
  token: string,
  tx?: Tx,
) {
  const t = translator(user.locale);
  const { club: name } = await club(tx);
  return queueEmail(
    {
      to: user.email,
      userId: user.id,
      locale: user.locale,
      template: "email-verification",
      subject: t("admission.email.account.subject", { club: name }),
      text: t("admission.email.account.body", { name: user.name, club: name }),
      action: { label: t("admission.email.account.action"), url: links.emailVerification(token, user.locale) },
    },
    tx,
  );
}
