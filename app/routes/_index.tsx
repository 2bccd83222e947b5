import type { LoaderFunctionArgs } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { getViewer } from "~/auth/guards.server";
import { getClubSettings, LAYOUT_SETTINGS_MAX_AGE_MS } from "~/club.server";
import { resolveLocale } from "~/i18n/locale.server";
import { useT } from "~/i18n/i18n";

export async function loader({ request }: LoaderFunctionArgs) {
  const [viewer, club] = await Promise.all([getViewer(request), getClubSettings({ maxAgeMs: LAYOUT_SETTINGS_MAX_AGE_MS })]);
  const locale = await resolveLocale(request, viewer?.user.locale);
  return {
    signedInAs: viewer?.user.name ?? null,
    name: club.name,
    tagline: locale === "ru" ? club.taglineRu : club.taglineEn,
    about: (locale === "ru" ? club.aboutRu : club.aboutEn).split(/\n{2,}/).filter(Boolean),
  };
}

export default function Landing() {
  const { signedInAs, name, tagline, about } = useLoaderData<typeof loader>();
  const t = useT();
  return (
    <div className="space-y-12">
      <section className="rounded-2xl bg-indigo-950 px-6 py-14 text-white sm:px-12">
        <h1 className="text-4xl font-bold sm:text-5xl">{name}</h1>
        <p className="mt-4 max-w-2xl text-lg text-indigo-100">{tagline}</p>
        <div className="mt-8 flex flex-wrap gap-3">
          {signedInAs ? (
            <>
              <p className="w-full text-indigo-100">{t("landing.welcomeBack", { name: signedInAs })}</p>
              <Link to="/forum" className="btn bg-white text-indigo-950 hover:bg-indigo-50">
                {t("landing.goForum")}
              </Link>
            </>
          ) : (
            <>
              <Link to="/apply" className="btn bg-white text-indigo-950 hover:bg-indigo-50">
                {t("landing.apply")}
              </Link>
              <Link to="/login" className="btn border border-indigo-300 text-white hover:bg-indigo-900">
                {t("landing.signIn")}
              </Link>
            </>
          )}
        </div>
      </section>
      {about.length ? (
        <section className="max-w-3xl space-y-4 text-lg text-slate-800">
          {about.map((paragraph) => (
            <p key={paragraph}>{paragraph}</p>
          ))}
        </section>
      ) : null}
      <section aria-labelledby="pillars" className="grid gap-4 sm:grid-cols-3">
        <h2 id="pillars" className="sr-only">
          {t("landing.pillars.title")}
        </h2>
        {(["forum", "roadmap", "people"] as const).map((key) => (
          <div key={key} className="card">
            <p>{t(`landing.pillars.${key}`)}</p>
          </div>
        ))}
      </section>
      <section aria-labelledby="how" className="card">
        <h2 id="how">{t("landing.how.title")}</h2>
        <ol className="mt-4 list-decimal space-y-2 pl-6">
          <li>{t("landing.how.apply")}</li>
          <li>{t("landing.how.review")}</li>
          <li>{t("landing.how.join")}</li>
        </ol>
      </section>
    </div>
  );
}
