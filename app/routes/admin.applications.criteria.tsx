import { getFormProps, getInputProps, getSelectProps, useForm, type SubmissionResult } from "@conform-to/react";
import { getZodConstraint, parseWithZod } from "@conform-to/zod/v4";
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import {
  allCriteria,
  createCriterion,
  moveCriterion,
  removeCriterion,
  restoreCriterion,
  updateCriterion,
} from "~/admission/criteria.server";
import { CriterionSchema, type CriterionInput } from "~/admission/criterion-form";
import { badRequest, notFound, readForm, requireRole } from "~/auth/guards.server";
import { metaTranslator, useT } from "~/i18n/i18n";
import { FORM_VALIDATION, FieldErrors, TextAreaField, TextField } from "~/ui/form";

export const meta: MetaFunction = ({ matches }) => [{ title: metaTranslator(matches).t("admission.criteria.title") }];

/** The owner's selection criteria: what the application form asks, and what reviewers score. */
export async function loader({ request }: LoaderFunctionArgs) {
  const { user } = await requireRole(request, "OWNER");
  const criteria = await allCriteria();
  return {
    locale: user.locale,
    criteria: criteria.map((c) => ({
      id: c.id,
      titleEn: c.titleEn,
      titleRu: c.titleRu,
      descriptionEn: c.descriptionEn,
      descriptionRu: c.descriptionRu,
      kind: c.kind,
      optionsEn: c.optionsEn.join("\n"),
      optionsRu: c.optionsRu.join("\n"),
      required: c.required,
      archived: Boolean(c.archivedAt),
      answers: c._count.answers,
    })),
  };
}

type ActionResult =
  | { formId: string; result: SubmissionResult<string[]> }
  | { notice: "saved" | "removed" | "archived" | null };

export async function action({ request }: ActionFunctionArgs) {
  const { user } = await requireRole(request, "OWNER");
  const formData = await readForm(request);
  const intent = formData.get("intent");
  const id = String(formData.get("criterionId") ?? "");

  if (intent === "create" || intent === "update") {
    const formId = intent === "create" ? "new-criterion" : `criterion-${id}`;
    const submission = parseWithZod(formData, { schema: CriterionSchema });
    if (submission.status !== "success") return data<ActionResult>({ formId, result: submission.reply() }, { status: 400 });
    if (intent === "create") {
      await createCriterion(submission.value, user.id);
      return data<ActionResult>({ formId, result: submission.reply({ resetForm: true }) });
    }
    const updated = await updateCriterion(id, submission.value, user.id);
    if (!updated.ok && "notFound" in updated) throw notFound();
    if (!updated.ok) {
      return data<ActionResult>(
        { formId, result: submission.reply({ fieldErrors: { [updated.field]: [updated.message] } }) },
        { status: 409 },
      );
    }
    return data<ActionResult>({ formId, result: submission.reply() });
  }
  if (intent === "up" || intent === "down") {
    await moveCriterion(id, intent, user.id);
    return data<ActionResult>({ notice: null });
  }
  if (intent === "remove") {
    const outcome = await removeCriterion(id, user.id);
    if (outcome === "missing") throw notFound();
    return data<ActionResult>({ notice: outcome === "deleted" ? "removed" : "archived" });
  }
  if (intent === "restore") {
    await restoreCriterion(id, user.id);
    return data<ActionResult>({ notice: null });
  }
  throw badRequest();
}

type CriterionRow = ReturnType<typeof useLoaderData<typeof loader>>["criteria"][number];

export default function CriteriaSettings() {
  const { criteria, locale } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const t = useT();
  const resultFor = (formId: string) => (actionData && "formId" in actionData && actionData.formId === formId ? actionData.result : undefined);
  const notice = actionData && "notice" in actionData ? actionData.notice : null;
  const active = criteria.filter((c) => !c.archived);
  return (
    <div className="space-y-6">
      <p>
        <Link to="/admin/applications">{t("admission.criteria.back")}</Link>
      </p>
      <h1>{t("admission.criteria.title")}</h1>
      <p className="text-slate-700">{t("admission.criteria.intro")}</p>
      {notice ? (
        <p role="status" className="rounded-md border border-green-300 bg-green-50 p-3 text-green-900">
          {t(notice === "removed" ? "admission.criteria.removed" : notice === "archived" ? "admission.criteria.archivedNotice" : "admission.criteria.saved")}
        </p>
      ) : null}
      {criteria.length === 0 ? <p className="card">{t("admission.criteria.none")}</p> : null}
      <ol className="space-y-4">
        {criteria.map((criterion) => {
          const title = locale === "ru" ? criterion.titleRu : criterion.titleEn;
          const index = active.findIndex((c) => c.id === criterion.id);
          return (
            <li key={criterion.id} className="card">
              <div className="flex flex-wrap items-start justify-between gap-3">
                <div>
                  <h2>{title}</h2>
                  <p className="mt-1 flex flex-wrap gap-2 text-sm">
                    <span className="badge">{t(`admission.criteria.kind.${criterion.kind}`)}</span>
                    <span className="badge bg-stone-200 text-slate-900">
                      {t(criterion.required ? "admission.criteria.requiredBadge" : "admission.criteria.optionalBadge")}
                    </span>
                    {criterion.archived ? <span className="badge bg-amber-100 text-amber-900">{t("admission.criteria.archivedBadge")}</span> : null}
                    <span className="text-slate-700">{t("admission.criteria.answers", { count: criterion.answers })}</span>
                  </p>
                </div>
                <Form method="post" className="flex flex-wrap gap-2">
                  <input type="hidden" name="criterionId" value={criterion.id} />
                  {criterion.archived ? (
                    <button type="submit" name="intent" value="restore" className="btn btn-secondary">
                      {t("admission.criteria.restore")}
                      <span className="sr-only">: {title}</span>
                    </button>
                  ) : (
                    <>
                      {index > 0 ? (
                        <button type="submit" name="intent" value="up" className="btn btn-secondary">
                          {t("admission.criteria.moveUp")}
                          <span className="sr-only">: {title}</span>
                        </button>
                      ) : null}
                      {index < active.length - 1 ? (
                        <button type="submit" name="intent" value="down" className="btn btn-secondary">
                          {t("admission.criteria.moveDown")}
                          <span className="sr-only">: {title}</span>
                        </button>
                      ) : null}
                      <button type="submit" name="intent" value="remove" className="btn btn-danger">
                        {t("admission.criteria.remove")}
                        <span className="sr-only">: {title}</span>
                      </button>
                    </>
                  )}
                </Form>
              </div>
              <details className="mt-4" open={Boolean(resultFor(`criterion-${criterion.id}`)?.error)}>
                <summary className="cursor-pointer font-medium text-indigo-800">{t("admission.criteria.edit", { title })}</summary>
                <CriterionEditor criterion={criterion} lastResult={resultFor(`criterion-${criterion.id}`)} />
              </details>
            </li>
          );
        })}
      </ol>
      <section className="card" aria-labelledby="add-criterion">
        <h2 id="add-criterion" className="mb-4">
          {t("admission.criteria.add")}
        </h2>
        <CriterionEditor lastResult={resultFor("new-criterion")} />
      </section>
    </div>
  );
}

function CriterionEditor({ criterion, lastResult }: { criterion?: CriterionRow; lastResult: SubmissionResult<string[]> | undefined }) {
  const t = useT();
  const formId = criterion ? `criterion-${criterion.id}` : "new-criterion";
  const [form, fields] = useForm<CriterionInput>({
    id: formId,
    lastResult,
    defaultValue: criterion
      ? { ...criterion, intent: "update", criterionId: criterion.id }
      : { intent: "create", kind: "TEXT", required: false },
    constraint: getZodConstraint(CriterionSchema),
    onValidate: ({ formData }) => parseWithZod(formData, { schema: CriterionSchema }),
    ...FORM_VALIDATION,
  });
  return (
    <Form method="post" {...getFormProps(form)} className="mt-4">
      <input type="hidden" name="intent" value={criterion ? "update" : "create"} />
      {criterion ? <input type="hidden" name="criterionId" value={criterion.id} /> : null}
      <div className="grid gap-x-6 md:grid-cols-2">
        <TextField field={fields.titleEn} label={t("admission.criteria.titleEn")} />
        <TextField field={fields.titleRu} label={t("admission.criteria.titleRu")} />
        <TextAreaField field={fields.descriptionEn} label={t("admission.criteria.descriptionEn")} rows={3} />
        <TextAreaField field={fields.descriptionRu} label={t("admission.criteria.descriptionRu")} rows={3} />
      </div>
      <div className="field">
        <label htmlFor={fields.kind.id} className="label">
          {t("admission.criteria.kind")}
        </label>
        <select {...getSelectProps(fields.kind)} className="input">
          {(["TEXT", "CHOICE", "SCALE"] as const).map((kind) => (
            <option key={kind} value={kind}>
              {t(`admission.criteria.kind.${kind}`)}
            </option>
          ))}
        </select>
        <FieldErrors id={fields.kind.errorId} errors={fields.kind.errors} />
      </div>
      <div className="grid gap-x-6 md:grid-cols-2">
        <TextAreaField field={fields.optionsEn} label={t("admission.criteria.optionsEn")} help={t("admission.criteria.optionsHelp")} rows={4} />
        <TextAreaField field={fields.optionsRu} label={t("admission.criteria.optionsRu")} help={t("admission.criteria.optionsHelp")} rows={4} />
      </div>
      <div className="field flex items-center gap-2">
        <input {...getInputProps(fields.required, { type: "checkbox" })} className="h-4 w-4" />
        <label htmlFor={fields.required.id}>{t("admission.criteria.required")}</label>
      </div>
      <button type="submit" className="btn btn-primary">
        {t(criterion ? "admission.criteria.save" : "admission.criteria.create")}
      </button>
    </Form>
  );
}
