import { DEFAULT_CLUB } from "~/club.server";
import { translator, type Locale } from "~/i18n/dictionary";
import { escapeHtml } from "~/ui/escape-html";

/** The club's sign-off that closes every email, in the recipient's language. */
export function emailSignOff(locale: Locale, club: string = DEFAULT_CLUB.name): string {
  return translator(locale)("email.signOff", { club });
}

/** The HTML version of every email: the text's paragraphs, escaped, an optional button, and the club's sign-off. */
export function renderEmailHtml({
  subject,
  text,
  action,
  locale,
  club,
}: {
  subject: string;
  text: string;
  action?: { label: string; url: string };
  locale: Locale;
  club?: string;
}): string {
  const paragraphs = text
    .split(/\n{2,}/)
    .map((p) => `<p style="margin:0 0 16px">${escapeHtml(p).replace(/\n/g, "<br>")}</p>`)
    .join("");
  const button = action
    ? `<p style="margin:24px 0"><a href="${escapeHtml(action.url)}" style="background:#4338ca;color:#fff;padding:12px 20px;border-radius:6px;text-decoration:none;display:inline-block">${escapeHtml(action.label)}</a></p>`
    : "";
  const signOff = `<p style="margin:24px 0 0;color:#374151">${escapeHtml(emailSignOff(locale, club)).replace(/\n/g, "<br>")}</p>`;
  return `<!doctype html><html lang="${locale}"><head><meta charset="utf-8"><title>${escapeHtml(subject)}</title></head><body style="font-family:system-ui,sans-serif;color:#1f2937;line-height:1.5;max-width:560px;margin:0 auto;padding:24px">${paragraphs}${button}${signOff}</body></html>`;
}
