/**
 * The simulation report's charts as vega-lite specs (data), rendered to SVG by vega's headless view
 * in Node (no canvas, no native module): `vegaLite.compile(spec).spec` -> `new vega.View(vega.parse(..),
 * { renderer: "none" })` -> `view.toSVG()`.
 */
import type * as Vega from "vega";
import type { TopLevelSpec } from "vega-lite/build/index";
import { BUCKET_NAMES } from "../chain/constants";
import { VALIDATOR_KINDS } from "./agents";
import { ttdNumber } from "./metrics";
import { CONTRIBUTION_BUCKETS, DayRow, SimResult } from "./scenario";

/** A chart of the report: its file name under charts/, its title and its vega-lite spec. */
export interface Chart {
  file: string;
  title: string;
  spec: TopLevelSpec;
}

/** Colour-blind-safe palette (Okabe-Ito). */
const PALETTE = ["#0072B2", "#E69F00", "#009E73", "#D55E00", "#CC79A7", "#56B4E9", "#000000"];
const WIDTH = 820;
const HEIGHT = 300;

/** One line of a line chart: a value per day; non-finite values break the line. */
interface Line {
  name: string;
  values: readonly number[];
  dashed?: boolean;
}

/** A vertical rule at `day` with a label, e.g. the day a proposal was executed. */
export interface Marker {
  day: number;
  label: string;
}

/** Shared by every chart: fonts, a white background, no frame around the plot. */
const CONFIG = {
  background: "white",
  font: "Helvetica, Arial, sans-serif",
  view: { stroke: null },
  axis: { labelFontSize: 11, titleFontSize: 12, gridColor: "#e6e6e6" },
  legend: { orient: "top", labelFontSize: 11, labelLimit: 400, title: null, symbolStrokeWidth: 3 },
  title: { fontSize: 15, anchor: "start" },
} as const;

/** What every chart's top-level spec starts with. */
const frame = (title: string) => ({
  $schema: "https://vega.github.io/schema/vega-lite/v6.json",
  title,
  width: WIDTH,
  height: HEIGHT,
  config: CONFIG,
});

/** Several series over the days (long format), with dashed reference lines and labelled markers. */
export function lineSpec(o: {
  title: string;
  yTitle: string;
  days: readonly number[];
  lines: readonly Line[];
  markers?: readonly Marker[];
}): TopLevelSpec {
  const values = o.lines.flatMap((l) =>
    o.days.map((day, i) => ({
      day,
      series: l.name,
      value: Number.isFinite(l.values[i]) ? l.values[i] : null,
    })),
  );
  const names = o.lines.map((l) => l.name);
  const markers = o.markers ?? [];
  const line = {
    data: { values },
    mark: { type: "line", strokeWidth: 2 },
    encoding: {
      x: {
        field: "day",
        type: "quantitative",
        title: "day",
        axis: { tickMinStep: 1, format: "d" },
        // The run's days only (not from day 0); without days, an empty axis from 0 to 1.
        scale: o.days.length === 0 ? { domain: [0, 1] } : { zero: false },
      },
      y: {
        field: "value",
        type: "quantitative",
        title: o.yTitle,
        // Without a single value the scale has no domain: draw empty axes from 0 to 1.
        ...(values.every((v) => v.value === null) ? { scale: { domain: [0, 1] } } : {}),
      },
      color: { field: "series", type: "nominal", sort: names, scale: { domain: names, range: PALETTE } },
      strokeDash: {
        field: "series",
        type: "nominal",
        sort: names,
        scale: { domain: names, range: o.lines.map((l) => (l.dashed ? [6, 4] : [1, 0])) },
      },
    },
  };
  // Marker labels go one line lower each, so that markers close together stay readable.
  const marks = markers.map((m, i) => ({ ...m, offset: 12 + 14 * i }));
  const layers =
    marks.length === 0
      ? [line]
      : [
          line,
          {
            data: { values: marks },
            mark: { type: "rule", color: "#888", strokeDash: [2, 3] },
            encoding: { x: { field: "day", type: "quantitative" } },
          },
          {
            data: { values: marks },
            mark: { type: "text", align: "left", dx: 4, color: "#555" },
            encoding: {
              x: { field: "day", type: "quantitative" },
              y: { field: "offset", type: "quantitative", scale: null },
              text: { field: "label" },
            },
          },
        ];
  return {
    ...frame(o.title),
    layer: layers,
  } as TopLevelSpec;
}

/** One bar per category. */
export function barSpec(o: {
  title: string;
  yTitle: string;
  bars: readonly { category: string; value: number }[];
}): TopLevelSpec {
  return {
    ...frame(o.title),
    data: { values: o.bars.map((b) => ({ ...b })) },
    mark: { type: "bar", color: PALETTE[0], tooltip: true },
    encoding: {
      x: {
        field: "category",
        type: "nominal",
        sort: o.bars.map((b) => b.category),
        title: null,
        axis: { labelAngle: 0 },
      },
      y: { field: "value", type: "quantitative", title: o.yTitle },
    },
  } as TopLevelSpec;
}

/** The DAO's milestones, as markers at the end of the day they happened. */
function markers(result: SimResult): Marker[] {
  const g = result.governance;
  const out: Marker[] = [];
  if (g.deployedDay !== null) out.push({ day: g.deployedDay + 1, label: "DAO" });
  if (g.proposedDay !== null) out.push({ day: g.proposedDay + 1, label: "proposal" });
  if (g.executedDay !== null) out.push({ day: g.executedDay + 1, label: "new shares" });
  return out;
}

/** The report's charts, in the order the report shows them. */
export function reportCharts(result: SimResult): Chart[] {
  const rows = result.rows;
  const days = rows.map((r) => r.day);
  const cumulative = (f: (r: DayRow) => bigint) => {
    let acc = 0n;
    return rows.map((r) => (acc += f(r)));
  };
  const counts = VALIDATOR_KINDS.map((k) => result.validators.filter((v) => v.kind === k).length);
  const chart = (file: string, spec: TopLevelSpec): Chart => ({ file, title: String(spec.title), spec });
  return [
    chart(
      "supply.svg",
      lineSpec({
        title: "TTD supply vs the emission schedule",
        yTitle: "TTD",
        days,
        lines: [
          { name: "totalSupply", values: rows.map((r) => ttdNumber(r.supply)) },
          {
            name: "schedule cumulative (reference)",
            values: rows.map((r) => ttdNumber(r.scheduleCumulative)),
            dashed: true,
          },
        ],
      }),
    ),
    chart(
      "emission.svg",
      lineSpec({
        title: "Emission per bucket per day",
        yTitle: "TTD per day",
        days,
        lines: BUCKET_NAMES.map((name, i) => ({ name, values: rows.map((r) => ttdNumber(r.emission[i])) })),
        markers: markers(result),
      }),
    ),
    chart(
      "gini.svg",
      lineSpec({
        title: "Gini of cumulative rewards per participant",
        yTitle: "Gini",
        days,
        lines: [...CONTRIBUTION_BUCKETS.map((b) => `${BUCKET_NAMES[b]} contributors`), "capital stakers"].map(
          (name, i) => ({ name, values: rows.map((r) => r.gini[i]) }),
        ),
        markers: markers(result),
      }),
    ),
    chart(
      "dividends.svg",
      lineSpec({
        title: "Validator dividends: cumulative TTD per validator, by behaviour",
        yTitle: "TTD per validator",
        days,
        lines: VALIDATOR_KINDS.map((kind, i) => ({
          name: `${kind} (${counts[i]})`,
          values: cumulative((r) => r.dividends[i]).map((v) =>
            counts[i] === 0 ? Number.NaN : ttdNumber(v) / counts[i],
          ),
        })),
      }),
    ),
    chart(
      "buckets.svg",
      barSpec({
        title: "What each bucket received over the run",
        yTitle: "TTD",
        bars: BUCKET_NAMES.map((category, i) => ({
          category,
          value: ttdNumber(result.reconciliation.received[i]),
        })),
      }),
    ),
  ];
}

type VegaLite = typeof import("vega-lite/build/index");

/**
 * vega and vega-lite are ES modules with top-level await: `require` cannot load them, and TypeScript
 * compiles `import()` to `require` under CommonJS, hence a real dynamic import.
 */
const importEsm = new Function("specifier", "return import(specifier)") as <T>(
  specifier: string,
) => Promise<T>;
let libraries: Promise<{ vega: typeof Vega; vegaLite: VegaLite }> | undefined;

function load(): Promise<{ vega: typeof Vega; vegaLite: VegaLite }> {
  libraries ??= Promise.all([importEsm<typeof Vega>("vega"), importEsm<VegaLite>("vega-lite")]).then(
    ([vega, vegaLite]) => ({ vega, vegaLite }),
  );
  return libraries;
}

/** A vega-lite spec as a standalone SVG document (vega's headless renderer, no canvas). */
export async function renderSvg(spec: TopLevelSpec): Promise<string> {
  const { vega, vegaLite } = await load();
  const view = new vega.View(vega.parse(vegaLite.compile(spec).spec), { renderer: "none" });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}
