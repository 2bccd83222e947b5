/** Page numbers from ?page=, shared by the forum's lists. */
export function pageFromUrl(url: URL | string): number {
  const raw = new URL(url).searchParams.get("page");
  const page = Number(raw);
  return Number.isInteger(page) && page >= 1 && page <= 100_000 ? page : 1;
}

export type Pagination = { page: number; pages: number; total: number; size: number };

export function paginate(total: number, page: number, size: number): Pagination {
  const pages = Math.max(1, Math.ceil(total / size));
  return { page: Math.min(page, pages), pages, total, size };
}
