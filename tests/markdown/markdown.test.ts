import { describe, expect, it } from "vitest";
import { markdownToText, renderMarkdown } from "~/markdown/markdown.server";

describe("renderMarkdown", () => {
  it("renders code blocks and links, with rel on links", () => {
    const html = renderMarkdown("Hello **world**\n\n```ts\nconst a = 1;\n```\n\n[site](https://example.com)");
    expect(html).toContain("<strong>world</strong>");
    expect(html).toContain('<code class="language-ts">');
    expect(html).toContain('<a href="https://example.com" rel="nofollow ugc noopener">site</a>');
  });

  it("drops scripts, handlers and javascript: links", () => {
    const html = renderMarkdown('<script>alert(1)</script><img src=x onerror=alert(1)><a id="x" name="y">z</a>\n\n[x](javascript:alert(1))');
    expect(html).not.toMatch(/<script|onerror|href="javascript:|id=|name=/i);
  });

  it("shows text nested too deeply for the parser (thousands of > or *) as plain, escaped text instead of failing", () => {
    const cases = [">".repeat(5_000) + " <b>x</b>", "*".repeat(24_990) + "x" + "*".repeat(24_990), "> - ".repeat(12_000) + "x"];
    for (const markdown of cases) {
      const html = renderMarkdown(markdown);
      expect(html.startsWith("<p>")).toBe(true);
      expect(html).not.toContain("<b>");
      expect(markdownToText(markdown)).toBe(markdown.replace(/\s+/g, " ").trim());
    }
    expect(renderMarkdown(">".repeat(5_000) + " <b>x</b>")).toContain("&gt;&gt;&gt; &lt;b&gt;x&lt;/b&gt;");
    // Ordinary nesting still renders.
    expect(renderMarkdown("> > quoted\n\n- a\n  - b")).toContain("<blockquote>\n<blockquote>");
  });
});

