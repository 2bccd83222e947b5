import { getFormProps, getInputProps, useForm } from "@conform-to/react";
import { parseWithZod } from "@conform-to/zod/v4";
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { Form, Link, useActionData } from "@remix-run/react";
import { readForm, requireUser } from "~/auth/guards.server";
import { clearSessionCookie } from "~/auth/session.server";
import { LINK_LANGUAGE_PARAM } from "~/i18n/locale.server";
import { metaTranslator, useT, type MessageKey } from "~/i18n/i18n";
import { eraseAccount } from "~/privacy/erasure.server";
import { EraseAccountSchema } from "~/privacy/erasure-form";
import { FieldErrors, FORM_VALIDATION, FormErrors, TextField } from "~/ui/form";

export { ErrorPage as ErrorBoundary } from "~/ui/error-page";

export const meta: MetaFunction = ({ matches }) => [{ title: metaTranslator(matches).t("privacy.account.title") }];

export async function loader({ request }: LoaderFunctionArgs) {
  await requireUser(request);
  return null;
}

export async function action({ request }: ActionFunctionArgs) {
  const { user } = await requireUser(request);
  const formData = await readForm(request);
  const submission = parseWithZod(formData, { schema: EraseAccountSchema });
  const hide = { hideFields: ["password"] };
  if (submission.status !== "success") return data({ result: submission.reply(hide) }, { status: 400 });
  const erased = await eraseAccount(user.id, submission.value);
  if (erased.ok) {
    return redirect(`/account/deleted?${LINK_LANGUAGE_PARAM}=${user.locale}`, { headers: { "Set-Cookie": await clearSessionCookie() } });
  }
  const message = erased.values ? `${erased.message}|${JSON.stringify(erased.values)}` : erased.message;
  const result = erased.field === "password" ? submission.reply({ ...hide, fieldErrors: { password: [message] } }) : submission.reply({ ...hide, formErrors: [message] });
  if (erased.retryAfterSeconds) return data({ result }, { status: 429, headers: { "Retry-After": String(erased.retryAfterSeconds) } });
  return data({ result }, { status: erased.message === "privacy.erase.paymentUnavailable" ? 503 : 400 });
}

const EXPORT_ITEMS: MessageKey[] = [
  "privacy.export.item.profile",
  "privacy.export.item.admission",
  "privacy.export.item.billing",
  "privacy.export.item.content",
  "privacy.export.item.surveys",
  "privacy.export.item.notifications",
  "privacy.export.item.security",
  "privacy.export.item.telegram",
  "privacy.export.item.staff",
];
const ERASE_ITEMS: MessageKey[] = ["privacy.erase.item.billing", "privacy.erase.item.telegram", "privacy.erase.item.sessions", "privacy.erase.item.erase", "privacy.erase.item.posts"];

export default function AccountData() {
  const t = useT();
  const actionData = useActionData<typeof action>();
  const [form, fields] = useForm({
    id: "erase-account",
    lastResult: actionData?.result,
    onValidate: ({ formData }) => parseWithZod(formData, { schema: EraseAccountSchema }),
    ...FORM_VALIDATION,
  });
  const confirm = getInputProps(fields.confirm, { type: "checkbox" });
  return (
    <div className="mx-auto max-w-2xl space-y-8">
      <div>
        <p className="text-sm">
          <Link to="/account">{t("account.title")}</Link>
        </p>
        <h1>{t("privacy.account.title")}</h1>
        <p className="text-slate-700">{t("privacy.account.intro")}</p>
      </div>
      <section className="card" aria-labelledby="export-title">
        <h2 id="export-title" className="mb-2">
          {t("privacy.export.title")}
        </h2>
        <p className="mb-2 text-slate-700">{t("privacy.export.intro")}</p>
        <ul className="mb-4 list-disc space-y-1 pl-6 text-slate-700">
          {EXPORT_ITEMS.map((key) => (
            <li key={key}>{t(key)}</li>
          ))}
        </ul>
        <a href="/account/data.json" download className="btn btn-primary">
          {t("privacy.export.download")}
        </a>
      </section>
      <Form method="post" {...getFormProps(form)} className="card" aria-labelledby="erase-title">
        <h2 id="erase-title" className="mb-2">
          {t("privacy.erase.title")}
        </h2>
        <p className="mb-2 text-slate-700">{t("privacy.erase.intro")}</p>
        <ul className="mb-4 list-disc space-y-1 pl-6 text-slate-700">
          {ERASE_ITEMS.map((key) => (
            <li key={key}>{t(key)}</li>
          ))}
        </ul>
        <FormErrors id={form.errorId} errors={form.errors} />
        <TextField field={fields.password} label={t("privacy.erase.password")} type="password" autoComplete="current-password" />
        <div className="field">
          <label className="flex items-start gap-2">
            <input {...confirm} key={confirm.key} className="mt-1" />
            <span>{t("privacy.erase.confirm")}</span>
          </label>
          <FieldErrors id={fields.confirm.errorId} errors={fields.confirm.errors} />
        </div>
        <button type="submit" className="btn btn-danger">
          {t("privacy.erase.submit")}
        </button>
      </Form>
    </div>
  );
}
