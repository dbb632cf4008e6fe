/** RFC 4180 CSV: writing the simulation's time series, and a parser to read them back (tests, tools). */

/** A cell: strings are quoted when needed, numbers and bigints written as they print. */
export type Cell = string | number | bigint | boolean;

/** Quotes a cell when it holds a comma, a quote, or a line break (quotes doubled). */
export function csvCell(value: Cell): string {
  const s = typeof value === "number" && !Number.isFinite(value) ? "" : String(value);
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/**
 * A CSV document: the header line, then one line per row, `\n` line ends and a final newline.
 * Throws a RangeError when a row's length differs from the header's.
 */
export function toCsv(header: readonly string[], rows: readonly (readonly Cell[])[]): string {
  if (header.length === 0) throw new RangeError("toCsv: empty header");
  const lines = [header.map(csvCell).join(",")];
  rows.forEach((row, i) => {
    if (row.length !== header.length) {
      throw new RangeError(`toCsv: row ${i} has ${row.length} cells, the header ${header.length}`);
    }
    lines.push(row.map(csvCell).join(","));
  });
  return lines.join("\n") + "\n";
}

/** Parses CSV text (quoted cells, doubled quotes, `\n` or `\r\n` line ends) into rows of strings. */
export function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = "";
  let quoted = false;
  let i = 0;
  while (i < text.length) {
    const ch = text[i];
    if (quoted) {
      if (ch === '"') {
        if (text[i + 1] === '"') {
          cell += '"';
          i += 2;
          continue;
        }
        quoted = false;
      } else {
        cell += ch;
      }
      i++;
      continue;
    }
    if (ch === '"') {
      if (cell.length > 0) throw new SyntaxError(`parseCsv: stray quote at offset ${i}`);
      quoted = true;
    } else if (ch === ",") {
      row.push(cell);
      cell = "";
    } else if (ch === "\n" || ch === "\r") {
      row.push(cell);
      rows.push(row);
      row = [];
      cell = "";
      if (ch === "\r" && text[i + 1] === "\n") i++;
    } else {
      cell += ch;
    }
    i++;
  }
  if (quoted) throw new SyntaxError("parseCsv: unterminated quoted cell");
  if (cell.length > 0 || row.length > 0) {
    row.push(cell);
    rows.push(row);
  }
  return rows;
}
