import type { FieldMetadata } from "@conform-to/react";
import { getCollectionProps } from "@conform-to/react";
import { Form, Link, useNavigation, useRouteLoaderData } from "@remix-run/react";
import type { ApplicationStatus } from "~/generated/prisma/enums";
import { formatDate, formatDateTime, formatNumber, useLocale, useT } from "~/i18n/i18n";
import { FieldErrors, TextAreaField } from "~/ui/form";
import { SCALE_VALUES, type CriterionForForm } from "./application-form";

/**
 * A field people never see and bots fill in. It sits off screen rather than hidden,
 * because bots skip hidden inputs, and is kept out of the tab order and of screen readers.
 */
export function Honeypot() {
  const t = useT();
  return (
    <div aria-hidden="true" className="honeypot">
      <label htmlFor="website">{t("admission.honeypot")}</label>
      <input id="website" name="website" type="text" tabIndex={-1} autoComplete="off" defaultValue="" />
    </div>
  );
}

const STATUS_STYLE: Record<ApplicationStatus, string> = {
  UNVERIFIED: "bg-stone-200 text-slate-900",
  NEW: "bg-sky-100 text-sky-900",
  IN_REVIEW: "bg-indigo-100 text-indigo-900",
  WAITLISTED: "bg-amber-100 text-amber-900",
  APPROVED: "bg-green-100 text-green-900",
  REJECTED: "bg-red-100 text-red-900",
};

/**
 * The page behind a link sent by email: opening it changes nothing (mail scanners open every
 * link), and its one button posts the confirmation to the same address.
 */
export function ConfirmLinkPage({ title, body, button }: { title: string; body: string; button: string }) {
  const navigation = useNavigation();
  return (
    <div className="mx-auto max-w-xl space-y-4">
      <h1>{title}</h1>
      <p className="text-slate-800">{body}</p>
      <Form method="post">
        <button type="submit" className="btn btn-primary" disabled={navigation.state === "submitting"}>
          {button}
        </button>
      </Form>
    </div>
  );
}

export function ApplicationStatusBadge({ status }: { status: ApplicationStatus }) {
  const t = useT();
  return <span className={`badge ${STATUS_STYLE[status]}`}>{t(`admission.status.${status}`)}</span>;
}

/** A group of radio buttons with a legend, for choices and 1–5 scales. */
export function RadioGroup({
  field,
  legend,
  description,
  options,
  inline = false,
  required = false,
}: {
  field: FieldMetadata<string | undefined>;
  legend: string;
  description?: string;
  options: Array<{ value: string; label: string }>;
  inline?: boolean;
  required?: boolean;
}) {
  const descriptionId = description ? `${field.id}-description` : undefined;
  const describedBy = [descriptionId, field.errors?.length ? field.errorId : undefined].filter(Boolean).join(" ") || undefined;
  const inputs = getCollectionProps(field, { type: "radio", options: options.map((o) => o.value) });
  return (
    <fieldset className="field" aria-describedby={describedBy} aria-invalid={field.errors?.length ? true : undefined}>
      <legend className="label">
        {legend}
        {required ? <span aria-hidden="true"> *</span> : null}
      </legend>
      {description ? (
        <p id={descriptionId} className="help mb-2">
          {description}
        </p>
      ) : null}
      <div className={inline ? "flex flex-wrap gap-x-5 gap-y-2" : "space-y-1"}>
        {inputs.map((props, index) => {
          const { key, ...rest } = props;
          return (
            <label key={key} className="flex items-center gap-2">
              <input {...rest} className="h-4 w-4" />
              <span>{options[index].label}</span>
            </label>
          );
        })}
      </div>
      <FieldErrors id={field.errorId} errors={field.errors} />
    </fieldset>
  );
}

/** One question of the application form, as its criterion's kind asks. */
export function CriterionInput({ criterion, field }: { criterion: CriterionForForm; field: FieldMetadata<string | undefined> }) {
  const t = useT();
  if (criterion.kind === "TEXT") {
    return (
      <TextAreaField
        field={field}
        label={criterion.title}
        help={criterion.description || undefined}
        rows={4}
      />
    );
  }
  const options =
    criterion.kind === "SCALE"
      ? SCALE_VALUES.map((value) => ({ value, label: value }))
      : criterion.options.map((label, index) => ({ value: String(index), label }));
  const description =
    criterion.kind === "SCALE"
      ? [criterion.description, t("admission.apply.scaleHelp")].filter(Boolean).join(" ")
      : criterion.description || undefined;
  return (
    <RadioGroup
      field={field}
      legend={criterion.title}
      description={description}
      options={options}
      inline={criterion.kind === "SCALE"}
      required={criterion.required}
    />
  );
}

/** Previous and next links that keep the other search parameters. */
export function Pager({ page, pages, search }: { page: number; pages: number; search: URLSearchParams }) {
  const t = useT();
  if (pages <= 1) return null;
  const to = (n: number) => {
    const next = new URLSearchParams(search);
    next.set("page", String(n));
    return `?${next.toString()}`;
  };
  return (
    <nav aria-label={t("admission.queue.page", { page, pages })} className="mt-4 flex items-center gap-4 text-sm">
      {page > 1 ? <Link to={to(page - 1)}>{t("admission.queue.previous")}</Link> : null}
      <span>{t("admission.queue.page", { page, pages })}</span>
      {page < pages ? <Link to={to(page + 1)}>{t("admission.queue.next")}</Link> : null}
    </nav>
  );
}

/** Reads a positive page number from the query string. */
export function pageParam(value: string | null): number {
  const page = Number(value);
  return Number.isInteger(page) && page > 0 && page < 100_000 ? page : 1;
}

/**
 * Dates and scores in the reader's language and the club's time zone. One date style per
 * context: `date` ("27 Nov 2026") in tables and lists, `longDate` ("27 November 2026") in sentences.
 */
export function useFormats() {
  const locale = useLocale();
  const timeZone = useRouteLoaderData<{ timeZone: string }>("root")?.timeZone ?? "UTC";
  return {
    locale,
    date: (value: string | Date) => formatDate(locale, value, { dateStyle: "medium" }, timeZone),
    longDate: (value: string | Date) => formatDate(locale, value, { dateStyle: "long" }, timeZone),
    dateTime: (value: string | Date) => formatDateTime(locale, value, timeZone),
    score: (value: number) => formatNumber(locale, value, { minimumFractionDigits: 1, maximumFractionDigits: 1 }),
  };
}
