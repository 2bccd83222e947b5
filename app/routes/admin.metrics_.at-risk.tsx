import { parseWithZod } from "@conform-to/zod/v4";
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { useActionData, useLoaderData } from "@remix-run/react";
import { metaTranslator } from "~/i18n/i18n";
import { badRequest, readForm, requireStaff } from "~/auth/guards.server";
import { getClubSettings } from "~/club.server";
import { db } from "~/db.server";
import { addNote, atRiskPage, followUpHistory, FollowUpRefused, markContacted, sendFollowUp } from "~/metrics/at-risk.server";
import { AtRiskView, type AtRiskActionData, type AtRiskPageData } from "~/metrics/at-risk-view";
import { ContactSchema, NoteSchema } from "~/metrics/follow-up";
import { segmentOptions, segmentRestriction } from "~/touches/segment-choice.server";
import { TaskDoneSchema } from "~/touches/tasks";
import { completeTask, openTasks } from "~/touches/tasks.server";

export { ErrorPage as ErrorBoundary } from "~/ui/error-page";

export const meta: MetaFunction = ({ matches }) => [{ title: metaTranslator(matches).t("metrics.atRisk.title") }];

const pageParam = (value: string | null) => Math.max(1, Math.min(10_000, Number.parseInt(value ?? "1", 10) || 1));

/** The at-risk list: curators and owners follow members up here. */
export async function loader({ request }: LoaderFunctionArgs) {
  const { user } = await requireStaff(request);
  const url = new URL(request.url);
  const now = new Date();
  // `segment`: only a saved segment's members. An unknown one is said at the select, and the whole list shown.
  const segmentId = url.searchParams.get("segment")?.slice(0, 64) || null;
  const segment = await segmentRestriction(segmentId ?? undefined, now);
  const [list, history, tiers, club, segments, tasks] = await Promise.all([
    atRiskPage({ page: pageParam(url.searchParams.get("page")), now, members: segment.ok ? segment.members : null }),
    followUpHistory({ page: pageParam(url.searchParams.get("history")), now }),
    db.tier.findMany({ orderBy: { position: "asc" }, select: { id: true, slug: true, nameEn: true, nameRu: true, position: true } }),
    getClubSettings(),
    segmentOptions(),
    openTasks(),
  ]);
  const done = url.searchParams.get("done");
  const memberId = url.searchParams.get("member");
  const page: AtRiskPageData = {
    list,
    history,
    tiers,
    isOwner: user.role === "OWNER",
    timeZone: club.timeZone,
    now: now.toISOString(),
    done: memberId && (done === "sent" || done === "contacted" || done === "noted") ? { kind: done, memberId } : null,
    segments,
    segment: segment.ok ? segmentId : null,
    segmentError: segment.ok ? null : "touches.atRisk.segment.unknown",
    tasks,
    taskDone: done === "task" ? (url.searchParams.get("task") ?? null) : null,
  };
  return page;
}

export async function action({ request }: ActionFunctionArgs) {
  const { user } = await requireStaff(request);
  const formData = await readForm(request);
  const intent = formData.get("intent");
  const url = new URL(request.url);
  const segment = url.searchParams.get("segment");
  const back = (kind: string, memberId: string) => {
    const search = new URLSearchParams({ page: url.searchParams.get("page") ?? "1", done: kind, member: memberId });
    if (segment) search.set("segment", segment);
    return redirect(`/admin/metrics/at-risk?${search}#member-${memberId}`);
  };
  if (intent === "task-done") {
    const submission = parseWithZod(formData, { schema: TaskDoneSchema });
    if (submission.status !== "success") throw badRequest();
    const outcome = await completeTask(user.id, submission.value.taskId);
    if (!outcome.ok) {
      return data<AtRiskActionData>(
        { memberId: "", taskId: submission.value.taskId, intent: "task-done", result: submission.reply({ formErrors: [outcome.message] }) },
        { status: outcome.status },
      );
    }
    const search = new URLSearchParams({ page: url.searchParams.get("page") ?? "1", done: "task", task: submission.value.taskId });
    if (segment) search.set("segment", segment);
    return redirect(`/admin/metrics/at-risk?${search}#curator-tasks`);
  }
  if (intent === "note") {
    const submission = parseWithZod(formData, { schema: NoteSchema });
    if (submission.status !== "success") {
      return data<AtRiskActionData>({ memberId: String(formData.get("memberId") ?? ""), intent: "note", result: submission.reply() }, { status: 400 });
    }
    try {
      await addNote(submission.value.memberId, user, submission.value.note);
    } catch (error) {
      if (!(error instanceof FollowUpRefused)) throw error;
      return data<AtRiskActionData>(
        { memberId: submission.value.memberId, intent: "note", result: submission.reply({ formErrors: [error.messageKey] }) },
        { status: error.status },
      );
    }
    return back("noted", submission.value.memberId);
  }
  const submission = parseWithZod(formData, { schema: ContactSchema });
  if (submission.status !== "success") throw badRequest();
  const { memberId } = submission.value;
  try {
    if (submission.value.intent === "follow-up") await sendFollowUp(memberId, user);
    else await markContacted(memberId, user);
  } catch (error) {
    if (!(error instanceof FollowUpRefused)) throw error;
    return data<AtRiskActionData>(
      { memberId, intent: submission.value.intent, result: submission.reply({ formErrors: [error.messageKey] }) },
      { status: error.status },
    );
  }
  return back(submission.value.intent === "follow-up" ? "sent" : "contacted", memberId);
}

export default function AtRisk() {
  const loaderData = useLoaderData<typeof loader>() as AtRiskPageData;
  const actionData = useActionData<typeof action>() as AtRiskActionData | undefined;
  return <AtRiskView data={loaderData} actionData={actionData} />;
}
