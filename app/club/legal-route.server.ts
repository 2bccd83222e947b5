import { getViewer, notFound } from "~/auth/guards.server";
import { resolveLocale } from "~/i18n/locale.server";
import { withoutNul } from "~/ui/visible-text";
import type { LegalKind } from "./legal-form";
import { legalPage } from "./legal.server";

/** The loader of /rules and /privacy: ?version=N for an older one; 404 when there is none. */
export async function loadLegalPage(request: Request, kind: LegalKind) {
  const viewer = await getViewer(request);
  const locale = await resolveLocale(request, viewer?.user.locale);
  const version = new URL(request.url).searchParams.get("version");
  const page = await legalPage(kind, locale, version === null ? null : withoutNul(version));
  if (!page) throw notFound();
  return page;
}
