import { SMTPServer } from "smtp-server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db } from "~/db.server";
import { queueEmail } from "~/email/email.server";
import { stopQueue } from "~/jobs/queue.server";
import { freePort } from "../../scripts/embedded-postgres";
import { createUser } from "../factories";
import { startAppInstance, type AppInstance } from "../support/app-server";

// Two app instances on different ports, both working the queue, against this file's database.
let a: AppInstance;
let b: AppInstance;
let smtp: SMTPServer;
const received: Array<{ to: string; id: string | undefined }> = [];

beforeAll(async () => {
  const smtpPort = await freePort();
  smtp = new SMTPServer({
    authOptional: true,
    disabledCommands: ["STARTTLS"],
    onData(stream, session, callback) {
      let raw = "";
      stream.on("data", (chunk) => (raw += chunk));
      stream.on("end", () => {
        received.push({ to: session.envelope.rcptTo[0]?.address ?? "", id: /X-Coterie-Email-Id: (\S+)/i.exec(raw)?.[1] });
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => smtp.listen(smtpPort, "127.0.0.1", resolve));
  const env = { SMTP_URL: `smtp://127.0.0.1:${smtpPort}`, COTERIE_WORKER: "1" };
  [a, b] = await Promise.all([
    startAppInstance({ databaseUrl: process.env.DATABASE_URL!, port: await freePort(), env }),
    startAppInstance({ databaseUrl: process.env.DATABASE_URL!, port: await freePort(), env }),
  ]);
}, 120_000);

afterAll(async () => {
  await Promise.all([a?.stop(), b?.stop()]);
  await stopQueue();
  await new Promise<void>((resolve) => smtp.close(() => resolve()));
});

describe("several app instances sharing one database", () => {
  it("a session from instance A works on instance B", async () => {
    const user = await createUser({ password: "a long enough password" });
    const login = await fetch(`${a.url}/login`, {
      method: "POST",
      headers: { Origin: a.url, "Content-Type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ email: user.email, password: "a long enough password" }),
      redirect: "manual",
    });
    expect(login.status).toBe(302);
    const cookie = login.headers.get("set-cookie")!.split(";")[0];
    const onB = await fetch(`${b.url}/account`, { headers: { Cookie: cookie }, redirect: "manual" });
    expect(onB.status).toBe(200);
    expect(await onB.text()).toContain(user.email);
  });

  it("rate limits are shared: failures on A count on B", async () => {
    const ip = "198.51.100.77";
    const post = (instance: AppInstance) =>
      fetch(`${instance.url}/login`, {
        method: "POST",
        headers: { Origin: instance.url, "Content-Type": "application/x-www-form-urlencoded", "X-Forwarded-For": ip },
        body: "email=nobody%40example.com&password=wrong",
        redirect: "manual",
      });
    const statuses: number[] = [];
    for (let i = 0; i < 10; i += 1) statuses.push((await post(i % 2 ? b : a)).status);
    expect(statuses).toEqual(Array(10).fill(401));
    expect((await post(b)).status).toBe(429);
    expect((await post(a)).status).toBe(429);
  });

  it("a queued email is sent exactly once although both instances work the queue", async () => {
    const ids: string[] = [];
    for (let i = 0; i < 5; i += 1) {
      ids.push(await queueEmail({ to: `reader${i}@example.com`, locale: "en", template: "test", subject: `Hello ${i}`, text: "Hi." }));
    }
    const deadline = Date.now() + 30_000;
    while (Date.now() < deadline) {
      const sent = await db.email.count({ where: { id: { in: ids }, status: "SENT" } });
      if (sent === ids.length) break;
      await new Promise((r) => setTimeout(r, 250));
    }
    await new Promise((r) => setTimeout(r, 1_500));
    for (const id of ids) {
      expect(received.filter((m) => m.id === id), id).toHaveLength(1);
    }
    const rows = await db.email.findMany({ where: { id: { in: ids } } });
    expect(rows.every((r) => r.status === "SENT" && r.attempts === 1)).toBe(true);
  });
});
