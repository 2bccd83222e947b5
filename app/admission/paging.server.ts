import { redirect } from "@remix-run/node";

/** How many pages a list of `total` rows takes, at least one (an empty list is one page). */
export function pageCount(total: number, pageSize: number) {
  return Math.max(1, Math.ceil(total / pageSize));
}

/**
 * A page past the last one (an old link, `?page=9` of 5) goes to the last page, keeping the
 * other search parameters, rather than showing "Page 9 of 5" and an empty table.
 */
export function keepWithinPages(request: Request, page: number, pages: number) {
  if (page <= pages) return;
  const url = new URL(request.url);
  url.searchParams.set("page", String(pages));
  throw redirect(`${url.pathname}?${url.searchParams.toString()}`);
}
