import AxeBuilder from "@axe-core/playwright";
import type { Page } from "@playwright/test";
import { DEMO, expect, test } from "./fixtures";

async function expectNoViolations(page: Page, path: string) {
  const response = await page.goto(path);
  expect(response?.status(), `${path} status`).toBeLessThan(400);
  const results = await new AxeBuilder({ page }).withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]).analyze();
  const summary = results.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`);
  expect(summary, `axe on ${path}`).toEqual([]);
}

const VISITOR_PAGES = ["/", "/login"];
const MEMBER_PAGES = ["/account"];
const STAFF_PAGES = ["/admin"];

test("visitor pages have no accessibility violations, in English and Russian", async ({ page }) => {
  for (const path of VISITOR_PAGES) await expectNoViolations(page, path);
  await page.getByRole("button", { name: /Language/ }).click();
  for (const path of VISITOR_PAGES) await expectNoViolations(page, path);
});

test("member pages have no accessibility violations", async ({ page, loginAs }) => {
  await loginAs(DEMO.community.email);
  for (const path of MEMBER_PAGES) await expectNoViolations(page, path);
});

test("curator and owner pages have no accessibility violations", async ({ page, loginAs }) => {
  await loginAs(DEMO.curator.email);
  for (const path of STAFF_PAGES) await expectNoViolations(page, path);
  await loginAs(DEMO.owner.email);
  for (const path of [...MEMBER_PAGES, ...STAFF_PAGES]) await expectNoViolations(page, path);
});
