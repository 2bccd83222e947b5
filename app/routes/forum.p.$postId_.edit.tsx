import { getFormProps, useForm } from "@conform-to/react";
import { parseWithZod } from "@conform-to/zod/v4";
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { badRequest, readForm } from "~/auth/guards.server";
import { requireForumReader } from "~/forum/access.server";
import { deletePost, deletionOutcome, editPost, requireOwnPost, type DeletionOutcome } from "~/forum/posts.server";
import { EditPostSchema } from "~/forum/schemas";
import { Breadcrumbs, useLocalized } from "~/forum/ui";
import { metaTranslator, useT } from "~/i18n/i18n";
import { FORM_VALIDATION, FormErrors, TextAreaField, TextField } from "~/ui/form";

// Refusals render inside the layout, in the reader's language (docs/architecture.md, "Requests").
export { ErrorPage as ErrorBoundary } from "~/ui/error-page";

export const meta: MetaFunction = ({ matches }) => [{ title: metaTranslator(matches).t("forum.editPost.title") }];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const reader = await requireForumReader(request);
  const { post, thread } = await requireOwnPost(reader, params.postId ?? "", { curatorMayEdit: true });
  // Only the author deletes; a curator edits (redacts) or hides.
  const confirmingDelete = post.authorId === reader.userId && new URL(request.url).searchParams.has("delete");
  return {
    post: { id: post.id, isOpening: post.isOpening, body: post.body, own: post.authorId === reader.userId },
    // Told before confirming: what deleting would take away.
    deletion: confirmingDelete ? await deletionOutcome(post) : null,
    thread: { id: thread.id, title: thread.title },
    category: { slug: thread.category.slug, nameEn: thread.category.nameEn, nameRu: thread.category.nameRu },
  };
}

export async function action({ request, params }: ActionFunctionArgs) {
  const reader = await requireForumReader(request);
  const postId = params.postId ?? "";
  const formData = await readForm(request);
  const intent = formData.get("intent");
  if (intent !== "delete" && intent !== "save") throw badRequest();
  if (intent === "delete") {
    // Deleting takes two steps, with or without JavaScript: this page first says what goes.
    await requireOwnPost(reader, postId);
    if (formData.get("confirm") !== "yes") return redirect(`/forum/p/${postId}/edit?delete#delete`);
    const { threadId, categorySlug, outcome } = await deletePost(reader, postId);
    return redirect(outcome === "thread" ? `/forum/${categorySlug}` : `/forum/t/${threadId}`);
  }
  const { post } = await requireOwnPost(reader, postId, { curatorMayEdit: true });
  const submission = parseWithZod(formData, {
    schema: EditPostSchema.superRefine((value, ctx) => {
      if (post.isOpening && !value.title) ctx.addIssue({ code: "custom", path: ["title"], message: "form.required" });
    }),
  });
  if (submission.status !== "success") return data(submission.reply(), { status: 400 });
  await editPost(reader, post.id, submission.value);
  return redirect(`/forum/p/${post.id}`);
}

export default function EditPost() {
  const { post, thread, category, deletion } = useLoaderData<typeof loader>();
  const lastResult = useActionData<typeof action>();
  const navigation = useNavigation();
  const t = useT();
  const name = useLocalized();
  const [form, fields] = useForm({
    lastResult,
    defaultValue: { title: post.isOpening ? thread.title : undefined, body: post.body },
    onValidate: ({ formData }) => parseWithZod(formData, { schema: EditPostSchema }),
    ...FORM_VALIDATION,
  });
  return (
    <div className="mx-auto max-w-3xl space-y-6 wrap-anywhere">
      <Breadcrumbs
        items={[
          { to: "/forum", label: t("forum.title") },
          { to: `/forum/${category.slug}`, label: name(category) },
          { to: `/forum/t/${thread.id}`, label: thread.title },
          { label: t("forum.editPost.title") },
        ]}
      />
      <h1>{post.own ? t("forum.editPost.title") : t("forum.editPost.curatorTitle")}</h1>
      {post.own ? null : <p className="text-slate-800">{t("forum.editPost.curatorHelp")}</p>}
      <Form method="post" {...getFormProps(form)} className="card">
        <input type="hidden" name="intent" value="save" />
        <FormErrors id={form.errorId} errors={form.errors} />
        {post.isOpening ? <TextField field={fields.title} label={t("forum.newThread.titleLabel")} /> : null}
        <TextAreaField field={fields.body} label={t("forum.newThread.body")} rows={14} help={t("forum.markdownHelp")} />
        <div className="flex flex-wrap items-center gap-4">
          <button type="submit" className="btn btn-primary" disabled={navigation.state === "submitting"}>
            {t("forum.editPost.save")}
          </button>
          <Link to={`/forum/p/${post.id}`}>{t("forum.cancel")}</Link>
        </div>
      </Form>
      {post.own ? <DeleteSection post={post} deletion={deletion} /> : null}
    </div>
  );
}

function DeleteSection({ post, deletion }: { post: { id: string }; deletion: DeletionOutcome | null }) {
  const t = useT();
  return (
    <section aria-labelledby="delete" className="card border-red-200">
      <h2 id="delete">{deletion ? t("forum.editPost.confirmTitle") : t("forum.editPost.deleteTitle")}</h2>
      {deletion ? (
        <>
          <p className="mt-2 text-slate-800">
            {t(
              deletion === "reply"
                ? "forum.editPost.confirmReply"
                : deletion === "opening-kept"
                  ? "forum.editPost.confirmOpeningKept"
                  : "forum.editPost.confirmThread",
            )}{" "}
            {t("forum.editPost.confirmUndo")}
          </p>
          <Form method="post" className="mt-4 flex flex-wrap items-center gap-4">
            <input type="hidden" name="confirm" value="yes" />
            <button type="submit" name="intent" value="delete" className="btn btn-danger">
              {t("forum.editPost.confirmDelete")}
            </button>
            <Link to={`/forum/p/${post.id}/edit`} replace>
              {t("forum.cancel")}
            </Link>
          </Form>
        </>
      ) : (
        <>
          <p className="mt-2 text-slate-700">{t("forum.editPost.deleteHelp")}</p>
          <Form method="get" className="mt-4">
            <input type="hidden" name="delete" value="" />
            <button type="submit" className="btn btn-danger">
              {t("forum.editPost.delete")}
            </button>
          </Form>
        </>
      )}
    </section>
  );
}
