import { isRouteErrorResponse, Link, useRouteError } from "@remix-run/react";
import { useT, type MessageKey } from "~/i18n/i18n";

const known = new Set([400, 403, 404, 429, 503]);

/** A readable page for every error; never a stack trace. */
export function ErrorPage() {
  const error = useRouteError();
  const t = useT();
  const status = isRouteErrorResponse(error) ? error.status : 500;
  // A body that is not a form (415) is explained as any request no page of ours sends (400).
  const explained = status === 415 ? 400 : status;
  const detail = isRouteErrorResponse(error) && typeof error.data === "string" && status < 500 ? error.data : null;
  const key = known.has(explained) ? explained : "generic";
  const title = known.has(explained) ? t(`error.${key}.title` as MessageKey) : t("error.title");
  return (
    <section className="mx-auto max-w-xl py-16 text-center" aria-labelledby="error-title">
      <p className="text-sm font-semibold text-indigo-700">{status}</p>
      <h1 id="error-title" className="mt-2 text-3xl font-bold">
        {title}
      </h1>
      <p className="mt-4 text-slate-700">{t(`error.${key}.body` as MessageKey)}</p>
      {detail && detail !== "Not found" && detail !== "Forbidden" ? <p className="mt-2 text-slate-700">{detail}</p> : null}
      <p className="mt-8">
        <Link to="/" className="btn btn-primary">
          {t("error.home")}
        </Link>
      </p>
    </section>
  );
}
