/**
 * Email through a real SMTP server on loopback (smtp-server from npm). The server is
 * stopped mid-run and the worker restarted: the queue keeps the emails and retries
 * until the server is back, and every email arrives exactly once.
 */
import { SMTPServer } from "smtp-server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { freePort } from "../../scripts/embedded-postgres";

type Received = { id: string; to: string; subject: string; raw: string };

const port = await freePort();
// Set before any app module reads the configuration.
process.env.SMTP_URL = `smtp://127.0.0.1:${port}`;

const { db } = await import("~/db.server");
const { queueEmail, workEmailQueue } = await import("~/email/email.server");
const { stopQueue } = await import("~/jobs/queue.server");
const { requestPasswordReset } = await import("~/admission/account-tokens.server");
const { createUser, ensureClubSettings } = await import("../factories");
const { appRequest } = await import("../support/requests");

const received: Received[] = [];

function startSink(): Promise<SMTPServer> {
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ["STARTTLS"],
    logger: false,
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on("data", (chunk: Buffer) => chunks.push(chunk));
      stream.on("end", () => {
        const raw = Buffer.concat(chunks).toString("utf8");
        const header = (name: string) => new RegExp(`^${name}: (.*)$`, "mi").exec(raw)?.[1]?.trim() ?? "";
        received.push({ id: header("X-Coterie-Email-Id"), to: session.envelope.rcptTo.map((r) => r.address).join(","), subject: header("Subject"), raw });
        callback();
      });
    },
  });
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, "127.0.0.1", () => resolve(server));
  });
}

function stopSink(server: SMTPServer): Promise<void> {
  return new Promise((resolve) => server.close(() => resolve()));
}

async function until(condition: () => Promise<boolean>, timeoutMs: number, what: string) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await condition()) return;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`Timed out waiting for ${what}`);
}

const deliveredIds = () => new Set(received.map((r) => r.id));

let sink: SMTPServer;
beforeAll(async () => {
  await ensureClubSettings();
  sink = await startSink();
  await workEmailQueue();
});

afterAll(async () => {
  await stopQueue();
  await stopSink(sink);
});

describe("email delivery through SMTP", () => {
  it("delivers every email exactly once, even when the SMTP server is down for a while", { timeout: 120_000 }, async () => {
    const user = await createUser({ locale: "ru" });
    const first = [
      await queueEmail({ to: "first@example.com", locale: "en", template: "test", subject: "First", text: "Hello" }),
      await queueEmail({ to: "second@example.com", locale: "ru", template: "test", subject: "Второе", text: "Привет" }),
    ];
    expect((await requestPasswordReset(user.email, appRequest("/forgot-password"))).ok).toBe(true);
    const reset = await db.email.findFirstOrThrow({ where: { to: user.email, template: "password-reset" } });
    first.push(reset.id);

    await until(async () => first.every((id) => deliveredIds().has(id)), 20_000, "the first emails");
    const resetMessage = received.find((r) => r.id === reset.id)!;
    expect(resetMessage.to).toBe(user.email);
    expect(resetMessage.raw).toContain("/reset-password/");

    // The server goes away; what is queued now fails, and is kept.
    await stopSink(sink);
    const second = [
      await queueEmail({ to: "third@example.com", locale: "en", template: "test", subject: "Third", text: "Still there?" }),
      await queueEmail({ to: "fourth@example.com", locale: "en", template: "test", subject: "Fourth", text: "Anyone?" }),
    ];
    await until(
      async () => (await db.email.count({ where: { id: { in: second }, attempts: { gte: 1 }, lastError: { not: null } } })) === second.length,
      20_000,
      "the failed attempts",
    );
    expect(await db.email.count({ where: { id: { in: second }, status: "QUEUED" } })).toBe(2);
    expect(second.some((id) => deliveredIds().has(id))).toBe(false);

    // The app restarts too: the jobs live in PostgreSQL, so a new worker picks them up.
    await stopQueue();
    await workEmailQueue();

    // Back up: the queue retries with backoff until the emails are delivered.
    sink = await startSink();
    await until(async () => second.every((id) => deliveredIds().has(id)), 90_000, "the retried emails");
    await until(
      async () => (await db.email.count({ where: { id: { in: [...first, ...second] }, status: "SENT" } })) === first.length + second.length,
      10_000,
      "every email marked sent",
    );

    // Nothing twice.
    await new Promise((resolve) => setTimeout(resolve, 2_000));
    const counts = new Map<string, number>();
    for (const message of received) counts.set(message.id, (counts.get(message.id) ?? 0) + 1);
    for (const id of [...first, ...second]) expect(counts.get(id)).toBe(1);
  });
});
