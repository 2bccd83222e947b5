import { env } from "~/env.server";
import type { Locale } from "~/i18n/dictionary";
import { LINK_LANGUAGE_PARAM } from "~/i18n/locale.server";

/**
 * An absolute link into the portal, for emails. With `locale`, the link carries the language
 * it was sent in (`?lang=`), and the page it opens is in that language until the person chooses one.
 */
export function absoluteUrl(path: string, locale?: Locale): string {
  const url = new URL(path, env().APP_URL);
  if (locale) url.searchParams.set(LINK_LANGUAGE_PARAM, locale);
  return url.toString();
}

export const links = {
  applicationVerify: (token: string, locale?: Locale) => absoluteUrl(`/apply/verify/${token}`, locale),
  applicationStatus: (token: string, locale?: Locale) => absoluteUrl(`/apply/status/${token}`, locale),
  invite: (token: string, locale?: Locale) => absoluteUrl(`/invite/${token}`, locale),
  vouchedApply: (token: string, locale?: Locale) => absoluteUrl(`/apply?vouch=${token}`, locale),
  passwordReset: (token: string, locale?: Locale) => absoluteUrl(`/reset-password/${token}`, locale),
  forgotPassword: (locale?: Locale) => absoluteUrl("/forgot-password", locale),
  emailVerification: (token: string, locale?: Locale) => absoluteUrl(`/verify-email/${token}`, locale),
};
