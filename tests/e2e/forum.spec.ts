import AxeBuilder from "@axe-core/playwright";
import type { Page } from "@playwright/test";
import { DEMO, expect, test } from "./fixtures";

// Demo members (prisma/seed/foundation.ts): Priya is Community (English), Marina the
// curator (Russian), Alexandra the owner (English), Olga Professional (Russian).

async function expectNoViolations(page: Page, label: string) {
  const results = await new AxeBuilder({ page }).withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]).analyze();
  expect(results.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`), label).toEqual([]);
}

test("a member opens a thread, replies with Markdown, sees it rendered, and edits it", async ({ page, loginAs }) => {
  await loginAs(DEMO.community.email);
  await page.goto("/forum");
  await page.getByRole("link", { name: "Off-topic" }).click();
  await page.getByRole("link", { name: "Books that changed how you think about security" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Books that changed how you think about security" })).toBeVisible();

  const reply = [
    "I'd add **The Phoenix Project** — see [the publisher](https://itrevolution.com/).",
    "",
    "```bash",
    "grep -r 'password' ./configs",
    "```",
  ].join("\n");
  await page.getByLabel("Your reply").fill(reply);
  await page.getByRole("button", { name: "Post reply" }).click();

  const post = page.locator("article").filter({ hasText: "The Phoenix Project" });
  await expect(post.locator("strong", { hasText: "The Phoenix Project" })).toBeVisible();
  await expect(post.locator("pre code")).toHaveText("grep -r 'password' ./configs");
  await expect(post.getByRole("link", { name: "the publisher" })).toHaveAttribute("rel", "nofollow ugc noopener");
  await expect(page.getByLabel("Your reply")).toHaveValue("");

  await post.getByRole("link", { name: "Edit" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Edit your post" })).toBeVisible();
  await page.getByLabel("Your post", { exact: true }).fill("I'd add **The Phoenix Project** and *The Unicorn Project*.");
  await page.getByRole("button", { name: "Save changes" }).click();
  const edited = page.locator("article").filter({ hasText: "The Unicorn Project" });
  await expect(edited.locator("em", { hasText: "The Unicorn Project" })).toBeVisible();
  await expect(edited.getByText("edited")).toBeVisible();
});

test("a curator pins and locks a thread; members then cannot reply", async ({ page, loginAs, browser }) => {
  const title = `Pin and lock me ${Date.now()}`;
  await loginAs(DEMO.community.email);
  await page.goto("/forum/introductions/new");
  await page.getByLabel("Title").fill(title);
  await page.getByLabel("Your post", { exact: true }).fill("Hello everyone, glad to be here.");
  await page.getByRole("button", { name: "Start the thread" }).click();
  await expect(page.getByRole("heading", { level: 1, name: title })).toBeVisible();
  const threadUrl = page.url();

  const curatorContext = await browser.newContext({ baseURL: test.info().project.use.baseURL });
  const curator = await curatorContext.newPage();
  await loginAs(DEMO.curator.email, curator);
  await curator.goto(threadUrl);
  await curator.getByRole("button", { name: "Закрепить тему" }).click();
  await expect(curator.getByText("Закреплена", { exact: true })).toBeVisible();
  await curator.getByRole("button", { name: "Закрыть тему для ответов" }).click();
  await expect(curator.getByText("Закрыта", { exact: true })).toBeVisible();
  // Unlocking says what it does: replies are allowed again, not "open the thread".
  await expect(curator.getByRole("button", { name: "Снова разрешить ответы" })).toBeVisible();
  await expect(curator.getByRole("button", { name: "Открепить тему" })).toBeVisible();
  await curatorContext.close();

  await page.goto("/forum/introductions");
  const first = page.getByRole("listitem").filter({ has: page.getByRole("link", { name: title }) });
  await expect(first.getByText("Pinned")).toBeVisible();
  await expect(first.getByText("Locked")).toBeVisible();
  await expect(page.locator("main ul li").first()).toContainText(title);
  await page.goto(threadUrl);
  await expect(page.getByText("This thread is locked. No new replies can be posted.")).toBeVisible();
  await expect(page.getByLabel("Your reply")).toHaveCount(0);
});

test("a Community member cannot see Ask the CTO or guess its addresses", async ({ page, loginAs, sql }) => {
  await loginAs(DEMO.community.email);
  await page.goto("/forum");
  await expect(page.getByRole("link", { name: "Introductions" })).toBeVisible();
  await expect(page.getByRole("link", { name: "Ask the CTO" })).toHaveCount(0);

  const [thread] = await sql<{ id: string; title: string; post: string }>(
    `SELECT t.id, t.title, (SELECT p.id FROM "ForumPost" p WHERE p."threadId" = t.id ORDER BY p."createdAt" LIMIT 1) AS post
     FROM "ForumThread" t JOIN "ForumCategory" c ON c.id = t."categoryId" WHERE c.slug = 'ask-the-cto' LIMIT 1`,
  );
  for (const path of ["/forum/ask-the-cto", "/forum/ask-the-cto/new", `/forum/t/${thread.id}`, `/forum/p/${thread.post}`, `/forum/p/${thread.post}/report`]) {
    const response = await page.goto(path);
    expect(response?.status(), path).toBe(404);
    await expect(page.getByRole("heading", { name: "Page not found" })).toBeVisible();
    expect(await page.content()).not.toContain(thread.title);
  }

  await page.goto(`/forum?q=${encodeURIComponent("pglogical")}`);
  await expect(page.getByText("Found: 0")).toBeVisible();

  // The same addresses open for a Professional member.
  await loginAs(DEMO.professional.email);
  const response = await page.goto(`/forum/t/${thread.id}`);
  expect(response?.status()).toBe(200);
  await expect(page.getByRole("heading", { level: 1, name: thread.title })).toBeVisible();
});

test("a Russian query finds a Russian post, highlighted", async ({ page, loginAs }) => {
  await loginAs(DEMO.community.email);
  await page.goto("/forum");
  await page.getByLabel("Search the forum").fill("утечки");
  await page.getByRole("button", { name: "Search" }).click();
  await expect(page).toHaveURL(/\/forum\?q=/);
  const hit = page.getByRole("listitem").filter({ has: page.getByRole("link", { name: "Как мы нашли утечку через забытый S3-бакет" }) });
  await expect(hit).toBeVisible();
  await expect(hit.locator("mark").first()).toHaveText(/утечк/i);
  await hit.getByRole("link", { name: "Как мы нашли утечку через забытый S3-бакет" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Как мы нашли утечку через забытый S3-бакет" })).toBeVisible();
});

test("posted script never runs, and every forum page carries a CSP", async ({ page, loginAs }) => {
  await loginAs(DEMO.community.email);
  const response = await page.goto("/forum/off-topic");
  expect(response?.headers()["content-security-policy"]).toMatch(/script-src 'self' 'nonce-[^']+'/);
  await page.getByRole("link", { name: "Books that changed how you think about security" }).click();
  await page.getByLabel("Your reply").fill(
    `<img src=x onerror="window.__forumXss=1"> <script>window.__forumXss=2</script> [click](javascript:window.__forumXss=3) marker-${Date.now()}`,
  );
  await page.getByRole("button", { name: "Post reply" }).click();
  const post = page.locator("article").filter({ hasText: "marker-" }).last();
  await expect(post).toBeVisible();
  expect(await page.evaluate(() => (window as unknown as { __forumXss?: number }).__forumXss)).toBeUndefined();
  expect(await post.locator("[onerror], script, a[href^='javascript']").count()).toBe(0);
});

test("forms work without JavaScript: an empty reply is refused at the field", async ({ browser, loginAs }) => {
  const context = await browser.newContext({ baseURL: test.info().project.use.baseURL, javaScriptEnabled: false });
  const page = await context.newPage();
  await loginAs(DEMO.community.email, page);
  await page.goto("/forum/off-topic");
  await page.getByRole("link", { name: "Books that changed how you think about security" }).click();
  await page.getByRole("button", { name: "Post reply" }).click();
  await expect(page.getByRole("alert").filter({ hasText: "This field is required." })).toBeVisible();
  await page.getByLabel("Your reply").fill("Posted *without* JavaScript");
  await page.getByRole("button", { name: "Post reply" }).click();
  await expect(page.locator("article em", { hasText: "without" })).toBeVisible();
  await context.close();
});

test("a wide Markdown table, a long unbroken word or a quote nested 1,000 deep scrolls inside its post, never the page", async ({ page, loginAs }) => {
  await loginAs(DEMO.community.email);
  await page.goto("/forum/off-topic");
  await page.getByRole("link", { name: "Books that changed how you think about security" }).click();
  const columns = Array.from({ length: 40 }, (_, i) => `column_header_${i}`);
  const table = [`| ${columns.join(" | ")} |`, `|${columns.map(() => "---").join("|")}|`, `| ${columns.map((_, i) => `cell_${i}`).join(" | ")} |`];
  await page.getByLabel("Your reply").fill([...table, "", "x".repeat(600), "", `${">".repeat(1_000)} deep`].join("\n"));
  await page.getByRole("button", { name: "Post reply" }).click();
  await expect(page.locator("article table").last()).toBeVisible();
  const width = await page.evaluate(() => ({ page: document.documentElement.scrollWidth, view: document.documentElement.clientWidth }));
  expect(width.page).toBeLessThanOrEqual(width.view);
});

test("a title or a search that is one 200-character word wraps instead of widening the page", async ({ page, loginAs }) => {
  await loginAs(DEMO.community.email);
  const word = "Ж".repeat(200);
  await page.goto("/forum/off-topic/new");
  await page.getByLabel("Title").fill(word);
  await page.getByLabel("Your post").fill("A thread with a very long title");
  await page.getByRole("button", { name: "Start the thread" }).click();
  await expect(page.getByRole("heading", { level: 1, name: word })).toBeVisible();
  const threadPage = page.url();
  await page.goto("/roadmap/new");
  await page.getByLabel("Title").fill("W".repeat(140));
  await page.getByRole("button", { name: "Send suggestion" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "W".repeat(140) })).toBeVisible();
  const itemPage = page.url();
  for (const path of [threadPage, "/forum/off-topic", "/forum", `/forum?q=${"ё".repeat(200)}`, itemPage, "/roadmap?sort=newest"]) {
    await page.goto(path);
    const width = await page.evaluate(() => ({ page: document.documentElement.scrollWidth, view: document.documentElement.clientWidth }));
    expect(width.page, path).toBeLessThanOrEqual(width.view);
  }
});

test("a member reports a post and a curator resolves it with a note", async ({ page, loginAs, browser }) => {
  await loginAs(DEMO.community.email);
  await page.goto("/forum/off-topic");
  await page.getByRole("link", { name: "Встреча участников в Москве в декабре?" }).click();
  await page.getByRole("link", { name: "Report the post by Elena Morozova" }).click();
  await page.getByLabel("What is wrong with this post?").fill("Looks like an advert to me");
  await page.getByRole("button", { name: "Send report" }).click();
  await expect(page.getByText("You reported this post. Curators will review it.")).toBeVisible();

  const ownerContext = await browser.newContext({ baseURL: test.info().project.use.baseURL });
  const owner = await ownerContext.newPage();
  await loginAs(DEMO.owner.email, owner);
  await owner.goto("/admin/reports");
  const report = owner.locator("article").filter({ hasText: "Looks like an advert to me" });
  await report.getByLabel("Resolution note").fill("Not an advert: a meetup. Keeping it.");
  await report.getByRole("button", { name: "Resolve report" }).click();
  await expect(owner.locator("article").filter({ hasText: "Looks like an advert to me" })).toHaveCount(0);
  await owner.getByRole("link", { name: "Resolved" }).click();
  await expect(owner.getByText("Not an advert: a meetup. Keeping it.")).toBeVisible();
  await ownerContext.close();
});

test("the owner adds a category readable by Community and postable by Professional", async ({ page, loginAs, browser }) => {
  const slug = `mentoring-${Date.now()}`;
  await loginAs(DEMO.owner.email);
  await page.goto("/admin/forum");
  await page.getByRole("link", { name: "New category" }).click();
  await page.getByLabel("Address").fill(slug);
  await page.getByLabel("Name in English").fill("Mentoring");
  await page.getByLabel("Name in Russian").fill("Менторство");
  await page.getByLabel("Access for Community").selectOption("read");
  await page.getByLabel("Access for Professional").selectOption("post");
  await page.getByRole("button", { name: "Create category" }).click();
  await expect(page.getByRole("cell", { name: `/forum/${slug}` })).toBeVisible();

  const memberContext = await browser.newContext({ baseURL: test.info().project.use.baseURL });
  const member = await memberContext.newPage();
  await loginAs(DEMO.community.email, member);
  await member.goto(`/forum/${slug}`);
  await expect(member.getByRole("heading", { level: 1, name: "Mentoring" })).toBeVisible();
  await expect(member.getByText("Your tier can read this category but not post in it.")).toBeVisible();
  const refused = await member.goto(`/forum/${slug}/new`);
  expect(refused?.status()).toBe(403);
  await memberContext.close();
});

test("forum pages have no accessibility violations, in English and Russian", async ({ page, loginAs, sql }) => {
  // Several full-page axe scans (or thirty posts) on a 2-core machine run past the default minute.
  test.setTimeout(180_000);
  const [thread] = await sql<{ id: string; author: string }>(
    `SELECT t.id, t."authorId" AS author FROM "ForumThread" t JOIN "ForumCategory" c ON c.id = t."categoryId"
     WHERE c.slug = 'security-war-stories' ORDER BY t."createdAt" LIMIT 1`,
  );
  const memberPages = ["/forum", "/forum?q=kms", "/forum/security-war-stories", `/forum/t/${thread.id}`, `/members/${thread.author}`, "/forum/introductions/new"];
  await loginAs(DEMO.community.email);
  for (const path of memberPages) {
    await page.goto(path);
    await expectNoViolations(page, path);
  }
  await loginAs(DEMO.curator.email); // Russian
  for (const path of [...memberPages, "/admin/reports"]) {
    await page.goto(path);
    await expectNoViolations(page, `${path} (ru, curator)`);
  }
  await loginAs(DEMO.owner.email);
  for (const path of ["/admin/forum", "/admin/forum/new", "/admin/reports?status=resolved"]) {
    await page.goto(path);
    await expectNoViolations(page, path);
  }
});

test("a reply refused by the posting limit keeps its text and the message, with and without JavaScript, and an unsent reply is a draft", async ({ page, loginAs, sql, browser }) => {
  // Several full-page axe scans (or thirty posts) on a 2-core machine run past the default minute.
  test.setTimeout(180_000);
  // Elena (Community, Russian) posts nowhere else in the suite, so her limit is hers alone;
  // no other test signs in as her or changes her language (the billing test switches Ksenia's).
  const [elena] = await sql<{ id: string }>(`UPDATE "User" SET locale = 'ru' WHERE email = 'elena.morozova@example.com' RETURNING id`);
  const [thread] = await sql<{ id: string }>(`SELECT id FROM "ForumThread" WHERE title = 'Books that changed how you think about security'`);
  const fillTheLimit = () =>
    sql(`INSERT INTO "RateLimitHit" (bucket, key) SELECT 'forum-post', $1 FROM generate_series(1, 30)`, [elena.id]);
  const clearTheLimit = () => sql(`DELETE FROM "RateLimitHit" WHERE bucket = 'forum-post' AND key = $1`, [elena.id]);
  await fillTheLimit();
  try {
    const text = `Черновик, который нельзя потерять ${Date.now()}`;
    await loginAs("elena.morozova@example.com");
    await page.goto(`/forum/t/${thread.id}`);
    await page.getByLabel("Ваш ответ").fill(text);
    await page.getByRole("button", { name: "Ответить" }).click();
    await expect(page.getByRole("alert").filter({ hasText: /Вы написали много сообщений за короткое время. Повторите через \d+ мин./ })).toBeVisible();
    await expect(page.getByRole("heading", { level: 1, name: "Books that changed how you think about security" })).toBeVisible();
    await expect(page.getByLabel("Ваш ответ")).toHaveValue(text);

    // Away and back: the unsent reply is still there.
    await page.getByRole("link", { name: "Форум", exact: true }).first().click();
    await expect(page).toHaveURL(/\/forum$/);
    await page.goto(`/forum/t/${thread.id}`);
    await expect(page.getByLabel("Ваш ответ")).toHaveValue(text);

    // Without JavaScript the server's answer is the page with the form, not an error page.
    const context = await browser.newContext({ baseURL: test.info().project.use.baseURL, javaScriptEnabled: false });
    const plain = await context.newPage();
    await loginAs("elena.morozova@example.com", plain);
    await plain.goto(`/forum/t/${thread.id}`);
    await plain.getByLabel("Ваш ответ").fill(`${text} (без JavaScript)`);
    const [response] = await Promise.all([
      plain.waitForResponse((r) => r.request().method() === "POST"),
      plain.getByRole("button", { name: "Ответить" }).click(),
    ]);
    expect(response.status()).toBe(429);
    await expect(plain.getByRole("alert").filter({ hasText: "Вы написали много сообщений" })).toBeVisible();
    await expect(plain.getByLabel("Ваш ответ")).toHaveValue(`${text} (без JavaScript)`);
    await context.close();

    // Once the limit frees up, the same text goes out and the draft is gone.
    await clearTheLimit();
    await page.getByRole("button", { name: "Ответить" }).click();
    await expect(page.locator("article").filter({ hasText: text })).toBeVisible();
    await expect(page.getByLabel("Ваш ответ")).toHaveValue("");
    await page.reload();
    await expect(page.getByLabel("Ваш ответ")).toHaveValue("");
  } finally {
    await clearTheLimit();
  }
});

test("Markdown headings read as headings: larger and bolder than the text under them", async ({ page, loginAs }) => {
  await loginAs(DEMO.community.email);
  await page.goto("/forum/off-topic");
  await page.getByRole("link", { name: "Books that changed how you think about security" }).click();
  const marker = `heading-check-${Date.now()}`;
  await page.getByLabel("Your reply").fill(`# Reading list ${marker}\n\nFirst the basics.\n\n## Networks ${marker}\n\nThen TCP/IP.\n\n### Later ${marker}\n\nThe rest.`);
  await page.getByRole("button", { name: "Post reply" }).click();
  const post = page.locator("article").filter({ hasText: `Reading list ${marker}` });
  const style = (name: string) =>
    post.getByText(name, { exact: true }).evaluate((element) => {
      const computed = getComputedStyle(element);
      return { size: parseFloat(computed.fontSize), weight: Number(computed.fontWeight), tag: element.tagName };
    });
  const body = await style("First the basics.");
  const top = await style(`Reading list ${marker}`);
  const second = await style(`Networks ${marker}`);
  const third = await style(`Later ${marker}`);
  expect([top.tag, second.tag, third.tag]).toEqual(["H3", "H4", "H5"]);
  expect(body.weight).toBeLessThan(600);
  for (const heading of [top, second, third]) expect(heading.weight).toBeGreaterThanOrEqual(600);
  expect(second.size).toBeGreaterThan(body.size);
  expect(top.size).toBeGreaterThan(second.size);
  expect(third.size).toBeGreaterThanOrEqual(body.size);
});

test("the owner previews this week's digest and sends it now", async ({ page, loginAs }) => {
  await loginAs(DEMO.owner.email);
  await page.goto("/admin");
  await page.getByRole("link", { name: "Weekly digest" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Weekly digest" })).toBeVisible();
  await expect(page.getByText(/This week's digest covers/)).toBeVisible();
  await page.getByRole("button", { name: "Send this week's digest now" }).click();
  await expect(page.getByRole("status")).toContainText("The digest is being sent in the background.");
});
