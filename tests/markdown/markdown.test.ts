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

  it("moves Markdown's heading levels two down, below the page's h1 and h2, in their order", () => {
    expect(renderMarkdown("# a\n\n## b\n\n### c\n\n#### d\n\n##### e\n\n###### f")).toBe("<h3>a</h3>\n<h4>b</h4>\n<h5>c</h5>\n<h6>d</h6>\n<h6>e</h6>\n<h6>f</h6>\n");
  });

  it("loads no image: raw <img> and Markdown images become links to the picture, whatever their address", () => {
    const html = renderMarkdown(
      [
        '<img src="https://tracker.example/pixel.gif?member=42" width="1" height="1">',
        "",
        "<IMG SRC=http://tracker.example/p.gif alt=\"\">",
        "",
        "![our diagram](https://cdn.example/diagram.png)",
        "",
        '<img src="//tracker.example/p.gif"> <img src="/\\tracker.example/p.gif"> <img srcset="https://tracker.example/p.gif 1x">',
        "",
        '<img src="javascript:alert(1)" alt="x">',
      ].join("\n"),
    );
    expect(html).not.toMatch(/<img|srcset|src=/i);
    expect(html).toContain('<a href="https://tracker.example/pixel.gif?member=42" rel="nofollow ugc noopener">https://tracker.example/pixel.gif?member=42</a>');
    expect(html).toContain('<a href="http://tracker.example/p.gif" rel="nofollow ugc noopener">http://tracker.example/p.gif</a>');
    expect(html).toContain('<a href="https://cdn.example/diagram.png" rel="nofollow ugc noopener">our diagram</a>');
    expect(html).not.toContain("javascript:");
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

describe("markdownToText", () => {
  it("keeps a space between lines and blocks: quotes, items, nested lists, cells, headings", () => {
    expect(markdownToText("> quoted line\n> second quoted line")).toBe("quoted line second quoted line");
    expect(markdownToText("- a\n  - b\n- c")).toBe("a b c");
    expect(markdownToText("| x | y |\n|---|---|\n| 1 | 2 |")).toBe("x y 1 2");
    expect(markdownToText("## Setup\nInstall it")).toBe("Setup Install it");
    expect(markdownToText("<div>one</div><div>two</div>")).toBe("one two");
    // Inline markup still joins what it joins, and escaped text stays text.
    expect(markdownToText("**bold**ly `a<br>b`")).toBe("boldly a<br>b");
  });
});
