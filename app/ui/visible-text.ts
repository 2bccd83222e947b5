import { z } from "zod";

/**
 * Characters that show nothing on their own: white space, controls, and the code points a
 * renderer ignores (zero-width spaces and joiners, bidi marks, word joiner, BOM, soft hyphen,
 * variation selectors, Hangul fillers), plus the blank Braille pattern. `trim()` keeps most of
 * them, so a title of "\u200B" would pass a plain required check and show as an empty link.
 */
const INVISIBLE = /[\p{White_Space}\p{Cc}\p{Default_Ignorable_Code_Point}\u2800]/gu;

/** Whether a member's text shows anything at all; required fields refuse text that does not. */
export function hasVisibleText(text: string): boolean {
  return text.replace(INVISIBLE, "").length > 0;
}

/**
 * PostgreSQL text cannot hold NUL (U+0000), so a pasted one failed the whole write with a 500.
 * It shows nothing and means nothing in a member's text: it is dropped.
 */
export function withoutNul(text: string): string {
  return text.replace(/\0/g, "");
}

/**
 * A required text field: trimmed, refused as "required" when it shows nothing (see
 * hasVisibleText), and at most `max` characters. Every form's required text uses this.
 */
export function requiredText(max: number, message = "form.required") {
  return z.string({ error: message }).trim().refine(hasVisibleText, message).max(max, `form.tooLong|{"max":${max}}`);
}
