/**
 * Remembers which routes a path matches, for the server process.
 *
 * React Router's `matchRoutes` flattens and ranks the whole route tree on every call, and a
 * Remix page calls it four or five times per request (the server's route match, the partial
 * manifest for lazy route discovery, and React Router's own render). With this club's 60
 * routes that was about a tenth of the CPU of a forum page. The answer depends only on the
 * shape of the route tree and the path, so it is remembered per shape for the most recent
 * paths. Remix builds a new copy of the tree for every page it renders, so a shape is
 * recognised by its routes' ids, paths and nesting, and the remembered answer is given with
 * the caller's own route objects.
 *
 * Remix, React Router and the server runtime all call `matchRoutes` through the CommonJS
 * exports object of `@remix-run/router`, so replacing it there serves every caller. Callers
 * get fresh match objects, so none can change another's.
 */
import { createRequire } from "node:module";
import type { AgnosticRouteObject, matchRoutes } from "@remix-run/router";

type MatchRoutes = typeof matchRoutes;
type Route = AgnosticRouteObject;
/** A remembered match: the route by id, the rest as React Router gave it. */
type Remembered = Array<{ routeId: string; params: Record<string, string | undefined>; pathname: string; pathnameBase: string }> | null;

const PATHS_PER_SHAPE = 1_000;

export function rememberRouteMatches(router: { matchRoutes: MatchRoutes } = createRequire(import.meta.url)("@remix-run/router")) {
  const original = router.matchRoutes as MatchRoutes & { remembered?: true };
  if (original.remembered) return;

  const shapeNumbers = new Map<string, number>();
  const trees = new WeakMap<object, { shape: number; byId: Map<string, Route> } | null>();
  const byShape = new Map<number, Map<string, Remembered>>();

  /** The tree's shape and its routes by id; null when a route has no id (then nothing is remembered). */
  function treeOf(routes: Route[]) {
    let tree = trees.get(routes);
    if (tree !== undefined) return tree;
    const byId = new Map<string, Route>();
    const describe = (list: Route[]): unknown[] | null => {
      const out: unknown[] = [];
      for (const route of list) {
        if (typeof route.id !== "string" || byId.has(route.id)) return null;
        byId.set(route.id, route);
        const children = route.children ? describe(route.children) : [];
        if (!children) return null;
        out.push([route.id, route.path ?? null, route.index === true, route.caseSensitive === true, children]);
      }
      return out;
    };
    const description = describe(routes);
    if (description) {
      const signature = JSON.stringify(description);
      let shape = shapeNumbers.get(signature);
      if (shape === undefined) shapeNumbers.set(signature, (shape = shapeNumbers.size));
      tree = { shape, byId };
    } else {
      tree = null;
    }
    trees.set(routes, tree);
    return tree;
  }

  const remembered = ((routes, location, basename = "/") => {
    const tree = treeOf(routes as Route[]);
    if (!tree) return original(routes, location, basename);
    const pathname = typeof location === "string" ? location.split(/[?#]/)[0] : (location.pathname ?? "/");
    let paths = byShape.get(tree.shape);
    if (!paths) byShape.set(tree.shape, (paths = new Map()));
    const key = `${basename}\n${pathname}`;
    let matches = paths.get(key);
    if (matches === undefined) {
      matches =
        original(routes, pathname, basename)?.map((match) => ({
          routeId: match.route.id!,
          params: match.params,
          pathname: match.pathname,
          pathnameBase: match.pathnameBase,
        })) ?? null;
      if (paths.size >= PATHS_PER_SHAPE) paths.delete(paths.keys().next().value!);
    } else {
      // Most recently used last, so the oldest path is the one forgotten.
      paths.delete(key);
    }
    paths.set(key, matches);
    return (
      matches &&
      matches.map(({ routeId, params, pathname, pathnameBase }) => ({
        route: tree.byId.get(routeId)!,
        params: { ...params },
        pathname,
        pathnameBase,
      }))
    );
  }) as MatchRoutes;
  router.matchRoutes = Object.assign(remembered, { remembered: true as const });
}
