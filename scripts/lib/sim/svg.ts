/**
 * Hand-written SVG charts for the simulation report: a line chart (time series, optional vertical
 * markers) and a grouped bar chart. No dependencies; the output is a standalone SVG 1.1 document.
 */

/** One line (line chart) or one bar colour (bar chart). */
export interface Series {
  name: string;
  /** One value per x (line chart) or per category (bar chart). */
  values: readonly number[];
  color?: string;
  dashed?: boolean;
}

/** A vertical line at `x` with a label, e.g. the day a proposal was executed. */
export interface Marker {
  x: number;
  label: string;
}

export interface LineChartSpec {
  title: string;
  xLabel: string;
  yLabel: string;
  x: readonly number[];
  series: readonly Series[];
  markers?: readonly Marker[];
  width?: number;
  height?: number;
}

export interface BarChartSpec {
  title: string;
  yLabel: string;
  categories: readonly string[];
  series: readonly Series[];
  width?: number;
  height?: number;
}

/** Colour-blind-safe palette (Okabe-Ito). */
export const PALETTE = [
  "#0072B2",
  "#E69F00",
  "#009E73",
  "#D55E00",
  "#CC79A7",
  "#56B4E9",
  "#F0E442",
  "#000000",
];

const MARGIN = { left: 78, right: 24, top: 58, bottom: 56 };

/** Escapes text for SVG element content and attribute values. */
export function escapeXml(s: string): string {
  return s
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/"/g, "&quot;")
    .replace(/'/g, "&apos;");
}

/** A coordinate with at most two decimals. */
function n2(x: number): string {
  return (Math.round(x * 100) / 100).toString();
}

/** A "nice" tick step (1, 2 or 5 times a power of ten) for about `target` ticks over `range`. */
export function niceStep(range: number, target = 5): number {
  if (!(range > 0) || !Number.isFinite(range)) return 1;
  const raw = range / target;
  const pow = 10 ** Math.floor(Math.log10(raw));
  const f = raw / pow;
  return (f <= 1 ? 1 : f <= 2 ? 2 : f <= 5 ? 5 : 10) * pow;
}

/** Ticks from `lo` to `hi` (both rounded outwards to the step). */
export function niceTicks(lo: number, hi: number, target = 5): number[] {
  if (hi === lo) hi = lo + 1;
  const step = niceStep(hi - lo, target);
  const start = Math.floor(lo / step) * step;
  const end = Math.ceil(hi / step) * step;
  const ticks: number[] = [];
  for (let i = 0; start + i * step <= end + step / 1e9; i++)
    ticks.push(Number((start + i * step).toPrecision(12)));
  return ticks;
}

/** A short axis label: 1.5k, 2M, 0.25. */
export function compact(x: number): string {
  const a = Math.abs(x);
  const trim = (v: number) => Number(v.toPrecision(3)).toString();
  if (a >= 1e9) return `${trim(x / 1e9)}G`;
  if (a >= 1e6) return `${trim(x / 1e6)}M`;
  if (a >= 1e3) return `${trim(x / 1e3)}k`;
  return trim(x);
}

function frame(width: number, height: number, title: string, body: string[]): string {
  return [
    `<?xml version="1.0" encoding="UTF-8"?>`,
    `<svg xmlns="http://www.w3.org/2000/svg" version="1.1" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="Helvetica, Arial, sans-serif" font-size="12">`,
    `<title>${escapeXml(title)}</title>`,
    `<rect x="0" y="0" width="${width}" height="${height}" fill="#ffffff"/>`,
    `<text x="${width / 2}" y="22" text-anchor="middle" font-size="16" font-weight="bold">${escapeXml(title)}</text>`,
    ...body,
    `</svg>`,
    "",
  ].join("\n");
}

function legend(series: readonly Series[], x0: number, y: number, width: number): string[] {
  const out: string[] = [];
  let x = x0;
  let row = y;
  series.forEach((s, i) => {
    const w = 34 + s.name.length * 6.5;
    if (x + w > x0 + width && x > x0) {
      x = x0;
      row += 16;
    }
    const color = s.color ?? PALETTE[i % PALETTE.length];
    const dash = s.dashed ? ` stroke-dasharray="5 3"` : "";
    out.push(
      `<line x1="${n2(x)}" y1="${n2(row - 4)}" x2="${n2(x + 20)}" y2="${n2(row - 4)}" stroke="${color}" stroke-width="3"${dash}/>`,
      `<text x="${n2(x + 25)}" y="${n2(row)}">${escapeXml(s.name)}</text>`,
    );
    x += w;
  });
  return out;
}

function yAxis(
  ticks: number[],
  y: (v: number) => number,
  left: number,
  right: number,
  label: string,
  top: number,
  bottom: number,
): string[] {
  const out: string[] = [];
  for (const t of ticks) {
    out.push(
      `<line x1="${left}" y1="${n2(y(t))}" x2="${right}" y2="${n2(y(t))}" stroke="#e0e0e0"/>`,
      `<text x="${left - 6}" y="${n2(y(t) + 4)}" text-anchor="end">${escapeXml(compact(t))}</text>`,
    );
  }
  const mid = (top + bottom) / 2;
  out.push(
    `<text x="16" y="${n2(mid)}" text-anchor="middle" transform="rotate(-90 16 ${n2(mid)})">${escapeXml(label)}</text>`,
  );
  return out;
}

function bounds(values: number[]): [number, number] {
  const finite = values.filter((v) => Number.isFinite(v));
  if (finite.length === 0) return [0, 1];
  const lo = Math.min(0, ...finite);
  const hi = Math.max(...finite);
  return hi === lo ? [lo, lo + 1] : [lo, hi];
}

/** A line chart of several series over a shared x axis. Non-finite values break the line. */
export function lineChart(spec: LineChartSpec): string {
  const width = spec.width ?? 900;
  const height = spec.height ?? 420;
  for (const s of spec.series) {
    if (s.values.length !== spec.x.length) {
      throw new RangeError(
        `lineChart: series "${s.name}" has ${s.values.length} values for ${spec.x.length} x`,
      );
    }
  }
  const left = MARGIN.left;
  const right = width - MARGIN.right;
  const top = MARGIN.top + 16 * Math.floor(spec.series.length / 6);
  const bottom = height - MARGIN.bottom;
  const [xlo, xhi] = spec.x.length === 0 ? [0, 1] : [Math.min(...spec.x), Math.max(...spec.x)];
  const xspan = xhi === xlo ? 1 : xhi - xlo;
  const yTicks = niceTicks(...bounds(spec.series.flatMap((s) => [...s.values])));
  const ylo = yTicks[0];
  const yhi = yTicks[yTicks.length - 1];
  const X = (v: number) => left + ((v - xlo) / xspan) * (right - left);
  const Y = (v: number) => bottom - ((v - ylo) / (yhi - ylo)) * (bottom - top);

  const body: string[] = [...legend(spec.series, left, 42, right - left)];
  body.push(...yAxis(yTicks, Y, left, right, spec.yLabel, top, bottom));
  for (const t of niceTicks(xlo, xhi === xlo ? xlo + 1 : xhi, 8).filter((t) => t >= xlo && t <= xhi)) {
    body.push(
      `<line x1="${n2(X(t))}" y1="${bottom}" x2="${n2(X(t))}" y2="${bottom + 5}" stroke="#444"/>`,
      `<text x="${n2(X(t))}" y="${bottom + 18}" text-anchor="middle">${escapeXml(compact(t))}</text>`,
    );
  }
  body.push(
    `<line x1="${left}" y1="${bottom}" x2="${right}" y2="${bottom}" stroke="#444"/>`,
    `<line x1="${left}" y1="${top}" x2="${left}" y2="${bottom}" stroke="#444"/>`,
    `<text x="${n2((left + right) / 2)}" y="${height - 12}" text-anchor="middle">${escapeXml(spec.xLabel)}</text>`,
  );
  // Marker labels go one line lower each, so that markers close together stay readable.
  (spec.markers ?? [])
    .filter((m) => m.x >= xlo && m.x <= xhi)
    .forEach((m, i) => {
      body.push(
        `<line x1="${n2(X(m.x))}" y1="${top}" x2="${n2(X(m.x))}" y2="${bottom}" stroke="#888" stroke-dasharray="2 3"/>`,
        `<text x="${n2(X(m.x) + 4)}" y="${top + 12 + 14 * i}" fill="#555">${escapeXml(m.label)}</text>`,
      );
    });
  spec.series.forEach((s, i) => {
    const color = s.color ?? PALETTE[i % PALETTE.length];
    const dash = s.dashed ? ` stroke-dasharray="6 4"` : "";
    // One polyline per run of finite values.
    let run: string[] = [];
    const flush = () => {
      if (run.length > 0) {
        body.push(
          `<polyline fill="none" stroke="${color}" stroke-width="2"${dash} points="${run.join(" ")}"/>`,
        );
      }
      run = [];
    };
    s.values.forEach((v, k) => {
      if (Number.isFinite(v)) run.push(`${n2(X(spec.x[k]))},${n2(Y(v))}`);
      else flush();
    });
    flush();
  });
  return frame(width, height, spec.title, body);
}

/** A grouped bar chart: one group per category, one bar per series. */
export function barChart(spec: BarChartSpec): string {
  const width = spec.width ?? 900;
  const height = spec.height ?? 420;
  for (const s of spec.series) {
    if (s.values.length !== spec.categories.length) {
      throw new RangeError(
        `barChart: series "${s.name}" has ${s.values.length} values for ${spec.categories.length} categories`,
      );
    }
  }
  const left = MARGIN.left;
  const right = width - MARGIN.right;
  const top = MARGIN.top;
  const bottom = height - MARGIN.bottom;
  const yTicks = niceTicks(...bounds(spec.series.flatMap((s) => [...s.values])));
  const ylo = yTicks[0];
  const yhi = yTicks[yTicks.length - 1];
  const Y = (v: number) => bottom - ((v - ylo) / (yhi - ylo)) * (bottom - top);
  const body: string[] = [...legend(spec.series, left, 42, right - left)];
  body.push(...yAxis(yTicks, Y, left, right, spec.yLabel, top, bottom));
  const groups = Math.max(1, spec.categories.length);
  const groupWidth = (right - left) / groups;
  const bars = Math.max(1, spec.series.length);
  const barWidth = (groupWidth * 0.8) / bars;
  spec.categories.forEach((c, g) => {
    const gx = left + g * groupWidth + groupWidth * 0.1;
    spec.series.forEach((s, i) => {
      const v = Number.isFinite(s.values[g]) ? s.values[g] : 0;
      const y0 = Y(Math.max(0, ylo));
      const y1 = Y(v);
      body.push(
        `<rect x="${n2(gx + i * barWidth)}" y="${n2(Math.min(y0, y1))}" width="${n2(barWidth * 0.92)}" height="${n2(Math.abs(y0 - y1))}" fill="${s.color ?? PALETTE[i % PALETTE.length]}"><title>${escapeXml(`${c} / ${s.name}: ${v}`)}</title></rect>`,
      );
    });
    body.push(
      `<text x="${n2(left + (g + 0.5) * groupWidth)}" y="${bottom + 18}" text-anchor="middle">${escapeXml(c)}</text>`,
    );
  });
  body.push(
    `<line x1="${left}" y1="${bottom}" x2="${right}" y2="${bottom}" stroke="#444"/>`,
    `<line x1="${left}" y1="${top}" x2="${left}" y2="${bottom}" stroke="#444"/>`,
  );
  return frame(width, height, spec.title, body);
}
