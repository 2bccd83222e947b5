/**
 * Admission and account pages against requests no form of ours sends: bodies that are not
 * forms, intents that do not exist, pages refused from an action. Each gets a 4xx page in
 * the reader's language, inside the site's layout, never a 500.
 */
import { createHash, randomBytes } from "node:crypto";
import type { APIRequestContext } from "@playwright/test";
import { expect, test } from "../e2e/fixtures";

type Sql = <T extends Record<string, unknown>>(text: string, values?: unknown[]) => Promise<T[]>;

const token = () => randomBytes(20).toString("hex").replace(/[^a-z2-7]/g, "a").slice(0, 32);
const sha256 = (value: string) => createHash("sha256").update(value).digest("hex");

/** A person of the given role and language, and a request context signed in as them. */
async function signedIn(sql: Sql, playwright: { request: { newContext: (options: object) => Promise<APIRequestContext> } }, baseURL: string, role: "OWNER" | "MEMBER", locale: "en" | "ru") {
  const id = `qa-${role.toLowerCase()}-${randomBytes(6).toString("hex")}`;
  await sql(
    `INSERT INTO "User" (id, email, name, role, locale, "createdAt", "updatedAt") VALUES ($1, $2, 'Вера Тестова', $3, $4, now(), now())`,
    [id, `${id}@example.com`, role, locale],
  );
  const session = token();
  await sql(`INSERT INTO "Session" (id, "userId", "expiresAt", "createdAt", "lastUsedAt") VALUES ($1, $2, now() + interval '1 day', now(), now())`, [
    sha256(session),
    id,
  ]);
  const cookie = `coterie_session=${Buffer.from(JSON.stringify(session)).toString("base64")}`;
  return { id, request: await playwright.request.newContext({ baseURL, extraHTTPHeaders: { Cookie: cookie } }) };
}

test.describe("a POST whose body is not a form", () => {
  const bodies: Array<{ name: string; headers: Record<string, string>; data?: string }> = [
    { name: "no body at all", headers: {} },
    { name: "JSON", headers: { "Content-Type": "application/json" }, data: '{"email":"a@b.c"}' },
    { name: "plain text", headers: { "Content-Type": "text/plain" }, data: "email=a@b.c" },
    { name: "a broken multipart body", headers: { "Content-Type": "multipart/form-data; boundary=xyz" }, data: "not multipart" },
  ];

  test("gets 400 or 415 on every admission and account form, never a 500", async ({ request, sql, playwright, baseURL }) => {
    const owner = await signedIn(sql, playwright, baseURL!, "OWNER", "ru");
    const [application] = await sql<{ id: string }>(`SELECT id FROM "Application" WHERE status <> 'UNVERIFIED' LIMIT 1`);
    const visitorPaths = ["/login", "/apply", "/forgot-password", "/language", `/reset-password/${token()}`];
    const ownerPaths = [
      "/account",
      "/admin/invites",
      "/admin/applications/criteria",
      `/admin/applications/${application.id}`,
      `/admin/members/${owner.id}`,
    ];
    for (const body of bodies) {
      for (const [context, paths] of [
        [request, visitorPaths],
        [owner.request, ownerPaths],
      ] as const) {
        for (const path of paths) {
          const response = await context.post(path, { headers: body.headers, data: body.data, maxRedirects: 0 });
          expect([400, 415], `${body.name} to ${path}`).toContain(response.status());
        }
      }
    }
    const page = await owner.request.post("/admin/invites", { headers: { "Content-Type": "application/json" }, data: "{}" });
    const html = await page.text();
    expect(html).toContain('<html lang="ru"');
    expect(html).toContain("Запрос не распознан");
    await owner.request.dispose();
  });
});

test.describe("a page refused by an action", () => {
  test("is in the reader's language and in the site's layout", async ({ sql, playwright, baseURL }) => {
    const owner = await signedIn(sql, playwright, baseURL!, "OWNER", "ru");
    const unknownIntent = await owner.request.post("/admin/invites", { form: { intent: "nothing-like-this" } });
    expect(unknownIntent.status()).toBe(400);
    let html = await unknownIntent.text();
    expect(html).toContain('<html lang="ru"');
    expect(html).toContain("Запрос не распознан");
    expect(html).toContain('href="/account"');
    expect(html).not.toContain("Unknown action");

    const missing = await owner.request.post("/admin/applications/criteria", {
      form: { intent: "update", criterionId: "no-such-criterion", titleEn: "T", titleRu: "Т", kind: "TEXT" },
    });
    expect(missing.status()).toBe(404);
    html = await missing.text();
    expect(html).toContain('<html lang="ru"');
    expect(html).toContain("Страница не найдена");

    // A member whose tier has no referral quota (here: none at all) posts the vouch form anyway.
    const member = await signedIn(sql, playwright, baseURL!, "MEMBER", "ru");
    const vouch = await member.request.post("/members/vouch", { form: { name: "Анна", email: "anna@example.com", locale: "ru" } });
    expect(vouch.status()).toBe(403);
    html = await vouch.text();
    expect(html).toContain('<html lang="ru"');
    expect(html).toContain("Ваш уровень членства не включает рекомендации");
    expect(html).not.toContain("Your tier does not include vouching");
    await owner.request.dispose();
    await member.request.dispose();
  });
});

test("a password reset posted without JavaScript answers 200 when it worked", async ({ request, sql }) => {
  const id = `qa-reset-${randomBytes(6).toString("hex")}`;
  const link = token();
  await sql(`INSERT INTO "User" (id, email, name, role, locale, "createdAt", "updatedAt") VALUES ($1, $2, 'Rita Reset', 'MEMBER', 'en', now(), now())`, [
    id,
    `${id}@example.com`,
  ]);
  await sql(`INSERT INTO "AccountToken" (id, "tokenHash", purpose, "userId", "expiresAt") VALUES ($1, $2, 'PASSWORD_RESET', $3, now() + interval '1 hour')`, [
    `${id}-token`,
    sha256(link),
    id,
  ]);
  const password = "a long and unusual passphrase";
  const done = await request.post(`/reset-password/${link}`, { form: { password, confirmPassword: password } });
  expect(done.status()).toBe(200);
  expect(await done.text()).toContain("Your password has been changed");
  const again = await request.post(`/reset-password/${link}`, { form: { password, confirmPassword: password } });
  expect(again.status()).toBe(410);
});

test("the sign-in and members pages are titled in the reader's language", async ({ request, sql, playwright, baseURL }) => {
  const title = async (response: { text(): Promise<string> }) => /<title>([^<]*)<\/title>/.exec(await response.text())?.[1];
  expect(await title(await request.get("/login", { headers: { "Accept-Language": "ru" } }))).toBe("Вход");
  const owner = await signedIn(sql, playwright, baseURL!, "OWNER", "ru");
  expect(await title(await owner.request.get("/admin/members"))).toBe("Участники");
  expect(await title(await owner.request.get(`/admin/members/${owner.id}`))).toBe("Вера Тестова");
  await owner.request.dispose();
});
