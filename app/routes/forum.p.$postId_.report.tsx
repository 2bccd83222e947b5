import { getFormProps, useForm } from "@conform-to/react";
import { parseWithZod } from "@conform-to/zod/v4";
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { readForm } from "~/auth/guards.server";
import { requireForumReader } from "~/forum/access.server";
import { excerpt } from "~/forum/notifications.server";
import { reportablePost, reportPost } from "~/forum/reports.server";
import { ReportSchema } from "~/forum/schemas";
import { Breadcrumbs, useFormat } from "~/forum/ui";
import { metaTranslator, useT } from "~/i18n/i18n";
import { FORM_VALIDATION, FormErrors, TextAreaField } from "~/ui/form";
import { memberName } from "~/ui/member-name";

// Refusals render inside the layout, in the reader's language (docs/architecture.md, "Requests").
export { ErrorPage as ErrorBoundary } from "~/ui/error-page";

export const meta: MetaFunction = ({ matches }) => [{ title: metaTranslator(matches).t("forum.report.title") }];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const reader = await requireForumReader(request);
  const { post, thread, alreadyReported, readable, outcome } = await reportablePost(reader, params.postId ?? "");
  return {
    // A post hidden or deleted since the report: its text is no longer shown, only the outcome.
    post: { id: post.id, authorName: post.author.name, excerpt: readable ? excerpt(post.bodyText, 400) : null },
    thread: { id: thread.id, title: thread.title },
    alreadyReported,
    outcome,
  };
}

export async function action({ request, params }: ActionFunctionArgs) {
  const reader = await requireForumReader(request);
  const postId = params.postId ?? "";
  await reportablePost(reader, postId);
  const submission = parseWithZod(await readForm(request), { schema: ReportSchema });
  if (submission.status !== "success") return data(submission.reply(), { status: 400 });
  await reportPost(reader, postId, submission.value.reason);
  return redirect(`/forum/p/${postId}/report`);
}

export default function ReportPost() {
  const { post, thread, alreadyReported, outcome } = useLoaderData<typeof loader>();
  const { date } = useFormat();
  const lastResult = useActionData<typeof action>();
  const navigation = useNavigation();
  const t = useT();
  const [form, fields] = useForm({
    lastResult,
    onValidate: ({ formData }) => parseWithZod(formData, { schema: ReportSchema }),
    ...FORM_VALIDATION,
  });
  return (
    <div className="mx-auto max-w-2xl space-y-6 wrap-anywhere">
      <Breadcrumbs
        items={[
          { to: "/forum", label: t("forum.title") },
          { to: `/forum/t/${thread.id}`, label: thread.title },
          { label: t("forum.report.title") },
        ]}
      />
      <h1>{t("forum.report.title")}</h1>
      <figure className="card">
        <figcaption className="text-sm font-semibold">{t("forum.report.post", { name: memberName(post.authorName, t), title: thread.title })}</figcaption>
        {post.excerpt !== null ? <blockquote className="mt-2 whitespace-pre-line text-slate-800">{post.excerpt}</blockquote> : null}
      </figure>
      {outcome?.status === "RESOLVED" ? (
        <div role="status" className="card border-green-300 bg-green-50 text-green-900">
          <p>{t("forum.reportOutcome.page", { date: date(outcome.resolvedAt) })}</p>
          <p className="mt-2">{t(outcome.postHidden ? "forum.reportOutcome.hidden" : "forum.reportOutcome.kept")}</p>
          {outcome.note ? <p className="mt-2 whitespace-pre-line">{t("forum.reportOutcome.note", { note: outcome.note })}</p> : null}
        </div>
      ) : alreadyReported ? (
        <p role="status" className="card border-green-300 bg-green-50 text-green-900">
          {t("forum.report.done")}
        </p>
      ) : (
        <Form method="post" {...getFormProps(form)} className="card">
          <FormErrors id={form.errorId} errors={form.errors} />
          <TextAreaField field={fields.reason} label={t("forum.report.reason")} rows={4} help={t("forum.report.help")} />
          <button type="submit" className="btn btn-primary" disabled={navigation.state === "submitting"}>
            {t("forum.report.submit")}
          </button>
        </Form>
      )}
      <p>
        <Link to={`/forum/p/${post.id}`}>{t("forum.report.back")}</Link>
      </p>
    </div>
  );
}
