import { getFormProps, useForm } from "@conform-to/react";
import { parseWithZod } from "@conform-to/zod/v4";
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { readForm } from "~/auth/guards.server";
import { refuse, requireForumReader, requireReadableCategory } from "~/forum/access.server";
import { usePostDraft } from "~/forum/draft";
import { startThread, withinPostingLimit } from "~/forum/posts.server";
import { NewThreadSchema } from "~/forum/schemas";
import { Breadcrumbs, localized, useLocalized } from "~/forum/ui";
import { metaTranslator, useT } from "~/i18n/i18n";
import { FORM_VALIDATION, FormErrors, TextAreaField, TextField } from "~/ui/form";

// Refusals render inside the layout, in the reader's language (docs/architecture.md, "Requests").
export { ErrorPage as ErrorBoundary } from "~/ui/error-page";

export const meta: MetaFunction<typeof loader> = ({ data, matches }) => {
  const { t, locale } = metaTranslator(matches);
  return [{ title: data ? t("forum.newThread.title", { category: localized(locale, data.category) }) : t("forum.title") }];
};

async function postableCategory(request: Request, slug: string | undefined) {
  const reader = await requireForumReader(request);
  const { category, access } = await requireReadableCategory(reader, slug ?? "");
  if (!access.canPost) throw refuse(reader, "forum.cannotPost");
  return { reader, category };
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { reader, category } = await postableCategory(request, params.category);
  return { category: { slug: category.slug, nameEn: category.nameEn, nameRu: category.nameRu }, viewerId: reader.userId };
}

export async function action({ request, params }: ActionFunctionArgs) {
  const { reader, category } = await postableCategory(request, params.category);
  const submission = parseWithZod(await readForm(request), { schema: NewThreadSchema });
  if (submission.status !== "success") return data(submission.reply(), { status: 400 });
  const outcome = await withinPostingLimit(submission, () => startThread(reader, category.slug, submission.value));
  if ("refused" in outcome) return outcome.refused;
  return redirect(`/forum/t/${outcome.posted.thread.id}`);
}

export default function NewThread() {
  const { category, viewerId } = useLoaderData<typeof loader>();
  const lastResult = useActionData<typeof action>();
  const navigation = useNavigation();
  const t = useT();
  const name = useLocalized()(category);
  const [form, fields] = useForm({
    lastResult,
    onValidate: ({ formData }) => parseWithZod(formData, { schema: NewThreadSchema }),
    ...FORM_VALIDATION,
  });
  const formProps = getFormProps(form);
  const draft = usePostDraft(`thread:${viewerId}:${category.slug}`, form.id, lastResult, formProps.onSubmit);
  return (
    <div className="mx-auto max-w-3xl wrap-anywhere">
      <Breadcrumbs
        items={[
          { to: "/forum", label: t("forum.title") },
          { to: `/forum/${category.slug}`, label: name },
          { label: t("forum.startThread") },
        ]}
      />
      <h1>{t("forum.newThread.title", { category: name })}</h1>
      <Form method="post" {...formProps} {...draft} className="card mt-6">
        <FormErrors id={form.errorId} errors={form.errors} />
        <TextField field={fields.title} label={t("forum.newThread.titleLabel")} />
        <TextAreaField field={fields.body} label={t("forum.newThread.body")} rows={12} help={t("forum.markdownHelp")} />
        <div className="flex flex-wrap items-center gap-4">
          <button type="submit" className="btn btn-primary" disabled={navigation.state === "submitting"}>
            {t("forum.newThread.submit")}
          </button>
          <Link to={`/forum/${category.slug}`}>{t("forum.cancel")}</Link>
        </div>
      </Form>
    </div>
  );
}
