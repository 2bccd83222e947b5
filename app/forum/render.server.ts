import sanitizeHtml from "sanitize-html";
import { db } from "~/db.server";
import { MARKDOWN_ALLOWED_TAGS, markdownToText, renderMarkdown } from "~/markdown/markdown.server";

/**
 * A post's Markdown becomes sanitized HTML (renderMarkdown) with @mentions linked to
 * the member's profile, and plain text for search, excerpts and emails.
 *
 * Mentions are written as "@" and the member's full name as shown on their profile,
 * e.g. "@Irina Petrova" (any case; letters, hyphens and up to four words). The longest
 * name that matches wins; a name two members share links neither. Mentions inside
 * code and inside links stay text.
 */
const NAME_WORD = String.raw`\p{L}[\p{L}\p{M}-]*`;
const MENTION = new RegExp(String.raw`(?<![\p{L}\p{N}_@.])@(${NAME_WORD}(?:[ \u00A0]${NAME_WORD}){0,3})`, "gu");
const MAX_WORDS = 4;
// Private-use characters mark search highlights (search.server.ts); a post may not contain them.
const HIGHLIGHT_MARKS = /[\uE000\uE001]/g;

export type RenderedPost = { bodyHtml: string; bodyText: string; mentionedUserIds: string[] };

function candidatePhrases(text: string): string[] {
  const phrases = new Set<string>();
  for (const match of text.matchAll(MENTION)) {
    const words = match[1].split(/[ \u00A0]/);
    for (let n = 1; n <= Math.min(words.length, MAX_WORDS); n += 1) phrases.add(words.slice(0, n).join(" ").toLowerCase());
  }
  return [...phrases];
}

/** Members by lower-cased full name; names two active members share are left out. */
async function membersByName(phrases: string[]): Promise<Map<string, string>> {
  if (!phrases.length) return new Map();
  const rows = await db.$queryRaw<Array<{ id: string; key: string }>>`
    SELECT id, lower(name) AS key FROM "User"
    WHERE lower(name) = ANY(${phrases}) AND "deactivatedAt" IS NULL`;
  const byName = new Map<string, string>();
  const shared = new Set<string>();
  for (const row of rows) {
    if (byName.has(row.key)) shared.add(row.key);
    byName.set(row.key, row.id);
  }
  for (const key of shared) byName.delete(key);
  return byName;
}

const SKIP_INSIDE = new Set(["a", "code", "pre"]);

/** Links the mentions in sanitized HTML; returns the HTML and who was mentioned. */
export function linkMentions(html: string, byName: Map<string, string>): { html: string; userIds: string[] } {
  if (!byName.size) return { html, userIds: [] };
  const mentioned = new Set<string>();
  const open: string[] = [];
  const linked = sanitizeHtml(html, {
    allowedTags: [...MARKDOWN_ALLOWED_TAGS],
    // The input is renderMarkdown's already-sanitized output; this pass only adds links.
    allowedAttributes: false,
    onOpenTag: (name) => open.push(name),
    onCloseTag: () => open.pop(),
    textFilter: (text) => {
      if (open.some((tag) => SKIP_INSIDE.has(tag))) return text;
      return text.replace(MENTION, (whole, phrase: string) => {
        const words = phrase.split(/[ \u00A0]/);
        for (let n = Math.min(words.length, MAX_WORDS); n >= 1; n -= 1) {
          const name = words.slice(0, n).join(" ");
          const id = byName.get(name.toLowerCase());
          if (!id) continue;
          mentioned.add(id);
          const rest = phrase.slice(name.length);
          return `<a href="/members/${encodeURIComponent(id)}" class="mention" rel="nofollow ugc noopener">@${name}</a>${rest}`;
        }
        return whole;
      });
    },
  });
  return { html: linked, userIds: [...mentioned] };
}

export async function renderPost(body: string): Promise<RenderedPost> {
  const clean = body.replace(HIGHLIGHT_MARKS, "");
  const html = renderMarkdown(clean);
  const byName = await membersByName(candidatePhrases(clean));
  const { html: bodyHtml, userIds } = linkMentions(html, byName);
  return { bodyHtml, bodyText: markdownToText(clean), mentionedUserIds: userIds };
}
