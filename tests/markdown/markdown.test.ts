import { describe, expect, it } from "vitest";
import { renderMarkdown } from "~/markdown/markdown.server";

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
});
