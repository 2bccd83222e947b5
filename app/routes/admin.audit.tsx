import { getFormProps, getSelectProps, useForm } from "@conform-to/react";
import { parseWithZod } from "@conform-to/zod/v4";
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { AUDIT_ACTIONS } from "~/audit/actions";
import { actorLabel, AUDIT_PAGE_SIZE, AuditFilterSchema, auditChanges, SYSTEM_ACTOR, subjectPath } from "~/audit/filters";
import { auditEntries, readAuditFilter } from "~/audit/audit.server";
import { requireRole } from "~/auth/guards.server";
import { formatDateTime, metaTranslator, useLocale, useT, type MessageKey } from "~/i18n/i18n";
import { dictionaries, translator } from "~/i18n/dictionary";
import { FieldErrors, FORM_VALIDATION, TextField } from "~/ui/form";

export { ErrorPage as ErrorBoundary } from "~/ui/error-page";

export const meta: MetaFunction = ({ matches }) => [{ title: metaTranslator(matches).t("audit.title") }];

/** /admin/audit: the owners' read of every staff action, newest first, filtered by person, kind and days. */
export async function loader({ request }: LoaderFunctionArgs) {
  await requireRole(request, "OWNER");
  const params = new URL(request.url).searchParams;
  const read = await readAuditFilter(params);
  const actors = read.actors;
  const timeZone = read.club.timeZone;
  if (!read.ok) {
    return data({ result: read.reply, rows: [], older: null, newest: null, actors, timeZone, filtered: true, csv: null }, { status: 400 });
  }
  const rows = await auditEntries(read.value, { timeZone, limit: AUDIT_PAGE_SIZE + 1 });
  const page = rows.slice(0, AUDIT_PAGE_SIZE);
  const keep = new URLSearchParams();
  for (const key of ["actor", "action", "from", "to"] as const) {
    const value = read.value[key];
    if (value) keep.set(key, value);
  }
  const older = rows.length > AUDIT_PAGE_SIZE ? `?${new URLSearchParams([...keep, ["before", page[page.length - 1].id]])}` : null;
  return {
    result: null,
    rows: page,
    older,
    newest: read.value.before ? `/admin/audit${keep.size ? `?${keep}` : ""}` : null,
    actors,
    timeZone,
    filtered: Boolean(read.value.before || keep.size),
    csv: `/admin/audit.csv${keep.size ? `?${keep}` : ""}`,
  };
}

/** The log is append-only: nothing here changes or deletes a row. */
export async function action({ request }: ActionFunctionArgs) {
  const { user } = await requireRole(request, "OWNER");
  throw new Response(translator(user.locale)("audit.readOnly"), { status: 405, headers: { Allow: "GET, HEAD" } });
}

export default function AuditLog() {
  const { result, rows, older, newest, actors, timeZone, filtered, csv } = useLoaderData<typeof loader>();
  const t = useT();
  const locale = useLocale();
  const [form, fields] = useForm({
    id: "audit-filters",
    lastResult: result,
    onValidate: ({ formData }) => parseWithZod(formData, { schema: AuditFilterSchema }),
    ...FORM_VALIDATION,
  });
  const actionLabel = (kind: string) => t(`audit.action.${kind}` as MessageKey);
  return (
    <div className="space-y-6">
      <h1>{t("audit.title")}</h1>
      <p className="text-slate-700">{t("audit.intro")}</p>

      <section className="card" aria-labelledby="audit-filters-title">
        <h2 id="audit-filters-title" className="mb-4">
          {t("audit.filters")}
        </h2>
        <Form method="get" {...getFormProps(form)}>
          <div className="grid gap-x-4 sm:grid-cols-2 lg:grid-cols-4">
            <div className="field">
              <label htmlFor={fields.actor.id} className="label">
                {t("audit.filter.actor")}
              </label>
              <select {...getSelectProps(fields.actor)} key={fields.actor.key} className="input">
                <option value="">{t("audit.filter.anyone")}</option>
                <option value={SYSTEM_ACTOR}>{t("audit.actor.system")}</option>
                {actors.map((actor) => (
                  <option key={actor.id} value={actor.id}>
                    {actor.name ?? t("audit.actor.formerWithId", { id: actor.id.slice(-6) })}
                  </option>
                ))}
              </select>
              <FieldErrors id={fields.actor.errorId} errors={fields.actor.errors} />
            </div>
            <div className="field">
              <label htmlFor={fields.action.id} className="label">
                {t("audit.filter.action")}
              </label>
              <select {...getSelectProps(fields.action)} key={fields.action.key} className="input">
                <option value="">{t("audit.filter.anyAction")}</option>
                {AUDIT_ACTIONS.map((kind) => (
                  <option key={kind} value={kind}>
                    {actionLabel(kind)}
                  </option>
                ))}
              </select>
              <FieldErrors id={fields.action.errorId} errors={fields.action.errors} />
            </div>
            <TextField field={fields.from} type="date" label={t("audit.filter.from")} />
            <TextField field={fields.to} type="date" label={t("audit.filter.to")} />
          </div>
          <p className="text-sm text-slate-700">{t("audit.filter.datesHint", { timeZone })}</p>
          <FieldErrors id={fields.before.errorId} errors={fields.before.errors} />
          <div className="mt-4 flex flex-wrap items-center gap-3">
            <button type="submit" className="btn btn-primary">
              {t("audit.filter.apply")}
            </button>
            {filtered ? (
              <Link to="/admin/audit" className="btn btn-secondary">
                {t("audit.filter.reset")}
              </Link>
            ) : null}
            {csv ? (
              <a href={csv} className="btn btn-secondary" download>
                {t("audit.csv.download")}
              </a>
            ) : null}
          </div>
        </Form>
      </section>

      {rows.length === 0 ? (
        <p className="card">{t("audit.none")}</p>
      ) : (
        <div className="card overflow-x-auto p-0">
          <table className="table" data-testid="audit-rows">
            <thead>
              <tr>
                <th scope="col">{t("audit.column.at")}</th>
                <th scope="col">{t("audit.column.actor")}</th>
                <th scope="col">{t("audit.column.action")}</th>
                <th scope="col">{t("audit.column.changes")}</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((row) => {
                const path = subjectPath(row.subjectType, row.subjectId, row.after);
                const typeKey = `audit.type.${row.subjectType}` as MessageKey;
                const type = typeKey in dictionaries.en ? t(typeKey) : row.subjectType;
                const name = row.subjectName ? row.subjectName[locale] : null;
                const subject = name ? t("audit.subjectNamed", { type, name }) : t("audit.subject", { type, id: row.subjectId ?? "" }).trim();
                const changes = auditChanges(row.before, row.after);
                return (
                  <tr key={row.id} data-action={row.action}>
                    <td className="whitespace-nowrap">
                      <time dateTime={row.at}>{formatDateTime(locale, row.at, timeZone)}</time>
                    </td>
                    <td>{actorLabel(row, t)}</td>
                    <td className="wrap-anywhere">
                      <div className="font-medium">{actionLabel(row.action)}</div>
                      <div className="text-sm text-slate-700">{path ? <Link to={path}>{subject}</Link> : subject}</div>
                    </td>
                    <td className="wrap-anywhere text-sm">
                      {changes.length ? (
                        <ul>
                          {changes.map((change) => (
                            <li key={change.key}>
                              <span className="font-mono">{change.key}</span>: {change.before} → {change.after}
                            </li>
                          ))}
                        </ul>
                      ) : (
                        t("audit.noChanges")
                      )}
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      )}
      <nav aria-label={t("audit.title")} className="flex gap-3">
        {newest ? (
          <Link to={newest} className="btn btn-secondary">
            {t("audit.newest")}
          </Link>
        ) : null}
        {older ? (
          <Link to={older} className="btn btn-secondary" rel="next">
            {t("audit.older")}
          </Link>
        ) : null}
      </nav>
    </div>
  );
}
