import { getFormProps, useForm } from "@conform-to/react";
import { parseWithZod } from "@conform-to/zod/v4";
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { z } from "zod";
import { readForm, requireRole } from "~/auth/guards.server";
import { formatDateTime, metaTranslator, useLocale, useT, type MessageKey } from "~/i18n/i18n";
import { telegramAdminOverview } from "~/telegram/admin.server";
import { isTelegramOn } from "~/telegram/bot.server";
import { linkTelegramChat } from "~/telegram/chats.server";
import { FieldErrors, FORM_VALIDATION, FormErrors, TextField } from "~/ui/form";
import { requiredText } from "~/ui/visible-text";

export { ErrorPage as ErrorBoundary } from "~/ui/error-page";

export const meta: MetaFunction = ({ matches }) => [{ title: metaTranslator(matches).t("telegram.admin.title") }];

const LinkChatSchema = z.object({
  chatRef: requiredText(40, "telegram.admin.error.chatId"),
  tierIds: z.array(z.string().max(64), { error: "telegram.admin.error.tiers" }).min(1, "telegram.admin.error.tiers"),
});

/** /admin/telegram, for the owner: link a group or channel to tiers, see linked chats and the log of every grant and removal. */
export async function loader({ request }: LoaderFunctionArgs) {
  await requireRole(request, "OWNER");
  return telegramAdminOverview();
}

export async function action({ request }: ActionFunctionArgs) {
  const { user } = await requireRole(request, "OWNER");
  const formData = await readForm(request);
  const submission = parseWithZod(formData, { schema: LinkChatSchema });
  if (submission.status !== "success") return data({ result: submission.reply(), linked: false }, { status: 400 });
  if (!isTelegramOn()) return data({ result: submission.reply({ formErrors: ["telegram.admin.error.off"] }), linked: false }, { status: 400 });
  const outcome = await linkTelegramChat({ ...submission.value, ownerId: user.id, locale: user.locale === "ru" ? "ru" : "en" });
  if (!outcome.ok) {
    const message = outcome.values ? `${outcome.message}|${JSON.stringify(outcome.values)}` : outcome.message;
    return data({ result: submission.reply({ fieldErrors: { [outcome.field]: [message] } }), linked: false }, { status: 400 });
  }
  return { result: submission.reply({ resetForm: true }), linked: true };
}

export default function AdminTelegram() {
  const { on, bot, tiers, chats, log, outbox } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const t = useT();
  const locale = useLocale();
  const [form, fields] = useForm({
    lastResult: actionData?.result,
    onValidate: ({ formData }) => parseWithZod(formData, { schema: LinkChatSchema }),
    ...FORM_VALIDATION,
  });
  const tierName = (id: string) => {
    const tier = tiers.find((x) => x.id === id);
    return tier ? (locale === "ru" ? tier.nameRu : tier.nameEn) : id;
  };
  return (
    <div className="mx-auto max-w-4xl space-y-6">
      <h1>{t("telegram.admin.title")}</h1>
      <p className="text-slate-700">{on ? t("telegram.admin.bot", { bot: bot ?? "?" }) : t("telegram.admin.off")}</p>

      <section className="card" aria-labelledby="chats-title">
        <h2 id="chats-title" className="mb-2">
          {t("telegram.admin.chats")}
        </h2>
        {chats.length ? (
          <ul className="space-y-1">
            {chats.map((chat) => (
              <li key={chat.id}>
                <span className="font-medium">{chat.title}</span> <span className="text-slate-600">({chat.telegramChatId})</span>: {chat.tierIds.map(tierName).join(", ")}
              </li>
            ))}
          </ul>
        ) : (
          <p className="text-slate-700">{t("telegram.admin.noChats")}</p>
        )}
      </section>

      <Form method="post" {...getFormProps(form)} className="card" aria-labelledby="link-title">
        <h2 id="link-title" className="mb-2">
          {t("telegram.admin.link")}
        </h2>
        <p className="mb-4 text-slate-700">{t("telegram.admin.linkIntro")}</p>
        <FormErrors id={form.errorId} errors={form.errors} />
        <TextField field={fields.chatRef} label={t("telegram.admin.chatId")} inputProps={{ placeholder: "-1001234567890" }} />
        <fieldset className="field" aria-describedby={fields.tierIds.errorId}>
          <legend className="label">{t("telegram.admin.tiers")}</legend>
          {tiers.map((tier) => (
            <label key={tier.id} className="mr-4 inline-flex items-center gap-2">
              <input type="checkbox" name={fields.tierIds.name} value={tier.id} />
              {locale === "ru" ? tier.nameRu : tier.nameEn}
            </label>
          ))}
          <FieldErrors id={fields.tierIds.errorId} errors={fields.tierIds.errors} />
        </fieldset>
        <div className="flex items-center gap-4">
          <button type="submit" className="btn btn-primary">
            {t("telegram.admin.submit")}
          </button>
          {actionData?.linked ? (
            <p role="status" className="text-sm text-green-800">
              {t("telegram.admin.linkedOk")}
            </p>
          ) : null}
        </div>
      </Form>

      <section className="card" aria-labelledby="log-title">
        <h2 id="log-title" className="mb-2">
          {t("telegram.admin.log")}
        </h2>
        {log.length ? (
          <div className="overflow-x-auto" tabIndex={0} role="region" aria-labelledby="log-title">
            <table className="w-full text-left text-sm">
              <thead>
                <tr>
                  <th scope="col">{t("telegram.admin.when")}</th>
                  <th scope="col">{t("telegram.admin.chats")}</th>
                  <th scope="col">{t("telegram.admin.who")}</th>
                  <th scope="col">{t("telegram.admin.what")}</th>
                </tr>
              </thead>
              <tbody>
                {log.map((row) => (
                  <tr key={row.id} className="border-t border-slate-200">
                    <td className="py-1 pr-3">{formatDateTime(locale, row.at)}</td>
                    <td className="py-1 pr-3">{row.chat}</td>
                    <td className="py-1 pr-3">{row.who}</td>
                    <td className="py-1">
                      {t(`telegram.admin.action.${row.action}` as MessageKey)}
                      {row.reason ? `: ${t(`telegram.reason.${row.reason}` as MessageKey)}` : ""}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        ) : (
          <p className="text-slate-700">{t("telegram.admin.noLog")}</p>
        )}
      </section>

      <section className="card" aria-labelledby="outbox-title">
        <h2 id="outbox-title" className="mb-2">
          {t("telegram.admin.outbox")}
        </h2>
        {outbox.length ? (
          <ul className="space-y-1 text-sm">
            {outbox.map((message) => (
              <li key={message.id}>
                {formatDateTime(locale, message.createdAt)} · {t(`telegram.admin.status.${message.status}`)} · {message.text}
              </li>
            ))}
          </ul>
        ) : (
          <p className="text-slate-700">{t("telegram.admin.noOutbox")}</p>
        )}
      </section>
    </div>
  );
}
