import { parseWithZod } from "@conform-to/zod/v4";
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { Link, useActionData } from "@remix-run/react";
import { readForm, requireRole } from "~/auth/guards.server";
import { metaTranslator, useT } from "~/i18n/i18n";
import { saveTemplate } from "~/playbooks/editor.server";
import { templateSchema } from "~/playbooks/forms";
import { TemplateForm } from "~/playbooks/template-form";

export { ErrorPage as ErrorBoundary } from "~/ui/error-page";

export const meta: MetaFunction = ({ matches }) => [{ title: metaTranslator(matches).t("playbooks.templates.new") }];

export async function loader({ request }: LoaderFunctionArgs) {
  await requireRole(request, "OWNER");
  return null;
}

export async function action({ request }: ActionFunctionArgs) {
  const { user } = await requireRole(request, "OWNER");
  const submission = parseWithZod(await readForm(request), { schema: templateSchema });
  if (submission.status !== "success") return data({ result: submission.reply() }, { status: 400 });
  const saved = await saveTemplate(user.id, null, submission.value);
  if (saved.status !== "saved") throw new Response("Not found", { status: 404 });
  throw redirect(`/admin/playbooks/templates/${saved.id}?saved=1`);
}

export default function NewTemplate() {
  const actionData = useActionData<typeof action>();
  const t = useT();
  return (
    <div className="mx-auto max-w-4xl space-y-6">
      <p className="text-sm">
        <Link to="/admin/playbooks/templates">{t("playbooks.templates.back")}</Link>
      </p>
      <h1>{t("playbooks.templates.new")}</h1>
      <TemplateForm defaultValue={{ reason: "INACTIVE" }} lastResult={actionData?.result} canEdit />
    </div>
  );
}
