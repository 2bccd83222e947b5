import { getFormProps, useForm, type SubmissionResult } from "@conform-to/react";
import { getZodConstraint, parseWithZod } from "@conform-to/zod/v4";
import { Form, useNavigation } from "@remix-run/react";
import { z } from "zod";
import { FORM_VALIDATION, TextField } from "~/ui/form";

/** The six digits of an authenticator app (people often type them as "123 456"). */
export const TotpCodeSchema = z.object({
  code: z.string({ error: "form.required" }).trim().regex(/^\d{3} ?\d{3}$/, "twoFactor.code.format"),
});

/** An authenticator code or a recovery code ("abcde-fghij"): the server tells them apart. */
export const AnyCodeSchema = z.object({
  code: z.string({ error: "form.required" }).trim().max(40, 'form.tooLong|{"max":40}'),
});

/** Every refusal of a code (wrong, used already, too old) reads the same. */
export const INVALID_CODE = "twoFactor.code.invalid";

/** One form of the two-factor pages: an intent and a code field, validated with its schema. */
export function CodeForm({
  intent,
  schema,
  lastResult,
  label,
  help,
  submit,
  danger = false,
  oneTimeCode = true,
}: {
  intent: string;
  schema: typeof TotpCodeSchema | typeof AnyCodeSchema;
  lastResult?: SubmissionResult<string[]> | null;
  label: string;
  help?: string;
  submit: string;
  danger?: boolean;
  oneTimeCode?: boolean;
}) {
  const navigation = useNavigation();
  const [form, fields] = useForm<{ code: string }>({
    id: `two-factor-${intent}`,
    lastResult,
    constraint: getZodConstraint(schema),
    onValidate: ({ formData }) => parseWithZod(formData, { schema }),
    ...FORM_VALIDATION,
  });
  const busy = navigation.state === "submitting" && navigation.formData?.get("intent") === intent;
  return (
    <Form method="post" {...getFormProps(form)} className="mt-4">
      <input type="hidden" name="intent" value={intent} />
      <TextField
        field={fields.code}
        label={label}
        help={help}
        autoComplete={oneTimeCode ? "one-time-code" : "off"}
        inputProps={schema === TotpCodeSchema ? { inputMode: "numeric" } : { spellCheck: false, autoCapitalize: "none" }}
      />
      <button type="submit" className={danger ? "btn btn-danger" : "btn btn-primary"} disabled={busy}>
        {submit}
      </button>
    </Form>
  );
}
