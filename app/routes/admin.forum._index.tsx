import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { badRequest, readForm, requireRole } from "~/auth/guards.server";
import { adminCategories, moveCategory } from "~/forum/categories.server";
import { localized } from "~/forum/ui";
import { metaTranslator, useLocale, useT } from "~/i18n/i18n";

// Refusals render inside the layout, in the reader's language (docs/architecture.md, "Requests").
export { ErrorPage as ErrorBoundary } from "~/ui/error-page";

export const meta: MetaFunction = ({ matches }) => [{ title: metaTranslator(matches).t("forumAdmin.title") }];

export async function loader({ request }: LoaderFunctionArgs) {
  await requireRole(request, "OWNER");
  const categories = await adminCategories();
  return {
    categories: categories.map((category) => ({
      id: category.id,
      slug: category.slug,
      nameEn: category.nameEn,
      nameRu: category.nameRu,
      threadCount: category.threadCount,
      tiers: category.tiers.map((row) => ({ nameEn: row.tier.nameEn, nameRu: row.tier.nameRu, canPost: row.canPost })),
    })),
  };
}

export async function action({ request }: ActionFunctionArgs) {
  const { user } = await requireRole(request, "OWNER");
  const formData = await readForm(request);
  const intent = formData.get("intent");
  const categoryId = String(formData.get("categoryId") ?? "");
  if (intent !== "up" && intent !== "down") throw badRequest();
  await moveCategory(categoryId, intent, user.id);
  return redirect("/admin/forum");
}

export default function ForumCategoriesAdmin() {
  const { categories } = useLoaderData<typeof loader>();
  const t = useT();
  const locale = useLocale();
  return (
    <div className="space-y-6">
      <div className="flex flex-wrap items-center justify-between gap-4">
        <h1>{t("forumAdmin.title")}</h1>
        <Link to="/admin/forum/new" className="btn btn-primary">
          {t("forumAdmin.new")}
        </Link>
      </div>
      <p className="text-slate-700">{t("forumAdmin.intro")}</p>
      {categories.length ? (
        <div className="overflow-x-auto rounded-lg border border-stone-200 bg-white">
          <table className="table">
            <thead>
              <tr>
                <th scope="col">{t("forumAdmin.column.order")}</th>
                <th scope="col">{t("forumAdmin.column.name")}</th>
                <th scope="col">{t("forumAdmin.column.address")}</th>
                <th scope="col">{t("forumAdmin.column.access")}</th>
                <th scope="col">{t("forumAdmin.column.threads")}</th>
              </tr>
            </thead>
            <tbody>
              {categories.map((category, index) => {
                const name = localized(locale, category);
                return (
                  <tr key={category.id}>
                    <td>
                      <Form method="post" className="flex gap-1">
                        <input type="hidden" name="categoryId" value={category.id} />
                        <button
                          type="submit"
                          name="intent"
                          value="up"
                          className="btn btn-secondary px-2"
                          disabled={index === 0}
                          aria-label={t("forumAdmin.moveUp", { name })}
                        >
                          ↑
                        </button>
                        <button
                          type="submit"
                          name="intent"
                          value="down"
                          className="btn btn-secondary px-2"
                          disabled={index === categories.length - 1}
                          aria-label={t("forumAdmin.moveDown", { name })}
                        >
                          ↓
                        </button>
                      </Form>
                    </td>
                    <td>
                      <Link to={`/admin/forum/${category.id}`} aria-label={t("forumAdmin.edit", { name })}>
                        {name}
                      </Link>
                      <span className="block text-xs text-slate-700">{locale === "ru" ? category.nameEn : category.nameRu}</span>
                    </td>
                    <td>
                      <code>/forum/{category.slug}</code>
                    </td>
                    <td>
                      {category.tiers.length ? (
                        <ul>
                          {category.tiers.map((tier) => (
                            <li key={tier.nameEn}>
                              {localized(locale, tier)}: {t(tier.canPost ? "forumAdmin.access.post" : "forumAdmin.access.read")}
                            </li>
                          ))}
                        </ul>
                      ) : (
                        t("forumAdmin.staffOnly")
                      )}
                    </td>
                    <td>{category.threadCount}</td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      ) : (
        <p className="card">{t("forumAdmin.none")}</p>
      )}
    </div>
  );
}
