/**
 * The rendering pipeline against OWASP's XSS Filter Evasion Cheat Sheet
 * (https://cheatsheetseries.owasp.org/cheatsheets/XSS_Filter_Evasion_Cheat_Sheet.html),
 * plus Markdown-specific and mutation vectors. Each vector goes through renderMarkdown
 * and through the forum's renderPost (which adds @mention links); the output is parsed
 * and must contain no executable markup: no script-capable element, no event handler,
 * no style, no id/name (DOM clobbering), and no URL with a scheme other than http(s)/mailto.
 */
import { describe, expect, it } from "vitest";
import { renderPost } from "~/forum/render.server";
import { renderMarkdown } from "~/markdown/markdown.server";
import { createUser } from "../factories";
import { executableMarkup, MARKDOWN_AND_MUTATION_VECTORS, OWASP_VECTORS } from "../support/xss-vectors";

describe("XSS filter evasion (OWASP cheat sheet)", () => {
  it("has at least 40 of OWASP's vectors", () => {
    expect(OWASP_VECTORS.length).toBeGreaterThanOrEqual(40);
  });

  it("the checker itself catches executable markup", () => {
    expect(executableMarkup(`<img src=x onerror=alert(1)>`)).toContain("attribute onerror on <img>");
    expect(executableMarkup(`<a href=" java\tscript:alert(1)">x</a>`)).toContain("javascript URL in href");
    expect(executableMarkup(`<iframe src="https://example.com"></iframe>`)).toContain("element <iframe>");
    expect(executableMarkup(`<a id="x">x</a>`)).toContain("attribute id on <a>");
    expect(executableMarkup(`<p>fine</p>`)).toEqual([]);
  });

  it.each(OWASP_VECTORS.map((vector, index) => [index + 1, vector]))("OWASP vector %i renders without executable markup", (_n, vector) => {
    expect(executableMarkup(renderMarkdown(vector))).toEqual([]);
    expect(executableMarkup(renderMarkdown(`Some text\n\n${vector}\n\nmore text`))).toEqual([]);
  });

  it.each(MARKDOWN_AND_MUTATION_VECTORS.map((vector, index) => [index + 1, vector]))(
    "Markdown or mutation vector %i renders without executable markup",
    (_n, vector) => {
      expect(executableMarkup(renderMarkdown(vector))).toEqual([]);
    },
  );

  it("renderPost (with @mention links) is as safe as renderMarkdown", async () => {
    await createUser({ name: "Mallory Example" });
    for (const vector of [...OWASP_VECTORS, ...MARKDOWN_AND_MUTATION_VECTORS]) {
      const { bodyHtml } = await renderPost(`@Mallory Example ${vector}`);
      expect(executableMarkup(bodyHtml), vector).toEqual([]);
    }
  });

  it("keeps what members need: code blocks, links with rel, and escaped code", () => {
    const html = renderMarkdown("Read [the docs](https://example.com/docs).\n\n```html\n<script>alert(1)</script>\n```");
    expect(html).toContain('<a href="https://example.com/docs" rel="nofollow ugc noopener">the docs</a>');
    expect(html).toContain("&lt;script&gt;alert(1)&lt;/script&gt;");
  });
});
