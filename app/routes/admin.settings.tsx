import { getFormProps, getInputProps, getSelectProps, useForm, type SubmissionResult } from "@conform-to/react";
import { parseWithZod } from "@conform-to/zod/v4";
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { useMemo } from "react";
import { readForm, requireRole } from "~/auth/guards.server";
import { currentTerms } from "~/club/consent.server";
import { ABOUT_MAX, clubSettingsSchema, INVITE_VALIDITY_DAYS, PAST_DUE_GRACE_DAYS } from "~/club/settings-form";
import { hasTwoFactor, knownTimeZones, readSettingsValues, saveClubSettings } from "~/club/settings.server";
import { metaTranslator, useT } from "~/i18n/i18n";
import { FieldErrors, FORM_VALIDATION, LanguageField, TextAreaField, TextField } from "~/ui/form";

// Its own boundary, so that an error thrown by the action is still shown in the layout and
// the reader's language: the root's loader does not run when the root itself catches it.
export { ErrorPage as ErrorBoundary } from "~/ui/error-page";

export const meta: MetaFunction = ({ matches }) => [{ title: metaTranslator(matches).t("club.settings.title") }];

export async function loader({ request }: LoaderFunctionArgs) {
  const { user } = await requireRole(request, "OWNER");
  const [values, ownTwoFactor, terms] = await Promise.all([readSettingsValues(), hasTwoFactor(user.id), currentTerms()]);
  return { values, timeZones: knownTimeZones(), ownTwoFactor, terms };
}

type ActionResult = { result: SubmissionResult<string[]>; saved: boolean; changed: number };

export async function action({ request }: ActionFunctionArgs) {
  const { user } = await requireRole(request, "OWNER");
  const submission = parseWithZod(await readForm(request), { schema: clubSettingsSchema(knownTimeZones()) });
  if (submission.status !== "success") return data<ActionResult>({ result: submission.reply(), saved: false, changed: 0 }, { status: 400 });
  const { changed } = await saveClubSettings(user.id, submission.value);
  return data<ActionResult>({ result: submission.reply(), saved: true, changed: changed.length });
}

export default function ClubSettingsPage() {
  const { values, timeZones, ownTwoFactor, terms } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const navigation = useNavigation();
  const t = useT();
  const schema = useMemo(() => clubSettingsSchema(timeZones), [timeZones]);
  const [form, fields] = useForm({
    id: "club-settings",
    lastResult: actionData?.result,
    defaultValue: {
      ...values,
      inviteValidityDays: String(values.inviteValidityDays),
      pastDueGraceDays: String(values.pastDueGraceDays),
      staffTwoFactorRequired: values.staffTwoFactorRequired ? "on" : undefined,
    },
    onValidate: ({ formData }) => parseWithZod(formData, { schema }),
    ...FORM_VALIDATION,
  });
  const versions = [
    terms?.rules ? t("club.settings.consentRules", { version: terms.rules.version }) : null,
    terms?.privacy ? t("club.settings.consentPrivacy", { version: terms.privacy.version }) : null,
  ].filter(Boolean);
  const aboutHelp = t("club.settings.aboutHelp", { max: ABOUT_MAX });
  return (
    <div className="space-y-6">
      <p className="text-sm">
        <Link to="/admin">{t("admin.title")}</Link>
      </p>
      <h1>{t("club.settings.title")}</h1>
      <p className="text-slate-700">{t("club.settings.intro")}</p>

      <section className="card max-w-3xl" aria-labelledby="consent-title">
        <h2 id="consent-title" className="mb-2">
          {t("club.settings.consentTitle")}
        </h2>
        <p className="text-slate-800">{terms ? t("club.settings.consentOn", { versions: versions.join(", ") }) : t("club.settings.consentOff")}</p>
        <p className="mt-2">
          <Link to="/admin/settings/legal">{t("club.settings.legalLink")}</Link>
        </p>
      </section>

      <Form method="post" {...getFormProps(form)} className="max-w-3xl space-y-6">
        <section className="card" aria-labelledby="identity-title">
          <h2 id="identity-title" className="mb-4">
            {t("club.settings.identity")}
          </h2>
          <TextField field={fields.name} label={t("club.settings.name")} />
          <TextField field={fields.taglineEn} label={t("club.settings.taglineEn")} inputProps={{ lang: "en" }} />
          <TextField field={fields.taglineRu} label={t("club.settings.taglineRu")} inputProps={{ lang: "ru" }} />
          <TextAreaField field={fields.aboutEn} label={t("club.settings.aboutEn")} help={aboutHelp} />
          <TextAreaField field={fields.aboutRu} label={t("club.settings.aboutRu")} help={aboutHelp} />
        </section>

        <section className="card" aria-labelledby="running-title">
          <h2 id="running-title" className="mb-4">
            {t("club.settings.running")}
          </h2>
          <div className="field">
            <label htmlFor={fields.timeZone.id} className="label">
              {t("club.settings.timeZone")}
            </label>
            <select {...getSelectProps(fields.timeZone, { ariaDescribedBy: `${fields.timeZone.id}-help` })} className="input">
              {timeZones.map((zone) => (
                <option key={zone} value={zone}>
                  {zone}
                </option>
              ))}
            </select>
            <p id={`${fields.timeZone.id}-help`} className="help">
              {t("club.settings.timeZoneHelp")}
            </p>
            <FieldErrors id={fields.timeZone.errorId} errors={fields.timeZone.errors} />
          </div>
          <LanguageField field={fields.defaultLocale} label={t("club.settings.defaultLocale")} />
          <TextField
            field={fields.inviteValidityDays}
            label={t("club.settings.inviteValidityDays")}
            type="number"
            help={t("club.settings.daysHelp", INVITE_VALIDITY_DAYS)}
          />
          <TextField
            field={fields.pastDueGraceDays}
            label={t("club.settings.pastDueGraceDays")}
            type="number"
            help={t("club.settings.daysHelp", PAST_DUE_GRACE_DAYS)}
          />
        </section>

        <section className="card" aria-labelledby="security-title">
          <h2 id="security-title" className="mb-4">
            {t("club.settings.security")}
          </h2>
          <div className="flex items-start gap-3">
            <input
              {...getInputProps(fields.staffTwoFactorRequired, { type: "checkbox", ariaDescribedBy: `${fields.staffTwoFactorRequired.id}-help` })}
              className="mt-1 h-4 w-4"
            />
            <label htmlFor={fields.staffTwoFactorRequired.id}>{t("club.settings.staffTwoFactor")}</label>
          </div>
          <p id={`${fields.staffTwoFactorRequired.id}-help`} className="help">
            {t("club.settings.staffTwoFactorHelp")}
          </p>
          <FieldErrors id={fields.staffTwoFactorRequired.errorId} errors={fields.staffTwoFactorRequired.errors} />
          {!ownTwoFactor ? (
            <div className="mt-3 rounded-md border border-amber-300 bg-amber-50 p-3 text-amber-900">
              <p>{t("club.settings.ownTwoFactorMissing")}</p>
              <p className="mt-1">
                <Link to="/account/two-factor">{t("club.settings.setUpTwoFactor")}</Link>
              </p>
            </div>
          ) : null}
        </section>

        <div className="flex items-center gap-4">
          <button type="submit" className="btn btn-primary" disabled={navigation.state === "submitting"}>
            {t("club.settings.save")}
          </button>
          {actionData?.saved ? (
            <p role="status" className="text-sm text-green-800">
              {t(actionData.changed ? "club.settings.saved" : "club.settings.unchanged")}
            </p>
          ) : null}
        </div>
      </Form>
    </div>
  );
}
