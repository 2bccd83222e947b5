import { Link, useRouteLoaderData } from "@remix-run/react";
import type { ReactNode } from "react";
import { formatDate, formatDateTime, formatNumber, useLocale, useT, type Locale } from "~/i18n/i18n";
import type { Pagination } from "./pagination";

/** Parts of the forum's pages shared by its routes. */

export function localized<T extends { nameEn: string; nameRu: string }>(locale: Locale, item: T): string {
  return locale === "ru" ? item.nameRu : item.nameEn;
}

export function useLocalized() {
  const locale = useLocale();
  return <T extends { nameEn: string; nameRu: string }>(item: T) => localized(locale, item);
}

/** Dates in the club's time zone and the reader's language. */
export function useFormat() {
  const locale = useLocale();
  const timeZone = useRouteLoaderData<{ timeZone: string }>("root")?.timeZone ?? "UTC";
  return {
    locale,
    date: (value: Date | string) => formatDate(locale, value, { dateStyle: "medium" }, timeZone),
    dateTime: (value: Date | string) => formatDateTime(locale, value, timeZone),
    number: (value: number) => formatNumber(locale, value),
  };
}

/** Sanitized HTML rendered on the server (app/forum/render.server.ts); never raw input. */
export function PostHtml({ html }: { html: string }) {
  return <div className="prose-club break-words" dangerouslySetInnerHTML={{ __html: html }} />;
}

export function Breadcrumbs({ items }: { items: Array<{ to?: string; label: string }> }) {
  const t = useT();
  return (
    <nav aria-label={t("forum.breadcrumb")} className="mb-4 text-sm">
      <ol className="flex flex-wrap gap-1 text-slate-700">
        {items.map((item, index) => (
          <li key={`${item.label}-${index}`} className="flex items-center gap-1">
            {index > 0 ? <span aria-hidden="true">/</span> : null}
            {item.to ? <Link to={item.to}>{item.label}</Link> : <span aria-current="page">{item.label}</span>}
          </li>
        ))}
      </ol>
    </nav>
  );
}

export function PageLinks({ pagination, href }: { pagination: Pagination; href: (page: number) => string }) {
  const t = useT();
  if (pagination.pages <= 1) return null;
  const { page, pages } = pagination;
  return (
    <nav aria-label={t("forum.pagination.label")} className="mt-6 flex items-center justify-between gap-4 text-sm">
      {page > 1 ? (
        <Link to={href(page - 1)} rel="prev" className="btn btn-secondary">
          {t("forum.pagination.prev")}
        </Link>
      ) : (
        <span />
      )}
      <span>{t("forum.pagination.page", { page, pages })}</span>
      {page < pages ? (
        <Link to={href(page + 1)} rel="next" className="btn btn-secondary">
          {t("forum.pagination.next")}
        </Link>
      ) : (
        <span />
      )}
    </nav>
  );
}

export function Badge({ children, tone = "indigo" }: { children: ReactNode; tone?: "indigo" | "amber" | "slate" | "red" | "green" }) {
  const tones = {
    indigo: "bg-indigo-100 text-indigo-900",
    amber: "bg-amber-100 text-amber-900",
    slate: "bg-stone-200 text-slate-900",
    red: "bg-red-100 text-red-900",
    green: "bg-green-100 text-green-900",
  };
  return <span className={`badge ${tones[tone]}`}>{children}</span>;
}

export function withPage(base: string, page: number, params: Record<string, string> = {}): string {
  const search = new URLSearchParams(params);
  if (page > 1) search.set("page", String(page));
  const query = search.toString();
  return query ? `${base}?${query}` : base;
}
