import { parseWithZod } from "@conform-to/zod/v4";
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { Link, useActionData, useLoaderData, useRouteLoaderData } from "@remix-run/react";
import { readForm, requireUser, safeRedirectTo } from "~/auth/guards.server";
import { translator } from "~/i18n/dictionary";
import { metaTranslator, useT } from "~/i18n/i18n";
import { SurveySchema } from "~/metrics/survey";
import { answerSurvey, dismissSurvey, isSurveyDue, SurveyNotDue } from "~/metrics/survey.server";
import { SurveyForm, type SurveyActionData } from "~/metrics/survey-prompt";
import type { RootLoaderData } from "~/root";

// Refusals render inside the layout, in the reader's language (docs/architecture.md, "Requests").
export { ErrorPage as ErrorBoundary } from "~/ui/error-page";

export const meta: MetaFunction = ({ matches }) => [{ title: metaTranslator(matches).t("metrics.survey.label") }];

/** The survey as a page: where the layout prompt lands without JavaScript, and a direct link. */
export async function loader({ request }: LoaderFunctionArgs) {
  const viewer = await requireUser(request);
  const url = new URL(request.url);
  const done = url.searchParams.get("done");
  return {
    due: await isSurveyDue(viewer),
    done: done === "answered" || done === "dismissed" ? done : null,
    back: safeRedirectTo(url.searchParams.get("back"), "/"),
  };
}

export async function action({ request }: ActionFunctionArgs) {
  const viewer = await requireUser(request);
  const formData = await readForm(request);
  const enhanced = formData.get("enhanced") === "1";
  const back = safeRedirectTo(formData.get("redirectTo"), "/");
  const finish = (done: "answered" | "dismissed") =>
    enhanced ? data<SurveyActionData>({ done }) : redirect(`/survey?done=${done}&back=${encodeURIComponent(back)}`);
  try {
    if (formData.get("intent") === "dismiss") {
      await dismissSurvey(viewer);
      return finish("dismissed");
    }
    const submission = parseWithZod(formData, { schema: SurveySchema });
    if (submission.status !== "success") return data<SurveyActionData>({ result: submission.reply(), back }, { status: 400 });
    await answerSurvey(viewer, submission.value);
    return finish("answered");
  } catch (error) {
    if (!(error instanceof SurveyNotDue)) throw error;
    if (enhanced) return data<SurveyActionData>({ done: "not-due" }, { status: 409 });
    throw new Response(translator(viewer.user.locale)("metrics.survey.notDue"), { status: 409 });
  }
}

export default function Survey() {
  const loaded = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const { due, done } = loaded;
  // After a refused answer posted from another page, keep the way back to that page.
  const back = actionData?.back ?? loaded.back;
  const root = useRouteLoaderData<RootLoaderData>("root");
  const t = useT();
  return (
    <div className="mx-auto max-w-2xl space-y-6">
      <h1>{t("metrics.survey.label")}</h1>
      {done ? (
        <p role="status" className="card">
          {done === "answered" ? t("metrics.survey.thanks") : t("metrics.survey.dismissed")}
        </p>
      ) : due ? (
        <div className="card space-y-4">
          <p className="text-slate-700">{t("metrics.survey.pageIntro")}</p>
          <SurveyForm clubName={root?.club.name ?? ""} redirectTo={back} lastResult={actionData?.result} idPrefix="page" />
        </div>
      ) : (
        <p className="card">{t("metrics.survey.notDue")}</p>
      )}
      <p>
        <Link to={back}>{t("metrics.survey.back")}</Link>
      </p>
    </div>
  );
}
