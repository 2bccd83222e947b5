import { getFormProps, useForm, type SubmissionResult } from "@conform-to/react";
import { requiredText } from "~/ui/visible-text";
import { getZodConstraint, parseWithZod } from "@conform-to/zod/v4";
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import type { ShouldRevalidateFunction } from "@remix-run/react";
import { data, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation, useSearchParams } from "@remix-run/react";
import { useMemo } from "react";
import { z } from "zod";
import { reviewSchema, SCALE_VALUES, SKIP_SCORE } from "~/admission/application-form";
import { decideApplication, reissueApprovalInvite, saveReview, type Decision } from "~/admission/applications.server";
import { ApplicationStatusBadge, RadioGroup, useFormats } from "~/admission/components";
import { criteriaToScore, reviewPage } from "~/admission/review.server";
import { badRequest, notFound, readForm, requireStaff } from "~/auth/guards.server";
import { ConsentText } from "~/club/consent-summary";
import { applicationConsent } from "~/club/consent.server";
import { translator } from "~/i18n/dictionary";
import { formatDate } from "~/i18n/format";
import { useT, type MessageKey } from "~/i18n/i18n";
import { FORM_VALIDATION, FormErrors, TextAreaField } from "~/ui/form";

const RejectSchema = z.object({
  intent: z.literal("reject"),
  reason: requiredText(2000),
});

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { user } = await requireStaff(request);
  const page = await reviewPage(params.applicationId ?? "", user.id, user.locale);
  if (!page) throw notFound();
  return { application: page, consent: await applicationConsent(page.id) };
}

type ActionResult =
  | { intent: "review"; result: SubmissionResult<string[]>; saved: boolean }
  | { intent: "reject"; result: SubmissionResult<string[]> }
  | { intent: "conflict"; message: string };

export async function action({ request, params }: ActionFunctionArgs) {
  const { user } = await requireStaff(request);
  const id = params.applicationId ?? "";
  const t = translator(user.locale);
  const formData = await readForm(request);
  const intent = formData.get("intent");
  const conflict = (message: string) => data<ActionResult>({ intent: "conflict", message }, { status: 409 });

  if (intent === "review") {
    const criteria = await criteriaToScore(id);
    const submission = parseWithZod(formData, { schema: reviewSchema(criteria) });
    if (submission.status !== "success") return data<ActionResult>({ intent: "review", result: submission.reply(), saved: false }, { status: 400 });
    const result = await saveReview(id, user.id, { scores: submission.value.scores, comment: submission.value.comment });
    if (!result.ok && result.reason === "not-found") throw notFound();
    if (!result.ok) return conflict(t("admission.review.closed"));
    return data<ActionResult>({ intent: "review", result: submission.reply(), saved: true });
  }

  if (intent === "approve" || intent === "waitlist" || intent === "reject") {
    let decision: Decision;
    if (intent === "reject") {
      const submission = parseWithZod(formData, { schema: RejectSchema });
      if (submission.status !== "success") return data<ActionResult>({ intent: "reject", result: submission.reply() }, { status: 400 });
      decision = { kind: "REJECT", reason: submission.value.reason };
    } else {
      decision = { kind: intent === "approve" ? "APPROVE" : "WAITLIST" };
    }
    const result = await decideApplication(id, user.id, decision);
    if (result.ok) throw redirect(`/admin/applications/${id}?done=${decision.kind}`);
    if (result.reason === "not-found") throw notFound();
    const status = t(`admission.status.${result.status}` as MessageKey);
    return conflict(
      result.decidedBy && result.decidedAt
        ? t("admission.review.alreadyDecided", { status, name: result.decidedBy, date: formatDate(user.locale, result.decidedAt, { dateStyle: "long" }) })
        : t("admission.review.alreadyDecidedShort", { status }),
    );
  }

  if (intent === "reissue") {
    const result = await reissueApprovalInvite(id, user.id);
    if (result.ok) throw redirect(`/admin/applications/${id}?reissued=1`);
    if (result.reason === "not-found") throw notFound();
    return conflict(t("admission.review.reissueRefused"));
  }
  throw badRequest();
}

/**
 * A refused action (409: decided meanwhile, review closed) means the page is out of date:
 * reload it, so it shows the current status and no decision buttons. Remix skips the reload
 * after a 4xx on its own.
 */
export const shouldRevalidate: ShouldRevalidateFunction = ({ actionResult, defaultShouldRevalidate }) =>
  (actionResult as ActionResult | undefined)?.intent === "conflict" ? true : defaultShouldRevalidate;

export default function ReviewApplication() {
  const { application, consent } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const [searchParams] = useSearchParams();
  const t = useT();
  const f = useFormats();
  const done = searchParams.get("done");
  const decided = application.status === "APPROVED" || application.status === "REJECTED";
  const canWaitlist = application.status === "NEW" || application.status === "IN_REVIEW";
  const scored = application.criteria.filter((c) => c.average !== null || !c.archived);
  return (
    <div className="space-y-8">
      <p>
        <Link to="/admin/applications">{t("admission.review.back")}</Link>
      </p>
      <div className="flex flex-wrap items-center gap-3">
        <h1 className="wrap-anywhere">{application.name}</h1>
        <ApplicationStatusBadge status={application.status} />
      </div>
      {done === "APPROVE" || done === "REJECT" || done === "WAITLIST" ? (
        <p role="status" className="rounded-md border border-green-300 bg-green-50 p-3 text-green-900">
          {t(`admission.review.done.${done}`)}
        </p>
      ) : null}
      {searchParams.get("reissued") ? (
        <p role="status" className="rounded-md border border-green-300 bg-green-50 p-3 text-green-900">
          {t("admission.review.reissued")}
        </p>
      ) : null}
      {actionData?.intent === "conflict" ? (
        <p role="alert" className="rounded-md border border-red-300 bg-red-50 p-3 text-red-800">
          {actionData.message}
        </p>
      ) : null}

      <section className="card wrap-anywhere" aria-labelledby="applicant">
        <h2 id="applicant" className="mb-3">
          {t("admission.review.details")}
        </h2>
        <dl className="grid grid-cols-[max-content_1fr] gap-x-6 gap-y-2">
          <dt className="font-medium">{t("admission.review.email")}</dt>
          <dd>{application.email}</dd>
          <dt className="font-medium">{t("admission.review.company")}</dt>
          <dd>{application.company}</dd>
          <dt className="font-medium">{t("admission.review.jobTitle")}</dt>
          <dd>{application.jobTitle}</dd>
          <dt className="font-medium">{t("admission.review.submitted")}</dt>
          <dd>{f.dateTime(application.submittedAt)}</dd>
          <dt className="font-medium">{t("admission.review.language")}</dt>
          <dd>{t(`lang.${application.locale}`)}</dd>
          <dt className="font-medium">{t("club.consent.label")}</dt>
          <dd>
            <ConsentText consent={consent} />
          </dd>
          {application.vouchedBy || application.invitedWithCode ? (
            <>
              <dt className="font-medium">{t("admission.review.referral")}</dt>
              <dd className="flex flex-wrap gap-2">
                {application.vouchedBy ? (
                  <span className="badge bg-green-100 text-green-900">{t("admission.queue.vouchedBy", { name: application.vouchedBy })}</span>
                ) : null}
                {application.invitedWithCode ? (
                  <span className="badge">
                    {t("admission.review.invitedWithCode")}
                    {application.invitedWithCode.note ? ` (${application.invitedWithCode.note})` : ""}
                  </span>
                ) : null}
              </dd>
            </>
          ) : null}
        </dl>
      </section>

      <section className="card wrap-anywhere" aria-labelledby="answers">
        <h2 id="answers" className="mb-3">
          {t("admission.review.answers")}
        </h2>
        <dl className="space-y-4">
          {application.criteria.map((criterion) => (
            <div key={criterion.id}>
              <dt className="font-semibold">
                {criterion.title}
                {criterion.archived ? <span className="ml-2 text-sm font-normal text-slate-600">({t("admission.review.archived")})</span> : null}
              </dt>
              <dd className="mt-1 whitespace-pre-line text-slate-800">
                {criterion.answer ?? <span className="text-slate-600">{t("admission.review.noAnswer")}</span>}
              </dd>
            </div>
          ))}
        </dl>
      </section>

      <section className="card overflow-x-auto" aria-labelledby="scores">
        <h2 id="scores" className="mb-1">
          {t("admission.review.scores")}
        </h2>
        <p className="mb-3 text-slate-700">{t("admission.review.reviewerCount", { count: application.reviews.length })}</p>
        {application.reviews.length === 0 ? (
          <p>{t("admission.review.noReviews")}</p>
        ) : (
          <table className="table">
            <thead>
              <tr>
                <th scope="col">{t("admission.review.criterion")}</th>
                {application.reviews.map((review) => (
                  <th key={review.id} scope="col" className="text-right">
                    {review.reviewer}
                  </th>
                ))}
                <th scope="col" className="text-right">
                  {t("admission.review.average")}
                </th>
              </tr>
            </thead>
            <tbody>
              {scored.map((criterion) => (
                <tr key={criterion.id}>
                  <th scope="row" className="font-normal">
                    {criterion.title}
                  </th>
                  {application.reviews.map((review) => (
                    <td key={review.id} className="text-right tabular-nums">
                      {review.scores[criterion.id] ?? "—"}
                    </td>
                  ))}
                  <td className="text-right font-semibold tabular-nums">{criterion.average === null ? "—" : f.score(criterion.average)}</td>
                </tr>
              ))}
              <tr>
                <th scope="row">{t("admission.review.overall")}</th>
                {application.reviews.map((review) => (
                  <td key={review.id} />
                ))}
                <td className="text-right font-bold tabular-nums">{application.overall === null ? "—" : f.score(application.overall)}</td>
              </tr>
            </tbody>
          </table>
        )}
      </section>

      {application.reviews.some((review) => review.comment) ? (
        <section className="card wrap-anywhere" aria-labelledby="reviews">
          <h2 id="reviews" className="mb-3">
            {t("admission.review.reviews")}
          </h2>
          <ul className="space-y-4">
            {application.reviews
              .filter((review) => review.comment)
              .map((review) => (
                <li key={review.id}>
                  <p className="font-semibold">
                    {review.reviewer} <span className="font-normal text-slate-600">· {f.dateTime(review.updatedAt)}</span>
                  </p>
                  <p className="whitespace-pre-line">{review.comment}</p>
                </li>
              ))}
          </ul>
        </section>
      ) : null}

      {decided ? (
        <p className="card">{t("admission.review.closed")}</p>
      ) : (
        <ReviewForm
          criteria={application.criteria.filter((c) => !c.archived)}
          defaults={{ scores: application.myScores, comment: application.myComment }}
          lastResult={actionData?.intent === "review" ? actionData.result : undefined}
          saved={actionData?.intent === "review" && actionData.saved}
        />
      )}

      <section className="card space-y-4 wrap-anywhere" aria-labelledby="decision">
        <h2 id="decision">{t("admission.review.decision")}</h2>
        {application.decisions.length ? (
          <div>
            <h3 className="font-semibold">{t("admission.review.history")}</h3>
            <ul className="mt-1 list-disc pl-6">
              {application.decisions.map((decision) => (
                <li key={decision.id}>
                  {t("admission.review.historyItem", {
                    decision: t(`admission.review.kind.${decision.kind}`),
                    name: decision.by,
                    date: f.dateTime(decision.at),
                  })}
                  {decision.reason ? <p className="whitespace-pre-line text-slate-700">{decision.reason}</p> : null}
                </li>
              ))}
            </ul>
          </div>
        ) : null}
        {application.status === "APPROVED" && application.invite ? (
          <div>
            <h3 className="font-semibold">{t("admission.review.invite")}</h3>
            <p>
              {application.invite.state === "valid"
                ? t("admission.review.invite.valid", { date: f.longDate(application.invite.expiresAt) })
                : application.invite.state === "expired"
                  ? t("admission.review.invite.expired", { date: f.longDate(application.invite.expiresAt) })
                  : t(`admission.review.invite.${application.invite.state}`)}
            </p>
            {application.invite.state === "expired" || application.invite.state === "revoked" ? (
              <Form method="post" className="mt-2">
                <button type="submit" name="intent" value="reissue" className="btn btn-secondary">
                  {t("admission.review.reissue")}
                </button>
              </Form>
            ) : null}
          </div>
        ) : null}
        {!decided ? (
          <DecisionForms canWaitlist={canWaitlist} lastResult={actionData?.intent === "reject" ? actionData.result : undefined} />
        ) : null}
      </section>
    </div>
  );
}

function ReviewForm({
  criteria,
  defaults,
  lastResult,
  saved,
}: {
  criteria: Array<{ id: string; title: string; answered: boolean }>;
  defaults: { scores: Record<string, string>; comment: string };
  lastResult: SubmissionResult<string[]> | undefined;
  saved: boolean;
}) {
  const t = useT();
  const navigation = useNavigation();
  const schema = useMemo(() => reviewSchema(criteria), [criteria]);
  const [form, fields] = useForm<{ intent: "review"; scores: Record<string, string | undefined>; comment?: string }>({
    id: "review",
    lastResult,
    defaultValue: { intent: "review", ...defaults },
    constraint: getZodConstraint(schema),
    onValidate: ({ formData }) => parseWithZod(formData, { schema }),
    ...FORM_VALIDATION,
  });
  const scores = fields.scores.getFieldset();
  return (
    <Form method="post" {...getFormProps(form)} className="card" aria-labelledby="your-review">
      <h2 id="your-review" className="mb-4">
        {t("admission.review.yourReview")}
      </h2>
      <FormErrors id={form.errorId} errors={form.errors} />
      <input type="hidden" name="intent" value="review" />
      {criteria.map((criterion) => (
        <RadioGroup
          key={criterion.id}
          field={scores[criterion.id]}
          legend={t("admission.review.scoreLegend", { title: criterion.title })}
          description={criterion.answered ? undefined : t("admission.review.unansweredHelp")}
          options={[
            ...SCALE_VALUES.map((value) => ({ value, label: value })),
            ...(criterion.answered ? [] : [{ value: SKIP_SCORE, label: t("admission.review.skip") }]),
          ]}
          inline
          required={criterion.answered}
        />
      ))}
      <TextAreaField field={fields.comment} label={t("admission.review.comment")} rows={3} />
      <div className="flex items-center gap-4">
        <button type="submit" className="btn btn-primary" disabled={navigation.state === "submitting"}>
          {t("admission.review.save")}
        </button>
        {saved ? (
          <p role="status" className="text-sm text-green-800">
            {t("admission.review.saved")}
          </p>
        ) : null}
      </div>
    </Form>
  );
}

function DecisionForms({ canWaitlist, lastResult }: { canWaitlist: boolean; lastResult: SubmissionResult<string[]> | undefined }) {
  const t = useT();
  const [form, fields] = useForm({
    id: "reject",
    lastResult,
    constraint: getZodConstraint(RejectSchema),
    onValidate: ({ formData }) => parseWithZod(formData, { schema: RejectSchema }),
    ...FORM_VALIDATION,
  });
  return (
    <div className="grid gap-6 md:grid-cols-2">
      <div className="space-y-3">
        <Form method="post">
          <button type="submit" name="intent" value="approve" className="btn btn-primary">
            {t("admission.review.approve")}
          </button>
        </Form>
        {canWaitlist ? (
          <Form method="post">
            <button type="submit" name="intent" value="waitlist" className="btn btn-secondary">
              {t("admission.review.waitlist")}
            </button>
          </Form>
        ) : null}
      </div>
      <Form method="post" {...getFormProps(form)}>
        <FormErrors id={form.errorId} errors={form.errors} />
        <input type="hidden" name="intent" value="reject" />
        <TextAreaField field={fields.reason} label={t("admission.review.rejectReason")} rows={3} />
        <button type="submit" className="btn btn-danger">
          {t("admission.review.reject")}
        </button>
      </Form>
    </div>
  );
}
