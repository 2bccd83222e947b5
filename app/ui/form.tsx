import type { FieldMetadata } from "@conform-to/react";
import { getInputProps, getSelectProps, getTextareaProps } from "@conform-to/react";
import type { ReactNode } from "react";
import { useT, type MessageKey } from "~/i18n/i18n";

/**
 * How every form validates in the browser: first on submit, then again as the person types.
 * Not on blur: revalidating on blur re-rendered the errors between a click's mousedown (which
 * blurs the field) and its mouseup, moved what was under the pointer, and lost the first click
 * on a radio, a checkbox or a submit button after a refused submit (tests/e2e/forms.spec.ts).
 */
export const FORM_VALIDATION = { shouldValidate: "onSubmit", shouldRevalidate: "onInput" } as const;

/** Zod messages are message keys (see app/i18n); this shows them in the reader's language. */
export function FieldErrors({ id, errors }: { id: string; errors?: string[] }) {
  const t = useT();
  if (!errors?.length) return null;
  return (
    <div id={id} className="mt-1 text-sm text-red-700" role="alert">
      {errors.map((error) => (
        <p key={error}>{translateError(t, error)}</p>
      ))}
    </div>
  );
}

export function translateError(t: ReturnType<typeof useT>, error: string): string {
  const [key, json] = error.split("|");
  let values: Record<string, string | number> | undefined;
  if (json) {
    try {
      values = JSON.parse(json);
    } catch {
      values = undefined;
    }
  }
  return t(key as MessageKey, values);
}

type InputType = "text" | "email" | "password" | "number" | "url" | "date" | "search" | "hidden";

export function TextField<Value>({
  field,
  label,
  type = "text",
  help,
  autoComplete,
  inputProps,
}: {
  field: FieldMetadata<Value>;
  label: string;
  type?: InputType;
  help?: ReactNode;
  autoComplete?: string;
  inputProps?: React.InputHTMLAttributes<HTMLInputElement>;
}) {
  const helpId = help ? `${field.id}-help` : undefined;
  const props = getInputProps(field, { type, ariaDescribedBy: helpId });
  return (
    <div className="field">
      <label htmlFor={field.id} className="label">
        {label}
        {field.required ? <span aria-hidden="true"> *</span> : null}
      </label>
      <input {...props} key={props.key} autoComplete={autoComplete} className="input" {...inputProps} />
      {help ? (
        <p id={helpId} className="help">
          {help}
        </p>
      ) : null}
      <FieldErrors id={field.errorId} errors={field.errors} />
    </div>
  );
}

export function TextAreaField<Value>({
  field,
  label,
  rows = 5,
  help,
}: {
  field: FieldMetadata<Value>;
  label: string;
  rows?: number;
  help?: ReactNode;
}) {
  const helpId = help ? `${field.id}-help` : undefined;
  const props = getTextareaProps(field, { ariaDescribedBy: helpId });
  return (
    <div className="field">
      <label htmlFor={field.id} className="label">
        {label}
        {field.required ? <span aria-hidden="true"> *</span> : null}
      </label>
      <textarea {...props} key={props.key} rows={rows} className="input" />
      {help ? (
        <p id={helpId} className="help">
          {help}
        </p>
      ) : null}
      <FieldErrors id={field.errorId} errors={field.errors} />
    </div>
  );
}

export function FormErrors({ id, errors }: { id: string; errors?: string[] }) {
  const t = useT();
  if (!errors?.length) return null;
  return (
    <div id={id} className="rounded-md border border-red-300 bg-red-50 p-3 text-sm text-red-800" role="alert">
      {errors.map((error) => (
        <p key={error}>{translateError(t, error)}</p>
      ))}
    </div>
  );
}

/** The choice of English or Russian, for a member's own language or an email's. */
export function LanguageField<Value>({ field, label, className = "" }: { field: FieldMetadata<Value>; label: string; className?: string }) {
  const t = useT();
  return (
    <div className={`field ${className}`.trim()}>
      <label htmlFor={field.id} className="label">
        {label}
      </label>
      <select {...getSelectProps(field)} className="input">
        <option value="en">{t("lang.en")}</option>
        <option value="ru">{t("lang.ru")}</option>
      </select>
      <FieldErrors id={field.errorId} errors={field.errors} />
    </div>
  );
}
