import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { requireForumReader } from "~/forum/access.server";
import { pageFromUrl } from "~/forum/pagination";
import { excerptParts, searchForum } from "~/forum/search.server";
import { listCategories } from "~/forum/threads.server";
import { Badge, PageLinks, useFormat, useLocalized, withPage } from "~/forum/ui";
import { metaTranslator, useT } from "~/i18n/i18n";
import { memberName } from "~/ui/member-name";

// Refusals render inside the layout, in the reader's language (docs/architecture.md, "Requests").
export { ErrorPage as ErrorBoundary } from "~/ui/error-page";

export const meta: MetaFunction = ({ matches }) => [{ title: metaTranslator(matches).t("forum.title") }];

export async function loader({ request }: LoaderFunctionArgs) {
  const reader = await requireForumReader(request);
  const url = new URL(request.url);
  const q = url.searchParams.get("q") ?? "";
  if (q.trim()) {
    const result = await searchForum(reader, q, pageFromUrl(url));
    return {
      categories: null,
      search: {
        query: result.query,
        pagination: result.pagination,
        capped: result.capped,
        hits: result.hits.map(({ excerpt, ...hit }) => ({ ...hit, parts: excerptParts(excerpt) })),
      },
    };
  }
  return { categories: await listCategories(reader), search: null };
}

export default function ForumIndex() {
  const { categories, search } = useLoaderData<typeof loader>();
  const t = useT();
  return (
    <div className="space-y-8 wrap-anywhere">
      <div>
        <h1>{t("forum.title")}</h1>
        <p className="mt-2 text-slate-700">{t("forum.intro")}</p>
      </div>
      <Form method="get" role="search" className="card flex flex-wrap items-end gap-3">
        <div className="min-w-64 flex-1">
          <label htmlFor="forum-search" className="label">
            {t("forum.search.label")}
          </label>
          <input
            id="forum-search"
            name="q"
            type="search"
            defaultValue={search?.query ?? ""}
            maxLength={200}
            className="input"
            aria-describedby="forum-search-help"
          />
          <p id="forum-search-help" className="help">
            {t("forum.search.help")}
          </p>
        </div>
        <button type="submit" className="btn btn-primary mb-7">
          {t("forum.search.submit")}
        </button>
      </Form>
      {search ? <SearchResults search={search} /> : null}
      {categories ? <CategoryList categories={categories} /> : null}
    </div>
  );
}

type Data = ReturnType<typeof useLoaderData<typeof loader>>;

function SearchResults({ search }: { search: NonNullable<Data["search"]> }) {
  const t = useT();
  const { date, number } = useFormat();
  const name = useLocalized();
  return (
    <section aria-labelledby="results" className="space-y-4">
      <div className="flex flex-wrap items-baseline justify-between gap-2">
        <h2 id="results">{t("forum.search.results", { query: search.query })}</h2>
        <Link to="/forum">{t("forum.search.clear")}</Link>
      </div>
      <p role="status">
        {t("forum.search.count", { count: `${number(search.pagination.total)}${search.capped ? "+" : ""}` })}
        {search.capped ? ` ${t("forum.search.capped")}` : null}
      </p>
      {search.hits.length ? (
        <ol className="space-y-3">
          {search.hits.map((hit) => (
            <li key={hit.postId} className="card">
              <h3 className="font-semibold">
                <Link to={`/forum/p/${hit.postId}`}>{hit.threadTitle}</Link>
              </h3>
              <p className="mt-1 text-sm text-slate-700">
                {t("forum.search.in", { category: name({ nameEn: hit.categoryNameEn, nameRu: hit.categoryNameRu }) })} ·{" "}
                {hit.authorName ? <Link to={`/members/${hit.authorId}`}>{hit.authorName}</Link> : memberName(hit.authorName, t)} · {date(hit.createdAt)}
                {hit.threadHits > 1 ? <> · {t("forum.search.threadHits", { count: hit.threadHits })}</> : null}
              </p>
              <p className="mt-2 text-slate-800">
                {hit.parts.map((part, index) =>
                  part.highlighted ? (
                    <mark key={index} className="rounded bg-amber-200 px-0.5 text-slate-900">
                      {part.text}
                    </mark>
                  ) : (
                    <span key={index}>{part.text}</span>
                  ),
                )}
              </p>
            </li>
          ))}
        </ol>
      ) : (
        <p>{t("forum.search.none")}</p>
      )}
      <PageLinks pagination={search.pagination} href={(page) => withPage("/forum", page, { q: search.query })} />
    </section>
  );
}

function CategoryList({ categories }: { categories: NonNullable<Data["categories"]> }) {
  const t = useT();
  const { locale, date } = useFormat();
  return (
    <section aria-labelledby="categories">
      <h2 id="categories" className="mb-4">
        {t("forum.categories")}
      </h2>
      <ul className="grid gap-4 md:grid-cols-2">
        {categories.map((category) => (
          <li key={category.id} className="card flex flex-col gap-2">
            <div className="flex flex-wrap items-center gap-2">
              <h3 className="text-lg font-semibold">
                <Link to={`/forum/${category.slug}`}>{locale === "ru" ? category.nameRu : category.nameEn}</Link>
              </h3>
              {category.canPost ? null : <Badge tone="slate">{t("forum.readOnly")}</Badge>}
            </div>
            <p className="text-slate-700">{locale === "ru" ? category.descriptionRu : category.descriptionEn}</p>
            <p className="mt-auto text-sm text-slate-700">
              {category.latestThreadId && category.latestPostAt ? (
                <>
                  {t("forum.latest")} <Link to={`/forum/t/${category.latestThreadId}`}>{category.latestThreadTitle}</Link> ·{" "}
                  {date(category.latestPostAt)}{" "}
                  {category.latestUnread ? <Badge tone="amber">{t("forum.new")}</Badge> : null}
                </>
              ) : (
                t("forum.noThreadsYet")
              )}
            </p>
          </li>
        ))}
      </ul>
    </section>
  );
}
