import { matchRoutes } from "@remix-run/router";
import { describe, expect, it } from "vitest";
import { rememberRouteMatches } from "../../scripts/route-matching";

// The shapes the club's routes take: an index, nested layouts, params, a pathless layout,
// an optional segment and a splat.
const routes = [
  {
    id: "root",
    path: "",
    children: [
      { id: "index", index: true },
      { id: "forum", path: "forum", children: [{ id: "forum-index", index: true }, { id: "category", path: ":category" }] },
      { id: "thread", path: "forum/t/:threadId" },
      { id: "new-thread", path: "forum/:category/new" },
      { id: "admin", path: "admin", children: [{ id: "admin-index", index: true }, { id: "member", path: "members/:userId" }] },
      { id: "pathless", children: [{ id: "roadmap", path: "roadmap/:itemId?" }] },
      { id: "metrics-json", path: "admin/metrics.json" },
      { id: "splat", path: "files/*" },
    ],
  },
];

const paths = [
  "/",
  "/forum",
  "/forum/",
  "/forum/introductions",
  "/forum/t/abc123",
  "/forum/t/%D0%BF%D1%80%D0%B8%D0%B2%D0%B5%D1%82",
  "/forum/jobs/new",
  "/admin",
  "/admin/members/u1",
  "/admin/metrics.json",
  "/roadmap",
  "/roadmap/item-7",
  "/files/a/b/c.txt",
  "/nowhere/at/all",
  "/forum/t/abc123?page=2#reply",
];

/** A stand-in for the module's exports object, so each test installs its own. */
const freshRouter = () => ({ matchRoutes });

describe("remembered route matches", () => {
  it("gives exactly what React Router's matchRoutes gives, on the first call and on later ones", () => {
    const router = freshRouter();
    rememberRouteMatches(router);
    for (let round = 0; round < 3; round += 1) {
      for (const path of paths) {
        expect(router.matchRoutes(routes, path)).toEqual(matchRoutes(routes, path));
        expect(router.matchRoutes(routes, { pathname: path.split("?")[0] })).toEqual(matchRoutes(routes, { pathname: path.split("?")[0] }));
        expect(router.matchRoutes(routes, path, "/club")).toEqual(matchRoutes(routes, path, "/club"));
      }
    }
  });

  it("answers a copy of the tree (Remix makes one per page) with the copy's own route objects", () => {
    const router = freshRouter();
    rememberRouteMatches(router);
    router.matchRoutes(routes, "/forum/t/abc123");
    const copy = structuredClone(routes);
    const matches = router.matchRoutes(copy, "/forum/t/abc123")!;
    expect(matches.map((match) => match.route.id)).toEqual(["root", "thread"]);
    expect(matches[1].route).toBe(copy[0].children[2]);
    expect(matches).toEqual(matchRoutes(copy, "/forum/t/abc123"));
  });

  it("falls back to React Router for a tree whose routes have no ids", () => {
    const router = freshRouter();
    rememberRouteMatches(router);
    const anonymous = [{ path: "forum", children: [{ path: ":category" }] }];
    expect(router.matchRoutes(anonymous, "/forum/jobs")).toEqual(matchRoutes(anonymous, "/forum/jobs"));
    expect(router.matchRoutes(anonymous, "/forum/jobs")![1].route).toBe(anonymous[0].children[0]);
  });

  it("keeps route trees apart, and a caller cannot change what the next one gets", () => {
    const router = freshRouter();
    rememberRouteMatches(router);
    const other = [{ id: "only", path: "forum/:category" }];
    expect(router.matchRoutes(routes, "/forum/jobs")!.at(-1)!.route).toMatchObject({ id: "category" });
    expect(router.matchRoutes(other, "/forum/jobs")!.at(-1)!.route).toMatchObject({ id: "only" });

    const first = router.matchRoutes(routes, "/admin/members/u1")!;
    (first.at(-1)!.params as Record<string, string>).userId = "someone-else";
    first.pop();
    const second = router.matchRoutes(routes, "/admin/members/u1")!;
    expect(second).toHaveLength(3);
    expect(second.at(-1)!.params.userId).toBe("u1");
  });

  it("stays right past the number of paths it remembers", () => {
    const router = freshRouter();
    rememberRouteMatches(router);
    for (let i = 0; i < 2_500; i += 1) {
      const path = `/forum/t/thread-${i % 1_200}`;
      expect(router.matchRoutes(routes, path)!.at(-1)!.params).toEqual({ threadId: `thread-${i % 1_200}` });
    }
  });

  it("is installed once however often the server starts", () => {
    const router = freshRouter();
    rememberRouteMatches(router);
    const installed = router.matchRoutes;
    rememberRouteMatches(router);
    expect(router.matchRoutes).toBe(installed);
  });
});
