import { getFormProps, getInputProps, getSelectProps, useForm, type SubmissionResult } from "@conform-to/react";
import { parseWithZod } from "@conform-to/zod/v4";
import { Form, Link, useNavigation } from "@remix-run/react";
import { formatDateTime, useLocale, useT, type MessageKey } from "~/i18n/i18n";
import type { TierRef } from "~/metrics/dashboard.server";
import { FieldErrors, FORM_VALIDATION, FormErrors, TextAreaField } from "~/ui/form";
import { memberName } from "~/ui/member-name";
import type { FeedAnswer, FeedPage } from "./nps-feed.server";
import { FeedFilterSchema, ReplySchema } from "./nps-feed";

export type FeedPageData = {
  tiers: TierRef[];
  segments: Array<{ id: string; name: string }>;
  timeZone: string;
  result: SubmissionResult<string[]> | null;
  feed: (FeedPage & { newest: string | null; search: string }) | null;
  replied: string | null;
};

export type ReplyActionData = { responseId: string; result: SubmissionResult<string[]> };

function Filters({ data }: { data: FeedPageData }) {
  const t = useT();
  const locale = useLocale();
  const [form, fields] = useForm({
    id: "comment-filters",
    lastResult: data.result,
    defaultValue: Object.fromEntries(new URLSearchParams(data.feed?.search ?? "")),
    onValidate: ({ formData }) => parseWithZod(formData, { schema: FeedFilterSchema }),
    ...FORM_VALIDATION,
  });
  return (
    <Form method="get" {...getFormProps(form)} className="card space-y-3" aria-labelledby="comment-filters-title">
      <h2 id="comment-filters-title" className="text-lg">
        {t("touches.feed.filters")}
      </h2>
      <FormErrors id={form.errorId} errors={form.errors} />
      <div className="grid gap-3 sm:grid-cols-3">
        <div className="field">
          <label htmlFor={fields.group.id} className="label">
            {t("touches.feed.group")}
          </label>
          <select {...getSelectProps(fields.group)} key={fields.group.key} className="input">
            <option value="">{t("touches.feed.group.all")}</option>
            {(["promoters", "passives", "detractors"] as const).map((group) => (
              <option key={group} value={group}>
                {t(`touches.feed.group.${group}`)}
              </option>
            ))}
          </select>
          <FieldErrors id={fields.group.errorId} errors={fields.group.errors} />
        </div>
        <div className="field">
          <label htmlFor={fields.tier.id} className="label">
            {t("touches.feed.tier")}
          </label>
          <select {...getSelectProps(fields.tier)} key={fields.tier.key} className="input">
            <option value="">{t("touches.feed.tier.all")}</option>
            {data.tiers.map((tier) => (
              <option key={tier.id} value={tier.id}>
                {locale === "ru" ? tier.nameRu : tier.nameEn}
              </option>
            ))}
          </select>
          <FieldErrors id={fields.tier.errorId} errors={fields.tier.errors} />
        </div>
        <div className="field">
          <label htmlFor={fields.segment.id} className="label">
            {t("touches.feed.segment")}
          </label>
          <select {...getSelectProps(fields.segment)} key={fields.segment.key} className="input">
            <option value="">{t("touches.feed.segment.all")}</option>
            {data.segments.map((segment) => (
              <option key={segment.id} value={segment.id}>
                {segment.name}
              </option>
            ))}
          </select>
          <FieldErrors id={fields.segment.errorId} errors={fields.segment.errors} />
        </div>
        <div className="field">
          <label htmlFor={fields.from.id} className="label">
            {t("touches.feed.from")}
          </label>
          <input {...getInputProps(fields.from, { type: "date" })} key={fields.from.key} className="input" />
          <FieldErrors id={fields.from.errorId} errors={fields.from.errors} />
        </div>
        <div className="field">
          <label htmlFor={fields.to.id} className="label">
            {t("touches.feed.to")}
          </label>
          <input {...getInputProps(fields.to, { type: "date" })} key={fields.to.key} className="input" />
          <FieldErrors id={fields.to.errorId} errors={fields.to.errors} />
        </div>
      </div>
      <p className="help">{t("touches.feed.datesHint", { timeZone: data.timeZone })}</p>
      <FieldErrors id={fields.before.errorId} errors={fields.before.errors} />
      <button type="submit" className="btn btn-secondary">
        {t("touches.feed.apply")}
      </button>
    </Form>
  );
}

function ReplyForm({ answer, lastResult }: { answer: FeedAnswer; lastResult?: SubmissionResult<string[]> }) {
  const t = useT();
  const navigation = useNavigation();
  const [form, fields] = useForm({
    id: `reply-${answer.id}`,
    lastResult,
    onValidate: ({ formData }) => parseWithZod(formData, { schema: ReplySchema }),
    ...FORM_VALIDATION,
  });
  const busy = navigation.state === "submitting" && navigation.formData?.get("responseId") === answer.id;
  const name = memberName(answer.member.name, t);
  return (
    <Form method="post" {...getFormProps(form)} className="mt-3 space-y-2">
      <input type="hidden" name="responseId" value={answer.id} />
      <FormErrors id={form.errorId} errors={form.errors} />
      <TextAreaField
        field={fields.body}
        label={t("touches.feed.replyLabel", { name })}
        rows={3}
        help={t("touches.feed.replyHelp", { language: t(`touches.feed.language.${answer.member.locale}` as MessageKey) })}
      />
      <button type="submit" className="btn btn-primary" disabled={busy}>
        {t("touches.feed.send")}
      </button>
    </Form>
  );
}

function AnswerCard({ answer, data, actionData }: { answer: FeedAnswer; data: FeedPageData; actionData?: ReplyActionData }) {
  const t = useT();
  const locale = useLocale();
  const tier = data.tiers.find((candidate) => candidate.id === answer.tierId);
  const name = memberName(answer.member.name, t);
  return (
    <li id={`answer-${answer.id}`} className="card">
      <article aria-labelledby={`answer-${answer.id}-title`} className="space-y-2">
        <h3 id={`answer-${answer.id}-title`} className="text-base">
          {answer.member.erased ? name : <Link to={`/admin/members/${answer.member.id}#touch-map`}>{name}</Link>}
          {" · "}
          <span className={answer.score <= 6 ? "text-red-800" : answer.score >= 9 ? "text-green-800" : ""}>{t("touches.feed.score", { score: answer.score })}</span>
        </h3>
        <p className="text-sm text-slate-700">
          {tier ? (locale === "ru" ? tier.nameRu : tier.nameEn) : t("touches.feed.noTier")} ·{" "}
          <time dateTime={answer.createdAt}>{formatDateTime(locale, answer.createdAt, data.timeZone)}</time>
          {answer.member.erased ? ` · ${t("touches.feed.formerMember")}` : null}
        </p>
        <blockquote className="whitespace-pre-line border-l-4 border-slate-300 pl-3 wrap-anywhere">{answer.comment}</blockquote>
        <h4 className="text-sm font-semibold">{t("touches.feed.replies")}</h4>
        {answer.replies.length ? (
          <ul className="space-y-2 text-sm">
            {answer.replies.map((reply) => (
              <li key={reply.id}>
                <span className="text-slate-700">
                  {t("touches.feed.replyBy", {
                    name: reply.staffId ? memberName(reply.staffName, t) : t("touches.staff.unknown"),
                    date: formatDateTime(locale, reply.createdAt, data.timeZone),
                  })}
                </span>
                <span className="block whitespace-pre-line wrap-anywhere">{reply.body}</span>
              </li>
            ))}
          </ul>
        ) : (
          <p className="text-sm text-slate-700">{t("touches.feed.noReplies")}</p>
        )}
        {data.replied === answer.id ? (
          <p role="status" className="text-sm font-medium text-green-800">
            {t("touches.feed.sent", { name })}
          </p>
        ) : null}
        {answer.member.erased ? (
          <p className="text-sm text-slate-700">{t("touches.feed.cannotReply")}</p>
        ) : (
          <>
            {answer.member.deactivated ? <p className="text-sm text-slate-700">{t("touches.feed.deactivated")}</p> : null}
            <ReplyForm key={`${answer.id}:${answer.replies.length}`} answer={answer} lastResult={actionData?.responseId === answer.id ? actionData.result : undefined} />
          </>
        )}
      </article>
    </li>
  );
}

export function NpsFeedView({ data, actionData }: { data: FeedPageData; actionData?: ReplyActionData }) {
  const t = useT();
  const feed = data.feed;
  // A refusal about an answer this page does not show (gone since the page was opened) has no card to sit in.
  const unlisted = actionData && !feed?.answers.some((answer) => answer.id === actionData.responseId) ? actionData : undefined;
  return (
    <div className="mx-auto max-w-4xl space-y-6">
      <p>
        <Link to="/admin/metrics">{t("touches.feed.back")}</Link>
      </p>
      <h1>{t("touches.feed.title")}</h1>
      <p className="text-slate-700">{t("touches.feed.intro")}</p>
      <Filters data={data} />
      <FormErrors
        id="reply-unlisted-error"
        errors={unlisted ? Object.values(unlisted.result.error ?? {}).flatMap((errors) => errors ?? []) : undefined}
      />
      {feed ? (
        <section aria-labelledby="comments-title" className="space-y-4">
          <h2 id="comments-title">{t("touches.feed.count", { count: feed.total })}</h2>
          {feed.answers.length ? (
            <ul className="space-y-4">
              {feed.answers.map((answer) => (
                <AnswerCard key={answer.id} answer={answer} data={data} actionData={actionData} />
              ))}
            </ul>
          ) : (
            <p className="card">{t("touches.feed.empty")}</p>
          )}
          <nav aria-label={t("touches.feed.pages")} className="flex gap-4 text-sm">
            {feed.newest ? <Link to={feed.newest}>{t("touches.feed.newest")}</Link> : null}
            {feed.older ? <Link to={feed.older}>{t("touches.feed.older")}</Link> : null}
          </nav>
        </section>
      ) : null}
    </div>
  );
}
