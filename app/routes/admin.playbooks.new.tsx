import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { Link, useActionData, useLoaderData } from "@remix-run/react";
import { readForm, requireRole } from "~/auth/guards.server";
import { metaTranslator, useT } from "~/i18n/i18n";
import { editorChoices, submitPlaybook } from "~/playbooks/editor.server";
import { PlaybookForm } from "~/playbooks/playbook-form";

export { ErrorPage as ErrorBoundary } from "~/ui/error-page";

export const meta: MetaFunction = ({ matches }) => [{ title: metaTranslator(matches).t("playbooks.new") }];

export async function loader({ request }: LoaderFunctionArgs) {
  await requireRole(request, "OWNER");
  return { choices: await editorChoices() };
}

export async function action({ request }: ActionFunctionArgs) {
  const { user } = await requireRole(request, "OWNER");
  const outcome = await submitPlaybook(user.id, null, await readForm(request));
  if (outcome.saved) throw redirect(`/admin/playbooks/${outcome.saved.id}?saved=1`);
  return data({ result: outcome.result, confirm: outcome.confirm }, { status: outcome.status });
}

export default function NewPlaybook() {
  const { choices } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const t = useT();
  return (
    <div className="mx-auto max-w-3xl space-y-6">
      <p className="text-sm">
        <Link to="/admin/playbooks">{t("playbooks.back")}</Link>
      </p>
      <h1>{t("playbooks.new")}</h1>
      <PlaybookForm
        defaultValue={{ trigger: "INACTIVE", triggerDays: "21", holdOutPercent: "10", exitOnReturn: "on", steps: [] }}
        lastResult={actionData?.result}
        choices={choices}
        confirmMembers={actionData?.confirm ?? null}
        canEdit
      />
    </div>
  );
}
