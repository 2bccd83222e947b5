import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { isStaff, readForm, requireMember } from "~/auth/guards.server";
import { translator } from "~/i18n/dictionary";
import { formatNumber, metaTranslator, useLocale, useT } from "~/i18n/i18n";
import { listBoard, parseBoardQuery, type BoardQuery } from "~/roadmap/board.server";
import { BOARD_SORTS, ROADMAP_STATUSES, SEARCH_MAX, formatQuarter } from "~/roadmap/forms";
import { keepStandingsFresh } from "~/roadmap/standing.server";
import { StatusBadge, VoteControl, VoteNotice, useFormatDate } from "~/roadmap/ui";
import { voteAction } from "~/roadmap/vote-action.server";

// Refusals render inside the layout, in the reader's language (docs/architecture.md, "Requests").
export { ErrorPage as ErrorBoundary } from "~/ui/error-page";

export const meta: MetaFunction<typeof loader> = ({ data, matches }) => [{ title: data?.pageTitle ?? metaTranslator(matches).t("roadmap.title") }];

export async function loader({ request }: LoaderFunctionArgs) {
  const viewer = await requireMember(request, "roadmap.noMembership");
  await keepStandingsFresh();
  const query = parseBoardQuery(new URL(request.url));
  const { votingTiers, viewerCounting: counting, ...board } = await listBoard(query, viewer.user.id);
  // Past the last page (an old link, a typed number): show the last page, filters kept.
  if (query.page > board.pages) throw redirect(boardHref(query, { page: board.pages }));
  const tier = viewer.membership?.tier;
  const t = translator(viewer.user.locale);
  return {
    pageTitle: t("roadmap.title"),
    query,
    ...board,
    votingTiers: votingTiers.map((v) => (viewer.user.locale === "ru" ? v.nameRu : v.nameEn)),
    viewer: {
      canVote: Boolean(tier?.canVote),
      weight: tier?.canVote ? tier.voteWeight : 0,
      counting: counting ?? true,
      hasLapsedVotes: counting === false,
      isStaff: isStaff(viewer.user),
    },
  };
}

export async function action({ request }: ActionFunctionArgs) {
  const viewer = await requireMember(request, "roadmap.noMembership");
  return voteAction(viewer, await readForm(request));
}

function boardHref(query: BoardQuery, change: Partial<BoardQuery>) {
  const next = { ...query, page: 1, ...change };
  const params = new URLSearchParams();
  if (next.status) params.set("status", next.status);
  if (next.sort !== "weighted") params.set("sort", next.sort);
  if (next.q) params.set("q", next.q);
  if (next.page > 1) params.set("page", String(next.page));
  const search = params.toString();
  return search ? `/roadmap?${search}` : "/roadmap";
}

export default function RoadmapBoard() {
  const { query, items, counts, total, pages, votingTiers, viewer } = useLoaderData<typeof loader>();
  const reply = useActionData<typeof action>();
  const t = useT();
  const locale = useLocale();
  const date = useFormatDate();
  const all = Object.values(counts).reduce((a, b) => a + b, 0);
  const filters = [
    { status: null, label: t("roadmap.filter.all"), count: all },
    ...ROADMAP_STATUSES.map((status) => ({ status, label: t(`roadmap.status.${status}`), count: counts[status] })),
  ];
  return (
    <div className="space-y-6 wrap-anywhere">
      <div className="flex flex-wrap items-start justify-between gap-4">
        <div className="max-w-3xl">
          <h1>{t("roadmap.title")}</h1>
          <p className="mt-2 text-slate-700">{t("roadmap.intro")}</p>
        </div>
        <Link to="/roadmap/new" className="btn btn-primary">
          {viewer.isStaff ? t("roadmap.new.staffTitle") : t("roadmap.new.suggestTitle")}
        </Link>
      </div>

      <div className="card space-y-2 text-sm text-slate-800" data-testid="voting-note">
        {viewer.canVote ? (
          <p>{t("roadmap.note.youVote", { weight: viewer.weight })}</p>
        ) : votingTiers.length ? (
          <p>{t("roadmap.note.readOnly", { tiers: votingTiers.join(", ") })}</p>
        ) : (
          <p>{t("roadmap.vote.noVotingTier")}</p>
        )}
        <p>{t("roadmap.note.weighting")}</p>
        {viewer.hasLapsedVotes ? <p className="font-medium">{t("roadmap.note.yourVotesLapsed")}</p> : null}
      </div>

      <VoteNotice reply={reply} />

      <nav aria-label={t("roadmap.filter.label")}>
        <ul className="flex flex-wrap gap-2">
          {filters.map((filter) => {
            const active = query.status === filter.status;
            return (
              <li key={filter.status ?? "all"}>
                <Link
                  to={boardHref(query, { status: filter.status })}
                  aria-current={active ? "page" : undefined}
                  className={`roadmap-filter ${active ? "roadmap-filter-active" : ""}`}
                >
                  {filter.label} <span className="tabular-nums">({formatNumber(locale, filter.count)})</span>
                </Link>
              </li>
            );
          })}
        </ul>
      </nav>

      <Form method="get" role="search" className="flex flex-wrap items-end gap-3">
        {query.status ? <input type="hidden" name="status" value={query.status} /> : null}
        <div className="min-w-56 flex-1">
          <label htmlFor="roadmap-q" className="label">
            {t("roadmap.search.label")}
          </label>
          <input id="roadmap-q" type="search" name="q" defaultValue={query.q} maxLength={SEARCH_MAX} className="input" />
        </div>
        <div>
          <label htmlFor="roadmap-sort" className="label">
            {t("roadmap.sort.label")}
          </label>
          <select id="roadmap-sort" name="sort" defaultValue={query.sort} className="input">
            {BOARD_SORTS.map((sort) => (
              <option key={sort} value={sort}>
                {t(`roadmap.sort.${sort}`)}
              </option>
            ))}
          </select>
        </div>
        <button type="submit" className="btn btn-secondary">
          {t("roadmap.search.submit")}
        </button>
      </Form>

      <p className="text-sm text-slate-700" aria-live="polite">
        {query.q ? t("roadmap.search.results", { count: formatNumber(locale, total), q: query.q }) : t("roadmap.board.count", { count: formatNumber(locale, total) })}
      </p>

      {items.length ? (
        <ol className="space-y-4" aria-label={t("roadmap.board.items")}>
          {items.map((item) => (
            <li key={item.id} className="card" data-testid="roadmap-item">
              <div className="flex flex-wrap items-start justify-between gap-4">
                <div className="min-w-0 flex-1">
                  <h2 className="text-lg">
                    <Link to={`/roadmap/${item.id}`}>{item.title}</Link>
                  </h2>
                  <p className="mt-1 flex flex-wrap items-center gap-2 text-sm text-slate-700">
                    <StatusBadge status={item.status} />
                    {item.targetQuarter ? <span>{t("roadmap.item.target", { quarter: formatQuarter(item.targetQuarter) })}</span> : null}
                    <span>
                      {query.sort === "changed"
                        ? t("roadmap.item.changed", { date: date(item.statusChangedAt) })
                        : t("roadmap.item.added", { date: date(item.createdAt) })}
                    </span>
                    {item.comments ? <span>{t("roadmap.item.commentCount", { count: formatNumber(locale, item.comments) })}</span> : null}
                  </p>
                  {item.summary ? <p className="mt-2 text-slate-800">{item.summary}</p> : null}
                </div>
                <div className="shrink-0">
                  <VoteControl item={item} viewer={viewer} />
                </div>
              </div>
            </li>
          ))}
        </ol>
      ) : (
        <p className="card text-slate-700">{query.q ? t("roadmap.search.none") : t("roadmap.board.empty")}</p>
      )}

      {pages > 1 ? (
        <nav aria-label={t("roadmap.pages.label")} className="flex items-center justify-between gap-4">
          {query.page > 1 ? (
            <Link to={boardHref(query, { page: query.page - 1 })} className="btn btn-secondary" rel="prev">
              {t("roadmap.pages.previous")}
            </Link>
          ) : (
            <span />
          )}
          <span className="text-sm text-slate-700">{t("roadmap.pages.position", { page: query.page, pages })}</span>
          {query.page < pages ? (
            <Link to={boardHref(query, { page: query.page + 1 })} className="btn btn-secondary" rel="next">
              {t("roadmap.pages.next")}
            </Link>
          ) : (
            <span />
          )}
        </nav>
      ) : null}
    </div>
  );
}
