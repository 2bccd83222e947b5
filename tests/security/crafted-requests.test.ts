import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { freePort } from "../../scripts/embedded-postgres";
import { startAppInstance, type AppInstance } from "../support/app-server";

// The real server (scripts/serve.ts in front of the production build), against this file's database.
let app: AppInstance;
beforeAll(async () => {
  app = await startAppInstance({ databaseUrl: process.env.DATABASE_URL!, port: await freePort(), env: { COTERIE_WORKER: "0" } });
}, 180_000);
afterAll(async () => app?.stop());

const RUSSIAN = `coterie_lang=${encodeURIComponent(Buffer.from(JSON.stringify("ru")).toString("base64"))}`;
const send = (path: string, init: RequestInit = {}) => fetch(`${app.url}${path}`, { redirect: "manual", ...init });
const form = (extra: Record<string, string> = {}) => ({
  method: "POST",
  headers: { Origin: app.url, "Content-Type": "application/x-www-form-urlencoded", ...extra },
  body: "email=nobody%40example.com&password=wrong-password",
});

describe("crafted requests get a 4xx, never a 500, and write no stack to the log", () => {
  it.each(["/forum/%E0%A4%A", "/login%ZZ", "/%", "/forum/t/%E0%A4%A/x", "/forum/t/%00", "/forum/p/%00", "/forum?_data=routes%2Fforum._index"])(
    "GET %s is 400",
    async (path) => {
      const response = await send(path);
      expect(response.status).toBe(400);
      expect(await response.text()).toContain("Request not understood");
    },
  );

  it("POST /login?_data=routes%2Flogin is 400", async () => {
    expect((await send("/login?_data=routes%2Flogin", form())).status).toBe(400);
  });

  it("a write whose X-Forwarded-Host is not the host its Origin names is 400", async () => {
    expect((await send("/login", form({ "X-Forwarded-Host": "evil.example" }))).status).toBe(400);
    // The same sign-in with the forwarded host matching its Origin is answered as usual.
    const fine = await send("/login", form({ "X-Forwarded-Host": new URL(app.url).host }));
    expect(fine.status).toBe(401);
    expect(await fine.text()).not.toContain("Request not understood");
  });

  it("a newline in redirectTo is no 500 (the sign-in page, and a sign-in with it)", async () => {
    for (const target of ["%0A", "/%0A//evil.example", "%0D%0ALocation:%20https://evil.example", "/\r\n/evil"].map(encodeURI)) {
      expect((await send(`/login?redirectTo=${target}`)).status, target).toBe(200);
      expect((await send(`/login?redirectTo=${target}`, form())).status, target).toBeLessThan(500);
    }
  });

  it("the refusal is in the reader's language: their language cookie, else Accept-Language", async () => {
    for (const headers of [{ Cookie: RUSSIAN }, { "Accept-Language": "ru-RU,ru;q=0.9,en;q=0.5" }] as Record<string, string>[]) {
      const response = await send("/forum/t/%00", { headers });
      expect(response.status).toBe(400);
      const html = await response.text();
      expect(html).toContain('<html lang="ru">');
      expect(html).toContain("Запрос не распознан");
      expect(html).not.toContain("Request not understood");
    }
  });

  it("none of them wrote an error or a stack trace to the log", () => {
    expect(app.output()).not.toMatch(/unhandled error|"stack"|\n\s+at .+:\d+:\d+/);
  });
});
