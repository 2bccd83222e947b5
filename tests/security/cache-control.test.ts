import { describe, expect, it } from "vitest";
import { isPrivateRequest, PRIVATE_NO_STORE } from "~/http/cache-control";

const SESSION = `coterie_session=${Buffer.from(JSON.stringify("a".repeat(32))).toString("base64")}`;

describe("isPrivateRequest (Cache-Control: private, no-store)", () => {
  it.each(["/account", "/billing", "/billing/join", "/billing/test-portal", "/admin", "/admin/members/u1", "/admin/metrics.csv"])(
    "%s is private even without a session",
    (path) => expect(isPrivateRequest(path, null)).toBe(true),
  );

  it.each(["/", "/forum", "/forum/t/abc", "/roadmap", "/members/u1", "/login"])("%s is private for a signed-in person", (path) => {
    expect(isPrivateRequest(path, SESSION)).toBe(true);
    expect(isPrivateRequest(path, `coterie_lang=ru; ${SESSION}`)).toBe(true);
  });

  it.each(["/", "/login", "/apply", "/forum", "/accounts-help", "/administrator", "/billingual"])(
    "%s is not private for a visitor without a session",
    (path) => {
      expect(isPrivateRequest(path, null)).toBe(false);
      expect(isPrivateRequest(path, "coterie_lang=ru")).toBe(false);
      // A cookie that only ends with the name, or a cleared session cookie, is no session.
      expect(isPrivateRequest(path, "not_coterie_session=x; coterie_session=")).toBe(false);
    },
  );

  it("is the header the server sets", () => expect(PRIVATE_NO_STORE).toBe("private, no-store"));
});
