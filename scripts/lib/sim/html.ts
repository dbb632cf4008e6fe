/**
 * A self-contained HTML page (index.html of a report folder): inline style, inline SVG, no script and
 * no external resource, so that it opens from disk, from a CI artifact or attached to a mail.
 */

/** Escapes text for HTML element content and attribute values. */
export function escapeHtml(s: string): string {
  return s
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/"/g, "&quot;")
    .replace(/'/g, "&#39;");
}

/** A table of text cells; cells that look like numbers are right-aligned. */
export function htmlTable(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const cell = (tag: "th" | "td", s: string) =>
    `<${tag}${tag === "td" && /^[-+]?[\d,.]+%?$/.test(s) ? ' class="num"' : ""}>${escapeHtml(s)}</${tag}>`;
  return [
    "<table>",
    `<thead><tr>${header.map((h) => cell("th", h)).join("")}</tr></thead>`,
    "<tbody>",
    ...rows.map((r) => `<tr>${r.map((c) => cell("td", c)).join("")}</tr>`),
    "</tbody>",
    "</table>",
  ].join("\n");
}

/** A section of the page: a heading and its body, already HTML. */
export interface Section {
  id: string;
  heading: string;
  html: string;
}

const STYLE = `
body { font-family: Helvetica, Arial, sans-serif; margin: 2em auto; max-width: 960px; padding: 0 1em; color: #222; }
h1 { font-size: 1.6em; } h2 { margin-top: 2em; border-bottom: 1px solid #ddd; }
table { border-collapse: collapse; margin: 0.8em 0; font-size: 0.92em; }
th, td { border: 1px solid #ddd; padding: 0.25em 0.6em; text-align: left; }
th { background: #f4f4f4; } td.num { text-align: right; font-variant-numeric: tabular-nums; }
figure { margin: 1.5em 0; } figure svg { max-width: 100%; height: auto; }
code, pre { font-family: Menlo, Consolas, monospace; font-size: 0.88em; }
pre { background: #f7f7f7; padding: 0.8em; overflow-x: auto; }
.ok { color: #00734d; font-weight: bold; } .fail { color: #b00020; font-weight: bold; }
nav a { margin-right: 1em; }`;

/** The whole page: a title, a table of contents and the sections. */
export function reportHtml(title: string, sections: readonly Section[]): string {
  return [
    "<!DOCTYPE html>",
    '<html lang="en">',
    "<head>",
    '<meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>${escapeHtml(title)}</title>`,
    `<style>${STYLE}\n</style>`,
    "</head>",
    "<body>",
    `<h1>${escapeHtml(title)}</h1>`,
    `<nav>${sections.map((s) => `<a href="#${s.id}">${escapeHtml(s.heading)}</a>`).join("")}</nav>`,
    ...sections.map(
      (s) => `<section id="${s.id}">\n<h2>${escapeHtml(s.heading)}</h2>\n${s.html}\n</section>`,
    ),
    "</body>",
    "</html>",
    "",
  ].join("\n");
}
