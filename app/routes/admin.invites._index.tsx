import { getFormProps, getInputProps, useForm } from "@conform-to/react";
import { getZodConstraint, parseWithZod } from "@conform-to/zod/v4";
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useSearchParams } from "@remix-run/react";
import { Pager, pageParam, useFormats } from "~/admission/components";
import { keepWithinPages, pageCount } from "~/admission/paging.server";
import { IssueCodesSchema, type IssueCodesForm } from "~/admission/invite-codes-form";
import { issueInviteCodes, listInvites, revokeInvite } from "~/admission/invites.server";
import { INVITE_FILTERS, INVITE_SOURCES, INVITES_PAGE_SIZE, type InviteFilter, type InviteSourceFilter } from "~/admission/lists";
import { badRequest, readForm, requireRole } from "~/auth/guards.server";
import { getClubSettings } from "~/club.server";
import { metaTranslator, useT } from "~/i18n/i18n";
import { FORM_VALIDATION, FormErrors, LanguageField, TextField } from "~/ui/form";

export const meta: MetaFunction = ({ matches }) => [{ title: metaTranslator(matches).t("admission.invites.title") }];

/** Owner-issued invite codes: issue, list, revoke, export. Approval links are listed too. */
export async function loader({ request }: LoaderFunctionArgs) {
  const { user } = await requireRole(request, "OWNER");
  const params = new URL(request.url).searchParams;
  const filter = (INVITE_FILTERS as readonly string[]).includes(params.get("status") ?? "") ? (params.get("status") as InviteFilter) : "active";
  const source = (INVITE_SOURCES as readonly string[]).includes(params.get("kind") ?? "") ? (params.get("kind") as InviteSourceFilter) : "codes";
  const page = pageParam(params.get("page"));
  const [list, club] = await Promise.all([listInvites({ filter, source, page }), getClubSettings()]);
  const pages = pageCount(list.total, INVITES_PAGE_SIZE);
  keepWithinPages(request, page, pages);
  return {
    filter,
    source,
    page,
    pages,
    invites: list.invites,
    defaults: { validDays: String(club.inviteValidityDays), locale: user.locale },
  };
}

export async function action({ request }: ActionFunctionArgs) {
  const { user } = await requireRole(request, "OWNER");
  const formData = await readForm(request);
  const intent = formData.get("intent");
  if (intent === "revoke") {
    const revoked = await revokeInvite(String(formData.get("inviteId") ?? ""), user.id);
    return data({ kind: "revoke" as const, revoked }, { status: revoked ? 200 : 409 });
  }
  if (intent === "issue") {
    const submission = parseWithZod(formData, { schema: IssueCodesSchema });
    if (submission.status !== "success") return data({ kind: "issue" as const, result: submission.reply(), issued: null }, { status: 400 });
    const issued = await issueInviteCodes(submission.value, user.id);
    return data({
      kind: "issue" as const,
      result: submission.reply({ resetForm: true }),
      issued: { batch: issued.batch, codes: issued.codes },
    });
  }
  throw badRequest();
}

export default function Invites() {
  const { filter, source, page, pages, invites, defaults } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const [searchParams] = useSearchParams();
  const t = useT();
  const f = useFormats();
  const issueResult = actionData?.kind === "issue" ? actionData : null;
  const [form, fields] = useForm<IssueCodesForm>({
    id: "issue-codes",
    lastResult: issueResult?.result,
    defaultValue: { intent: "issue", count: "1", validDays: defaults.validDays, locale: defaults.locale },
    constraint: getZodConstraint(IssueCodesSchema),
    onValidate: ({ formData }) => parseWithZod(formData, { schema: IssueCodesSchema }),
    ...FORM_VALIDATION,
  });
  const link = (changes: Record<string, string>) => {
    const next = new URLSearchParams(searchParams);
    for (const [key, value] of Object.entries(changes)) next.set(key, value);
    next.delete("page");
    return `?${next.toString()}`;
  };
  return (
    <div className="space-y-8">
      <h1>{t("admission.invites.title")}</h1>
      <p className="text-slate-700">{t("admission.invites.intro")}</p>

      <section className="card" aria-labelledby="issue">
        <h2 id="issue" className="mb-4">
          {t("admission.invites.issue")}
        </h2>
        <Form method="post" {...getFormProps(form)}>
          <FormErrors id={form.errorId} errors={form.errors} />
          <input type="hidden" name="intent" value="issue" />
          <div className="grid gap-x-6 md:grid-cols-2">
            <TextField field={fields.count} label={t("admission.invites.count")} type="number" inputProps={{ min: 1, max: 200 }} />
            <TextField field={fields.validDays} label={t("admission.invites.validDays")} type="number" inputProps={{ min: 1, max: 365 }} />
            <TextField field={fields.email} label={t("admission.invites.email")} type="email" help={t("admission.invites.emailHelp")} />
            <TextField field={fields.note} label={t("admission.invites.note")} />
          </div>
          <div className="field flex items-center gap-2">
            <input {...getInputProps(fields.sendEmail, { type: "checkbox" })} className="h-4 w-4" />
            <label htmlFor={fields.sendEmail.id}>{t("admission.invites.sendEmail")}</label>
          </div>
          <LanguageField field={fields.locale} label={t("admission.invites.language")} className="max-w-xs" />
          <button type="submit" className="btn btn-primary">
            {t("admission.invites.submit")}
          </button>
        </Form>
        {issueResult?.issued ? (
          <div role="status" className="mt-4 rounded-md border border-green-300 bg-green-50 p-3 text-green-900">
            <p>{t("admission.invites.issued", { count: issueResult.issued.codes.length })}</p>
            <ul className="mt-2 font-mono text-sm">
              {issueResult.issued.codes.slice(0, 20).map((code) => (
                <li key={code}>{code}</li>
              ))}
            </ul>
            <p className="mt-2">
              <a href={`/admin/invites/export.csv?batch=${issueResult.issued.batch}`} download>
                {t("admission.invites.downloadBatch")}
              </a>
            </p>
          </div>
        ) : null}
      </section>

      {actionData?.kind === "revoke" ? (
        <p role="status" className={`rounded-md border p-3 ${actionData.revoked ? "border-green-300 bg-green-50 text-green-900" : "border-red-300 bg-red-50 text-red-800"}`}>
          {t(actionData.revoked ? "admission.invites.revoked" : "admission.invites.notRevoked")}
        </p>
      ) : null}

      <section className="space-y-4" aria-labelledby="issued">
        <div className="flex flex-wrap items-baseline justify-between gap-4">
          <h2 id="issued">{t("admission.invites.list")}</h2>
          <a href="/admin/invites/export.csv" download>
            {t("admission.invites.exportAll")}
          </a>
        </div>
        <nav aria-label={t("admission.invites.source")} className="flex flex-wrap items-center gap-2">
          <span className="text-sm font-medium">{t("admission.invites.source")}:</span>
          {INVITE_SOURCES.map((name) => (
            <Link key={name} to={link({ kind: name })} className={`admission-tab ${source === name ? "admission-tab-active" : ""}`} aria-current={source === name ? "true" : undefined}>
              {t(`admission.invites.source.${name}`)}
            </Link>
          ))}
        </nav>
        <nav aria-label={t("admission.invites.filters")} className="flex flex-wrap items-center gap-2">
          <span className="text-sm font-medium">{t("admission.invites.filters")}:</span>
          {INVITE_FILTERS.map((name) => (
            <Link key={name} to={link({ status: name })} className={`admission-tab ${filter === name ? "admission-tab-active" : ""}`} aria-current={filter === name ? "true" : undefined}>
              {t(`admission.invites.filter.${name}`)}
            </Link>
          ))}
        </nav>
        {invites.length === 0 ? (
          <p className="card">{t("admission.invites.none")}</p>
        ) : (
          <div className="card overflow-x-auto p-0">
            <table className="table">
              <thead>
                <tr>
                  <th scope="col">{t("admission.invites.code")}</th>
                  <th scope="col">{t("admission.invites.boundTo")}</th>
                  <th scope="col">{t("admission.invites.state")}</th>
                  <th scope="col">{t("admission.invites.expires")}</th>
                  <th scope="col">{t("admission.invites.usedBy")}</th>
                  <th scope="col">{t("admission.invites.actions")}</th>
                </tr>
              </thead>
              <tbody>
                {invites.map((invite) => {
                  const who = invite.code ?? invite.email ?? invite.id;
                  return (
                    <tr key={invite.id}>
                      <td className="wrap-anywhere">
                        {invite.code ? (
                          <a href={invite.link ?? undefined} className="font-mono text-sm">
                            {invite.code}
                          </a>
                        ) : invite.application ? (
                          <Link to={`/admin/applications/${invite.application.id}`}>
                            {t("admission.invites.approvalFor", { name: invite.application.name })}
                          </Link>
                        ) : null}
                        {invite.note ? <div className="text-sm text-slate-700">{invite.note}</div> : null}
                      </td>
                      <td className="wrap-anywhere">
                        {invite.email ?? t("admission.invites.anyone")}
                        {invite.emailed && invite.source === "OWNER" ? (
                          <span className="ml-1 text-sm text-slate-700">({t("admission.invites.emailed")})</span>
                        ) : null}
                      </td>
                      <td>{t(`admission.invites.state.${invite.state}`)}</td>
                      <td className="whitespace-nowrap">{f.date(invite.expiresAt)}</td>
                      <td className="wrap-anywhere">
                        {invite.usedBy ??
                          (invite.source === "OWNER" && invite.application
                            ? t("admission.invites.appliedWith", { name: invite.application.name })
                            : "")}
                      </td>
                      <td>
                        {invite.state === "valid" || invite.state === "expired" ? (
                          <Form method="post">
                            <input type="hidden" name="inviteId" value={invite.id} />
                            <button type="submit" name="intent" value="revoke" className="btn btn-secondary" aria-label={t("admission.invites.revokeLabel", { who })}>
                              {t("admission.invites.revoke")}
                            </button>
                          </Form>
                        ) : null}
                      </td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          </div>
        )}
        <Pager page={page} pages={pages} search={searchParams} />
      </section>
    </div>
  );
}
