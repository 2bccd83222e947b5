import { getFormProps, useForm } from "@conform-to/react";
import { parseWithZod } from "@conform-to/zod/v4";
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { badRequest, readForm } from "~/auth/guards.server";
import { requireForumReader } from "~/forum/access.server";
import { usePostDraft } from "~/forum/draft";
import { moderateThread, restorePost, setPostHidden, THREAD_MODERATIONS, type ThreadModeration } from "~/forum/moderation.server";
import { pageFromUrl } from "~/forum/pagination";
import { replyToThread, setHelpful, withinPostingLimit } from "~/forum/posts.server";
import { ReplySchema } from "~/forum/schemas";
import { categoriesForMove, findReadableThread, threadPosts, type PostView } from "~/forum/threads.server";
import { Badge, Breadcrumbs, PageLinks, PostHtml, useFormat, useLocalized, withPage } from "~/forum/ui";
import { metaTranslator, useT } from "~/i18n/i18n";
import { FORM_VALIDATION, FormErrors, TextAreaField } from "~/ui/form";
import { memberName } from "~/ui/member-name";

// Refusals render inside the layout, in the reader's language (docs/architecture.md, "Requests").
export { ErrorPage as ErrorBoundary } from "~/ui/error-page";

export const meta: MetaFunction<typeof loader> = ({ data, matches }) => {
  const { t } = metaTranslator(matches);
  return [{ title: !data ? t("forum.title") : data.removed ? t("forum.removed.title") : data.thread.title }];
};

export async function loader({ request, params }: LoaderFunctionArgs) {
  const reader = await requireForumReader(request);
  const found = await findReadableThread(reader, params.threadId ?? "");
  const { thread } = found;
  const category = { slug: thread.category.slug, nameEn: thread.category.nameEn, nameRu: thread.category.nameRu };
  if (found.removed) {
    return data({ removed: true as const, category }, { status: 410 });
  }
  const [{ posts, pagination }, moveTargets] = await Promise.all([
    threadPosts(reader, thread.id, found.progress, pageFromUrl(request.url)),
    reader.staff ? categoriesForMove() : Promise.resolve([]),
  ]);
  const locked = Boolean(thread.lockedAt);
  const deleted = Boolean(thread.deletedAt);
  return {
    removed: false as const,
    category,
    thread: {
      id: thread.id,
      title: thread.title,
      pinned: thread.pinned,
      locked,
      hidden: Boolean(thread.hiddenAt),
      deleted,
      categoryId: thread.categoryId,
    },
    posts,
    pagination,
    viewer: { id: reader.userId, staff: reader.staff },
    canReply: found.access.canPost && !deleted && (!locked || reader.staff),
    cannotReplyReason: !found.access.canPost ? ("cannotPost" as const) : locked ? ("locked" as const) : null,
    moveTargets,
  };
}

export async function action({ request, params }: ActionFunctionArgs) {
  const reader = await requireForumReader(request);
  const threadId = params.threadId ?? "";
  const formData = await readForm(request);
  const intent = String(formData.get("intent") ?? "");
  const url = new URL(request.url);
  const back = (postId?: string) => `${url.pathname}${url.search}${postId ? `#post-${postId}` : ""}`;

  if (intent === "reply") {
    const submission = parseWithZod(formData, { schema: ReplySchema });
    if (submission.status !== "success") return data(submission.reply(), { status: 400 });
    const outcome = await withinPostingLimit(submission, () => replyToThread(reader, threadId, submission.value));
    if ("refused" in outcome) return outcome.refused;
    return redirect(`/forum/p/${outcome.posted.id}`);
  }
  const postId = String(formData.get("postId") ?? "");
  if (intent === "helpful" || intent === "unhelpful") {
    await setHelpful(reader, postId, intent === "helpful");
    return redirect(back(postId));
  }
  if (intent === "hide-post" || intent === "unhide-post") {
    await findReadableThread(reader, threadId);
    await setPostHidden(reader, postId, intent === "hide-post");
    return redirect(back(postId));
  }
  if (intent === "restore-post") {
    await findReadableThread(reader, threadId);
    await restorePost(reader, postId);
    return redirect(back(postId));
  }
  if ((THREAD_MODERATIONS as readonly string[]).includes(intent)) {
    await moderateThread(reader, threadId, intent as ThreadModeration, { categoryId: String(formData.get("categoryId") ?? "") });
    return redirect(back());
  }
  throw badRequest();
}

export default function ThreadPage() {
  const loaderData = useLoaderData<typeof loader>();
  const t = useT();
  const name = useLocalized();
  if (loaderData.removed) {
    return (
      <section className="mx-auto max-w-xl py-12 text-center" aria-labelledby="removed">
        <p className="text-sm font-semibold text-indigo-700">410</p>
        <h1 id="removed" className="mt-2">
          {t("forum.removed.title")}
        </h1>
        <p className="mt-4 text-slate-700">{t("forum.removed.body")}</p>
        <p className="mt-8 flex flex-wrap justify-center gap-4">
          <Link to={`/forum/${loaderData.category.slug}`} className="btn btn-primary">
            {t("forum.removed.back", { category: name(loaderData.category) })}
          </Link>
          <Link to="/forum" className="btn btn-secondary">
            {t("forum.backToForum")}
          </Link>
        </p>
      </section>
    );
  }
  const { category, thread, posts, pagination, viewer, canReply, cannotReplyReason, moveTargets } = loaderData;
  return (
    <div className="space-y-6 wrap-anywhere">
      <Breadcrumbs
        items={[
          { to: "/forum", label: t("forum.title") },
          { to: `/forum/${category.slug}`, label: name(category) },
          { label: thread.title },
        ]}
      />
      <div className="flex flex-wrap items-center gap-3">
        <h1>{thread.title}</h1>
        {thread.pinned ? <Badge>{t("forum.pinned")}</Badge> : null}
        {thread.locked ? <Badge tone="slate">{t("forum.lockedBadge")}</Badge> : null}
        {thread.hidden ? <Badge tone="red">{t("forum.hiddenBadge")}</Badge> : null}
        {thread.deleted ? <Badge tone="red">{t("forum.deletedBadge")}</Badge> : null}
      </div>
      {viewer.staff ? <ModerationPanel thread={thread} moveTargets={moveTargets} /> : null}
      <ol className="space-y-4">
        {posts.map((post) => (
          <li key={post.id}>
            <PostCard post={post} viewer={viewer} />
          </li>
        ))}
      </ol>
      <PageLinks pagination={pagination} href={(page) => withPage(`/forum/t/${thread.id}`, page)} />
      {canReply ? (
        // A new reply changes the last post: the form starts empty again.
        <ReplyForm key={posts.at(-1)?.id ?? "empty"} draftKey={`reply:${viewer.id}:${thread.id}`} />
      ) : (
        <p className="card text-slate-800" role="note">
          {cannotReplyReason === "locked" ? t("forum.lockedNotice") : t("forum.cannotPostHere")}
        </p>
      )}
    </div>
  );
}

type LiveData = Extract<ReturnType<typeof useLoaderData<typeof loader>>, { removed: false }>;

function PostCard({ post, viewer }: { post: PostView; viewer: LiveData["viewer"] }) {
  const t = useT();
  const { date, dateTime } = useFormat();
  const own = post.authorId === viewer.id;
  const headingId = `post-${post.id}-author`;
  return (
    <article id={`post-${post.id}`} aria-labelledby={headingId} className={`card ${post.isNew ? "border-indigo-400" : ""}`}>
      <header className="flex flex-wrap items-baseline gap-x-3 gap-y-1">
        <h2 id={headingId} className="text-base font-semibold">
          {post.authorName ? <Link to={`/members/${post.authorId}`}>{post.authorName}</Link> : memberName(post.authorName, t)}
        </h2>
        {post.authorRole !== "MEMBER" ? <Badge tone="green">{t(`role.${post.authorRole}`)}</Badge> : null}
        {post.authorJobTitle || post.authorCompany ? (
          <span className="text-sm text-slate-700">{[post.authorJobTitle, post.authorCompany].filter(Boolean).join(", ")}</span>
        ) : null}
        <span className="text-sm text-slate-700">
          <time dateTime={new Date(post.createdAt).toISOString()}>{dateTime(post.createdAt)}</time>
          {post.editedAt && post.editorName ? (
            <span title={t("forum.editedByCuratorAt", { name: post.editorName, date: dateTime(post.editedAt) })}>
              {" "}
              · {t("forum.editedByCurator", { name: post.editorName })}
            </span>
          ) : post.editedAt ? (
            <span title={t("forum.editedAt", { date: dateTime(post.editedAt) })}> · {t("forum.editedMark")}</span>
          ) : null}
        </span>
        {post.isNew ? (
          <Badge tone="amber">
            <span aria-hidden="true">{t("forum.newPost")}</span>
            <span className="sr-only">{t("forum.newPostHelp")}</span>
          </Badge>
        ) : null}
        {post.hidden && !post.deleted ? <Badge tone="red">{t("forum.hiddenBadge")}</Badge> : null}
      </header>
      <div className="mt-3">
        {post.bodyHtml !== null ? (
          <PostHtml html={post.bodyHtml} />
        ) : (
          <p className="italic text-slate-700">{post.deleted ? t("forum.postDeleted") : t("forum.postHidden")}</p>
        )}
      </div>
      {post.deleted && viewer.staff ? (
        <footer className="mt-4 flex flex-wrap items-center gap-3 text-sm">
          <Form method="post">
            <input type="hidden" name="postId" value={post.id} />
            <button type="submit" name="intent" value="restore-post" className="btn btn-secondary">
              {t("forum.mod.restorePost")}
            </button>
          </Form>
        </footer>
      ) : null}
      {!post.deleted ? (
        <footer className="mt-4 flex flex-wrap items-center gap-3 text-sm">
          {!post.isOpening ? <span className="text-slate-700">{t("forum.helpful.count", { count: post.helpful })}</span> : null}
          {!post.isOpening && !own && post.bodyHtml !== null && !post.hidden ? (
            <Form method="post">
              <input type="hidden" name="postId" value={post.id} />
              <button
                type="submit"
                name="intent"
                value={post.markedHelpful ? "unhelpful" : "helpful"}
                className="btn btn-secondary"
                aria-pressed={post.markedHelpful}
              >
                {post.markedHelpful ? t("forum.helpful.unmark") : t("forum.helpful.mark")}
              </button>
            </Form>
          ) : null}
          {own && !post.hidden ? (
            <Link to={`/forum/p/${post.id}/edit`} aria-label={t("forum.editLabel", { date: date(post.createdAt) })}>
              {t("forum.edit")}
            </Link>
          ) : viewer.staff && !own ? (
            <Link to={`/forum/p/${post.id}/edit`} aria-label={t("forum.editOthersLabel", { name: memberName(post.authorName, t), date: date(post.createdAt) })}>
              {t("forum.edit")}
            </Link>
          ) : null}
          {!own && post.bodyHtml !== null ? (
            <Link to={`/forum/p/${post.id}/report`} aria-label={t("forum.reportLabel", { name: memberName(post.authorName, t) })}>
              {t("forum.report")}
            </Link>
          ) : null}
          {viewer.staff && !post.isOpening ? (
            <Form method="post">
              <input type="hidden" name="postId" value={post.id} />
              <button type="submit" name="intent" value={post.hidden ? "unhide-post" : "hide-post"} className="btn btn-secondary">
                {post.hidden ? t("forum.mod.unhidePost") : t("forum.mod.hidePost")}
              </button>
            </Form>
          ) : null}
        </footer>
      ) : null}
    </article>
  );
}

function ModerationPanel({ thread, moveTargets }: { thread: LiveData["thread"]; moveTargets: LiveData["moveTargets"] }) {
  const t = useT();
  const name = useLocalized();
  if (thread.deleted) {
    return (
      <section aria-labelledby="moderation" className="card border-amber-300 bg-amber-50">
        <h2 id="moderation" className="text-base">
          {t("forum.mod.title")}
        </h2>
        <p className="mt-1 text-sm text-slate-800">{t("forum.mod.deletedThread")}</p>
        <Form method="post" className="mt-3">
          <button type="submit" name="intent" value="restore" className="btn btn-secondary">
            {t("forum.mod.restore")}
          </button>
        </Form>
      </section>
    );
  }
  const toggles: Array<{ intent: ThreadModeration; label: string }> = [
    thread.pinned ? { intent: "unpin", label: t("forum.mod.unpin") } : { intent: "pin", label: t("forum.mod.pin") },
    thread.locked ? { intent: "unlock", label: t("forum.mod.unlock") } : { intent: "lock", label: t("forum.mod.lock") },
    thread.hidden ? { intent: "unhide", label: t("forum.mod.unhide") } : { intent: "hide", label: t("forum.mod.hide") },
  ];
  return (
    <section aria-labelledby="moderation" className="card border-amber-300 bg-amber-50">
      <h2 id="moderation" className="text-base">
        {t("forum.mod.title")}
      </h2>
      {thread.hidden ? <p className="mt-1 text-sm text-slate-800">{t("forum.mod.hiddenThread")}</p> : null}
      <div className="mt-3 flex flex-wrap items-end gap-3">
        {toggles.map((toggle) => (
          <Form method="post" key={toggle.intent}>
            <button type="submit" name="intent" value={toggle.intent} className="btn btn-secondary">
              {toggle.label}
            </button>
          </Form>
        ))}
        <Form method="post" className="flex flex-wrap items-end gap-2">
          <div>
            <label htmlFor="move-category" className="label">
              {t("forum.mod.moveTo")}
            </label>
            <select id="move-category" name="categoryId" defaultValue={thread.categoryId} className="input">
              {moveTargets.map((target) => (
                <option key={target.id} value={target.id}>
                  {name(target)}
                </option>
              ))}
            </select>
          </div>
          <button type="submit" name="intent" value="move" className="btn btn-secondary">
            {t("forum.mod.move")}
          </button>
        </Form>
      </div>
    </section>
  );
}

function ReplyForm({ draftKey }: { draftKey: string }) {
  const t = useT();
  const lastResult = useActionData<typeof action>();
  const navigation = useNavigation();
  const [form, fields] = useForm({
    lastResult,
    onValidate: ({ formData }) => parseWithZod(formData, { schema: ReplySchema }),
    ...FORM_VALIDATION,
  });
  const formProps = getFormProps(form);
  const draft = usePostDraft(draftKey, form.id, lastResult, formProps.onSubmit);
  return (
    <section aria-labelledby="reply" className="card">
      <h2 id="reply" className="mb-4">
        {t("forum.reply.title")}
      </h2>
      <Form method="post" {...formProps} {...draft}>
        <input type="hidden" name="intent" value="reply" />
        <FormErrors id={form.errorId} errors={form.errors} />
        <TextAreaField field={fields.body} label={t("forum.reply.body")} rows={8} help={t("forum.markdownHelp")} />
        <button type="submit" className="btn btn-primary" disabled={navigation.state === "submitting"}>
          {t("forum.reply.submit")}
        </button>
      </Form>
    </section>
  );
}
