import { describe, expect, it } from "vitest";
import { isPrivateRequest, PRIVATE_NO_STORE } from "~/http/cache-control";
import { finishHead, RETRY_AFTER_SECONDS } from "~/http/response-head";

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

describe("finishHead (the edge's last word on a response's head)", () => {
  const head = (initial: Record<string, string> = {}) => {
    const headers = new Map(Object.entries(initial).map(([k, v]) => [k.toLowerCase(), v]));
    return { headers, getHeader: (name: string) => headers.get(name.toLowerCase()), setHeader: (name: string, value: string) => headers.set(name.toLowerCase(), value) };
  };

  it("a 500 met with the database down goes out as 503 with Retry-After", () => {
    const h = head();
    expect(finishHead(h, 500, { privateRequest: false, databaseDown: true })).toBe(503);
    expect(h.headers.get("retry-after")).toBe(String(RETRY_AFTER_SECONDS));
    expect(finishHead(head(), 500, { privateRequest: false })).toBe(500);
  });

  it("every 503 carries Retry-After, keeping one a route set", () => {
    const bare = head();
    finishHead(bare, 503, { privateRequest: false });
    expect(bare.headers.get("retry-after")).toBe("10");
    const own = head({ "Retry-After": "30" });
    finishHead(own, 503, { privateRequest: false });
    expect(own.headers.get("retry-after")).toBe("30");
  });

  it("a private request's head says private, no-store over what the route sent", () => {
    const h = head({ "Cache-Control": "public, max-age=600" });
    finishHead(h, 200, { privateRequest: true });
    expect(h.headers.get("cache-control")).toBe(PRIVATE_NO_STORE);
    const open = head({ "Cache-Control": "public, max-age=600" });
    finishHead(open, 200, { privateRequest: false });
    expect(open.headers.get("cache-control")).toBe("public, max-age=600");
  });
});
