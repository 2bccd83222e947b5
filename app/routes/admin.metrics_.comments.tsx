import { parseWithZod } from "@conform-to/zod/v4";
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { useActionData, useLoaderData } from "@remix-run/react";
import { readForm, requireStaff } from "~/auth/guards.server";
import { metaTranslator } from "~/i18n/i18n";
import { ReplySchema } from "~/touches/nps-feed";
import { readFeed, replyToAnswer } from "~/touches/nps-feed.server";
import { NpsFeedView, type FeedPageData, type ReplyActionData } from "~/touches/nps-feed-view";

export { ErrorPage as ErrorBoundary } from "~/ui/error-page";

export const meta: MetaFunction = ({ matches }) => [{ title: metaTranslator(matches).t("touches.feed.title") }];

/** /admin/metrics/comments: survey answers with comments, filtered, with the curators' replies. Staff. */
export async function loader({ request }: LoaderFunctionArgs) {
  await requireStaff(request);
  const params = new URL(request.url).searchParams;
  const read = await readFeed(params);
  const page: FeedPageData = {
    tiers: read.tiers,
    segments: read.segments,
    timeZone: read.timeZone,
    result: read.result,
    feed: read.feed,
    replied: params.get("replied"),
  };
  return read.ok ? page : data(page, { status: 400 });
}

/** A reply to one answer; refused replies come back with the text still in the box and the reason beside it. */
export async function action({ request }: ActionFunctionArgs) {
  const { user } = await requireStaff(request);
  const formData = await readForm(request);
  const submission = parseWithZod(formData, { schema: ReplySchema });
  const responseId = String(formData.get("responseId") ?? "");
  if (submission.status !== "success") return data<ReplyActionData>({ responseId, result: submission.reply() }, { status: 400 });
  const outcome = await replyToAnswer(user, submission.value);
  if (!outcome.ok) {
    const headers: HeadersInit = outcome.retryAfterSeconds ? { "Retry-After": String(outcome.retryAfterSeconds) } : {};
    return data<ReplyActionData>({ responseId, result: submission.reply({ formErrors: [outcome.message] }) }, { status: outcome.status, headers });
  }
  const search = new URL(request.url).searchParams;
  search.delete("replied");
  search.set("replied", submission.value.responseId);
  return redirect(`/admin/metrics/comments?${search}#answer-${submission.value.responseId}`);
}

export default function NpsComments() {
  const loaderData = useLoaderData<typeof loader>() as FeedPageData;
  const actionData = useActionData<typeof action>() as ReplyActionData | undefined;
  return <NpsFeedView data={loaderData} actionData={actionData} />;
}
