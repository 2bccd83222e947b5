/**
 * Placeholders in texts that staff write (the at-risk follow-up email, playbook templates):
 * `{name}` and the like, filled in when the message is sent. Shared by the browser (the forms
 * refuse an unknown one at its field) and the server (which fills them in).
 */

/** Fills each `{key}` that `values` has; any other braces stay as written. */
export function fillPlaceholders(text: string, values: Record<string, string>): string {
  return text.replace(/\{(\w+)\}/g, (match, key: string) => (Object.hasOwn(values, key) ? values[key] : match));
}

/**
 * The first `{word}` in the text that is not one of `allowed` ("nmae" in "{nmae}"), or null.
 * Only a word in braces reads as a placeholder: other braces ("{ see below }") are text.
 */
export function unknownPlaceholder(text: string, allowed: readonly string[]): string | null {
  for (const match of text.matchAll(/\{(\w+)\}/g)) {
    if (!allowed.includes(match[1])) return match[1];
  }
  return null;
}
