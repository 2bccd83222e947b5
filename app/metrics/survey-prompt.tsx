import { getFormProps, getTextareaProps, useForm, type SubmissionResult } from "@conform-to/react";
import { parseWithZod } from "@conform-to/zod/v4";
import { Form, useFetcher, useLocation } from "@remix-run/react";
import { useEffect, useState } from "react";
import { useT } from "~/i18n/i18n";
import { FieldErrors } from "~/ui/form";
import { SURVEY_SCORES, SurveySchema } from "./survey";

/** What POST /survey answers a script-driven submission with. */
export type SurveyActionData = { result?: SubmissionResult<string[]>; done?: "answered" | "dismissed" | "not-due"; back?: string };

/** True once React runs in the browser; forms then ask the action for data instead of a redirect. */
function useHydrated() {
  const [hydrated, setHydrated] = useState(false);
  useEffect(() => setHydrated(true), []);
  return hydrated;
}

/**
 * The NPS question: a 0–10 scale as radio buttons in a fieldset, an optional comment, and
 * "Send my answer". Posts to /survey; works without JavaScript (the action redirects), and
 * with it through a fetcher, so the page the member is on stays put.
 */
export function SurveyForm({
  clubName,
  redirectTo,
  lastResult,
  fetcher,
  idPrefix,
}: {
  clubName: string;
  redirectTo: string;
  lastResult?: SubmissionResult<string[]> | null;
  fetcher?: ReturnType<typeof useFetcher<SurveyActionData>>;
  idPrefix: string;
}) {
  const t = useT();
  const hydrated = useHydrated();
  const [form, fields] = useForm({
    id: `${idPrefix}-survey`,
    lastResult,
    onValidate: ({ formData }) => parseWithZod(formData, { schema: SurveySchema }),
    shouldValidate: "onSubmit",
    shouldRevalidate: "onInput",
  });
  const FormComponent = fetcher ? fetcher.Form : Form;
  const scaleId = `${form.id}-scale`;
  const score = fields.score;
  return (
    <FormComponent method="post" action="/survey" {...getFormProps(form)} className="space-y-3">
      <input type="hidden" name="intent" value="answer" />
      <input type="hidden" name="redirectTo" value={redirectTo} />
      {hydrated && fetcher ? <input type="hidden" name="enhanced" value="1" /> : null}
      <fieldset aria-describedby={`${scaleId}${score.errors ? ` ${score.errorId}` : ""}`}>
        <legend className="font-semibold text-slate-900">{t("metrics.survey.question", { club: clubName })}</legend>
        <p id={scaleId} className="help">
          {t("metrics.survey.scale")}
        </p>
        <div className="mt-2 flex flex-wrap gap-1">
          {SURVEY_SCORES.map((n) => (
            <label key={n} className="survey-score">
              <input
                type="radio"
                name={score.name}
                value={String(n)}
                defaultChecked={score.initialValue === String(n)}
                aria-invalid={score.errors ? true : undefined}
              />
              <span>{n}</span>
            </label>
          ))}
        </div>
        <FieldErrors id={score.errorId} errors={score.errors} />
      </fieldset>
      <div>
        <label htmlFor={fields.comment.id} className="label">
          {t("metrics.survey.comment")}
        </label>
        <textarea {...getTextareaProps(fields.comment)} key={fields.comment.key} rows={2} className="input" />
        <FieldErrors id={fields.comment.errorId} errors={fields.comment.errors} />
      </div>
      <button type="submit" className="btn btn-primary">
        {t("metrics.survey.submit")}
      </button>
    </FormComponent>
  );
}

function DismissForm({ redirectTo, fetcher }: { redirectTo: string; fetcher: ReturnType<typeof useFetcher<SurveyActionData>> }) {
  const t = useT();
  const hydrated = useHydrated();
  return (
    <fetcher.Form method="post" action="/survey" className="flex flex-wrap items-center gap-2">
      <input type="hidden" name="intent" value="dismiss" />
      <input type="hidden" name="redirectTo" value={redirectTo} />
      {hydrated ? <input type="hidden" name="enhanced" value="1" /> : null}
      <button type="submit" className="btn btn-secondary">
        {t("metrics.survey.dismiss")}
      </button>
      <span className="text-sm text-slate-700">{t("metrics.survey.dismissHelp")}</span>
    </fetcher.Form>
  );
}

/**
 * The layout's survey prompt for members who are due: a band under the header, never a
 * dialog, so the page stays usable. It disappears once answered or dismissed.
 */
export function SurveyPrompt({ due, clubName }: { due: boolean; clubName: string }) {
  const t = useT();
  const location = useLocation();
  const answer = useFetcher<SurveyActionData>({ key: "nps-survey" });
  const dismiss = useFetcher<SurveyActionData>({ key: "nps-survey-dismiss" });
  const done = answer.data?.done ?? dismiss.data?.done;
  // /survey shows the same question as its page.
  if ((!due && !done) || location.pathname === "/survey") return null;
  const redirectTo = `${location.pathname}${location.search}`;
  return (
    <aside aria-labelledby="nps-survey-label" className="border-b border-indigo-200 bg-indigo-50">
      <div className="mx-auto max-w-6xl px-4 py-4">
        <p id="nps-survey-label" className="text-sm font-semibold uppercase tracking-wide text-indigo-900">
          {t("metrics.survey.label")}
        </p>
        {done ? (
          <p role="status" className="mt-1 text-slate-900">
            {done === "answered" ? t("metrics.survey.thanks") : done === "dismissed" ? t("metrics.survey.dismissed") : t("metrics.survey.notDue")}
          </p>
        ) : (
          <div className="mt-2 grid gap-4 md:grid-cols-[1fr_auto] md:items-end">
            <SurveyForm clubName={clubName} redirectTo={redirectTo} lastResult={answer.data?.result} fetcher={answer} idPrefix="layout" />
            <DismissForm redirectTo={redirectTo} fetcher={dismiss} />
          </div>
        )}
      </div>
    </aside>
  );
}
