import { getFormProps, useForm } from "@conform-to/react";
import { parseWithZod } from "@conform-to/zod/v4";
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { notFound, readForm, requireRole } from "~/auth/guards.server";
import { TestClockSchema } from "~/billing/schemas";
import { advanceTestClock, assertTestMode, testClockState } from "~/billing/test-mode.server";
import { StatusBadge, TestModeNotice, tierName, useFormatDate } from "~/billing/ui";
import { db } from "~/db.server";
import { formatMoney, metaTranslator, useLocale, useT, type MessageKey } from "~/i18n/i18n";
import { FieldErrors, FORM_VALIDATION, FormErrors } from "~/ui/form";
import { withoutNul } from "~/ui/visible-text";

export { ErrorPage as ErrorBoundary } from "~/ui/error-page";

export const meta: MetaFunction<typeof loader> = ({ matches, data }) => [
  { title: metaTranslator(matches).t("billing.clock.titleFor", { name: data?.member.name ?? "" }) },
];

async function findMember(userId: string) {
  // PostgreSQL text cannot hold NUL: dropping it keeps a crafted address from becoming a 500.
  const member = await db.user.findUnique({ where: { id: withoutNul(userId).slice(0, 100) }, select: { id: true, name: true } });
  if (!member) throw notFound();
  return member;
}

/** Billing's test mode only: the owner makes time pass for a member's subscription. */
export async function loader({ request, params }: LoaderFunctionArgs) {
  assertTestMode();
  await requireRole(request, "OWNER");
  const member = await findMember(params.userId ?? "");
  return data({ member, subscription: await testClockState(member.id) }, { headers: { "Cache-Control": "private, no-store" } });
}

export async function action({ request, params }: ActionFunctionArgs) {
  assertTestMode();
  await requireRole(request, "OWNER");
  const member = await findMember(params.userId ?? "");
  const submission = parseWithZod(await readForm(request), { schema: TestClockSchema });
  if (submission.status !== "success") return data({ reply: submission.reply(), done: null }, { status: 400 });
  const result = await advanceTestClock(member.id, submission.value);
  if (!result.ok) return data({ reply: submission.reply({ formErrors: [result.error] }), done: null }, { status: 409 });
  return data({ reply: submission.reply({ resetForm: true }), done: submission.value.intent });
}

export default function TestClock() {
  const { member, subscription } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const t = useT();
  const locale = useLocale();
  const date = useFormatDate();
  const [form, fields] = useForm({
    id: "end-grace",
    lastResult: actionData?.reply,
    defaultValue: { outcome: "cancel" },
    onValidate: ({ formData }) => parseWithZod(formData, { schema: TestClockSchema }),
    ...FORM_VALIDATION,
  });
  const errors = actionData?.reply.error?.[""] ?? undefined;
  return (
    <div className="mx-auto max-w-3xl space-y-6">
      <p className="text-sm">
        <Link to={`/admin/members/${member.id}`}>{t("billing.clock.back")}</Link>
      </p>
      <TestModeNotice>{t("billing.clock.notice")}</TestModeNotice>
      <h1 className="wrap-anywhere">{t("billing.clock.titleFor", { name: member.name })}</h1>
      <FormErrors id="clock-error" errors={errors} />
      {actionData?.done && subscription ? (
        <p role="status" className="rounded-md border border-green-300 bg-green-50 p-3 text-green-900">
          {t("billing.clock.done", { status: t(`billing.status.${subscription.status}` as MessageKey) })}
        </p>
      ) : null}
      <section aria-labelledby="clock-subscription" className="card space-y-2">
        <h2 id="clock-subscription">{t("billing.clock.subscription")}</h2>
        {subscription ? (
          <dl className="grid grid-cols-[max-content_1fr] gap-x-6 gap-y-2">
            <dt className="font-medium">{t("billing.membership.plan")}</dt>
            <dd>{tierName(locale, subscription.tier)}</dd>
            <dt className="font-medium">{t("billing.membership.status")}</dt>
            <dd data-testid="clock-status">
              <StatusBadge status={subscription.status} />
            </dd>
            {subscription.currentPeriodEnd && !subscription.endedAt ? (
              <>
                <dt className="font-medium">{t("billing.clock.periodEnd")}</dt>
                <dd>{date(subscription.currentPeriodEnd)}</dd>
              </>
            ) : null}
            {subscription.pastDueSince ? (
              <>
                <dt className="font-medium">{t("billing.clock.pastDueSince")}</dt>
                <dd>{date(subscription.pastDueSince)}</dd>
              </>
            ) : null}
            {subscription.endedAt ? (
              <>
                <dt className="font-medium">{t("billing.clock.endedAt")}</dt>
                <dd>{date(subscription.endedAt)}</dd>
              </>
            ) : null}
            {subscription.openInvoice ? (
              <>
                <dt className="font-medium">{t("billing.clock.openInvoice")}</dt>
                <dd className="wrap-anywhere">
                  {subscription.openInvoice.id} · {formatMoney(locale, subscription.openInvoice.amount, subscription.openInvoice.currency)}
                </dd>
              </>
            ) : null}
          </dl>
        ) : (
          <p className="text-slate-700">{t("billing.clock.none")}</p>
        )}
      </section>
      {subscription ? (
        <>
          <section aria-labelledby="clock-fail" className="card space-y-3">
            <h2 id="clock-fail">{t("billing.clock.failTitle")}</h2>
            <p className="text-slate-700">{t("billing.clock.failHelp")}</p>
            <Form method="post">
              <button type="submit" name="intent" value="clock-fail-payment" className="btn btn-secondary">
                {t("billing.clock.fail")}
              </button>
            </Form>
          </section>
          <section aria-labelledby="clock-grace" className="card space-y-3">
            <h2 id="clock-grace">{t("billing.clock.graceTitle")}</h2>
            <p className="text-slate-700">{t("billing.clock.graceHelp")}</p>
            <Form method="post" {...getFormProps(form)} className="space-y-3">
              <input type="hidden" name="intent" value="clock-end-grace" />
              <fieldset className="space-y-2" aria-describedby={fields.outcome.errorId}>
                <legend className="label">{t("billing.clock.outcome")}</legend>
                {(["cancel", "unpaid"] as const).map((outcome) => (
                  <label key={outcome} className="flex items-start gap-2">
                    <input type="radio" name={fields.outcome.name} value={outcome} defaultChecked={fields.outcome.initialValue === outcome} className="mt-1" />
                    <span>{t(`billing.clock.outcome.${outcome}`)}</span>
                  </label>
                ))}
                <FieldErrors id={fields.outcome.errorId} errors={fields.outcome.errors} />
              </fieldset>
              <button type="submit" className="btn btn-danger">
                {t("billing.clock.endGrace")}
              </button>
            </Form>
          </section>
          <section aria-labelledby="clock-renew" className="card space-y-3">
            <h2 id="clock-renew">{t("billing.clock.renewTitle")}</h2>
            <p className="text-slate-700">{t("billing.clock.renewHelp")}</p>
            <Form method="post">
              <button type="submit" name="intent" value="clock-renew" className="btn btn-primary">
                {t("billing.clock.renew")}
              </button>
            </Form>
          </section>
        </>
      ) : null}
    </div>
  );
}
