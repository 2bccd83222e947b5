import type { LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import {
  Form,
  Link,
  Links,
  Meta,
  NavLink,
  Outlet,
  Scripts,
  ScrollRestoration,
  useLoaderData,
  useLocation,
  useRouteLoaderData,
} from "@remix-run/react";
import stylesheet from "../styles/app.css";
import { getViewer, isStaff } from "~/auth/guards.server";
import { PastDueBanner } from "~/billing/past-due-banner";
import { getClubSettings, LAYOUT_SETTINGS_MAX_AGE_MS } from "~/club.server";
import { SurveyPrompt } from "~/metrics/survey-prompt";
import { layoutMetrics } from "~/metrics/survey.server";
import { resolveLocale } from "~/i18n/locale.server";
import { useT, type Locale } from "~/i18n/i18n";
import { ErrorPage } from "~/ui/error-page";
import { useNonce } from "~/ui/nonce";
import { NotificationBell } from "~/notifications/bell";

export const links: LinksFunction = () => [
  { rel: "stylesheet", href: stylesheet },
  { rel: "icon", href: "/favicon.svg", type: "image/svg+xml" },
];

export async function loader({ request }: LoaderFunctionArgs) {
  const [viewer, club] = await Promise.all([getViewer(request), getClubSettings({ maxAgeMs: LAYOUT_SETTINGS_MAX_AGE_MS })]);
  const [locale, metrics] = await Promise.all([resolveLocale(request, viewer?.user.locale), layoutMetrics(viewer)]);
  return {
    locale,
    timeZone: club.timeZone,
    club: { name: club.name, tagline: locale === "ru" ? club.taglineRu : club.taglineEn },
    metrics,
    viewer: viewer
      ? {
          id: viewer.user.id,
          name: viewer.user.name,
          role: viewer.user.role,
          isStaff: isStaff(viewer.user),
          tier: viewer.membership
            ? { slug: viewer.membership.tier.slug, name: locale === "ru" ? viewer.membership.tier.nameRu : viewer.membership.tier.nameEn }
            : null,
          graceEndsAt: viewer.membership?.graceEndsAt ?? null,
          unreadNotifications: viewer.unreadNotifications ?? 0,
        }
      : null,
  };
}

export type RootLoaderData = Awaited<ReturnType<typeof loader>>;

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: data?.club.name ?? "Coterie" },
  { name: "description", content: data?.club.tagline ?? "" },
];

export function Layout({ children }: { children: React.ReactNode }) {
  const data = useRouteLoaderData<RootLoaderData>("root");
  const nonce = useNonce();
  return (
    <html lang={data?.locale ?? "en"} className="h-full">
      <head>
        <meta charSet="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <Meta />
        <Links />
        {/* Zod reads this when the route modules build their schemas: without it, it probes
            `new Function("")` to see whether it may compile parsers, the CSP refuses (no eval),
            and Chrome logs the refusal as an issue (Lighthouse best practices). */}
        <script nonce={nonce} dangerouslySetInnerHTML={{ __html: "globalThis.__zod_globalConfig={jitless:true}" }} />
      </head>
      <body className="flex min-h-full flex-col bg-stone-50 text-slate-900">
        {children}
        <ScrollRestoration nonce={nonce} />
        <Scripts nonce={nonce} />
      </body>
    </html>
  );
}

function LanguageSwitch({ locale }: { locale: Locale }) {
  const t = useT();
  const location = useLocation();
  const other: Locale = locale === "en" ? "ru" : "en";
  return (
    <Form method="post" action="/language" className="inline">
      <input type="hidden" name="locale" value={other} />
      <input type="hidden" name="redirectTo" value={`${location.pathname}${location.search}`} />
      <button type="submit" className="nav-link" lang={other} aria-label={`${t("nav.language")}: ${t(`lang.${other}`)}`}>
        {other === "ru" ? "RU" : "EN"}
      </button>
    </Form>
  );
}

function Header({ data }: { data: RootLoaderData }) {
  const t = useT();
  const { viewer } = data;
  const nav = viewer
    ? [
        { to: "/forum", label: t("nav.forum") },
        { to: "/roadmap", label: t("nav.roadmap") },
        { to: "/billing", label: t("nav.billing") },
        ...(viewer.isStaff ? [{ to: "/admin", label: t("nav.admin") }] : []),
      ]
    : [];
  return (
    <header className="border-b border-stone-200 bg-white">
      <div className="mx-auto flex max-w-6xl flex-wrap items-center gap-x-6 gap-y-2 px-4 py-3">
        <Link to="/" className="mr-auto text-lg font-semibold tracking-tight text-indigo-900">
          {data.club.name}
        </Link>
        {nav.length ? (
          <nav aria-label={t("nav.main")} className="order-last w-full sm:order-none sm:w-auto">
            <ul className="flex flex-wrap gap-1">
              {nav.map((item) => (
                <li key={item.to}>
                  <NavLink to={item.to} className={({ isActive }) => `nav-link ${isActive ? "nav-link-active" : ""}`}>
                    {item.label}
                  </NavLink>
                </li>
              ))}
            </ul>
          </nav>
        ) : null}
        <div className="flex items-center gap-2">
          <LanguageSwitch locale={data.locale} />
          {viewer ? (
            <>
              <NotificationBell unread={viewer.unreadNotifications} />
              <NavLink to="/account" className="nav-link">
                {/* A name may be one long word: it is cut short here rather than widening the page. */}
                <span className="max-w-48 truncate">{viewer.name}</span>
                {viewer.tier ? <span className="badge ml-2">{viewer.tier.name}</span> : null}
              </NavLink>
              <Form method="post" action="/logout">
                <button type="submit" className="nav-link">
                  {t("nav.signOut")}
                </button>
              </Form>
            </>
          ) : (
            <>
              <Link to="/login" className="nav-link">
                {t("nav.signIn")}
              </Link>
              <Link to="/apply" className="btn btn-primary">
                {t("nav.apply")}
              </Link>
            </>
          )}
        </div>
      </div>
    </header>
  );
}

function Shell({ children }: { children: React.ReactNode }) {
  const data = useRouteLoaderData<RootLoaderData>("root");
  const t = useT();
  return (
    <>
      <a href="#main" className="skip-link">
        {t("nav.skip")}
      </a>
      {data ? <Header data={data} /> : null}
      {data ? <SurveyPrompt due={data.metrics.surveyDue} clubName={data.club.name} /> : null}
      <main id="main" tabIndex={-1} className="mx-auto w-full max-w-6xl flex-1 px-4 py-8 focus:outline-none">
        {data?.viewer?.graceEndsAt ? <PastDueBanner graceEndsAt={data.viewer.graceEndsAt} /> : null}
        {children}
      </main>
      <footer className="border-t border-stone-200 bg-white">
        <div className="mx-auto max-w-6xl px-4 py-6 text-sm text-slate-600">
          {data?.club.name ?? "Coterie"} · {t("footer.rights")}
        </div>
      </footer>
    </>
  );
}

export default function App() {
  useLoaderData<typeof loader>();
  return (
    <Shell>
      <Outlet />
    </Shell>
  );
}

export function ErrorBoundary() {
  return (
    <Shell>
      <ErrorPage />
    </Shell>
  );
}
