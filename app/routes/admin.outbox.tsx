import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, useLoaderData, useSearchParams } from "@remix-run/react";
import { Pager, pageParam, useFormats } from "~/admission/components";
import { keepWithinPages, pageCount } from "~/admission/paging.server";
import { listOutbox, OUTBOX_PAGE_SIZE } from "~/admission/outbox.server";
import { requireRole } from "~/auth/guards.server";
import { metaTranslator, useT } from "~/i18n/i18n";

export const meta: MetaFunction = ({ matches }) => [{ title: metaTranslator(matches).t("admission.outbox.title") }];

/** The Email table, for owners: the outbox when no SMTP server is configured, a delivery log when one is. */
export async function loader({ request }: LoaderFunctionArgs) {
  await requireRole(request, "OWNER");
  const params = new URL(request.url).searchParams;
  const to = params.get("to")?.slice(0, 320) || null;
  const page = pageParam(params.get("page"));
  const outbox = await listOutbox({ page, to });
  const pages = pageCount(outbox.total, OUTBOX_PAGE_SIZE);
  keepWithinPages(request, page, pages);
  return { ...outbox, to, page, pages };
}

export default function Outbox() {
  const { emails, total, to, page, pages } = useLoaderData<typeof loader>();
  const [searchParams] = useSearchParams();
  const t = useT();
  const f = useFormats();
  return (
    <div className="space-y-6">
      <h1>{t("admission.outbox.title")}</h1>
      <p className="text-slate-700">{t("admission.outbox.intro")}</p>
      <Form method="get" className="flex flex-wrap items-end gap-3">
        <div>
          <label htmlFor="outbox-to" className="label">
            {t("admission.outbox.search")}
          </label>
          <input id="outbox-to" name="to" type="search" defaultValue={to ?? ""} className="input" />
        </div>
        <button type="submit" className="btn btn-secondary">
          {t("admission.outbox.filter")}
        </button>
      </Form>
      <p className="text-sm text-slate-700">{t("admission.outbox.total", { count: total })}</p>
      {emails.length === 0 ? (
        <p className="card">{t("admission.outbox.empty")}</p>
      ) : (
        <ul className="space-y-3">
          {emails.map((email) => (
            <li key={email.id} className="card">
              <div className="flex flex-wrap items-baseline justify-between gap-2">
                <h2 className="text-base font-semibold">{email.subject}</h2>
                <span className={`badge ${email.status === "FAILED" ? "bg-red-100 text-red-900" : email.status === "SENT" ? "bg-green-100 text-green-900" : ""}`}>
                  {t(`admission.outbox.status.${email.status}`)}
                </span>
              </div>
              <dl className="mt-2 grid grid-cols-[max-content_1fr] gap-x-4 gap-y-1 text-sm">
                <dt className="font-medium">{t("admission.outbox.to")}</dt>
                <dd>{email.to}</dd>
                <dt className="font-medium">{t("admission.outbox.created")}</dt>
                <dd>
                  {f.dateTime(email.createdAt)} · {email.template} · {email.locale.toUpperCase()} · {t("admission.outbox.attempts", { count: email.attempts })}
                </dd>
              </dl>
              {email.lastError && email.status !== "SENT" ? (
                <p className="mt-2 text-sm text-red-800">{t("admission.outbox.lastError", { error: email.lastError })}</p>
              ) : null}
              <details className="mt-2">
                <summary className="cursor-pointer text-sm font-medium text-indigo-800">{t("admission.outbox.show")}</summary>
                <pre className="mt-2 whitespace-pre-wrap break-words rounded bg-stone-100 p-3 font-sans text-sm text-slate-900">{email.text}</pre>
              </details>
            </li>
          ))}
        </ul>
      )}
      <Pager page={page} pages={pages} search={searchParams} />
    </div>
  );
}
