import { getFormProps, getSelectProps, useForm } from "@conform-to/react";
import { parseWithZod } from "@conform-to/zod/v4";
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { notFound, readForm, requireRole, requireStaff } from "~/auth/guards.server";
import { changeMemberRole, grantComplimentary, memberBillingRecord, revokeComplimentary } from "~/billing/members.server";
import { GrantSchema, RoleSchema } from "~/billing/schemas";
import { listTiers } from "~/billing/tiers.server";
import { PricePerInterval, StatusBadge, tierName, useFormatDate } from "~/billing/ui";
import { formatMoney, useLocale, useT } from "~/i18n/i18n";
import { FieldErrors, FormErrors } from "~/ui/form";
import { isStripeTestMode } from "~/env.server";
import { memberName } from "~/ui/member-name";
import { getClubSettings, LAYOUT_SETTINGS_MAX_AGE_MS } from "~/club.server";
import { readTouchMap } from "~/touches/touch-map.server";
import { TouchMap, type TouchMapData } from "~/touches/touch-map-view";

export { ErrorPage as ErrorBoundary } from "~/ui/error-page";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data?.user.name ?? "Member" }];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { user } = await requireStaff(request);
  const record = await memberBillingRecord(params.userId ?? "");
  if (!record) throw notFound();
  const [allTiers, club, touches] = await Promise.all([
    listTiers(),
    getClubSettings({ maxAgeMs: LAYOUT_SETTINGS_MAX_AGE_MS }),
    readTouchMap(record.user.id, new URL(request.url).searchParams, user.locale),
  ]);
  const tiers = allTiers.filter((tier) => !tier.archivedAt).map((tier) => ({ id: tier.id, nameEn: tier.nameEn, nameRu: tier.nameRu }));
  // A filter no form of ours sends shows its message at the filter; the rest of the page still works.
  return {
    ...record,
    tiers,
    isOwner: user.role === "OWNER",
    isSelf: user.id === record.user.id,
    testMode: isStripeTestMode(),
    touchMap: { ...touches, userId: record.user.id, timeZone: club.timeZone } satisfies TouchMapData,
  };
}

/** Only owners change memberships and roles; curators see the page. */
export async function action({ request, params }: ActionFunctionArgs) {
  const { user: owner } = await requireRole(request, "OWNER");
  const userId = params.userId ?? "";
  const formData = await readForm(request);
  const intent = formData.get("intent");
  if (intent === "revoke") {
    const result = await revokeComplimentary(owner, userId);
    if (!result.ok && result.status === 404) throw notFound();
    return data({ intent: "revoke" as const, result: result.ok ? null : result.error }, { status: result.ok ? 200 : result.status });
  }
  const schema = intent === "role" ? RoleSchema : GrantSchema;
  const submission = parseWithZod(formData, { schema });
  if (submission.status !== "success") return data({ intent, reply: submission.reply() }, { status: 400 });
  const value = submission.value;
  const result =
    value.intent === "role" ? await changeMemberRole(owner, userId, value.role) : await grantComplimentary(owner, userId, value.tierId);
  if (!result.ok && result.status === 404) throw notFound();
  return data(
    { intent: value.intent, reply: submission.reply(result.ok ? { resetForm: false } : { formErrors: [result.error] }) },
    { status: result.ok ? 200 : result.status },
  );
}

function GrantForm() {
  const { tiers } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const t = useT();
  const locale = useLocale();
  const lastResult = actionData?.intent === "grant" && "reply" in actionData ? actionData.reply : undefined;
  const [form, fields] = useForm({
    id: "grant",
    lastResult,
    onValidate: ({ formData }) => parseWithZod(formData, { schema: GrantSchema }),
    shouldValidate: "onSubmit",
  });
  return (
    <Form method="post" {...getFormProps(form)} className="space-y-3">
      <FormErrors id={form.errorId} errors={form.errors} />
      <input type="hidden" name="intent" value="grant" />
      <div className="field">
        <label htmlFor={fields.tierId.id} className="label">
          {t("account.tier")}
        </label>
        <select {...getSelectProps(fields.tierId)} key={fields.tierId.key} className="input max-w-xs">
          <option value="">{t("billing.members.chooseTier")}</option>
          {tiers.map((tier) => (
            <option key={tier.id} value={tier.id}>
              {tierName(locale, tier)}
            </option>
          ))}
        </select>
        <FieldErrors id={fields.tierId.errorId} errors={fields.tierId.errors} />
      </div>
      <button type="submit" className="btn btn-primary">
        {t("billing.members.grant")}
      </button>
      {lastResult?.status === "success" ? (
        <p role="status" className="text-sm text-green-800">
          {t("billing.members.granted")}
        </p>
      ) : null}
    </Form>
  );
}

function RoleForm() {
  const { user } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const t = useT();
  const lastResult = actionData?.intent === "role" && "reply" in actionData ? actionData.reply : undefined;
  const [form, fields] = useForm({
    id: "role",
    lastResult,
    defaultValue: { role: user.role === "CURATOR" ? "CURATOR" : "MEMBER" },
    onValidate: ({ formData }) => parseWithZod(formData, { schema: RoleSchema }),
    shouldValidate: "onSubmit",
  });
  return (
    <Form method="post" {...getFormProps(form)} className="space-y-3">
      <FormErrors id={form.errorId} errors={form.errors} />
      <input type="hidden" name="intent" value="role" />
      <div className="field">
        <label htmlFor={fields.role.id} className="label">
          {t("account.role")}
        </label>
        <select {...getSelectProps(fields.role)} key={fields.role.key} className="input max-w-xs">
          <option value="MEMBER">{t("role.MEMBER")}</option>
          <option value="CURATOR">{t("role.CURATOR")}</option>
        </select>
        <FieldErrors id={fields.role.errorId} errors={fields.role.errors} />
      </div>
      <button type="submit" className="btn btn-secondary">
        {t("billing.members.saveRole")}
      </button>
      {lastResult?.status === "success" ? (
        <p role="status" className="text-sm text-green-800">
          {t("account.saved")}
        </p>
      ) : null}
    </Form>
  );
}

export default function MemberRecord() {
  const { user, periods, paid, complimentary, isOwner, isSelf, testMode, touchMap } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const t = useT();
  const locale = useLocale();
  const date = useFormatDate();
  const revokeError = actionData?.intent === "revoke" && "result" in actionData ? actionData.result : null;
  return (
    <div className="mx-auto max-w-4xl space-y-6">
      <p className="text-sm">
        <Link to="/admin/members">{t("admin.members")}</Link>
      </p>
      <h1 className="wrap-anywhere">{memberName(user.name, t)}</h1>
      <dl className="card grid grid-cols-[max-content_1fr] gap-x-6 gap-y-2 wrap-anywhere">
        <dt className="font-medium">{t("login.email")}</dt>
        <dd>{user.email}</dd>
        <dt className="font-medium">{t("account.role")}</dt>
        <dd>{t(`role.${user.role}`)}</dd>
        <dt className="font-medium">{t("billing.members.joined")}</dt>
        <dd>{date(user.createdAt)}</dd>
        <dt className="font-medium">{t("billing.members.paidTotal")}</dt>
        <dd>{paid.length ? paid.map((p) => formatMoney(locale, p.amount, p.currency)).join(", ") : formatMoney(locale, 0, "eur")}</dd>
      </dl>

      <section aria-labelledby="periods" className="card">
        <h2 id="periods">{t("billing.members.periods")}</h2>
        {periods.length ? (
          <div className="mt-4 overflow-x-auto">
            <table className="table">
              <thead>
                <tr>
                  <th scope="col">{t("account.tier")}</th>
                  <th scope="col">{t("billing.membership.status")}</th>
                  <th scope="col">{t("billing.members.price")}</th>
                  <th scope="col">{t("billing.members.from")}</th>
                  <th scope="col">{t("billing.members.until")}</th>
                </tr>
              </thead>
              <tbody>
                {periods.map((period) => (
                  <tr key={period.id}>
                    <td>{tierName(locale, period.tier)}</td>
                    <td>
                      <StatusBadge status={period.status} />
                    </td>
                    <td>
                      {period.interval ? (
                        <PricePerInterval amount={period.amount} currency={period.currency} interval={period.interval} />
                      ) : (
                        t("billing.members.notBilled")
                      )}
                    </td>
                    <td>{date(period.startedAt)}</td>
                    <td>
                      {period.endedAt
                        ? date(period.endedAt)
                        : period.endsAt
                          ? t("billing.members.endsOn", { date: date(period.endsAt) })
                          : "—"}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        ) : (
          <p className="mt-2 text-slate-700">{t("billing.members.noPeriods")}</p>
        )}
      </section>

      {isOwner && testMode && periods.some((period) => period.interval) ? (
        <p>
          <Link to={`/admin/members/${user.id}/test-clock`}>{t("billing.clock.link")}</Link>
        </p>
      ) : null}
      {isOwner ? (
        <>
          <section aria-labelledby="complimentary" className="card space-y-3">
            <h2 id="complimentary">{t("billing.members.complimentaryTitle")}</h2>
            <p className="text-slate-700">{t("billing.members.complimentaryHelp")}</p>
            {complimentary ? (
              <Form method="post" className="space-y-2">
                <p>{t("billing.members.complimentaryNow", { tier: tierName(locale, complimentary.tier) })}</p>
                <FormErrors id="revoke-error" errors={revokeError ? [revokeError] : undefined} />
                <button type="submit" name="intent" value="revoke" className="btn btn-danger">
                  {t("billing.members.revoke")}
                </button>
              </Form>
            ) : null}
            <GrantForm />
          </section>
          {user.role !== "OWNER" && !isSelf ? (
            <section aria-labelledby="role-heading" className="card space-y-3">
              <h2 id="role-heading">{t("billing.members.roleTitle")}</h2>
              <RoleForm />
            </section>
          ) : null}
        </>
      ) : null}
      <TouchMap data={touchMap} />
    </div>
  );
}
