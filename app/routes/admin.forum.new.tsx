import { parseWithZod } from "@conform-to/zod/v4";
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { Link, useActionData, useLoaderData } from "@remix-run/react";
import { readForm, requireRole } from "~/auth/guards.server";
import { CategoryForm } from "~/forum/category-form";
import { nextCategoryPosition, saveCategory, tiersForAccess } from "~/forum/categories.server";
import { CategorySchema } from "~/forum/schemas";
import { metaTranslator, useT } from "~/i18n/i18n";

// Refusals render inside the layout, in the reader's language (docs/architecture.md, "Requests").
export { ErrorPage as ErrorBoundary } from "~/ui/error-page";

export const meta: MetaFunction = ({ matches }) => [{ title: metaTranslator(matches).t("forumAdmin.new") }];

export async function loader({ request }: LoaderFunctionArgs) {
  await requireRole(request, "OWNER");
  const [tiers, position] = await Promise.all([tiersForAccess(), nextCategoryPosition()]);
  return { tiers, position };
}

export async function action({ request }: ActionFunctionArgs) {
  const { user } = await requireRole(request, "OWNER");
  const submission = parseWithZod(await readForm(request), { schema: CategorySchema });
  if (submission.status !== "success") return data(submission.reply(), { status: 400 });
  const saved = await saveCategory(null, submission.value, user.id);
  if (!saved.ok) return data(submission.reply({ fieldErrors: { [saved.field]: [saved.error] } }), { status: 409 });
  return redirect("/admin/forum");
}

export default function NewForumCategory() {
  const { tiers, position } = useLoaderData<typeof loader>();
  const lastResult = useActionData<typeof action>();
  const t = useT();
  return (
    <div className="mx-auto max-w-3xl space-y-6">
      <p className="text-sm">
        <Link to="/admin/forum">{t("forumAdmin.title")}</Link>
      </p>
      <h1>{t("forumAdmin.new")}</h1>
      <CategoryForm
        defaults={{ slug: "", nameEn: "", nameRu: "", descriptionEn: "", descriptionRu: "", position, access: {} }}
        tiers={tiers}
        lastResult={lastResult}
        submitLabel={t("forumAdmin.create")}
      />
    </div>
  );
}
