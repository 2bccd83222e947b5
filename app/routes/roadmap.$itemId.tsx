import { getFormProps, getSelectProps, useForm, type SubmissionResult } from "@conform-to/react";
import { parseWithZod } from "@conform-to/zod/v4";
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { badRequest, forbidden, isStaff, notFound, readForm, requireMember } from "~/auth/guards.server";
import { consumeRateLimit } from "~/auth/rate-limit.server";
import { formatNumber, metaTranslator, useLocale, useT } from "~/i18n/i18n";
import { viewerStanding, votingTiers } from "~/roadmap/board.server";
import { CommentEditSchema, CommentSchema, MergeSchema, ROADMAP_STATUSES, StatusChangeSchema, formatQuarter } from "~/roadmap/forms";
import {
  addComment,
  changeItemStatus,
  deleteComment,
  editComment,
  ownComment,
  getItemPage,
  mergeDestination,
  mergeItems,
  mergeTargets,
} from "~/roadmap/items.server";
import { keepStandingsFresh } from "~/roadmap/standing.server";
import { StatusField } from "~/roadmap/item-form";
import { StatusBadge, VoteControl, VoteNotice, useFormatDate, type VoteReply } from "~/roadmap/ui";
import { voteAction } from "~/roadmap/vote-action.server";
import { FORM_VALIDATION, FieldErrors, FormErrors, TextAreaField } from "~/ui/form";
import { memberName } from "~/ui/member-name";

// Refusals render inside the layout, in the reader's language (docs/architecture.md, "Requests").
export { ErrorPage as ErrorBoundary } from "~/ui/error-page";

export const meta: MetaFunction<typeof loader> = ({ data, matches }) => [{ title: data?.item.title ?? metaTranslator(matches).t("roadmap.title") }];

const COMMENT_LIMIT = { bucket: "roadmap-comment", limit: 20, windowMs: 10 * 60 * 1000 };

export async function loader({ request, params }: LoaderFunctionArgs) {
  const viewer = await requireMember(request, "roadmap.noMembership");
  const itemId = params.itemId ?? "";
  const destination = await mergeDestination(itemId);
  if (destination) throw redirect(`/roadmap/${destination}?merged=${encodeURIComponent(itemId)}`);
  await keepStandingsFresh();
  const page = await getItemPage(itemId, viewer.user.id);
  if (!page) throw notFound();
  const [tiers, counting, targets] = await Promise.all([
    votingTiers(),
    viewerStanding(viewer.user.id),
    viewer.user.role === "OWNER" ? mergeTargets(itemId) : Promise.resolve([]),
  ]);
  const tier = viewer.membership?.tier;
  const mergedFromId = new URL(request.url).searchParams.get("merged");
  const { item } = page;
  return {
    item: {
      id: item.id,
      title: item.title,
      descriptionHtml: item.descriptionHtml,
      status: item.status,
      targetQuarter: item.targetQuarter,
      author: item.author,
      createdAt: item.createdAt,
      voteCount: item.voteCount,
      weightedVotes: item.weightedVotes,
      myVoteWeight: page.myVote?.weight ?? null,
    },
    mergedFrom: item.mergedItems.find((m) => m.id === mergedFromId) ?? null,
    mergedItems: item.mergedItems,
    history: item.statusChanges,
    comments: page.comments,
    voters: page.voters,
    voterCount: page.voterCount,
    lapsedVoters: page.lapsedVoters,
    votingTiers: tiers.map((v) => (viewer.user.locale === "ru" ? v.nameRu : v.nameEn)),
    mergeTargets: targets,
    viewer: {
      id: viewer.user.id,
      canVote: Boolean(tier?.canVote),
      weight: tier?.canVote ? tier.voteWeight : 0,
      counting: counting ?? true,
      isStaff: isStaff(viewer.user),
      isOwner: viewer.user.role === "OWNER",
    },
  };
}

export async function action({ request, params }: ActionFunctionArgs) {
  const viewer = await requireMember(request, "roadmap.noMembership");
  const itemId = params.itemId ?? "";
  const formData = await readForm(request);
  const intent = formData.get("intent");

  if (intent === "vote" || intent === "unvote") {
    formData.set("itemId", itemId);
    return voteAction(viewer, formData);
  }

  if (intent === "comment") {
    const submission = parseWithZod(formData, { schema: CommentSchema });
    if (submission.status !== "success") return data({ intent, result: submission.reply() }, { status: 400 });
    const limited = await consumeRateLimit(COMMENT_LIMIT, [viewer.user.id]);
    if (limited.limited) {
      return data({ intent, result: submission.reply({ formErrors: ["roadmap.rateLimited"] }) }, { status: 429 });
    }
    const added = await addComment(itemId, viewer.user.id, submission.value.body);
    if (!added.ok && added.reason === "not-found") throw notFound();
    if (!added.ok) return data({ intent, result: submission.reply({ formErrors: ["roadmap.vote.mergedItem"] }) }, { status: 409 });
    return { intent, result: submission.reply({ resetForm: true }) };
  }

  if (intent === "edit-comment") {
    const commentId = formData.get("commentId");
    if (typeof commentId !== "string") throw badRequest();
    const own = await ownComment(commentId, viewer.user, itemId);
    if (!own.ok) throw own.reason === "forbidden" ? forbidden() : notFound();
    const submission = parseWithZod(formData, { schema: CommentEditSchema });
    if (submission.status !== "success") return data({ intent, commentId, result: submission.reply() }, { status: 400 });
    const edited = await editComment(commentId, viewer.user, itemId, submission.value.body);
    if (!edited.ok && edited.reason === "forbidden") throw forbidden();
    if (!edited.ok) throw notFound();
    return { intent, commentId, result: null };
  }

  if (intent === "delete-comment") {
    const commentId = formData.get("commentId");
    if (typeof commentId !== "string") throw badRequest();
    const deleted = await deleteComment(commentId, viewer.user, itemId);
    if (!deleted.ok && deleted.reason === "forbidden") throw forbidden();
    if (!deleted.ok) throw notFound();
    return { intent, result: null };
  }

  if (intent === "status") {
    if (!isStaff(viewer.user)) throw forbidden();
    const submission = parseWithZod(formData, { schema: StatusChangeSchema });
    if (submission.status !== "success") return data({ intent, result: submission.reply() }, { status: 400 });
    const changed = await changeItemStatus(itemId, submission.value.status, { note: submission.value.note, actorId: viewer.user.id });
    if (!changed.ok) {
      if (changed.reason === "not-found") throw notFound();
      const error = changed.reason === "unchanged" ? "roadmap.status.unchanged" : "roadmap.vote.mergedItem";
      return data({ intent, result: submission.reply({ fieldErrors: { status: [error] } }) }, { status: 409 });
    }
    return { intent, result: submission.reply({ resetForm: true }), notified: changed.notified };
  }

  if (intent === "merge") {
    if (viewer.user.role !== "OWNER") throw forbidden();
    const submission = parseWithZod(formData, { schema: MergeSchema });
    if (submission.status !== "success") return data({ intent, result: submission.reply() }, { status: 400 });
    const merged = await mergeItems(itemId, submission.value.intoId, viewer.user.id);
    if (!merged.ok) {
      if (merged.reason === "not-found") throw notFound();
      const error = {
        same: "roadmap.merge.same",
        "target-not-found": "roadmap.merge.targetMissing",
        "target-merged": "roadmap.merge.targetMerged",
        merged: "roadmap.merge.alreadyMerged",
      }[merged.reason];
      return data({ intent, result: submission.reply({ fieldErrors: { intoId: [error] } }) }, { status: 409 });
    }
    return redirect(`/roadmap/${submission.value.intoId}?merged=${encodeURIComponent(itemId)}`);
  }

  throw badRequest();
}

/** The page has several forms; each takes the action's reply only when it was the one submitted. */
function replyFor(actionData: unknown, intent: string): SubmissionResult<string[]> | undefined {
  const reply = actionData as { intent?: string; result?: SubmissionResult<string[]> | null } | undefined;
  return reply?.intent === intent ? (reply.result ?? undefined) : undefined;
}

export default function RoadmapItemPage() {
  const { item, mergedFrom, mergedItems, history, comments, voters, voterCount, lapsedVoters, votingTiers, mergeTargets, viewer } =
    useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const t = useT();
  const locale = useLocale();
  const date = useFormatDate();
  const voteReply = actionData && "vote" in actionData ? (actionData as VoteReply) : undefined;
  const notified = actionData && "notified" in actionData ? (actionData.notified ?? null) : null;

  return (
    <article className="mx-auto max-w-4xl space-y-8 wrap-anywhere">
      <p>
        <Link to="/roadmap">{t("roadmap.back")}</Link>
      </p>
      {mergedFrom ? (
        <div role="status" className="rounded-md border border-indigo-200 bg-indigo-50 p-3 text-sm text-indigo-950" data-testid="merged-note">
          {t("roadmap.merge.note", { title: mergedFrom.title })}
        </div>
      ) : null}
      {notified !== null ? (
        <div role="status" className="rounded-md border border-emerald-200 bg-emerald-50 p-3 text-sm text-emerald-950">
          {t("roadmap.status.changed", { count: formatNumber(locale, notified) })}
        </div>
      ) : null}
      <VoteNotice reply={voteReply} />

      <header className="space-y-3">
        <h1>{item.title}</h1>
        <p className="flex flex-wrap items-center gap-2 text-sm text-slate-700">
          <StatusBadge status={item.status} />
          {item.targetQuarter ? <span>{t("roadmap.item.target", { quarter: formatQuarter(item.targetQuarter) })}</span> : null}
          <span>
            {item.author
              ? t("roadmap.item.addedBy", { name: memberName(item.author.name, t), date: date(item.createdAt) })
              : t("roadmap.item.added", { date: date(item.createdAt) })}
          </span>
          {viewer.isStaff ? (
            <Link to={`/roadmap/${item.id}/edit`} className="ml-auto">
              {t("roadmap.edit.link")}
            </Link>
          ) : null}
        </p>
      </header>

      {item.descriptionHtml ? (
        <div className="prose-club card" dangerouslySetInnerHTML={{ __html: item.descriptionHtml }} />
      ) : null}

      <section className="card space-y-3" aria-labelledby="votes-heading">
        <h2 id="votes-heading">{t("roadmap.votes.heading")}</h2>
        <VoteControl item={item} viewer={viewer} />
        {!viewer.canVote ? (
          <p className="text-sm text-slate-700">
            {votingTiers.length ? t("roadmap.note.readOnly", { tiers: votingTiers.join(", ") }) : t("roadmap.vote.noVotingTier")}
          </p>
        ) : null}
        <p className="text-sm text-slate-700">{t("roadmap.note.weighting")}</p>
        {lapsedVoters ? (
          <p className="text-sm text-slate-700" data-testid="lapsed-note">
            {t("roadmap.votes.lapsed", { count: formatNumber(locale, lapsedVoters) })}
          </p>
        ) : null}
      </section>

      {mergedItems.length ? (
        <section aria-labelledby="merged-heading" className="space-y-2">
          <h2 id="merged-heading">{t("roadmap.merge.mergedHere")}</h2>
          <ul className="list-disc pl-6 text-slate-800">
            {mergedItems.map((m) => (
              <li key={m.id}>
                {m.title}
                {m.mergedAt ? <span className="text-sm text-slate-600"> ({date(m.mergedAt)})</span> : null}
              </li>
            ))}
          </ul>
        </section>
      ) : null}

      <section aria-labelledby="history-heading" className="space-y-3">
        <h2 id="history-heading">{t("roadmap.history.heading")}</h2>
        <ol className="space-y-2" data-testid="status-history">
          {history.map((change) => (
            <li key={change.id} className="flex flex-wrap items-baseline gap-2 text-sm">
              <time dateTime={new Date(change.createdAt).toISOString()} className="font-medium text-slate-900">
                {date(change.createdAt)}
              </time>
              <span className="text-slate-800">
                {change.mergedFromTitle
                  ? t("roadmap.history.merged", { title: change.mergedFromTitle })
                  : change.fromStatus
                  ? t("roadmap.history.moved", { from: t(`roadmap.status.${change.fromStatus}`), to: t(`roadmap.status.${change.toStatus}`) })
                  : t("roadmap.history.created", { to: t(`roadmap.status.${change.toStatus}`) })}
              </span>
              {change.changedBy ? <span className="text-slate-600">{t("roadmap.history.by", { name: change.changedBy.name })}</span> : null}
              {change.note ? <q className="w-full text-slate-700">{change.note}</q> : null}
            </li>
          ))}
        </ol>
      </section>

      <section aria-labelledby="voters-heading" className="space-y-3">
        <h2 id="voters-heading">{t("roadmap.voters.heading", { count: formatNumber(locale, voterCount) })}</h2>
        {voters.length ? (
          <ul className="grid gap-2 sm:grid-cols-2" data-testid="voters">
            {voters.map((voter) => (
              <li key={voter.id} className="text-sm">
                <span className="font-medium text-slate-900">{memberName(voter.name, t)}</span>
                {voter.company ? <span className="text-slate-700">, {voter.company}</span> : null}
                <span className="text-slate-600">
                  {" "}
                  · {t("roadmap.voters.weight", { weight: voter.weight })}
                  {voter.counting ? null : <> · {t("roadmap.voters.notCounting")}</>}
                </span>
              </li>
            ))}
          </ul>
        ) : (
          <p className="text-sm text-slate-700">{t("roadmap.voters.none")}</p>
        )}
        {voterCount > voters.length ? (
          <p className="text-sm text-slate-700" data-testid="voters-more">
            {t("roadmap.voters.more", { count: formatNumber(locale, voterCount - voters.length) })}
          </p>
        ) : null}
      </section>

      <Comments comments={comments} viewerId={viewer.id} isStaff={viewer.isStaff} />

      {viewer.isStaff ? <StatusForm current={item.status} /> : null}
      {viewer.isOwner ? <MergeForm targets={mergeTargets} /> : null}
    </article>
  );
}

function StatusForm({ current }: { current: (typeof ROADMAP_STATUSES)[number] }) {
  const t = useT();
  const actionData = useActionData<typeof action>();
  const [form, fields] = useForm({
    id: "status-change",
    lastResult: replyFor(actionData, "status"),
    defaultValue: { status: current },
    onValidate: ({ formData }) => parseWithZod(formData, { schema: StatusChangeSchema }),
    ...FORM_VALIDATION,
  });
  return (
    <section aria-labelledby="status-heading" className="card">
      <h2 id="status-heading" className="mb-3">
        {t("roadmap.status.heading")}
      </h2>
      <Form method="post" {...getFormProps(form)}>
        <FormErrors id={form.errorId} errors={form.errors} />
        <input type="hidden" name="intent" value="status" />
        <StatusField field={fields.status} />
        <TextAreaField field={fields.note} label={t("roadmap.status.note")} rows={2} help={t("roadmap.status.noteHelp")} />
        <button type="submit" className="btn btn-primary">
          {t("roadmap.status.submit")}
        </button>
      </Form>
    </section>
  );
}

function MergeForm({ targets }: { targets: Array<{ id: string; title: string; status: (typeof ROADMAP_STATUSES)[number] }> }) {
  const t = useT();
  const actionData = useActionData<typeof action>();
  const [form, fields] = useForm({
    id: "merge",
    lastResult: replyFor(actionData, "merge"),
    onValidate: ({ formData }) => parseWithZod(formData, { schema: MergeSchema }),
    ...FORM_VALIDATION,
  });
  return (
    <section aria-labelledby="merge-heading" className="card">
      <h2 id="merge-heading" className="mb-2">
        {t("roadmap.merge.heading")}
      </h2>
      <p className="mb-3 text-sm text-slate-700">{t("roadmap.merge.help")}</p>
      <Form method="post" {...getFormProps(form)}>
        <FormErrors id={form.errorId} errors={form.errors} />
        <input type="hidden" name="intent" value="merge" />
        <div className="field">
          <label htmlFor={fields.intoId.id} className="label">
            {t("roadmap.merge.label")}
          </label>
          <select {...getSelectProps(fields.intoId)} key={fields.intoId.key} className="input">
            <option value="">{t("roadmap.merge.choose")}</option>
            {targets.map((target) => (
              <option key={target.id} value={target.id}>
                {target.title} ({t(`roadmap.status.${target.status}`)})
              </option>
            ))}
          </select>
          <FieldErrors id={fields.intoId.errorId} errors={fields.intoId.errors} />
        </div>
        <button type="submit" className="btn btn-danger">
          {t("roadmap.merge.submit")}
        </button>
      </Form>
    </section>
  );
}

type CommentView = {
  id: string;
  bodyHtml: string;
  bodyMd: string | null;
  createdAt: string | Date;
  editedAt: string | Date | null;
  deletedAt: string | Date | null;
  author: { id: string; name: string } | null;
};

function Comments({ comments, viewerId, isStaff }: { comments: CommentView[]; viewerId: string; isStaff: boolean }) {
  const t = useT();
  const date = useFormatDate();
  const actionData = useActionData<typeof action>();
  const navigation = useNavigation();
  const [form, fields] = useForm({
    id: "comment",
    lastResult: replyFor(actionData, "comment"),
    onValidate: ({ formData }) => parseWithZod(formData, { schema: CommentSchema }),
    ...FORM_VALIDATION,
  });
  const visible = comments.filter((c) => !c.deletedAt).length;
  return (
    <section aria-labelledby="comments-heading" className="space-y-4">
      <h2 id="comments-heading">{t("roadmap.comments.heading", { count: visible })}</h2>
      <ol className="space-y-3">
        {comments.map((comment) => (
          <li key={comment.id} className="card">
            {comment.deletedAt ? (
              <p className="text-sm italic text-slate-600">{t("roadmap.comments.deleted")}</p>
            ) : (
              <>
                {/* A div, not a p: a form inside a p is moved out by the browser, and React cannot hydrate the page. */}
                <div className="mb-2 flex flex-wrap items-center gap-2 text-sm text-slate-700">
                  <span className="font-medium text-slate-900">{memberName(comment.author?.name, t)}</span>
                  <time dateTime={new Date(comment.createdAt).toISOString()}>{date(comment.createdAt)}</time>
                  {comment.editedAt ? <span title={date(comment.editedAt)}>· {t("roadmap.comments.edited")}</span> : null}
                  {comment.author?.id === viewerId || isStaff ? (
                    <Form method="post" className="ml-auto">
                      <input type="hidden" name="intent" value="delete-comment" />
                      <input type="hidden" name="commentId" value={comment.id} />
                      <button type="submit" className="text-sm text-red-800 underline">
                        {t("roadmap.comments.delete")}
                      </button>
                    </Form>
                  ) : null}
                </div>
                <div className="prose-club" dangerouslySetInnerHTML={{ __html: comment.bodyHtml }} />
                {comment.bodyMd !== null ? <EditComment id={comment.id} body={comment.bodyMd} /> : null}
              </>
            )}
          </li>
        ))}
      </ol>
      <Form method="post" {...getFormProps(form)} className="card">
        <FormErrors id={form.errorId} errors={form.errors} />
        <input type="hidden" name="intent" value="comment" />
        <TextAreaField field={fields.body} label={t("roadmap.comments.label")} rows={4} help={t("roadmap.markdownHelp")} />
        <button type="submit" className="btn btn-primary" disabled={navigation.state === "submitting"}>
          {t("roadmap.comments.submit")}
        </button>
      </Form>
    </section>
  );
}

/** The author's own comment, edited in place; a native <details>, so it works without JavaScript. */
function EditComment({ id, body }: { id: string; body: string }) {
  const t = useT();
  const reply = useActionData<typeof action>() as { intent?: string; commentId?: string; result?: { error?: Record<string, string[] | null> } | null } | undefined;
  const failed = reply?.intent === "edit-comment" && reply.commentId === id ? reply.result : null;
  const errors = Object.values(failed?.error ?? {}).flatMap((list) => list ?? []);
  return (
    <details className="mt-3 text-sm" open={errors.length > 0}>
      <summary className="cursor-pointer text-indigo-800 underline">{t("roadmap.comments.edit")}</summary>
      <Form method="post" className="mt-2 space-y-2">
        <input type="hidden" name="intent" value="edit-comment" />
        <input type="hidden" name="commentId" value={id} />
        <label htmlFor={`edit-${id}`} className="label">
          {t("roadmap.comments.editLabel")}
        </label>
        <textarea id={`edit-${id}`} name="body" defaultValue={body} rows={4} className="input" aria-describedby={errors.length ? `edit-${id}-error` : undefined} />
        <FieldErrors id={`edit-${id}-error`} errors={errors} />
        <button type="submit" className="btn btn-secondary">
          {t("roadmap.comments.save")}
        </button>
      </Form>
    </details>
  );
}
