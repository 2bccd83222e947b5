/**
 * The consent box of /apply and /invite/:token ("I accept the club rules (version N) and the
 * privacy notice (version M)"), for every spec that sends those forms. The demo club has
 * published both texts, so the box is always there in e2e.
 */
import type { Page } from "@playwright/test";

export const CLUB_TERMS_LABEL = { en: /^I accept the club rules/, ru: /^Я принимаю правила клуба/ } as const;

/** Ticks the box, in the page's language. */
export async function acceptClubTerms(page: Page, lang: keyof typeof CLUB_TERMS_LABEL = "en") {
  await page.getByRole("checkbox", { name: CLUB_TERMS_LABEL[lang] }).check();
}
