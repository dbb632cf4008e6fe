/** The emission schedule's cumulative curve (closed form, as the contract computes it) with the
 * actual supply today: a hand-made, accessible SVG. */
import { compactTokens, formatAmount } from "../lib/format";

const DAY = 86_400n;
const W = 640;
const H = 220;
const PAD = { l: 56, r: 12, t: 12, b: 28 };

function cumulative(
  t: bigint,
  start: bigint,
  day0: bigint,
  decrease: bigint,
  total: bigint,
  end: bigint,
): bigint {
  if (t <= start) return 0n;
  if (t >= end) return total;
  const elapsed = t - start;
  const n = elapsed / DAY;
  const whole = n * day0 - (decrease * n * (n - 1n)) / 2n;
  return whole + ((day0 - n * decrease) * (elapsed % DAY)) / DAY;
}

export function SupplyChart(p: {
  start: bigint;
  end: bigint;
  total: bigint;
  day0: bigint;
  decrease: bigint;
  now: bigint;
  supply: bigint;
}) {
  const span = p.end > p.start ? p.end - p.start : 1n;
  const x = (t: bigint) => PAD.l + (Number(((t - p.start) * 10_000n) / span) / 10_000) * (W - PAD.l - PAD.r);
  const y = (v: bigint) =>
    H - PAD.b - (Number((v * 10_000n) / (p.total || 1n)) / 10_000) * (H - PAD.t - PAD.b);
  const points: string[] = [];
  for (let i = 0; i <= 60; i++) {
    const t = p.start + (span * BigInt(i)) / 60n;
    points.push(
      `${x(t).toFixed(1)},${y(cumulative(t, p.start, p.day0, p.decrease, p.total, p.end)).toFixed(1)}`,
    );
  }
  const now = p.now < p.start ? p.start : p.now > p.end ? p.end : p.now;
  const years = Number(span / (365n * DAY));
  const ticks = [0, 0.25, 0.5, 0.75, 1];
  const desc = `The schedule mints ${compactTokens(p.total)} TTD over about ${years} years, fastest at first. Supply now: ${formatAmount(p.supply, "TTD", 18, 0)}, scheduled by now: ${formatAmount(cumulative(p.now, p.start, p.day0, p.decrease, p.total, p.end), "TTD", 18, 0)}.`;
  return (
    <figure className="chart">
      <svg
        viewBox={`0 0 ${W} ${H}`}
        role="img"
        aria-labelledby="chart-title chart-desc"
        preserveAspectRatio="xMidYMid meet"
      >
        <title id="chart-title">TTD supply against the emission schedule</title>
        <desc id="chart-desc">{desc}</desc>
        {ticks.map((f) => {
          const v = (p.total * BigInt(Math.round(f * 100))) / 100n;
          return (
            <g key={f}>
              <line x1={PAD.l} x2={W - PAD.r} y1={y(v)} y2={y(v)} className="grid" />
              <text x={PAD.l - 6} y={y(v) + 4} textAnchor="end" className="axis">
                {compactTokens(v)}
              </text>
            </g>
          );
        })}
        {ticks.map((f) => {
          const t = p.start + (span * BigInt(Math.round(f * 100))) / 100n;
          return (
            <text
              key={`x${f}`}
              x={x(t)}
              y={H - 8}
              textAnchor={f === 0 ? "start" : f === 1 ? "end" : "middle"}
              className="axis"
            >
              {`year ${Math.round(f * years)}`}
            </text>
          );
        })}
        <polyline points={points.join(" ")} className="schedule" fill="none" />
        <line x1={x(now)} x2={x(now)} y1={PAD.t} y2={H - PAD.b} className="now" />
        <circle cx={x(now)} cy={y(p.supply)} r={5} className="supply" />
      </svg>
      <figcaption>
        <span className="key schedule-key" aria-hidden="true" /> schedule (cumulative){" "}
        <span className="key supply-key" aria-hidden="true" /> supply today
      </figcaption>
    </figure>
  );
}
