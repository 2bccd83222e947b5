import type { SubmissionResult } from "@conform-to/react";
import { parseWithZod } from "@conform-to/zod/v4";
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation, useSearchParams } from "@remix-run/react";
import { badRequest, notFound, readForm, requireRole, requireStaff } from "~/auth/guards.server";
import { metaTranslator, useLocale, useT } from "~/i18n/i18n";
import { archiveTemplate, readTemplate, saveTemplate } from "~/playbooks/editor.server";
import { templateSchema } from "~/playbooks/forms";
import { TemplateForm } from "~/playbooks/template-form";

export { ErrorPage as ErrorBoundary } from "~/ui/error-page";

export const meta: MetaFunction<typeof loader> = ({ data: page, matches }) => [{ title: page?.template.name ?? metaTranslator(matches).t("playbooks.templates.title") }];

/** One template: owners edit or archive it ("delete"), curators read it. An archived template is 404. */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const { user } = await requireStaff(request);
  const template = await readTemplate(params.templateId ?? "");
  if (!template) throw notFound();
  const { id, name, reason, subjectEn, bodyEn, subjectRu, bodyRu } = template;
  return { template: { id, name, reason, subjectEn, bodyEn, subjectRu, bodyRu }, isOwner: user.role === "OWNER" };
}

type ActionResult = { result: SubmissionResult<string[]> | null; saved: boolean; inUse: string[] | null };

export async function action({ request, params }: ActionFunctionArgs) {
  const { user } = await requireRole(request, "OWNER");
  const id = params.templateId ?? "";
  const form = await readForm(request);
  const intent = form.get("intent");
  if (intent === "archive") {
    const archived = await archiveTemplate(user.id, id);
    if (archived.status === "missing") throw notFound();
    if (archived.status === "inUse") return data<ActionResult>({ result: null, saved: false, inUse: archived.playbooks }, { status: 409 });
    throw redirect("/admin/playbooks/templates?archived=1");
  }
  if (intent !== "save") throw badRequest();
  const submission = parseWithZod(form, { schema: templateSchema });
  if (submission.status !== "success") return data<ActionResult>({ result: submission.reply(), saved: false, inUse: null }, { status: 400 });
  const saved = await saveTemplate(user.id, id, submission.value);
  if (saved.status === "missing") throw notFound();
  if (saved.status === "invalid") return data<ActionResult>({ result: submission.reply({ fieldErrors: saved.fieldErrors }), saved: false, inUse: null }, { status: 400 });
  return data<ActionResult>({ result: submission.reply(), saved: true, inUse: null });
}

export default function TemplatePage() {
  const { template, isOwner } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const [search] = useSearchParams();
  const navigation = useNavigation();
  const t = useT();
  const locale = useLocale();
  const quote = (name: string) => (locale === "ru" ? `«${name}»` : `“${name}”`);
  const saved = actionData?.saved || (search.get("saved") === "1" && !actionData);
  return (
    <div className="mx-auto max-w-4xl space-y-6">
      <p className="text-sm">
        <Link to="/admin/playbooks/templates">{t("playbooks.templates.back")}</Link>
      </p>
      <h1>{template.name}</h1>
      {saved ? (
        <p role="status" className="text-green-800">
          {t("playbooks.template.saved")}
        </p>
      ) : null}
      {!isOwner ? <p className="text-slate-700">{t("playbooks.readOnly")}</p> : null}
      <TemplateForm key={template.id} defaultValue={template} lastResult={actionData?.result} canEdit={isOwner} />
      {isOwner ? (
        <Form method="post" className="card space-y-2">
          <input type="hidden" name="intent" value="archive" />
          {actionData?.inUse ? (
            <p role="alert" className="text-red-700">
              {t("playbooks.template.inUse", { count: actionData.inUse.length, playbooks: actionData.inUse.map(quote).join(", ") })}
            </p>
          ) : null}
          <p className="help">{t("playbooks.template.archiveHelp")}</p>
          <button type="submit" className="btn" disabled={navigation.state === "submitting"}>
            {t("playbooks.template.archive")}
          </button>
        </Form>
      ) : null}
    </div>
  );
}
