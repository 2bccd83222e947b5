import nodemailer, { type Transporter } from "nodemailer";
import type { Locale } from "~/i18n/dictionary";
import { db, type Tx } from "~/db.server";
import { env } from "~/env.server";
import { log } from "~/log.server";
import { inTransaction, queue, QUEUES } from "~/jobs/queue.server";
import { getClubSettings } from "~/club.server";
import { emailSignOff, renderEmailHtml } from "./layout.server";

/**
 * The one way the club sends email. A message is stored in the Email table and a
 * queue job is created for it, in the caller's transaction when there is one. The
 * worker delivers through SMTP when SMTP_URL is set; without it the Email table is the
 * outbox that owners read at /admin/outbox. Failed deliveries are retried with backoff.
 *
 * Each area writes its own messages (in the recipient's language) and calls queueEmail.
 */
export type EmailMessage = {
  to: string;
  locale: Locale;
  /** A short name for the kind of email, e.g. "application-verify". */
  template: string;
  subject: string;
  /** Plain-text body; paragraphs separated by blank lines. */
  text: string;
  /** Optional call to action, shown as a button in the HTML version. */
  action?: { label: string; url: string };
  userId?: string | null;
};

export const EMAIL_RETRY = { retryLimit: 12, retryDelay: 15, retryBackoff: true } as const;

/**
 * The stored plain text and HTML of a message: the text, the action's link, and the club's
 * sign-off (every email ends with it; `club` is the club's name, the default one when not given).
 */
export function emailBodies(message: Pick<EmailMessage, "subject" | "text" | "action" | "locale">, club?: string): { text: string; html: string } {
  const body = message.action ? `${message.text}\n\n${message.action.label}: ${message.action.url}` : message.text;
  const text = `${body}\n\n${emailSignOff(message.locale, club)}`;
  const html = renderEmailHtml({ subject: message.subject, text: message.text, action: message.action, locale: message.locale, club });
  return { text, html };
}

export async function queueEmail(message: EmailMessage, tx?: Tx): Promise<string> {
  // Inside a transaction the settings are read through it, never on a second connection.
  const { name: club } = await getClubSettings({ tx });
  const { text, html } = emailBodies(message, club);
  const client = tx ?? db;
  const email = await client.email.create({
    data: {
      to: message.to,
      userId: message.userId ?? null,
      template: message.template,
      locale: message.locale,
      subject: message.subject,
      text,
      html,
    },
  });
  const boss = await queue();
  await boss.send(QUEUES.email, { emailId: email.id }, { ...EMAIL_RETRY, ...(tx ? { db: inTransaction(tx) } : {}) });
  return email.id;
}

let transporter: Transporter | undefined;
function smtp(): Transporter | undefined {
  const url = env().SMTP_URL;
  if (!url) return undefined;
  transporter ??= nodemailer.createTransport(url, { from: env().MAIL_FROM });
  return transporter;
}

/** Delivers one stored email; throws when SMTP fails, so the queue retries it. */
export async function deliverEmail(emailId: string, { finalAttempt = false } = {}): Promise<void> {
  const email = await db.email.findUnique({ where: { id: emailId } });
  if (!email || email.status === "SENT") return;
  const transport = smtp();
  if (!transport) {
    log.info("email to outbox", { to: email.to, subject: email.subject, template: email.template, text: email.text });
    await db.email.update({ where: { id: email.id }, data: { status: "SENT", sentAt: new Date(), attempts: { increment: 1 } } });
    return;
  }
  try {
    await transport.sendMail({
      from: env().MAIL_FROM,
      to: email.to,
      subject: email.subject,
      text: email.text,
      html: email.html,
      headers: { "X-Coterie-Email-Id": email.id },
    });
    await db.email.update({ where: { id: email.id }, data: { status: "SENT", sentAt: new Date(), attempts: { increment: 1 } } });
    log.info("email sent", { emailId: email.id, template: email.template });
  } catch (error) {
    const message = (error as Error).message;
    await db.email.update({
      where: { id: email.id },
      data: { attempts: { increment: 1 }, lastError: message.slice(0, 1000), ...(finalAttempt ? { status: "FAILED" } : {}) },
    });
    log.warn("email delivery failed, will retry", { emailId: email.id, error: message });
    throw error;
  }
}

/** Starts the email worker in this process. */
export async function workEmailQueue() {
  const boss = await queue();
  await boss.work<{ emailId: string }>(
    QUEUES.email,
    { batchSize: 5, pollingIntervalSeconds: 1, includeMetadata: true },
    async (jobs) => {
      // Each email succeeds or fails on its own. A failed one goes back to the queue for a
      // retry; pg-boss completes the others when this handler returns. (Throwing would fail
      // the whole batch, spending the retries of emails that were never attempted.)
      for (const job of jobs) {
        try {
          await deliverEmail(job.data.emailId, { finalAttempt: job.retryCount >= job.retryLimit });
        } catch (error) {
          await boss.fail(QUEUES.email, job.id, { message: (error as Error).message });
        }
      }
    },
  );
}
