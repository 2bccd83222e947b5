import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useSearchParams } from "@remix-run/react";
import { notFound, requireRole, requireStaff } from "~/auth/guards.server";
import { getClubSettings } from "~/club.server";
import { translator } from "~/i18n/dictionary";
import { metaTranslator, useT } from "~/i18n/i18n";
import { resolveLocale } from "~/i18n/locale.server";
import { describeFilter } from "~/segments/describe";
import { segmentFigures, submitSegmentForm } from "~/segments/page.server";
import { SegmentFigures, SegmentForm } from "~/segments/segment-form";
import { getSegment, segmentChoices } from "~/segments/segments.server";
import { memberName } from "~/ui/member-name";

export { ErrorPage as ErrorBoundary } from "~/ui/error-page";

export const meta: MetaFunction = ({ matches, data }) => {
  const name = (data as { segment?: { name: string } } | undefined)?.segment?.name ?? "";
  return [{ title: metaTranslator(matches).t("segments.editTitle", { name }) }];
};

/** /admin/segments/:segmentId: the segment's live count and sample, its CSV; owners edit and delete it, curators read. */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const { user } = await requireStaff(request);
  const segment = await getSegment(params.segmentId ?? "");
  if (!segment) throw notFound();
  const [choices, club, figures, locale] = await Promise.all([segmentChoices(), getClubSettings(), segmentFigures(segment.filter), resolveLocale(request, user.locale)]);
  const t = translator(locale);
  return {
    segment,
    words: segment.filter ? describeFilter(segment.filter, { t, locale, ...choices, memberName: (name) => memberName(name, t) }) : t("segments.broken"),
    canEdit: user.role === "OWNER",
    ...choices,
    timeZone: club.timeZone,
    ...figures,
  };
}

export async function action({ request, params }: ActionFunctionArgs) {
  const { user } = await requireRole(request, "OWNER");
  const segment = await getSegment(params.segmentId ?? "");
  if (!segment) throw notFound();
  return submitSegmentForm(request, user.id, segment.id);
}

export default function SegmentPage() {
  const { segment, words, canEdit, tiers, vouchers, timeZone, count, sample } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const [params] = useSearchParams();
  const t = useT();
  const preview = actionData?.preview ?? null;
  const confirming = canEdit && params.get("delete") === "confirm";
  return (
    <div className="mx-auto max-w-4xl space-y-6">
      <p className="text-sm">
        <Link to="/admin/segments">{t("segments.back")}</Link>
      </p>
      <h1>{t("segments.editTitle", { name: segment.name })}</h1>
      <p className="text-slate-700">{words}</p>
      {params.get("saved") && !actionData ? (
        <p role="status" className="text-sm text-green-800">
          {t("segments.form.saved")}
        </p>
      ) : null}
      {actionData?.inUse ? (
        <p role="alert" className="rounded-md border border-red-300 bg-red-50 p-3 text-sm text-red-800">
          {t("segments.delete.inUse", { names: actionData.inUse.join(", ") })}
        </p>
      ) : null}
      <p>
        <a href={`/admin/segments/${segment.id}.csv`} className="btn btn-secondary" download>
          {t("segments.csv")}
        </a>
      </p>
      {canEdit ? (
        <SegmentForm key={segment.updatedAt} lastResult={actionData?.result} name={segment.name} filter={segment.filter ?? {}} tiers={tiers} vouchers={vouchers} />
      ) : (
        <p className="text-sm text-slate-700">{t("segments.readOnly")}</p>
      )}
      <SegmentFigures preview={preview} count={count} sample={sample} timeZone={timeZone} />
      {canEdit ? (
        confirming ? (
          <Form method="post" className="card space-y-3 border-red-300">
            <p>{t("segments.delete.confirm", { name: segment.name })}</p>
            <div className="flex gap-3">
              <button type="submit" name="intent" value="delete" className="btn btn-danger">
                {t("segments.delete.confirmButton")}
              </button>
              <Link to={`/admin/segments/${segment.id}`} className="btn btn-secondary">
                {t("segments.delete.cancel")}
              </Link>
            </div>
          </Form>
        ) : (
          <p>
            <Link to="?delete=confirm" className="text-red-700">
              {t("segments.delete")}
            </Link>
          </p>
        )
      ) : null}
    </div>
  );
}
