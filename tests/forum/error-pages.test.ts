/**
 * The forum and the roadmap in the member's language, through the real server: page titles,
 * and the error page (inside the club's header) whatever the refusal.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { stopQueue } from "~/jobs/queue.server";
import { freePort } from "../../scripts/embedded-postgres";
import { createForumCategory, createForumThread, createRoadmapItem, createUser, ensureClubSettings, ensureTiers, sessionCookie } from "../factories";
import { startAppInstance, type AppInstance } from "../support/app-server";

let app: AppInstance;
let world: {
  ru: string;
  en: string;
  curatorRu: string;
  readOnlyThreadId: string;
  openThreadId: string;
  itemId: string;
};

beforeAll(async () => {
  await ensureClubSettings();
  await ensureTiers(); // before the users are made side by side: concurrent upserts of one tier collide
  const [member, memberEn, author, curator] = await Promise.all([
    createUser({ tier: "community", locale: "ru", name: "Ольга Читатель" }),
    createUser({ tier: "community", locale: "en", name: "Priya Reader" }),
    createUser({ tier: "professional", name: "Anna Author" }),
    createUser({ role: "CURATOR", tier: "professional", locale: "ru", name: "Марина Куратор" }),
  ]);
  const readOnly = await createForumCategory({ slug: "stories", access: { community: "read", professional: "post" } });
  const openCategory = await createForumCategory({ slug: "open", nameEn: "Open", nameRu: "Open (RU)" });
  const [readOnlyThread, openThread, item] = await Promise.all([
    createForumThread(author, readOnly, { title: "Read only here" }),
    createForumThread(author, openCategory, { title: "Open thread" }),
    createRoadmapItem({ title: "An item" }),
  ]);
  world = {
    ru: await sessionCookie(member.id),
    en: await sessionCookie(memberEn.id),
    curatorRu: await sessionCookie(curator.id),
    readOnlyThreadId: readOnlyThread.thread.id,
    openThreadId: openThread.thread.id,
    itemId: item.id,
  };
  app = await startAppInstance({ databaseUrl: process.env.DATABASE_URL!, port: await freePort(), env: { COTERIE_WORKER: "0" } });
}, 180_000);

afterAll(async () => {
  await app?.stop();
  await stopQueue();
});

async function open(path: string, cookie: string) {
  const response = await fetch(`${app.url}${path}`, { headers: { Cookie: cookie }, redirect: "manual" });
  return { status: response.status, html: await response.text() };
}

function titleOf(html: string): string | undefined {
  return /<title>([^<]*)<\/title>/.exec(html)?.[1];
}

async function submit(path: string, cookie: string, form: Record<string, string>) {
  const response = await fetch(`${app.url}${path}`, {
    method: "POST",
    headers: { Cookie: cookie, Origin: app.url, "Content-Type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams(form).toString(),
    redirect: "manual",
  });
  return { status: response.status, html: await response.text() };
}

/** The page's visible text, without scripts (the loader data) or tags. */
function visibleText(html: string): string {
  return html
    .replace(/<script[\s\S]*?<\/script>/g, "")
    .replace(/<[^>]+>/g, " ")
    .replace(/\s+/g, " ");
}

describe("a refused forum or roadmap form", () => {
  it("shows the error page in the member's language, with the club's header, for every kind of refusal", async () => {
    const refusals: Array<{ path: string; form: Record<string, string>; status: number }> = [
      // Posting where the tier may only read: 403.
      { path: `/forum/t/${world.readOnlyThreadId}`, form: { intent: "reply", body: "Можно?" }, status: 403 },
      // A moderation button pressed by a member: 403.
      { path: `/forum/t/${world.openThreadId}`, form: { intent: "pin" }, status: 403 },
      // "Helpful" on a post that does not exist: 404.
      { path: `/forum/t/${world.openThreadId}`, form: { intent: "helpful", postId: "nope" }, status: 404 },
      // A status change by a member: 403.
      { path: `/roadmap/${world.itemId}`, form: { intent: "status", status: "SHIPPED" }, status: 403 },
      // A form no page of ours sends: 400.
      { path: "/roadmap?index", form: { intent: "bogus" }, status: 400 },
      // A comment on an item that does not exist: 404.
      { path: "/roadmap/nope", form: { intent: "comment", body: "Где он?" }, status: 404 },
    ];
    for (const refusal of refusals) {
      const { status, html } = await submit(refusal.path, world.ru, refusal.form);
      expect(status, refusal.path).toBe(refusal.status);
      expect(html, refusal.path).toContain('<html lang="ru"');
      const text = visibleText(html);
      expect(text, refusal.path).toContain("Форум"); // the header's navigation
      expect(text, refusal.path).toContain("На главную");
      expect(text, refusal.path).not.toMatch(/Not allowed|Page not found|Something went wrong|Back to the home page/);
    }
  });

  it("moving a thread to a category that does not exist is a readable 400 in the curator's language", async () => {
    const { status, html } = await submit(`/forum/t/${world.openThreadId}`, world.curatorRu, { intent: "move", categoryId: "nope" });
    expect(status).toBe(400);
    expect(html).toContain('<html lang="ru"');
    expect(visibleText(html)).not.toMatch(/Something went wrong|Back to the home page/);
  });
});

describe("page titles", () => {
  it("are in the member's language on every forum page, error pages included", async () => {
    const pages: Array<[string, string, number]> = [
      ["/forum", "Форум", 200],
      ["/forum?q=%D1%91%D0%B6", "Форум", 200],
      ["/forum/open", "Open (RU)", 200],
      ["/forum/open/new", "Новая тема в разделе «Open (RU)»", 200],
      [`/forum/t/${world.openThreadId}`, "Open thread", 200],
      ["/forum/nope", "Форум", 404],
      ["/roadmap/nope", "Дорожная карта", 404],
    ];
    for (const [path, title, status] of pages) {
      const page = await open(path, world.ru);
      expect(page.status, path).toBe(status);
      expect(titleOf(page.html), path).toBe(title);
    }
    expect(titleOf((await open("/forum/open/new", world.en)).html)).toBe("Start a thread in Open");
  });
});
