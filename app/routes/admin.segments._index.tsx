import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData, useSearchParams } from "@remix-run/react";
import { requireStaff } from "~/auth/guards.server";
import { translator } from "~/i18n/dictionary";
import { metaTranslator, useT } from "~/i18n/i18n";
import { resolveLocale } from "~/i18n/locale.server";
import { describeFilter } from "~/segments/describe";
import { countSegment, listSegments, segmentChoices } from "~/segments/segments.server";
import { memberName } from "~/ui/member-name";

export const meta: MetaFunction = ({ matches }) => [{ title: metaTranslator(matches).t("segments.title") }];

/** /admin/segments: every saved segment, its filter in words and its live count. Staff read; owners create. */
export async function loader({ request }: LoaderFunctionArgs) {
  const { user } = await requireStaff(request);
  const [segments, choices, locale] = await Promise.all([listSegments(), segmentChoices(), resolveLocale(request, user.locale)]);
  const t = translator(locale);
  const now = new Date();
  const counts = await Promise.all(segments.map((s) => countSegment(s.filter, now)));
  return {
    canEdit: user.role === "OWNER",
    segments: segments.map((s, i) => ({
      id: s.id,
      name: s.name,
      broken: s.filter === null,
      words: s.filter ? describeFilter(s.filter, { t, locale, ...choices, memberName: (name) => memberName(name, t) }) : t("segments.broken"),
      count: counts[i],
    })),
  };
}

export default function Segments() {
  const { segments, canEdit } = useLoaderData<typeof loader>();
  const [params] = useSearchParams();
  const t = useT();
  return (
    <div className="mx-auto max-w-4xl space-y-6">
      <p className="text-sm">
        <Link to="/admin">{t("admin.title")}</Link>
      </p>
      <div className="flex flex-wrap items-center justify-between gap-4">
        <h1>{t("segments.title")}</h1>
        {canEdit ? (
          <Link to="/admin/segments/new" className="btn btn-primary">
            {t("segments.new")}
          </Link>
        ) : null}
      </div>
      <p className="text-slate-700">{t("segments.intro")}</p>
      {canEdit ? null : <p className="text-sm text-slate-700">{t("segments.readOnly")}</p>}
      {params.get("deleted") ? (
        <p role="status" className="text-sm text-green-800">
          {t("segments.deleted")}
        </p>
      ) : null}
      {segments.length ? (
        <table className="w-full text-left">
          <caption className="sr-only">{t("segments.title")}</caption>
          <thead>
            <tr>
              <th scope="col">{t("segments.col.name")}</th>
              <th scope="col">{t("segments.col.filter")}</th>
              <th scope="col" className="text-right">
                {t("segments.col.count")}
              </th>
            </tr>
          </thead>
          <tbody>
            {segments.map((s) => (
              <tr key={s.id} className="border-t border-slate-200 align-top">
                <td className="py-2 pr-4">
                  <Link to={`/admin/segments/${s.id}`}>{s.name}</Link>
                </td>
                <td className={`py-2 pr-4 text-sm ${s.broken ? "text-red-700" : "text-slate-700"}`}>{s.words}</td>
                <td className="py-2 text-right tabular-nums">{t("segments.count", { count: s.count })}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : (
        <p>{t("segments.empty")}</p>
      )}
    </div>
  );
}
