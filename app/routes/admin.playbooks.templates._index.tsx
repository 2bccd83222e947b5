import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData, useSearchParams } from "@remix-run/react";
import { requireStaff } from "~/auth/guards.server";
import { metaTranslator, useT, type MessageKey } from "~/i18n/i18n";
import { listTemplates } from "~/playbooks/editor.server";
import { TRIGGERS } from "~/playbooks/forms";

export const meta: MetaFunction = ({ matches }) => [{ title: metaTranslator(matches).t("playbooks.templates.title") }];

/** The follow-up templates not archived, by reason. */
export async function loader({ request }: LoaderFunctionArgs) {
  const { user } = await requireStaff(request);
  const templates = await listTemplates();
  return { templates: templates.map((tpl) => ({ id: tpl.id, name: tpl.name, reason: tpl.reason, subjectEn: tpl.subjectEn, subjectRu: tpl.subjectRu })), isOwner: user.role === "OWNER" };
}

export default function TemplatesList() {
  const { templates, isOwner } = useLoaderData<typeof loader>();
  const [search] = useSearchParams();
  const t = useT();
  const groups = TRIGGERS.map((reason) => ({ reason, templates: templates.filter((tpl) => tpl.reason === reason) })).filter((g) => g.templates.length);
  return (
    <div className="space-y-6">
      <p className="text-sm">
        <Link to="/admin/playbooks">{t("playbooks.back")}</Link>
      </p>
      <h1>{t("playbooks.templates.title")}</h1>
      <p className="max-w-3xl text-slate-700">{t("playbooks.templates.intro")}</p>
      {search.get("archived") === "1" ? (
        <p role="status" className="text-green-800">
          {t("playbooks.template.archived")}
        </p>
      ) : null}
      {isOwner ? (
        <p>
          <Link to="/admin/playbooks/templates/new" className="btn btn-primary">
            {t("playbooks.templates.new")}
          </Link>
        </p>
      ) : null}
      {groups.length === 0 ? <p>{t("playbooks.templates.empty")}</p> : null}
      {groups.map((group) => (
        <section key={group.reason} aria-labelledby={`reason-${group.reason}`} className="space-y-2">
          <h2 id={`reason-${group.reason}`}>{t(`playbooks.trigger.${group.reason}` as MessageKey)}</h2>
          <table className="w-full text-left">
            <thead>
              <tr>
                <th scope="col">{t("playbooks.templates.col.name")}</th>
                <th scope="col">{t("playbooks.templates.col.subject")}</th>
              </tr>
            </thead>
            <tbody>
              {group.templates.map((tpl) => (
                <tr key={tpl.id} className="border-t border-slate-200">
                  <th scope="row" className="py-2 pr-4 font-normal">
                    <Link to={`/admin/playbooks/templates/${tpl.id}`}>{tpl.name}</Link>
                  </th>
                  <td className="py-2">
                    <span lang="en">{tpl.subjectEn}</span> / <span lang="ru">{tpl.subjectRu}</span>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </section>
      ))}
    </div>
  );
}
