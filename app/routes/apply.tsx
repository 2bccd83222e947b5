import { getFormProps, getInputProps, useForm } from "@conform-to/react";
import { getZodConstraint, parseWithZod } from "@conform-to/zod/v4";
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { useMemo } from "react";
import { applicationSchema, type CriterionForForm } from "~/admission/application-form";
import { submitApplication } from "~/admission/applications.server";
import { CriterionInput, Honeypot } from "~/admission/components";
import { activeCriteria, localizeCriterion } from "~/admission/criteria.server";
import { findVouch } from "~/admission/vouching.server";
import { getViewer, readForm } from "~/auth/guards.server";
import { ConsentField } from "~/club/consent-field";
import { shownTerms } from "~/club/consent-form";
import { currentTerms, termsChanged } from "~/club/consent.server";
import { clientIp } from "~/auth/session.server";
import { metaTranslator, useT } from "~/i18n/i18n";
import { keepLinkLanguage, resolveLocale } from "~/i18n/locale.server";
import { FORM_VALIDATION, FieldErrors, FormErrors, TextField } from "~/ui/form";

// Its own boundary, so that an error thrown by the action is still shown in the layout and
// the reader's language: the root's loader does not run when the root itself catches it.
export { ErrorPage as ErrorBoundary } from "~/ui/error-page";

type ApplicationFormShape = {
  name: string;
  email: string;
  company: string;
  jobTitle: string;
  code?: string;
  consent: boolean;
  legalAccepted?: boolean;
  website?: string;
  answers: Record<string, string | undefined>;
};

async function formCriteria(request: Request) {
  const viewer = await getViewer(request);
  const locale = await resolveLocale(request, viewer?.user.locale);
  const [active, terms] = await Promise.all([activeCriteria(), currentTerms()]);
  const criteria = active.map((criterion) => localizeCriterion(criterion, locale));
  return { locale, criteria, terms };
}

export const meta: MetaFunction = ({ matches }) => [{ title: metaTranslator(matches).t("admission.apply.title") }];

export async function loader({ request }: LoaderFunctionArgs) {
  const { criteria, terms } = await formCriteria(request);
  const url = new URL(request.url);
  const vouchToken = url.searchParams.get("vouch")?.trim().toLowerCase() || null;
  const vouch = vouchToken ? await findVouch(vouchToken) : null;
  const vouchState = !vouchToken ? null : !vouch ? "unknown" : vouch.used ? "used" : "valid";
  const usableVouch = vouchState === "valid" ? vouch : null;
  return {
    criteria,
    terms,
    vouchState,
    voucherName: usableVouch?.voucherName ?? null,
    defaults: {
      name: usableVouch?.name ?? "",
      email: usableVouch?.email ?? "",
      code: usableVouch ? vouchToken : (url.searchParams.get("code")?.slice(0, 100) ?? ""),
    },
  };
}

export async function action({ request }: ActionFunctionArgs) {
  const { locale, criteria, terms } = await formCriteria(request);
  const formData = await readForm(request);
  const submission = parseWithZod(formData, { schema: applicationSchema(criteria, terms) });
  // A text published since the form was shown: the page comes back with the new version to read.
  if (termsChanged(shownTerms(formData), terms)) {
    return data(submission.reply({ fieldErrors: { legalAccepted: ["club.consent.stale"] }, hideFields: ["legalAccepted"] }), { status: 409 });
  }
  if (submission.status !== "success") return data(submission.reply(), { status: 400 });
  const result = await submitApplication(submission.value, criteria, { locale, ip: clientIp(request) });
  if (result.ok) throw redirect(keepLinkLanguage(request, "/apply/sent"));
  if ("rateLimited" in result) {
    const minutes = Math.max(1, Math.ceil(result.rateLimited.retryAfterSeconds / 60));
    return data(submission.reply({ formErrors: [`admission.apply.rateLimited|{"minutes":${minutes}}`] }), {
      status: 429,
      headers: { "Retry-After": String(result.rateLimited.retryAfterSeconds) },
    });
  }
  const hide = result.field === "legalAccepted" ? { hideFields: ["legalAccepted"] } : {};
  return data(submission.reply({ ...hide, fieldErrors: { [result.field]: [result.message] } }), {
    status: result.field === "email" || result.field === "legalAccepted" ? 409 : 400,
  });
}

export default function Apply() {
  const { criteria, terms, vouchState, voucherName, defaults } = useLoaderData<typeof loader>();
  const lastResult = useActionData<typeof action>();
  const navigation = useNavigation();
  const t = useT();
  const schema = useMemo(() => applicationSchema(criteria, terms), [criteria, terms]);
  const [form, fields] = useForm<ApplicationFormShape>({
    lastResult,
    defaultValue: defaults,
    constraint: getZodConstraint(schema),
    onValidate: ({ formData }) => parseWithZod(formData, { schema }),
    ...FORM_VALIDATION,
  });
  const answers = fields.answers.getFieldset();
  return (
    <div className="mx-auto max-w-2xl">
      <h1>{t("admission.apply.title")}</h1>
      <p className="mt-3 text-slate-700">{t("admission.apply.intro")}</p>
      {vouchState === "valid" && voucherName ? (
        <p className="mt-4 rounded-md border border-green-300 bg-green-50 p-3 text-green-900" role="status">
          {t("admission.apply.vouched", { voucher: voucherName })}
        </p>
      ) : null}
      {vouchState === "used" || vouchState === "unknown" ? (
        <p className="mt-4 rounded-md border border-amber-300 bg-amber-50 p-3 text-amber-900" role="status">
          {t(vouchState === "used" ? "admission.apply.vouchUsed" : "admission.apply.vouchUnknown")}
        </p>
      ) : null}
      <Form method="post" {...getFormProps(form)} className="mt-6 space-y-6">
        <FormErrors id={form.errorId} errors={form.errors} />
        <p className="text-sm text-slate-700">{t("admission.apply.requiredNote")}</p>
        <section className="card" aria-labelledby="about-you">
          <h2 id="about-you" className="mb-4">
            {t("admission.apply.aboutYou")}
          </h2>
          <TextField field={fields.name} label={t("admission.apply.name")} autoComplete="name" />
          <TextField field={fields.email} label={t("admission.apply.email")} type="email" autoComplete="email" />
          <TextField field={fields.company} label={t("admission.apply.company")} autoComplete="organization" />
          <TextField field={fields.jobTitle} label={t("admission.apply.jobTitle")} autoComplete="organization-title" />
          <TextField field={fields.code} label={t("admission.apply.code")} help={t("admission.apply.codeHelp")} autoComplete="off" />
        </section>
        {criteria.length ? (
          <section className="card" aria-labelledby="criteria">
            <h2 id="criteria" className="mb-4">
              {t("admission.apply.yourAnswers")}
            </h2>
            {criteria.map((criterion: CriterionForForm) => (
              <CriterionInput key={criterion.id} criterion={criterion} field={answers[criterion.id]} />
            ))}
          </section>
        ) : null}
        <div className="card">
          <div className="flex items-start gap-3">
            <input {...getInputProps(fields.consent, { type: "checkbox" })} className="mt-1 h-4 w-4" />
            <label htmlFor={fields.consent.id}>
              {t("admission.apply.consent")}
              <span aria-hidden="true"> *</span>
            </label>
          </div>
          <FieldErrors id={fields.consent.errorId} errors={fields.consent.errors} />
        </div>
        <ConsentField field={fields.legalAccepted} terms={terms} />
        <Honeypot />
        <button type="submit" className="btn btn-primary" disabled={navigation.state === "submitting"}>
          {t("admission.apply.submit")}
        </button>
      </Form>
    </div>
  );
}
