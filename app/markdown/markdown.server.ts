import { Marked } from "marked";
import sanitizeHtml from "sanitize-html";
import { escapeHtml } from "~/ui/escape-html";

/**
 * Members' Markdown (forum posts, roadmap items, comments) rendered on the server and
 * sanitized with sanitize-html against an allowlist: no scripts, event handlers,
 * iframes, styles, `javascript:`/`data:` URLs, or id/name attributes (DOM clobbering).
 * Links get rel="nofollow ugc noopener". Images, Markdown's or raw `<img>`, become links to
 * the picture: an image loaded from elsewhere tells its host who read a closed club's post
 * and when (a tracking pixel), so nothing is fetched until a reader follows the link.
 */
const marked = new Marked({ gfm: true, breaks: true, async: false });

/** Every tag the rendered HTML may contain; later passes over it (forum @mentions) keep to it. */
export const MARKDOWN_ALLOWED_TAGS: readonly string[] = [
  "p", "br", "hr", "strong", "em", "del", "s", "code", "pre", "blockquote",
  "ul", "ol", "li", "a", "h1", "h2", "h3", "h4", "h5", "h6",
  "table", "thead", "tbody", "tr", "th", "td", "input",
];

const SANITIZE: sanitizeHtml.IOptions = {
  allowedTags: [...MARKDOWN_ALLOWED_TAGS],
  allowedAttributes: {
    a: ["href", "title", "rel"],
    code: ["class"],
    th: ["align"],
    td: ["align"],
    ol: ["start"],
    input: ["type", "checked", "disabled"],
  },
  allowedClasses: { code: [/^language-[\w+-]+$/] },
  allowedSchemes: ["http", "https", "mailto"],
  allowedSchemesAppliedToAttributes: ["href", "src"],
  allowProtocolRelative: false,
  disallowedTagsMode: "discard",
  // Only checkboxes of task lists survive, always disabled.
  exclusiveFilter: (frame) => frame.tag === "input" && frame.attribs.type !== "checkbox",
  transformTags: {
    a: (tagName, attribs) => ({ tagName, attribs: { ...attribs, rel: "nofollow ugc noopener" } }),
    // The link's text is what the picture showed (its alt), else its address; the href is
    // then checked against allowedSchemes like any link's.
    img: (_tagName, attribs) => ({
      tagName: "a",
      attribs: (attribs.src ? { href: attribs.src, rel: "nofollow ugc noopener" } : {}) as sanitizeHtml.Attributes,
      text: attribs.alt?.trim() || attribs.src || "",
    }),
    input: (tagName, attribs) => ({ tagName, attribs: { ...attribs, disabled: "" } }),
    // The page has its h1 and h2: Markdown's levels move two down, keeping their order.
    h1: "h3",
    h2: "h4",
    h3: "h5",
    h4: "h6",
    h5: "h6",
  },
};

/**
 * marked recurses once per level of nesting, so a post of 5,000 ">" (or 25,000 "*") overflows
 * the stack. Such text is not Markdown anyone meant: it is shown as it was typed, as plain text.
 */
function parseMarkdown(markdown: string): string {
  try {
    return marked.parse(markdown) as string;
  } catch (error) {
    if (!(error instanceof RangeError)) throw error;
    return `<p>${escapeHtml(markdown).replace(/\r?\n/g, "<br />\n")}</p>\n`;
  }
}

export function renderMarkdown(markdown: string): string {
  return sanitizeHtml(parseMarkdown(markdown), SANITIZE);
}

const TEXT_ENTITIES: Record<string, string> = { amp: "&", lt: "<", gt: ">", quot: '"', "#39": "'" };

/**
 * Where one block of text ends and the next begins: a line break, or the edge of a paragraph,
 * item, cell, heading, quote or list. marked writes "a<br>b" and "<li>a<ul>" with nothing
 * between, so dropping the tags would glue "a" to "b"; a space goes before each instead.
 * (Text inside the HTML cannot match: its "<" is escaped.)
 */
const BLOCK_EDGE = /<\/?(?:br|hr|p|div|li|ul|ol|h[1-6]|blockquote|pre|table|thead|tbody|tr|td|th)\b[^>]*>/gi;

/**
 * Plain text of a Markdown body, for excerpts, search and email notifications. It is text,
 * not HTML: "<" stays "<" (sanitize-html's escaping is undone), so render it as text.
 */
export function markdownToText(markdown: string): string {
  return sanitizeHtml(parseMarkdown(markdown).replace(BLOCK_EDGE, " $&"), { allowedTags: [], allowedAttributes: {} })
    .replace(/&(amp|lt|gt|quot|#39);/g, (_, name: string) => TEXT_ENTITIES[name])
    .replace(/\s+/g, " ")
    .trim();
}
