import { createElement } from "react";
import { renderToPipeableStream } from "react-dom/server";
import { describe, expect, it } from "vitest";
import { wholeHtmlSink } from "~/entry.server";

/** Renders an element the way entry.server.tsx renders a page, and returns the bytes it would send. */
function render(element: ReturnType<typeof createElement>): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const { pipe } = renderToPipeableStream(element, {
      onAllReady() {
        pipe(wholeHtmlSink(resolve));
      },
      onShellError: reject,
    });
  });
}

describe("the HTML a page is sent as", () => {
  it("holds Russian text whole, with no NUL bytes where a character met the end of React's 2 KB buffer", async () => {
    const lines = Array.from({ length: 300 }, (_, i) => createElement("p", { key: i, title: `Подсказка ${i}` }, `Опрос участников № ${i} — 29,00 €`));
    const html = await render(createElement("main", null, lines));
    expect(html.includes(0)).toBe(false);
    const text = html.toString("utf8");
    expect(text).not.toContain("\uFFFD");
    for (const i of [0, 57, 150, 299]) expect(text).toContain(`<p title="Подсказка ${i}">Опрос участников № ${i} — 29,00 €</p>`);
  });
});
