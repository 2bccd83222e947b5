import { getFormProps, useForm, type SubmissionResult } from "@conform-to/react";
import { parseWithZod } from "@conform-to/zod/v4";
import { Form, Link, useNavigation } from "@remix-run/react";
import { formatDate, formatDateTime, useLocale, useT, type MessageKey } from "~/i18n/i18n";
import { FieldErrors, FORM_VALIDATION, FormErrors, TextAreaField } from "~/ui/form";
import { memberName } from "~/ui/member-name";
import type { OpenTask } from "~/touches/tasks.server";
import type { AtRiskPage, FollowUpEntry } from "./at-risk.server";
import type { TierRef } from "./dashboard.server";
import { NoteSchema } from "./follow-up";
import { Pagination, tierName } from "./ui";

export type AtRiskActionData = {
  memberId: string;
  intent: "follow-up" | "contacted" | "note" | "task-done";
  /** For "task-done": the task the refusal is about. */
  taskId?: string;
  result: SubmissionResult<string[]>;
};

export type AtRiskPageData = {
  list: AtRiskPage;
  history: { total: number; page: number; pageCount: number; entries: FollowUpEntry[] };
  tiers: TierRef[];
  isOwner: boolean;
  timeZone: string;
  now: string;
  done: { kind: "sent" | "contacted" | "noted"; memberId: string } | null;
  /** The saved segments, the one the list is narrowed to, and why a requested one was not applied. */
  segments: Array<{ id: string; name: string }>;
  segment: string | null;
  segmentError: string | null;
  /** Open curators' tasks, newest first, and the one just marked done. */
  tasks: { total: number; tasks: OpenTask[] };
  taskDone: string | null;
};

const DAY_MS = 86_400_000;

function days(from: string, now: string) {
  return Math.max(0, Math.floor((new Date(now).getTime() - new Date(from).getTime()) / DAY_MS));
}

export function FollowUpLine({ entry, now, timeZone }: { entry: FollowUpEntry; now: string; timeZone: string }) {
  const t = useT();
  const locale = useLocale();
  const kind = t(`metrics.followUp.kind.${entry.kind}` as MessageKey);
  const daysLeft = Math.max(0, 30 - days(entry.createdAt, now));
  return (
    <>
      <span>{t("metrics.followUp.by", { kind, staff: entry.staffName ?? t("metrics.followUp.formerStaff"), date: formatDateTime(locale, entry.createdAt, timeZone) })}</span>
      {entry.note ? <span className="block whitespace-pre-line text-slate-800">{entry.note}</span> : null}
      {entry.outcome ? (
        <span className={`block text-sm ${entry.outcome === "returned" ? "text-green-800" : "text-slate-700"}`}>
          {t(`metrics.followUp.outcome.${entry.outcome}` as MessageKey, {
            date: entry.returnedAt ? formatDate(locale, entry.returnedAt, { dateStyle: "medium" }, timeZone) : "",
            days: daysLeft,
          })}
        </span>
      ) : null}
    </>
  );
}

function Reasons({ member, now, timeZone }: { member: AtRiskPage["members"][number]; now: string; timeZone: string }) {
  const t = useT();
  const locale = useLocale();
  const date = (iso: string) => formatDate(locale, iso, { dateStyle: "medium" }, timeZone);
  return (
    <ul className="list-disc pl-5 text-slate-800">
      {member.detractor ? <li>{t("metrics.atRisk.reason.detractor", { score: member.score!, date: date(member.answeredAt!) })}</li> : null}
      {member.inactive ? (
        <li>
          {member.lastActiveAt
            ? t("metrics.atRisk.reason.inactive", { date: date(member.lastActiveAt), days: days(member.quietSince, now) })
            : t("metrics.atRisk.reason.neverActive", { date: date(member.joinedAt), days: days(member.quietSince, now) })}
        </li>
      ) : null}
    </ul>
  );
}

function NoteForm({ member, lastResult }: { member: { id: string; name: string }; lastResult?: SubmissionResult<string[]> }) {
  const t = useT();
  const [form, fields] = useForm({
    id: `note-${member.id}`,
    lastResult,
    onValidate: ({ formData }) => parseWithZod(formData, { schema: NoteSchema }),
    ...FORM_VALIDATION,
  });
  return (
    <Form method="post" {...getFormProps(form)} className="mt-3">
      <input type="hidden" name="intent" value="note" />
      <input type="hidden" name="memberId" value={member.id} />
      <TextAreaField field={fields.note} label={t("metrics.atRisk.note", { name: member.name })} rows={2} />
      <button type="submit" className="btn btn-secondary">
        {t("metrics.atRisk.addNote")}
      </button>
    </Form>
  );
}

function MemberCard({
  member,
  data,
  actionData,
}: {
  member: AtRiskPage["members"][number];
  data: AtRiskPageData;
  actionData?: AtRiskActionData;
}) {
  const t = useT();
  const locale = useLocale();
  const navigation = useNavigation();
  const mine = actionData?.memberId === member.id ? actionData : undefined;
  const busy = navigation.state === "submitting" && navigation.formData?.get("memberId") === member.id;
  const done = data.done?.memberId === member.id ? data.done.kind : null;
  return (
    <li id={`member-${member.id}`} className="card">
      <article aria-labelledby={`member-${member.id}-name`} className="grid gap-4 lg:grid-cols-[1fr_1fr_minmax(16rem,1fr)]">
        <div>
          <h3 id={`member-${member.id}-name`}>{member.name}</h3>
          <p className="text-sm text-slate-700">
            {member.email} · {tierName({ locale, t, tiers: data.tiers }, member.tierId)}
          </p>
          <h4 className="mt-3 text-sm font-semibold">{t("metrics.atRisk.reason")}</h4>
          <Reasons member={member} now={data.now} timeZone={data.timeZone} />
          {member.comment ? (
            <div className="mt-3">
              <h4 className="text-sm font-semibold">{t("touches.atRisk.comment")}</h4>
              <p className="text-sm text-slate-700">
                {t("touches.feed.score", { score: member.comment.score })} · {formatDate(locale, member.comment.createdAt, { dateStyle: "medium" }, data.timeZone)}
              </p>
              <blockquote className="mt-1 whitespace-pre-line border-l-4 border-slate-300 pl-3 wrap-anywhere">{member.comment.comment}</blockquote>
              <p className="mt-1 text-sm">
                <Link to={`/admin/metrics/comments?answer=${encodeURIComponent(member.comment.responseId)}#answer-${member.comment.responseId}`}>
                  {t("touches.atRisk.replyLink")}
                </Link>
              </p>
            </div>
          ) : null}
        </div>
        <div>
          <h4 className="text-sm font-semibold">{t("metrics.atRisk.history")}</h4>
          {member.followUps.length ? (
            <ul className="mt-1 space-y-2 text-sm">
              {member.followUps.map((entry) => (
                <li key={entry.id}>
                  <FollowUpLine entry={entry} now={data.now} timeZone={data.timeZone} />
                </li>
              ))}
            </ul>
          ) : (
            <p className="mt-1 text-sm text-slate-700">{t("metrics.atRisk.noFollowUps")}</p>
          )}
        </div>
        <div>
          <h4 className="text-sm font-semibold">{t("metrics.atRisk.actions")}</h4>
          {done ? (
            <p role="status" className="mt-1 text-sm font-medium text-green-800">
              {t(done === "sent" ? "metrics.atRisk.sent" : done === "contacted" ? "metrics.atRisk.contacted" : "metrics.atRisk.noted", { name: member.name })}
            </p>
          ) : null}
          {mine && mine.intent !== "note" ? <FormErrors id={`member-${member.id}-error`} errors={mine.result.error?.[""] ?? undefined} /> : null}
          <div className="mt-2 flex flex-wrap gap-2">
            <Form method="post">
              <input type="hidden" name="memberId" value={member.id} />
              <button type="submit" name="intent" value="follow-up" className="btn btn-primary" disabled={busy}>
                {t("metrics.atRisk.sendFollowUp", { name: member.name })}
              </button>
            </Form>
            <Form method="post">
              <input type="hidden" name="memberId" value={member.id} />
              <button type="submit" name="intent" value="contacted" className="btn btn-secondary" disabled={busy}>
                {t("metrics.atRisk.markContacted", { name: member.name })}
              </button>
            </Form>
          </div>
          <NoteForm member={member} lastResult={mine?.intent === "note" ? mine.result : undefined} />
        </div>
      </article>
    </li>
  );
}

/** Narrows the list (and its CSV) to a saved segment's members: a GET form that works without JavaScript. */
function SegmentFilter({ data }: { data: AtRiskPageData }) {
  const t = useT();
  if (!data.segments.length && !data.segmentError) return null;
  return (
    <Form method="get" className="flex flex-wrap items-end gap-3">
      <div className="field">
        <label htmlFor="at-risk-segment" className="label">
          {t("touches.atRisk.segment")}
        </label>
        <select
          id="at-risk-segment"
          name="segment"
          defaultValue={data.segment ?? ""}
          className="input"
          aria-invalid={data.segmentError ? true : undefined}
          aria-describedby={data.segmentError ? "at-risk-segment-error" : undefined}
        >
          <option value="">{t("touches.atRisk.segment.all")}</option>
          {data.segments.map((segment) => (
            <option key={segment.id} value={segment.id}>
              {segment.name}
            </option>
          ))}
        </select>
        <FieldErrors id="at-risk-segment-error" errors={data.segmentError ? [data.segmentError] : undefined} />
      </div>
      <button type="submit" className="btn btn-secondary">
        {t("touches.atRisk.segment.apply")}
      </button>
    </Form>
  );
}

/** Open curators' tasks, newest first, each with a "Done" button (a form of its own). */
function CuratorTasks({ data, actionData }: { data: AtRiskPageData; actionData?: AtRiskActionData }) {
  const t = useT();
  const locale = useLocale();
  const navigation = useNavigation();
  const { tasks, total } = data.tasks;
  return (
    <section id="curator-tasks" aria-labelledby="curator-tasks-title" className="space-y-3">
      <h2 id="curator-tasks-title">{t("touches.tasks.title")}</h2>
      <p className="text-slate-700">{t("touches.tasks.intro")}</p>
      {data.taskDone ? (
        <p role="status" className="text-sm font-medium text-green-800">
          {t("touches.tasks.completedPlain")}
        </p>
      ) : null}
      {actionData && !tasks.some((task) => task.id === actionData.taskId) ? (
        <FormErrors id="curator-task-error" errors={actionData.result.error?.[""] ?? undefined} />
      ) : null}
      {tasks.length ? (
        <ul className="space-y-3">
          {tasks.map((task) => {
            const name = memberName(task.member.name, t);
            const mine = actionData?.taskId === task.id ? actionData : undefined;
            const busy = navigation.state === "submitting" && navigation.formData?.get("taskId") === task.id;
            return (
              <li key={task.id} id={`task-${task.id}`} className="card grid gap-2 sm:grid-cols-[1fr_auto] sm:items-start">
                <div>
                  <p className="font-medium">
                    <Link to={`/admin/members/${task.member.id}#touch-map`}>{name}</Link>
                  </p>
                  <p className="whitespace-pre-line wrap-anywhere">{task.note}</p>
                  <p className="text-sm text-slate-700">
                    {task.playbook ? t("touches.tasks.playbook", { playbook: task.playbook.name }) : t("touches.tasks.noPlaybook")} ·{" "}
                    {t("touches.tasks.created", { date: formatDateTime(locale, task.createdAt, data.timeZone) })} ·{" "}
                    {task.assignee ? t("touches.tasks.assignee", { name: memberName(task.assignee.name, t) }) : t("touches.tasks.anyCurator")}
                  </p>
                  {mine ? <FormErrors id={`task-${task.id}-error`} errors={mine.result.error?.[""] ?? undefined} /> : null}
                </div>
                <Form method="post">
                  <input type="hidden" name="taskId" value={task.id} />
                  <button type="submit" name="intent" value="task-done" className="btn btn-secondary" disabled={busy} aria-label={t("touches.tasks.doneFor", { name })}>
                    {t("touches.tasks.done")}
                  </button>
                </Form>
              </li>
            );
          })}
        </ul>
      ) : (
        <p className="card">{t("touches.tasks.empty")}</p>
      )}
      {total > tasks.length ? <p className="text-sm text-slate-700">{t("touches.tasks.more", { shown: tasks.length, count: total })}</p> : null}
    </section>
  );
}

export function AtRiskView({ data, actionData }: { data: AtRiskPageData; actionData?: AtRiskActionData }) {
  const t = useT();
  const { list, history } = data;
  // A refusal about someone the list no longer shows (they left the club, or stopped being at
  // risk, after the page was opened; without JavaScript the list is read again) has no card to
  // sit in: it goes above the list.
  const unlisted =
    actionData && actionData.intent !== "task-done" && !list.members.some((member) => member.id === actionData.memberId) ? actionData : undefined;
  const href = (params: Record<string, number>) => {
    const search = new URLSearchParams({ page: String(list.page), history: String(history.page) });
    if (data.segment) search.set("segment", data.segment);
    for (const [key, value] of Object.entries(params)) search.set(key, String(value));
    return `?${search}`;
  };
  return (
    <div className="space-y-10">
      <header className="space-y-2">
        <p>
          <Link to="/admin/metrics">{t("metrics.atRisk.backToDashboard")}</Link>
        </p>
        <h1>{t("metrics.atRisk.title")}</h1>
        <p className="text-slate-700">{t("metrics.atRisk.intro")}</p>
        <p className="flex flex-wrap gap-4">
          <a href={`/admin/metrics.csv?table=at-risk${data.segment ? `&segment=${encodeURIComponent(data.segment)}` : ""}`} download>
            {t("metrics.export.csvOf", { table: t("metrics.atRisk.csv") })}
          </a>
          {data.isOwner ? <Link to="/admin/metrics/follow-up">{t("metrics.atRisk.editTemplate")}</Link> : null}
        </p>
      </header>
      <SegmentFilter data={data} />
      <CuratorTasks data={data} actionData={actionData?.intent === "task-done" ? actionData : undefined} />
      <section aria-labelledby="at-risk-list-title" className="space-y-4">
        <h2 id="at-risk-list-title">
          {t("metrics.atRisk.total")}: {list.total}
        </h2>
        <p className="text-slate-700">
          {t("metrics.atRisk.detractors")}: {list.detractors} · {t("metrics.atRisk.inactive")}: {list.inactive}
        </p>
        <FormErrors id="at-risk-error" errors={unlisted ? Object.values(unlisted.result.error ?? {}).flatMap((errors) => errors ?? []) : undefined} />
        {list.members.length ? (
          <ul className="space-y-4">
            {list.members.map((member) => (
              <MemberCard key={member.id} member={member} data={data} actionData={actionData} />
            ))}
          </ul>
        ) : (
          <p className="card">{t("metrics.atRisk.empty")}</p>
        )}
        <Pagination page={list.page} pageCount={list.pageCount} href={(page) => href({ page })} />
      </section>
      <section aria-labelledby="follow-up-history-title" className="space-y-4">
        <h2 id="follow-up-history-title">{t("metrics.history.title")}</h2>
        <p className="text-slate-700">{t("metrics.history.intro")}</p>
        {history.entries.length ? (
          <div className="overflow-x-auto">
            <table className="table">
              <caption className="metrics-caption">{t("metrics.history.title")}</caption>
              <thead>
                <tr>
                  <th scope="col">{t("metrics.atRisk.member")}</th>
                  <th scope="col">{t("metrics.col.kind")}</th>
                  <th scope="col">{t("metrics.col.wasDetractor")}</th>
                  <th scope="col">{t("metrics.col.wasInactive")}</th>
                </tr>
              </thead>
              <tbody>
                {history.entries.map((entry) => (
                  <tr key={entry.id}>
                    <th scope="row" className="font-medium">
                      {entry.member.name}
                    </th>
                    <td>
                      <FollowUpLine entry={entry} now={data.now} timeZone={data.timeZone} />
                    </td>
                    <td>{entry.wasDetractor ? t("metrics.yes") : t("metrics.no")}</td>
                    <td>{entry.wasInactive ? t("metrics.yes") : t("metrics.no")}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        ) : (
          <p className="card">{t("metrics.history.empty")}</p>
        )}
        <Pagination page={history.page} pageCount={history.pageCount} href={(page) => href({ history: page })} />
        <p>
          <a href="/admin/metrics.csv?table=follow-ups" download>
            {t("metrics.export.csvOf", { table: t("metrics.history.csv") })}
          </a>
        </p>
      </section>
    </div>
  );
}
