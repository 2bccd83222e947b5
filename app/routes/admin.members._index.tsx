import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { requireStaff } from "~/auth/guards.server";
import { memberRoster } from "~/billing/members.server";
import { StatusBadge, tierName, useFormatDate } from "~/billing/ui";
import { metaTranslator, useLocale, useT } from "~/i18n/i18n";
import { memberName } from "~/ui/member-name";

export const meta: MetaFunction = ({ matches }) => [{ title: metaTranslator(matches).t("admin.members") }];

export async function loader({ request }: LoaderFunctionArgs) {
  const { user } = await requireStaff(request);
  const url = new URL(request.url);
  const q = (url.searchParams.get("q") ?? "").slice(0, 200);
  const page = Math.max(1, Math.min(10_000, Number.parseInt(url.searchParams.get("page") ?? "1", 10) || 1));
  return { ...(await memberRoster({ q, page })), q, isOwner: user.role === "OWNER" };
}

export default function Members() {
  const { members, total, page, pages, q, isOwner } = useLoaderData<typeof loader>();
  const t = useT();
  const locale = useLocale();
  const date = useFormatDate();
  const pageLink = (n: number) => `/admin/members?${new URLSearchParams({ ...(q ? { q } : {}), page: String(n) })}`;
  return (
    <div className="space-y-6">
      <p className="text-sm">
        <Link to="/admin">{t("admin.title")}</Link>
      </p>
      <h1>{t("admin.members")}</h1>
      <p className="text-slate-700">{isOwner ? t("billing.members.introOwner") : t("billing.members.intro")}</p>
      <Form method="get" role="search" className="flex flex-wrap items-end gap-3">
        <div>
          <label htmlFor="member-search" className="label">
            {t("billing.members.search")}
          </label>
          <input id="member-search" name="q" type="search" defaultValue={q} className="input" />
        </div>
        <button type="submit" className="btn btn-secondary">
          {t("billing.members.searchSubmit")}
        </button>
      </Form>
      <p role="status">{t("admin.membersCount", { count: total })}</p>
      <div className="overflow-x-auto">
        <table className="table">
          <thead>
            <tr>
              <th scope="col">{t("account.name")}</th>
              <th scope="col">{t("account.role")}</th>
              <th scope="col">{t("account.tier")}</th>
              <th scope="col">{t("billing.membership.status")}</th>
              <th scope="col">{t("billing.members.joined")}</th>
            </tr>
          </thead>
          <tbody>
            {members.map((member) => (
              <tr key={member.id}>
                <th scope="row" className="font-normal wrap-anywhere">
                  <Link to={`/admin/members/${member.id}`} className="font-semibold">
                    {memberName(member.name, t)}
                  </Link>
                  <span className="block text-slate-600">{member.email}</span>
                  {member.deactivated ? <span className="badge bg-stone-200 text-slate-900">{t("billing.members.deactivated")}</span> : null}
                </th>
                <td>{t(`role.${member.role}`)}</td>
                <td>{member.tier ? tierName(locale, member.tier) : t("account.noTier")}</td>
                <td>
                  {member.status ? <StatusBadge status={member.status} /> : "—"}
                  {member.endedAt ? <span className="block text-slate-600">{t("billing.members.endedOn", { date: date(member.endedAt) })}</span> : null}
                </td>
                <td>{date(member.joinedAt)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {pages > 1 ? (
        <nav aria-label={t("billing.members.pages")} className="flex items-center gap-4">
          {page > 1 ? <Link to={pageLink(page - 1)}>{t("billing.members.previous")}</Link> : null}
          <span>{t("billing.members.pageOf", { page, pages })}</span>
          {page < pages ? <Link to={pageLink(page + 1)}>{t("billing.members.next")}</Link> : null}
        </nav>
      ) : null}
    </div>
  );
}
