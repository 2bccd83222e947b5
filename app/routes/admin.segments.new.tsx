import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useActionData, useLoaderData } from "@remix-run/react";
import { requireRole } from "~/auth/guards.server";
import { getClubSettings } from "~/club.server";
import { metaTranslator, useT } from "~/i18n/i18n";
import { segmentFigures, submitSegmentForm } from "~/segments/page.server";
import { SegmentFigures, SegmentForm } from "~/segments/segment-form";
import { segmentChoices } from "~/segments/segments.server";

export { ErrorPage as ErrorBoundary } from "~/ui/error-page";

export const meta: MetaFunction = ({ matches }) => [{ title: metaTranslator(matches).t("segments.newTitle") }];

/** /admin/segments/new: an empty filter (every current member) to narrow, preview and save. Owners only. */
export async function loader({ request }: LoaderFunctionArgs) {
  await requireRole(request, "OWNER");
  const [choices, club, figures] = await Promise.all([segmentChoices(), getClubSettings(), segmentFigures({})]);
  return { ...choices, timeZone: club.timeZone, ...figures };
}

export async function action({ request }: ActionFunctionArgs) {
  const { user } = await requireRole(request, "OWNER");
  return submitSegmentForm(request, user.id);
}

export default function NewSegment() {
  const { tiers, vouchers, timeZone, count, sample } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const t = useT();
  const preview = actionData?.preview ?? null;
  return (
    <div className="mx-auto max-w-4xl space-y-6">
      <p className="text-sm">
        <Link to="/admin/segments">{t("segments.back")}</Link>
      </p>
      <h1>{t("segments.newTitle")}</h1>
      <SegmentForm lastResult={actionData?.result} name="" filter={{}} tiers={tiers} vouchers={vouchers} />
      <SegmentFigures preview={preview} count={count} sample={sample} timeZone={timeZone} />
    </div>
  );
}
