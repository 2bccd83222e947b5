import { getFormProps, getInputProps, useForm } from "@conform-to/react";
import { parseWithZod } from "@conform-to/zod/v4";
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { readForm, requireRole } from "~/auth/guards.server";
import { getClubSettings } from "~/club.server";
import { formatDateTime, formatMoney, metaTranslator, useLocale, useT } from "~/i18n/i18n";
import { resolveLocale } from "~/i18n/locale.server";
import { monthOf, todayIn } from "~/metrics/period";
import { amountText, spendSchema } from "~/metrics/spend";
import { saveSpend, spendMonths } from "~/metrics/spend.server";
import { formatMonth } from "~/metrics/ui";
import { FieldErrors, FORM_VALIDATION, FormErrors } from "~/ui/form";

export { ErrorPage as ErrorBoundary } from "~/ui/error-page";

export const meta: MetaFunction = ({ matches }) => [{ title: metaTranslator(matches).t("metrics.spend.title") }];

/** Acquisition spend per month, which CAC divides by the new paying members. The owner's. */
export async function loader({ request }: LoaderFunctionArgs) {
  const { user } = await requireRole(request, "OWNER");
  const club = await getClubSettings();
  const [spend, locale] = await Promise.all([spendMonths(club.timeZone), resolveLocale(request, user.locale)]);
  return { ...spend, timeZone: club.timeZone, values: spend.months.map((m) => ({ month: m.month, amount: amountText(m.amountMinor, locale) })) };
}

export async function action({ request }: ActionFunctionArgs) {
  const { user } = await requireRole(request, "OWNER");
  const club = await getClubSettings();
  const locale = await resolveLocale(request, user.locale);
  const lastMonth = monthOf(todayIn(club.timeZone));
  const submission = parseWithZod(await readForm(request), { schema: spendSchema(locale, lastMonth) });
  if (submission.status !== "success") return data({ result: submission.reply(), saved: null }, { status: 400 });
  const { currency } = await spendMonths(club.timeZone);
  const saved = await saveSpend(user.id, submission.value.months, locale, currency);
  return { result: submission.reply(), saved };
}

export default function SpendEditor() {
  const { months, values, currency, timeZone } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const t = useT();
  const locale = useLocale();
  const navigation = useNavigation();
  const lastMonth = months[0].month;
  const [form, fields] = useForm({
    lastResult: actionData?.result,
    defaultValue: { months: values },
    onValidate: ({ formData }) => parseWithZod(formData, { schema: spendSchema(locale, lastMonth) }),
    ...FORM_VALIDATION,
  });
  const rows = fields.months.getFieldList();
  return (
    <div className="mx-auto max-w-3xl space-y-6">
      <p>
        <Link to="/admin/metrics#growth">{t("metrics.title")}</Link>
      </p>
      <h1>{t("metrics.spend.title")}</h1>
      <p className="text-slate-700">{t("metrics.spend.intro", { currency: currency.toUpperCase() })}</p>
      <Form method="post" {...getFormProps(form)} className="card">
        <FormErrors id={form.errorId} errors={form.errors} />
        <table className="w-full text-left">
          <caption className="sr-only">{t("metrics.spend.title")}</caption>
          <thead>
            <tr>
              <th scope="col">{t("metrics.col.month")}</th>
              <th scope="col">{t("metrics.spend.amount", { currency: currency.toUpperCase() })}</th>
              <th scope="col">{t("metrics.spend.saved")}</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((row, i) => {
              const cells = row.getFieldset();
              const stored = months[i];
              const label = formatMonth(locale, stored.month, "long");
              return (
                <tr key={row.key} className="border-t border-slate-200">
                  <th scope="row" className="py-2 pr-4 font-normal">
                    <label htmlFor={cells.amount.id}>{label}</label>
                    <input {...getInputProps(cells.month, { type: "hidden" })} />
                  </th>
                  <td className="py-2 pr-4">
                    <input
                      {...getInputProps(cells.amount, { type: "text" })}
                      inputMode="decimal"
                      autoComplete="off"
                      className="w-40"
                      aria-describedby={cells.amount.errors ? cells.amount.errorId : undefined}
                    />
                    <FieldErrors id={cells.amount.errorId} errors={cells.amount.errors} />
                  </td>
                  <td className="py-2 text-sm text-slate-700">
                    {stored.amountMinor === null ? t("metrics.spend.none") : formatMoney(locale, stored.amountMinor, currency)}
                    {stored.updatedAt ? <span className="block">{formatDateTime(locale, stored.updatedAt, timeZone)}</span> : null}
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
        <p className="mt-2 text-sm text-slate-700">{t("metrics.spend.help")}</p>
        <div className="mt-4 flex items-center gap-4">
          <button type="submit" className="btn btn-primary" disabled={navigation.state === "submitting"}>
            {t("metrics.spend.save")}
          </button>
          {actionData?.saved !== null && actionData?.saved !== undefined ? (
            <p role="status" className="text-sm text-green-800">
              {t("metrics.spend.savedCount", { count: actionData.saved })}
            </p>
          ) : null}
        </div>
      </Form>
    </div>
  );
}
