import { describe, expect, it } from "vitest";
import { safeRedirectTo } from "~/auth/guards.server";
import { action as languageAction } from "~/routes/language";
import { action as loginAction, loader as loginLoader } from "~/routes/login";
import { createUser, sessionCookie } from "../factories";
import { appRequest, routeArgs, settle } from "../support/requests";

// Each of these, put in a Location header, takes a browser to another site (or is ambiguous
// enough between browsers and proxies that we refuse it).
const HOSTILE = [
  "//evil.example",
  "/\t/evil.example",
  "/\n/evil.example",
  "/\r\n/evil.example",
  "/%09/evil.example",
  "/%0a/evil.example",
  "/%0D%0A/evil.example",
  "/%2509/evil.example",
  "/%2f/evil.example",
  "/%2F%2Fevil.example",
  "/%252f/evil.example",
  "/\\evil.example",
  "/%5cevil.example",
  "/%5Cevil.example",
  "\\\\evil.example",
  "https://evil.example",
  "http:evil.example",
  "javascript:alert(1)",
  "/\u0000/evil.example",
  "/%00/evil.example",
  "/%E0%A4%A",
  " //evil.example",
  "evil.example",
  "",
];

describe("safeRedirectTo", () => {
  it.each(HOSTILE)("refuses %j", (value) => {
    expect(safeRedirectTo(value, "/forum")).toBe("/forum");
  });

  it("keeps a path on this site, with its query and fragment", () => {
    expect(safeRedirectTo("/forum?x=1")).toBe("/forum?x=1");
    expect(safeRedirectTo("/forum/t/abc#reply")).toBe("/forum/t/abc#reply");
    expect(safeRedirectTo("/forum/search?q=%D1%84%D0%B8%D1%88%D0%B8%D0%BD%D0%B3")).toBe("/forum/search?q=%D1%84%D0%B8%D1%88%D0%B8%D0%BD%D0%B3");
    expect(safeRedirectTo("/roadmap/../admin")).toBe("/admin");
  });

  it("never returns anything a browser resolves to another origin", () => {
    for (const value of HOSTILE) {
      const target = new URL(safeRedirectTo(value), "https://club.example");
      expect(target.origin).toBe("https://club.example");
    }
  });
});

describe("the routes that take redirectTo", () => {
  it("/login, already signed in, sends the member home instead of away", async () => {
    const user = await createUser();
    const cookie = await sessionCookie(user.id);
    const response = await settle(loginLoader(routeArgs(appRequest("/login?redirectTo=/%09/evil.example", { cookie }))));
    expect(response).toBeInstanceOf(Response);
    expect((response as Response).headers.get("Location")).toBe("/forum");
  });

  it("/login, right after a real sign-in, stays on the site", async () => {
    const user = await createUser({ password: "a long enough password" });
    const response = await settle(
      loginAction(
        routeArgs(appRequest("/login", { form: { email: user.email, password: "a long enough password", redirectTo: "/\t/evil.example" } })),
      ),
    );
    expect(response).toBeInstanceOf(Response);
    expect((response as Response).headers.get("Location")).toBe("/forum");
  });

  it("POST /language stays on the site", async () => {
    const response = await settle(languageAction(routeArgs(appRequest("/language", { form: { locale: "ru", redirectTo: "/\t/evil.example" } }))));
    expect((response as Response).headers.get("Location")).toBe("/");
    const kept = await settle(languageAction(routeArgs(appRequest("/language", { form: { locale: "ru", redirectTo: "/roadmap?page=2" } }))));
    expect((kept as Response).headers.get("Location")).toBe("/roadmap?page=2");
  });
});
