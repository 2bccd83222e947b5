import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { LegalPage } from "~/club/legal-page";
import { loadLegalPage } from "~/club/legal-route.server";
import { metaTranslator } from "~/i18n/i18n";

export const meta: MetaFunction = ({ matches }) => [{ title: metaTranslator(matches).t("club.legal.kind.RULES") }];

export function loader({ request }: LoaderFunctionArgs) {
  return loadLegalPage(request, "RULES");
}

export default LegalPage;
