import { getFormProps, getInputProps, useForm } from "@conform-to/react";
import { parseWithZod } from "@conform-to/zod/v4";
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { readForm, requireStaff } from "~/auth/guards.server";
import { forumReaderOf } from "~/forum/access.server";
import { excerpt } from "~/forum/notifications.server";
import { pageFromUrl } from "~/forum/pagination";
import { openReportCount, reportQueue, resolveReport } from "~/forum/reports.server";
import { ResolveReportSchema } from "~/forum/schemas";
import { Badge, PageLinks, useFormat, withPage } from "~/forum/ui";
import { metaTranslator, useT } from "~/i18n/i18n";
import { FORM_VALIDATION, FormErrors, TextAreaField } from "~/ui/form";
import { memberName } from "~/ui/member-name";

// Refusals render inside the layout, in the reader's language (docs/architecture.md, "Requests").
export { ErrorPage as ErrorBoundary } from "~/ui/error-page";

export const meta: MetaFunction = ({ matches }) => [{ title: metaTranslator(matches).t("reports.title") }];

export async function loader({ request }: LoaderFunctionArgs) {
  await requireStaff(request);
  const url = new URL(request.url);
  const status = url.searchParams.get("status") === "resolved" ? "RESOLVED" : "OPEN";
  const [{ reports, pagination }, openCount] = await Promise.all([reportQueue(status, pageFromUrl(url)), openReportCount()]);
  return {
    status,
    openCount,
    pagination,
    reports: reports.map((report) => ({
      id: report.id,
      reason: report.reason,
      createdAt: report.createdAt,
      reporter: report.reporter,
      resolvedBy: report.resolvedBy,
      resolvedAt: report.resolvedAt,
      resolutionNote: report.resolutionNote,
      post: {
        id: report.post.id,
        excerpt: excerpt(report.post.bodyText, 400),
        author: report.post.author,
        hidden: Boolean(report.post.hiddenAt || (report.post.isOpening && report.post.thread.hiddenAt)),
        deleted: Boolean(report.post.deletedAt),
        threadTitle: report.post.thread.title,
      },
    })),
  };
}

export async function action({ request }: ActionFunctionArgs) {
  const viewer = await requireStaff(request);
  const formData = await readForm(request);
  const submission = parseWithZod(formData, { schema: ResolveReportSchema });
  const reportId = String(formData.get("reportId") ?? "");
  if (submission.status !== "success") return data({ reportId, result: submission.reply() }, { status: 400 });
  await resolveReport(forumReaderOf(viewer), submission.value.reportId, submission.value.note, submission.value.hidePost);
  const url = new URL(request.url);
  return redirect(`${url.pathname}${url.search}`);
}

type Report = ReturnType<typeof useLoaderData<typeof loader>>["reports"][number];

export default function ReportsQueue() {
  const { status, openCount, reports, pagination } = useLoaderData<typeof loader>();
  const t = useT();
  return (
    <div className="space-y-6 wrap-anywhere">
      <h1>{t("reports.title")}</h1>
      <nav aria-label={t("reports.tabs")}>
        <ul className="flex gap-2">
          <li>
            <Link to="/admin/reports" className={`nav-link ${status === "OPEN" ? "nav-link-active" : ""}`} aria-current={status === "OPEN" ? "page" : undefined}>
              {t("reports.open", { count: openCount })}
            </Link>
          </li>
          <li>
            <Link
              to="/admin/reports?status=resolved"
              className={`nav-link ${status === "RESOLVED" ? "nav-link-active" : ""}`}
              aria-current={status === "RESOLVED" ? "page" : undefined}
            >
              {t("reports.resolved")}
            </Link>
          </li>
        </ul>
      </nav>
      {reports.length ? (
        <ol className="space-y-4">
          {reports.map((report) => (
            <li key={report.id}>
              <ReportCard report={report} />
            </li>
          ))}
        </ol>
      ) : (
        <p className="card">{status === "OPEN" ? t("reports.none") : t("reports.noneResolved")}</p>
      )}
      <PageLinks
        pagination={pagination}
        href={(page) => withPage("/admin/reports", page, status === "RESOLVED" ? { status: "resolved" } : {})}
      />
    </div>
  );
}

function ReportCard({ report }: { report: Report }) {
  const t = useT();
  const { dateTime } = useFormat();
  const actionData = useActionData<typeof action>();
  const navigation = useNavigation();
  const [form, fields] = useForm({
    id: `resolve-${report.id}`,
    lastResult: actionData?.reportId === report.id ? actionData.result : undefined,
    onValidate: ({ formData }) => parseWithZod(formData, { schema: ResolveReportSchema }),
    ...FORM_VALIDATION,
  });
  const headingId = `report-${report.id}`;
  return (
    <article aria-labelledby={headingId} className="card space-y-3">
      <h2 id={headingId} className="text-base">
        {t("reports.post", { name: memberName(report.post.author.name, t), title: report.post.threadTitle })}
      </h2>
      <blockquote className="whitespace-pre-line border-l-4 border-stone-300 pl-4 text-slate-800">{report.post.excerpt}</blockquote>
      <p className="flex flex-wrap gap-2 text-sm">
        <Link to={`/forum/p/${report.post.id}`}>{t("reports.openPost")}</Link>
        {report.post.hidden ? <Badge tone="red">{t("reports.postHidden")}</Badge> : null}
        {report.post.deleted ? <Badge tone="slate">{t("reports.postDeleted")}</Badge> : null}
      </p>
      <div>
        <p className="text-sm text-slate-700">{t("reports.reportedBy", { name: report.reporter.name, date: dateTime(report.createdAt) })}</p>
        <p className="mt-1">
          <span className="font-medium">{t("reports.reason")}:</span> {report.reason}
        </p>
      </div>
      {report.resolvedAt ? (
        <div className="rounded-md bg-stone-100 p-3">
          <p className="text-sm text-slate-700">
            {t("reports.resolvedBy", { name: report.resolvedBy?.name ?? "—", date: dateTime(report.resolvedAt) })}
          </p>
          <p className="mt-1 whitespace-pre-line">{report.resolutionNote}</p>
        </div>
      ) : (
        <Form method="post" {...getFormProps(form)}>
          <input type="hidden" name="intent" value="resolve" />
          <input type="hidden" name="reportId" value={report.id} />
          <FormErrors id={form.errorId} errors={form.errors} />
          <TextAreaField field={fields.note} label={t("reports.note")} rows={3} help={t("reports.noteHelp")} />
          {!report.post.hidden && !report.post.deleted ? (
            <div className="field flex items-center gap-2">
              <input {...getInputProps(fields.hidePost, { type: "checkbox" })} className="h-4 w-4" />
              <label htmlFor={fields.hidePost.id}>{t("reports.hidePost")}</label>
            </div>
          ) : null}
          <button type="submit" className="btn btn-primary" disabled={navigation.state === "submitting"}>
            {t("reports.resolve")}
          </button>
        </Form>
      )}
    </article>
  );
}
