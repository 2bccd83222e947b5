import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { requireStaff } from "~/auth/guards.server";
import { formatNumber, metaTranslator, useLocale, useT } from "~/i18n/i18n";
import { listPlaybooks } from "~/playbooks/editor.server";
import { ReturnRates, TriggerWords } from "~/playbooks/views";

export const meta: MetaFunction = ({ matches }) => [{ title: metaTranslator(matches).t("playbooks.title") }];

/** Every playbook with its status and figures; owners edit them, curators read. */
export async function loader({ request }: LoaderFunctionArgs) {
  const { user } = await requireStaff(request);
  return { playbooks: await listPlaybooks(), isOwner: user.role === "OWNER" };
}

export default function PlaybooksList() {
  const { playbooks, isOwner } = useLoaderData<typeof loader>();
  const t = useT();
  const locale = useLocale();
  return (
    <div className="space-y-6">
      <p className="text-sm">
        <Link to="/admin">{t("admin.title")}</Link>
      </p>
      <h1>{t("playbooks.title")}</h1>
      <p className="max-w-3xl text-slate-700">{t("playbooks.intro")}</p>
      <p className="flex flex-wrap gap-4">
        {isOwner ? (
          <Link to="/admin/playbooks/new" className="btn btn-primary">
            {t("playbooks.new")}
          </Link>
        ) : null}
        <Link to="/admin/playbooks/templates" className="btn">
          {t("playbooks.templatesLink")}
        </Link>
      </p>
      {playbooks.length === 0 ? (
        <p>{t("playbooks.empty")}</p>
      ) : (
        <div className="overflow-x-auto">
          <table className="w-full text-left" data-testid="playbooks">
            <caption className="sr-only">{t("playbooks.title")}</caption>
            <thead>
              <tr>
                <th scope="col">{t("playbooks.col.name")}</th>
                <th scope="col">{t("playbooks.col.status")}</th>
                <th scope="col">{t("playbooks.col.trigger")}</th>
                <th scope="col">{t("playbooks.col.segment")}</th>
                <th scope="col">{t("playbooks.col.holdOut")}</th>
                <th scope="col">{t("playbooks.col.active")}</th>
                <th scope="col">{t("playbooks.col.returnRate")}</th>
              </tr>
            </thead>
            <tbody>
              {playbooks.map((p) => (
                <tr key={p.id} className="border-t border-slate-200 align-top">
                  <th scope="row" className="py-2 pr-4 font-normal">
                    <Link to={`/admin/playbooks/${p.id}`}>{p.name}</Link>
                  </th>
                  <td className="py-2 pr-4">{t(p.pausedAt ? "playbooks.status.paused" : "playbooks.status.running")}</td>
                  <td className="py-2 pr-4">
                    <TriggerWords trigger={p.trigger} days={p.triggerDays} />
                  </td>
                  <td className="py-2 pr-4">{p.segmentId ? (p.segmentName ?? t("playbooks.segment.missing")) : t("playbooks.segment.everyone")}</td>
                  <td className="py-2 pr-4">{formatNumber(locale, p.holdOutPercent)} %</td>
                  <td className="py-2 pr-4">{formatNumber(locale, p.outcome?.active ?? 0)}</td>
                  <td className="py-2">{p.outcome ? <ReturnRates control={p.outcome.control} /> : null}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </div>
  );
}
