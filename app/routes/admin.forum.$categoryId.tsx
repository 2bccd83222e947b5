import { parseWithZod } from "@conform-to/zod/v4";
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { readForm, requireRole } from "~/auth/guards.server";
import { CategoryForm } from "~/forum/category-form";
import { categoryForEdit, deleteCategory, saveCategory, tiersForAccess } from "~/forum/categories.server";
import { CategorySchema } from "~/forum/schemas";
import { localized } from "~/forum/ui";
import { translator } from "~/i18n/dictionary";
import { metaTranslator, useLocale, useT } from "~/i18n/i18n";
import { FormErrors } from "~/ui/form";

// Refusals render inside the layout, in the reader's language (docs/architecture.md, "Requests").
export { ErrorPage as ErrorBoundary } from "~/ui/error-page";

export const meta: MetaFunction<typeof loader> = ({ data, matches }) => {
  const { t, locale } = metaTranslator(matches);
  return [{ title: data ? t("forumAdmin.editTitle", { name: localized(locale, data.category) }) : t("forumAdmin.title") }];
};

export async function loader({ request, params }: LoaderFunctionArgs) {
  await requireRole(request, "OWNER");
  const [{ category, access }, tiers] = await Promise.all([categoryForEdit(params.categoryId ?? ""), tiersForAccess()]);
  return {
    category: {
      id: category.id,
      slug: category.slug,
      nameEn: category.nameEn,
      nameRu: category.nameRu,
      descriptionEn: category.descriptionEn,
      descriptionRu: category.descriptionRu,
      position: category.position,
      access,
    },
    tiers,
  };
}

export async function action({ request, params }: ActionFunctionArgs) {
  const { user } = await requireRole(request, "OWNER");
  const { category } = await categoryForEdit(params.categoryId ?? "");
  const formData = await readForm(request);
  if (formData.get("intent") === "delete") {
    const { ok } = await deleteCategory(category.id, user.id);
    if (!ok) return data({ deleteError: translator(user.locale)("forumAdmin.notEmpty") }, { status: 409 });
    return redirect("/admin/forum");
  }
  const submission = parseWithZod(formData, { schema: CategorySchema });
  if (submission.status !== "success") return data(submission.reply(), { status: 400 });
  const saved = await saveCategory(category.id, submission.value, user.id);
  if (!saved.ok) return data(submission.reply({ fieldErrors: { [saved.field]: [saved.error] } }), { status: 409 });
  return redirect("/admin/forum");
}

export default function EditForumCategory() {
  const { category, tiers } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const t = useT();
  const locale = useLocale();
  const lastResult = actionData && "status" in actionData ? actionData : undefined;
  const deleteError = actionData && "deleteError" in actionData ? actionData.deleteError : null;
  return (
    <div className="mx-auto max-w-3xl space-y-6">
      <p className="text-sm">
        <Link to="/admin/forum">{t("forumAdmin.title")}</Link>
      </p>
      <h1>{t("forumAdmin.editTitle", { name: localized(locale, category) })}</h1>
      <CategoryForm defaults={category} tiers={tiers} lastResult={lastResult} submitLabel={t("forumAdmin.save")} />
      <section aria-labelledby="delete-category" className="card border-red-200">
        <h2 id="delete-category">{t("forumAdmin.delete")}</h2>
        <p className="mt-2 text-slate-700">{t("forumAdmin.deleteHelp")}</p>
        <FormErrors id="delete-category-error" errors={deleteError ? [deleteError] : undefined} />
        <Form method="post" className="mt-4">
          <button type="submit" name="intent" value="delete" className="btn btn-danger">
            {t("forumAdmin.delete")}
          </button>
        </Form>
      </section>
    </div>
  );
}
