/**
 * The Unicode controls that embed or override the direction of the text after them
 * (U+202A-U+202E) and the isolates (U+2066-U+2069). In a title, an unclosed U+202E turns
 * everything after it backwards, on our pages and in emails ("Trojan Source"). Titles are
 * one line that needs none of them, so they are taken out when a title is written; the
 * migration 20261202100000 took them out of the titles already stored.
 */
const BIDI_CONTROLS = /[\u202A-\u202E\u2066-\u2069]/g;

export function withoutBidiControls(text: string): string {
  return text.replace(BIDI_CONTROLS, "");
}
