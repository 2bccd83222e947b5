import { DEMO, expect, test } from "./fixtures";

test("the owner signs in and out in a real browser", async ({ page }) => {
  await page.goto("/");
  await page.getByRole("link", { name: "Sign in" }).first().click();
  await page.getByLabel("Email").fill(DEMO.owner.email);
  await page.getByLabel("Password").fill(DEMO.owner.password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page).toHaveURL(/\/forum/);
  await page.goto("/account");
  await expect(page.getByRole("heading", { name: "Your account" })).toBeVisible();
  await expect(page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Admin" })).toBeVisible();
  await page.getByRole("button", { name: "Sign out", exact: true }).click();
  await expect(page).toHaveURL(/\/$/);
  await expect(page.getByRole("link", { name: "Sign in" }).first()).toBeVisible();
});

test("a wrong password and an unknown email get the same message", async ({ page }) => {
  await page.goto("/login");
  await page.getByLabel("Email").fill(DEMO.owner.email);
  await page.getByLabel("Password").fill("not the password");
  await page.getByRole("button", { name: "Sign in" }).click();
  const wrongPassword = await page.getByRole("alert").first().textContent();
  await page.goto("/login");
  await page.getByLabel("Email").fill("nobody-here@example.com");
  await page.getByLabel("Password").fill("not the password");
  await page.getByRole("button", { name: "Sign in" }).click();
  const unknownEmail = await page.getByRole("alert").first().textContent();
  expect(wrongPassword).toBe("Email or password is incorrect.");
  expect(unknownEmail).toBe(wrongPassword);
});

test("the language switch turns the page Russian", async ({ page }) => {
  await page.goto("/");
  await page.getByRole("button", { name: /Language/ }).click();
  await expect(page.getByRole("link", { name: "Подать заявку на членство" })).toBeVisible();
  await expect(page.locator("html")).toHaveAttribute("lang", "ru");
  await page.goto("/login");
  await expect(page.getByRole("heading", { name: "Вход" })).toBeVisible();
});

test("a visitor's browser language picks Russian", async ({ browser }) => {
  const context = await browser.newContext({ locale: "ru-RU" });
  const page = await context.newPage();
  await page.goto(`${test.info().project.use.baseURL}/`);
  await expect(page.locator("html")).toHaveAttribute("lang", "ru");
  await context.close();
});

test("a member gets 403 on /admin", async ({ page, loginAs }) => {
  await loginAs(DEMO.community.email);
  const response = await page.goto("/admin");
  expect(response?.status()).toBe(403);
  await expect(page.getByRole("heading", { name: "Not allowed" })).toBeVisible();
});

test("a cross-origin POST is refused", async ({ request }) => {
  const response = await request.post("/login", {
    headers: { Origin: "https://evil.example" },
    form: { email: DEMO.owner.email, password: DEMO.owner.password },
  });
  expect(response.status()).toBe(403);
});

test("the 11th failed sign-in in ten minutes gets 429", async ({ request }) => {
  const email = DEMO.professional.email;
  // The e2e server trusts X-Forwarded-For from loopback, as behind a load balancer,
  // so this test has an address of its own.
  const ip = `198.51.100.${Math.floor(Math.random() * 250) + 1}`;
  const statuses: number[] = [];
  for (let i = 0; i < 11; i += 1) {
    const response = await request.post("/login", {
      headers: { Origin: test.info().project.use.baseURL!, "X-Forwarded-For": ip },
      form: { email, password: `wrong-${i}` },
      maxRedirects: 0,
    });
    statuses.push(response.status());
  }
  expect(statuses.slice(0, 10).every((s) => s === 401)).toBe(true);
  expect(statuses[10]).toBe(429);
  // The account is now limited from any address, too.
  const other = await request.post("/login", {
    headers: { Origin: test.info().project.use.baseURL!, "X-Forwarded-For": "198.51.100.254" },
    form: { email, password: DEMO.professional.password },
    maxRedirects: 0,
  });
  expect(other.status()).toBe(429);
});

test("a locked sign-in is answered 429 with Retry-After on the page itself", async ({ request }) => {
  // The e2e server trusts X-Forwarded-For from loopback: each attempt has an address of its own.
  const email = `nobody-${Date.now()}@example.com`;
  const statuses: number[] = [];
  for (let i = 0; i < 11; i += 1) {
    const response = await request.post("/login", {
      form: { email, password: "not the password" },
      headers: { "X-Forwarded-For": `198.51.100.${10 + i}`, Origin: new URL(test.info().project.use.baseURL!).origin },
      maxRedirects: 0,
    });
    statuses.push(response.status());
    if (i === 10) {
      expect(Number(response.headers()["retry-after"])).toBeGreaterThan(0);
      expect(await response.text()).toContain("Too many");
    }
  }
  expect(statuses).toEqual([...Array(10).fill(401), 429]);
});
