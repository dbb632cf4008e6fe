import { describe, expect, it } from "vitest";
import { createElement } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { Markdown } from "./Markdown";

const html = (source: string, headingOffset = 2) =>
  renderToStaticMarkup(createElement(Markdown, { source, headingOffset }));

describe("Markdown (proposal descriptions)", () => {
  it("headings (shifted into the page's outline), paragraphs, lists, emphasis, code", () => {
    expect(
      html("# Title\n\nSome **bold** and *em* and `code`.\n\n## Actions\n\n1. one\n2. two\n\n- a\n- b"),
    ).toBe(
      '<div class="markdown"><h3>Title</h3><p>Some <strong>bold</strong> and <em>em</em> and <code>code</code>.</p>' +
        "<h4>Actions</h4><ol><li>one</li><li>two</li></ol><ul><li>a</li><li>b</li></ul></div>",
    );
  });
  it("code blocks keep their text", () => {
    expect(html("```\nnpx hardhat\n  --x\n```")).toBe(
      '<div class="markdown"><pre><code>npx hardhat\n  --x</code></pre></div>',
    );
  });
  it("never renders HTML from the description, and only http(s), mailto and # links", () => {
    const out = html('<img src=x onerror="alert(1)"> [ok](https://example.org) [bad](javascript:alert(1))');
    expect(out).toContain("&lt;img src=x onerror=&quot;alert(1)&quot;&gt;");
    expect(out).toContain(
      '<a href="https://example.org" rel="noopener noreferrer nofollow" target="_blank">ok</a>',
    );
    expect(out).not.toContain('href="javascript');
  });
  it("lines that only look like syntax do not stall the parser", () => {
    expect(html("#hashtag\n####### seven")).toBe(
      '<div class="markdown"><p>#hashtag</p><p>####### seven</p></div>',
    );
  });
});
