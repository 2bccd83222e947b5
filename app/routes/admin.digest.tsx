import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { Form, useLoaderData, useSearchParams } from "@remix-run/react";
import { badRequest, readForm, requireStaff } from "~/auth/guards.server";
import { previewDigest, queueDigestNow } from "~/forum/digest.server";
import { formatDate } from "~/i18n/format";
import { metaTranslator, useLocale, useT } from "~/i18n/i18n";
import { withoutNul } from "~/ui/visible-text";

export const meta: MetaFunction = ({ matches }) => [{ title: metaTranslator(matches).t("digest.title") }];

/** /admin/digest: this week's digest as a member would get it, and "send now", for staff. */
export async function loader({ request }: LoaderFunctionArgs) {
  await requireStaff(request);
  const email = withoutNul(new URL(request.url).searchParams.get("email") ?? "").slice(0, 320) || null;
  return { asked: email, ...(await previewDigest(email)) };
}

export async function action({ request }: ActionFunctionArgs) {
  await requireStaff(request);
  const form = await readForm(request);
  if (form.get("intent") !== "send-now") throw badRequest();
  await queueDigestNow();
  return redirect("/admin/digest?queued=1");
}

export default function DigestPage() {
  const { asked, period, quietCount, sentCount, member, email } = useLoaderData<typeof loader>();
  const [searchParams] = useSearchParams();
  const t = useT();
  const locale = useLocale();
  const day = (value: string | Date) => formatDate(locale, value);
  const lastDay = new Date(new Date(period.end).getTime() - 86_400_000);
  return (
    <div className="mx-auto max-w-3xl space-y-6">
      <h1>{t("digest.title")}</h1>
      <p className="text-slate-700">{t("digest.intro")}</p>
      {searchParams.get("queued") ? (
        <p role="status" className="rounded-md border border-green-300 bg-green-50 p-3 text-green-900">
          {t("digest.queued")}
        </p>
      ) : null}
      <p>{t("digest.period", { from: day(period.since), to: day(lastDay) })}</p>
      <p>{t("digest.counts", { quiet: quietCount, sent: sentCount })}</p>
      <Form method="post" className="card space-y-2">
        <button type="submit" name="intent" value="send-now" className="btn btn-primary">
          {t("digest.send")}
        </button>
        <p className="help">{t("digest.sendHelp")}</p>
      </Form>
      <Form method="get" className="flex flex-wrap items-end gap-3">
        <div>
          <label htmlFor="digest-email" className="label">
            {t("digest.previewFor")}
          </label>
          <input id="digest-email" name="email" type="email" defaultValue={asked ?? ""} className="input" />
        </div>
        <button type="submit" className="btn btn-secondary">
          {t("digest.show")}
        </button>
      </Form>
      <section className="card space-y-3 wrap-anywhere" aria-live="polite">
        {!member ? (
          <p>{asked ? t("digest.unknown") : t("digest.nobody")}</p>
        ) : (
          <>
            <p className="font-medium">{t("digest.previewOf", { name: member.name, email: member.email })}</p>
            {email ? (
              <>
                <p>
                  <span className="font-medium">{t("digest.subject")}:</span> {email.subject}
                </p>
                <pre className="whitespace-pre-wrap font-sans text-slate-800">{email.text}</pre>
              </>
            ) : (
              <p>{t("digest.nothing")}</p>
            )}
          </>
        )}
      </section>
    </div>
  );
}
