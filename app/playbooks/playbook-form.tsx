import { getFormProps, getInputProps, getSelectProps, getTextareaProps, useForm, type SubmissionResult } from "@conform-to/react";
import { parseWithZod } from "@conform-to/zod/v4";
import { Form, useNavigation } from "@remix-run/react";
import { useT, type MessageKey } from "~/i18n/i18n";
import { FieldErrors, FORM_VALIDATION, FormErrors, TextField } from "~/ui/form";
import { MAX_STEPS, playbookSchema, TRIGGERS } from "./forms";

export type PlaybookFormDefaults = {
  name?: string;
  trigger?: string;
  triggerDays?: string;
  segmentId?: string;
  holdOutPercent?: string;
  exitOnReturn?: "on";
  exitOnSurvey?: "on";
  exitOnPayment?: "on";
  steps?: Array<{ kind: string; days?: string; templateId?: string; note?: string }>;
};

type Choices = {
  segments: Array<{ id: string; name: string }>;
  templates: Array<{ id: string; name: string; reason: string }>;
};

/**
 * The owner's form for a playbook (/admin/playbooks/new and /admin/playbooks/:id). Steps are a
 * Conform list: "Add a wait / a message / a task" and "Remove" are submit buttons carrying
 * Conform's intents, so without JavaScript the server returns the form with the list changed,
 * and with JavaScript it changes in place. A step's kind is fixed when it is added, so only the
 * field it needs is shown. Curators see it disabled.
 */
export function PlaybookForm({
  defaultValue,
  lastResult,
  choices,
  confirmMembers,
  canEdit,
}: {
  defaultValue: PlaybookFormDefaults;
  lastResult?: SubmissionResult<string[]> | null;
  choices: Choices;
  /** Set when the action asks to confirm an every-member audience: how many would enter now. */
  confirmMembers: number | null;
  canEdit: boolean;
}) {
  const t = useT();
  const navigation = useNavigation();
  const [form, fields] = useForm({
    id: "playbook",
    lastResult,
    defaultValue,
    onValidate: ({ formData }) => parseWithZod(formData, { schema: playbookSchema }),
    ...FORM_VALIDATION,
  });
  const steps = fields.steps.getFieldList();
  const byReason = TRIGGERS.map((reason) => ({ reason, templates: choices.templates.filter((tpl) => tpl.reason === reason) })).filter((g) => g.templates.length);
  const busy = navigation.state === "submitting";
  const exits = [
    [fields.exitOnReturn, "playbooks.form.exitOnReturn"],
    [fields.exitOnSurvey, "playbooks.form.exitOnSurvey"],
    [fields.exitOnPayment, "playbooks.form.exitOnPayment"],
  ] as const;
  return (
    <Form method="post" {...getFormProps(form)} className="space-y-6">
      <input type="hidden" name="intent" value="save" />
      {/* Enter in a field submits with the form's first button: this one saves, not "Remove step 1". */}
      <button type="submit" className="sr-only" tabIndex={-1} aria-hidden="true" disabled={!canEdit} />
      <FormErrors id={form.errorId} errors={form.errors} />
      <fieldset disabled={!canEdit} className="space-y-6">
        <div className="card">
          <TextField field={fields.name} label={t("playbooks.form.name")} />
          <div className="grid gap-x-6 md:grid-cols-2">
            <div className="field">
              <label htmlFor={fields.trigger.id} className="label">
                {t("playbooks.form.trigger")}
              </label>
              <select {...getSelectProps(fields.trigger)} key={fields.trigger.key} className="input">
                {TRIGGERS.map((trigger) => (
                  <option key={trigger} value={trigger}>
                    {t(`playbooks.trigger.${trigger}` as MessageKey)}
                  </option>
                ))}
              </select>
              <FieldErrors id={fields.trigger.errorId} errors={fields.trigger.errors} />
            </div>
            <TextField field={fields.triggerDays} label={t("playbooks.form.triggerDays")} type="number" help={t("playbooks.form.triggerDaysHelp")} />
          </div>
          <div className="grid gap-x-6 md:grid-cols-2">
            <div className="field">
              <label htmlFor={fields.segmentId.id} className="label">
                {t("playbooks.form.segment")}
              </label>
              <select {...getSelectProps(fields.segmentId, { ariaDescribedBy: `${fields.segmentId.id}-help` })} key={fields.segmentId.key} className="input">
                <option value="">{t("playbooks.form.segmentNone")}</option>
                {choices.segments.map((segment) => (
                  <option key={segment.id} value={segment.id}>
                    {segment.name}
                  </option>
                ))}
              </select>
              <p id={`${fields.segmentId.id}-help`} className="help">
                {t("playbooks.form.segmentHelp")}
              </p>
              <FieldErrors id={fields.segmentId.errorId} errors={fields.segmentId.errors} />
            </div>
            <TextField field={fields.holdOutPercent} label={t("playbooks.form.holdOut")} type="number" help={t("playbooks.form.holdOutHelp")} />
          </div>
          <fieldset className="field">
            <legend className="label">{t("playbooks.form.exits")}</legend>
            {exits.map(([field, label]) => (
              <div key={field.name} className="flex items-center gap-3">
                <input {...getInputProps(field, { type: "checkbox" })} key={field.key} className="h-4 w-4" />
                <label htmlFor={field.id}>{t(label)}</label>
              </div>
            ))}
            <p className="help">{t("playbooks.form.exitsHelp")}</p>
          </fieldset>
        </div>

        <fieldset className="card" aria-describedby={`${fields.steps.id}-help`}>
          <legend className="px-1 text-lg font-semibold">{t("playbooks.step.title")}</legend>
          <p id={`${fields.steps.id}-help`} className="help mb-4">
            {t("playbooks.step.help")}
          </p>
          {steps.length === 0 ? <p className="text-slate-700">{t("playbooks.step.none")}</p> : null}
          <ol className="space-y-4">
            {steps.map((step, index) => {
              const cells = step.getFieldset();
              const kind = (cells.kind.value ?? cells.kind.initialValue ?? "WAIT") as string;
              return (
                <li key={step.key ?? index} className="rounded-md border border-slate-200 p-3" data-testid="playbook-step">
                  <div className="flex items-center justify-between gap-4">
                    <p className="font-semibold">{t("playbooks.step.n", { n: index + 1, kind: t(`playbooks.step.kind.${kind}` as MessageKey) })}</p>
                    <button {...form.remove.getButtonProps({ name: fields.steps.name, index })} className="btn">
                      {t("playbooks.step.remove", { n: index + 1 })}
                    </button>
                  </div>
                  <input {...getInputProps(cells.kind, { type: "hidden" })} key={cells.kind.key} />
                  {kind === "WAIT" ? <TextField field={cells.days} label={t("playbooks.step.days")} type="number" /> : null}
                  {kind === "SEND" ? (
                    <div className="field">
                      <label htmlFor={cells.templateId.id} className="label">
                        {t("playbooks.step.template")}
                      </label>
                      <select {...getSelectProps(cells.templateId)} key={cells.templateId.key} className="input">
                        <option value="">{t("playbooks.step.templateNone")}</option>
                        {byReason.map((group) => (
                          <optgroup key={group.reason} label={t(`playbooks.trigger.${group.reason}` as MessageKey)}>
                            {group.templates.map((template) => (
                              <option key={template.id} value={template.id}>
                                {template.name}
                              </option>
                            ))}
                          </optgroup>
                        ))}
                      </select>
                      <FieldErrors id={cells.templateId.errorId} errors={cells.templateId.errors} />
                    </div>
                  ) : null}
                  {kind === "TASK" ? (
                    <div className="field">
                      <label htmlFor={cells.note.id} className="label">
                        {t("playbooks.step.note")}
                      </label>
                      <textarea {...getTextareaProps(cells.note)} key={cells.note.key} rows={2} className="input" />
                      <FieldErrors id={cells.note.errorId} errors={cells.note.errors} />
                    </div>
                  ) : null}
                  <FieldErrors id={cells.kind.errorId} errors={cells.kind.errors} />
                </li>
              );
            })}
          </ol>
          <FieldErrors id={fields.steps.errorId} errors={fields.steps.errors} />
          {steps.length < MAX_STEPS ? (
            <div className="mt-4 flex flex-wrap gap-3">
              <button {...form.insert.getButtonProps({ name: fields.steps.name, defaultValue: { kind: "WAIT", days: "3" } })} className="btn">
                {t("playbooks.step.addWait")}
              </button>
              <button {...form.insert.getButtonProps({ name: fields.steps.name, defaultValue: { kind: "SEND" } })} className="btn">
                {t("playbooks.step.addSend")}
              </button>
              <button {...form.insert.getButtonProps({ name: fields.steps.name, defaultValue: { kind: "TASK" } })} className="btn">
                {t("playbooks.step.addTask")}
              </button>
            </div>
          ) : null}
        </fieldset>

        {confirmMembers !== null ? (
          <div role="alert" className="rounded-md border border-amber-300 bg-amber-50 p-4 text-amber-900">
            <h2 className="text-lg font-semibold">{t("playbooks.confirm.title")}</h2>
            <p className="mt-1">{t("playbooks.confirm.body", { count: confirmMembers })}</p>
            <button type="submit" name="confirm" value="yes" className="btn btn-primary mt-3" disabled={busy}>
              {t("playbooks.confirm.yes")}
            </button>
          </div>
        ) : null}

        {canEdit ? (
          <button type="submit" className="btn btn-primary" disabled={busy}>
            {t("playbooks.form.save")}
          </button>
        ) : null}
      </fieldset>
    </Form>
  );
}
