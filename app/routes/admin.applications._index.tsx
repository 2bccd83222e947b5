import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData, useSearchParams } from "@remix-run/react";
import { reviewQueue } from "~/admission/applications.server";
import { QUEUE_FILTERS, QUEUE_PAGE_SIZE, QUEUE_SORTS, type QueueFilter, type QueueSort } from "~/admission/lists";
import { ApplicationStatusBadge, Pager, pageParam, useFormats } from "~/admission/components";
import { keepWithinPages, pageCount } from "~/admission/paging.server";
import { activeCriteria } from "~/admission/criteria.server";
import { requireStaff } from "~/auth/guards.server";
import { metaTranslator, useT } from "~/i18n/i18n";
import { RoleAtCompany } from "~/ui/role-at-company";
import { memberName } from "~/ui/member-name";

function pick<T extends string>(allowed: readonly T[], value: string | null, fallback: T): T {
  return allowed.includes(value as T) ? (value as T) : fallback;
}

export const meta: MetaFunction = ({ matches }) => [{ title: metaTranslator(matches).t("admission.queue.title") }];

/** The review queue for curators and owners: verified applications, filtered and sorted. */
export async function loader({ request }: LoaderFunctionArgs) {
  const { user } = await requireStaff(request);
  const params = new URL(request.url).searchParams;
  const filter = pick<QueueFilter>(QUEUE_FILTERS, params.get("status"), "all");
  const sort = pick<QueueSort>(QUEUE_SORTS, params.get("sort"), "newest");
  const page = pageParam(params.get("page"));
  const [queue, criteria] = await Promise.all([reviewQueue({ filter, sort, page, viewerId: user.id }), activeCriteria()]);
  const pages = pageCount(queue.totals[filter], QUEUE_PAGE_SIZE);
  keepWithinPages(request, page, pages);
  return {
    filter,
    sort,
    page,
    pages,
    totals: queue.totals,
    applications: queue.applications,
    criteria: criteria.map((c) => ({ id: c.id, title: user.locale === "ru" ? c.titleRu : c.titleEn })),
    isOwner: user.role === "OWNER",
  };
}

export default function ReviewQueue() {
  const { filter, sort, page, pages, totals, applications, criteria, isOwner } = useLoaderData<typeof loader>();
  const [searchParams] = useSearchParams();
  const t = useT();
  const f = useFormats();
  const link = (changes: Record<string, string>) => {
    const next = new URLSearchParams(searchParams);
    for (const [key, value] of Object.entries(changes)) next.set(key, value);
    next.delete("page");
    return `?${next.toString()}`;
  };
  const score = (value: number | null | undefined) =>
    value == null ? (
      <span>
        <span aria-hidden="true">—</span>
        <span className="sr-only">{t("admission.queue.notScored")}</span>
      </span>
    ) : (
      f.score(value)
    );
  return (
    <div className="space-y-6">
      <div className="flex flex-wrap items-baseline justify-between gap-4">
        <h1>{t("admission.queue.title")}</h1>
        {isOwner ? <Link to="/admin/applications/criteria">{t("admission.queue.criteria")}</Link> : null}
      </div>
      <nav aria-label={t("admission.queue.filters")} className="flex flex-wrap items-center gap-2">
        <span className="text-sm font-medium">{t("admission.queue.filters")}:</span>
        {QUEUE_FILTERS.map((name) => (
          <Link
            key={name}
            to={link({ status: name })}
            className={`admission-tab ${filter === name ? "admission-tab-active" : ""}`}
            aria-current={filter === name ? "page" : undefined}
          >
            {t(`admission.queue.filter.${name}`)} <span>({totals[name]})</span>
          </Link>
        ))}
      </nav>
      <nav aria-label={t("admission.queue.sort")} className="flex flex-wrap items-center gap-2">
        <span className="text-sm font-medium">{t("admission.queue.sort")}:</span>
        {QUEUE_SORTS.map((name) => (
          <Link
            key={name}
            to={link({ sort: name })}
            className={`admission-tab ${sort === name ? "admission-tab-active" : ""}`}
            aria-current={sort === name ? "true" : undefined}
          >
            {t(`admission.queue.sort.${name}`)}
          </Link>
        ))}
      </nav>
      {applications.length === 0 ? (
        <p className="card">{t("admission.queue.empty")}</p>
      ) : (
        <div className="card overflow-x-auto p-0">
          <table className="table">
            <caption className="sr-only">{t("admission.queue.caption")}</caption>
            <thead>
              <tr>
                <th scope="col">{t("admission.queue.applicant")}</th>
                <th scope="col">{t("admission.queue.submitted")}</th>
                <th scope="col">{t("admission.queue.status")}</th>
                <th scope="col">{t("admission.queue.perCriterion")}</th>
                <th scope="col" className="text-right">
                  {t("admission.queue.overall")}
                </th>
                <th scope="col" className="text-right">
                  {t("admission.queue.reviewers")}
                </th>
              </tr>
            </thead>
            <tbody>
              {applications.map((application) => (
                <tr key={application.id}>
                  <td className="wrap-anywhere">
                    <Link to={`/admin/applications/${application.id}`} className="font-semibold">
                      {memberName(application.name, t)}
                    </Link>
                    <div className="text-slate-700">
                      <RoleAtCompany jobTitle={application.jobTitle} company={application.company} />
                    </div>
                    <div className="mt-1 flex flex-wrap gap-1">
                      {application.vouchedBy ? (
                        <span className="badge bg-green-100 text-green-900">{t("admission.queue.vouchedBy", { name: application.vouchedBy })}</span>
                      ) : null}
                      {application.invited ? <span className="badge">{t("admission.queue.invited")}</span> : null}
                      {application.reviewedByMe ? (
                        <span className="badge bg-stone-200 text-slate-900">{t("admission.queue.reviewedByMe")}</span>
                      ) : null}
                    </div>
                  </td>
                  <td className="whitespace-nowrap">{f.date(application.createdAt)}</td>
                  <td>
                    <ApplicationStatusBadge status={application.status} />
                  </td>
                  <td className="min-w-56">
                    {/* One criterion a line, however many the club has: a column each left the last cut off in Russian. */}
                    <dl className="space-y-0.5">
                      {criteria.map((criterion) => (
                        <div key={criterion.id} className="flex items-baseline justify-between gap-3">
                          <dt className="break-normal">{criterion.title}</dt>
                          <dd className="tabular-nums">{score(application.perCriterion[criterion.id])}</dd>
                        </div>
                      ))}
                    </dl>
                  </td>
                  <td className="text-right font-semibold tabular-nums">{score(application.overall)}</td>
                  <td className="text-right tabular-nums">{application.reviewers}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <Pager page={page} pages={pages} search={searchParams} />
    </div>
  );
}
