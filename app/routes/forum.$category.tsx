import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { requireForumReader, requireReadableCategory } from "~/forum/access.server";
import { pageFromUrl } from "~/forum/pagination";
import { categoryThreads } from "~/forum/threads.server";
import { Badge, Breadcrumbs, localized, PageLinks, useFormat, withPage } from "~/forum/ui";
import { metaTranslator, useT } from "~/i18n/i18n";
import { memberName } from "~/ui/member-name";

// Refusals render inside the layout, in the reader's language (docs/architecture.md, "Requests").
export { ErrorPage as ErrorBoundary } from "~/ui/error-page";

export const meta: MetaFunction<typeof loader> = ({ data, matches }) => {
  const { t, locale } = metaTranslator(matches);
  return [{ title: data ? localized(locale, data.category) : t("forum.title") }];
};

export async function loader({ request, params }: LoaderFunctionArgs) {
  const reader = await requireForumReader(request);
  const { category, access } = await requireReadableCategory(reader, params.category ?? "");
  const { threads, pagination } = await categoryThreads(reader, category, pageFromUrl(request.url));
  return {
    category: {
      slug: category.slug,
      nameEn: category.nameEn,
      nameRu: category.nameRu,
      descriptionEn: category.descriptionEn,
      descriptionRu: category.descriptionRu,
    },
    canPost: access.canPost,
    threads,
    pagination,
  };
}

export default function ForumCategoryPage() {
  const { category, canPost, threads, pagination } = useLoaderData<typeof loader>();
  const t = useT();
  const { locale, dateTime, number } = useFormat();
  const name = locale === "ru" ? category.nameRu : category.nameEn;
  return (
    <div className="space-y-6 wrap-anywhere">
      <Breadcrumbs items={[{ to: "/forum", label: t("forum.title") }, { label: name }]} />
      <div className="flex flex-wrap items-start justify-between gap-4">
        <div>
          <h1>{name}</h1>
          <p className="mt-2 max-w-3xl text-slate-700">{locale === "ru" ? category.descriptionRu : category.descriptionEn}</p>
        </div>
        {canPost ? (
          <Link to={`/forum/${category.slug}/new`} className="btn btn-primary">
            {t("forum.startThread")}
          </Link>
        ) : (
          <p className="rounded-md bg-stone-100 px-3 py-2 text-sm text-slate-800">{t("forum.cannotPostHere")}</p>
        )}
      </div>
      <section aria-labelledby="threads">
        <h2 id="threads" className="sr-only">
          {t("forum.threads")}
        </h2>
        {threads.length ? (
          <ul className="divide-y divide-stone-200 rounded-lg border border-stone-200 bg-white">
            {threads.map((thread) => (
              <li key={thread.id} className="flex flex-wrap items-center gap-x-6 gap-y-1 px-4 py-3">
                <div className="min-w-0 flex-1">
                  <p className="flex flex-wrap items-center gap-2">
                    {thread.unread ? (
                      <span className="h-2.5 w-2.5 rounded-full bg-indigo-700" title={t("forum.unreadThread")}>
                        <span className="sr-only">{t("forum.unreadThread")}: </span>
                      </span>
                    ) : null}
                    <Link to={`/forum/t/${thread.id}`} className={thread.unread ? "font-semibold" : ""}>
                      {thread.title}
                    </Link>
                    {thread.pinned ? <Badge>{t("forum.pinned")}</Badge> : null}
                    {thread.locked ? <Badge tone="slate">{t("forum.lockedBadge")}</Badge> : null}
                    {thread.hidden ? <Badge tone="red">{t("forum.hiddenBadge")}</Badge> : null}
                  </p>
                  <p className="text-sm text-slate-700">{t("forum.thread.by", { name: memberName(thread.authorName, t) })}</p>
                </div>
                <p className="text-sm text-slate-700">{t("forum.thread.replies", { count: number(thread.replyCount) })}</p>
                <p className="text-sm text-slate-700">
                  <span className="sr-only">{t("forum.thread.lastActivity")}: </span>
                  <time dateTime={new Date(thread.lastPostAt).toISOString()}>{dateTime(thread.lastPostAt)}</time>
                </p>
              </li>
            ))}
          </ul>
        ) : (
          <p className="card">{t("forum.noThreadsYet")}</p>
        )}
      </section>
      <PageLinks pagination={pagination} href={(page) => withPage(`/forum/${category.slug}`, page)} />
    </div>
  );
}
