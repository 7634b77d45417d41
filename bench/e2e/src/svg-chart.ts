/**
 * A small hand-built SVG line chart with logarithmic axes (latencies span 1 ms to seconds,
 * rates 200 to 50,000 quotes/s): axes with 1-2-5 ticks, one polyline per series, a legend.
 * Pure: returns the markup.
 */
export interface ChartPoint {
  readonly x: number;
  readonly y: number;
}

export interface ChartSeries {
  readonly label: string;
  readonly color: string;
  readonly dashed?: boolean;
  readonly points: readonly ChartPoint[];
}

export interface ChartOptions {
  readonly title: string;
  readonly xLabel: string;
  readonly yLabel: string;
  readonly width?: number;
  readonly height?: number;
}

const escapeXml = (text: string): string =>
  text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/** 1-2-5 tick values covering [min, max] (both > 0). */
export function logTicks(min: number, max: number): number[] {
  const ticks: number[] = [];
  for (let decade = Math.floor(Math.log10(min)); decade <= Math.ceil(Math.log10(max)); decade += 1) {
    for (const m of [1, 2, 5]) {
      const value = m * 10 ** decade;
      if (value >= min * 0.999 && value <= max * 1.001) ticks.push(Number(value.toPrecision(6)));
    }
  }
  return ticks;
}

const tickLabel = (value: number): string =>
  value >= 1000 ? `${Number((value / 1000).toPrecision(3))}k` : String(Number(value.toPrecision(3)));

/** Rounds the range out to whole 1-2-5 steps so both ends carry a tick. */
function logRange(values: readonly number[]): [number, number] {
  const positive = values.filter((v) => v > 0 && Number.isFinite(v));
  if (positive.length === 0) return [1, 10];
  const lo = Math.min(...positive);
  const hi = Math.max(...positive);
  const down = (v: number): number => {
    const d = 10 ** Math.floor(Math.log10(v));
    return [5, 2, 1].map((m) => m * d).find((t) => t <= v * 1.0001) ?? d;
  };
  const up = (v: number): number => {
    const d = 10 ** Math.floor(Math.log10(v));
    return [1, 2, 5, 10].map((m) => m * d).find((t) => t >= v * 0.9999) ?? 10 * d;
  };
  const a = down(lo);
  const b = up(hi);
  return a === b ? [a, a * 10] : [a, b];
}

export function buildLineChart(series: readonly ChartSeries[], options: ChartOptions): string {
  const width = options.width ?? 860;
  const height = options.height ?? 520;
  const legendWidth = 300;
  const margin = { left: 70, right: legendWidth + 20, top: 40, bottom: 55 };
  const plotW = width - margin.left - margin.right;
  const plotH = height - margin.top - margin.bottom;
  const all = series.flatMap((s) => s.points).filter((p) => p.x > 0 && p.y > 0 && Number.isFinite(p.x) && Number.isFinite(p.y));
  const [x0, x1] = logRange(all.map((p) => p.x));
  const [y0, y1] = logRange(all.map((p) => p.y));
  const sx = (x: number): number => margin.left + ((Math.log10(x) - Math.log10(x0)) / (Math.log10(x1) - Math.log10(x0))) * plotW;
  const sy = (y: number): number => margin.top + plotH - ((Math.log10(y) - Math.log10(y0)) / (Math.log10(y1) - Math.log10(y0))) * plotH;
  const r = (n: number): string => n.toFixed(1);

  const out: string[] = [];
  out.push(`<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="sans-serif" font-size="12">`);
  out.push(`<rect width="${width}" height="${height}" fill="white"/>`);
  out.push(`<text x="${width / 2 - legendWidth / 2}" y="22" text-anchor="middle" font-size="15" font-weight="bold">${escapeXml(options.title)}</text>`);
  // grid and ticks
  for (const t of logTicks(x0, x1)) {
    const x = r(sx(t));
    out.push(`<line x1="${x}" y1="${margin.top}" x2="${x}" y2="${margin.top + plotH}" stroke="#e5e5e5"/>`);
    out.push(`<text x="${x}" y="${margin.top + plotH + 18}" text-anchor="middle">${tickLabel(t)}</text>`);
  }
  for (const t of logTicks(y0, y1)) {
    const y = r(sy(t));
    out.push(`<line x1="${margin.left}" y1="${y}" x2="${margin.left + plotW}" y2="${y}" stroke="#e5e5e5"/>`);
    out.push(`<text x="${margin.left - 8}" y="${y}" text-anchor="end" dominant-baseline="middle">${tickLabel(t)}</text>`);
  }
  // axes
  out.push(`<line x1="${margin.left}" y1="${margin.top + plotH}" x2="${margin.left + plotW}" y2="${margin.top + plotH}" stroke="black"/>`);
  out.push(`<line x1="${margin.left}" y1="${margin.top}" x2="${margin.left}" y2="${margin.top + plotH}" stroke="black"/>`);
  out.push(`<text x="${margin.left + plotW / 2}" y="${height - 12}" text-anchor="middle">${escapeXml(options.xLabel)}</text>`);
  out.push(`<text transform="translate(18 ${margin.top + plotH / 2}) rotate(-90)" text-anchor="middle">${escapeXml(options.yLabel)}</text>`);
  // series
  for (const s of series) {
    const points = s.points.filter((p) => p.x > 0 && p.y > 0 && Number.isFinite(p.x) && Number.isFinite(p.y)).slice().sort((a, b) => a.x - b.x);
    if (points.length === 0) continue;
    const dash = s.dashed ? ' stroke-dasharray="6 4"' : '';
    const coords = points.map((p) => `${r(sx(p.x))},${r(sy(p.y))}`).join(' ');
    out.push(`<polyline points="${coords}" fill="none" stroke="${s.color}" stroke-width="2"${dash}/>`);
    for (const p of points) out.push(`<circle cx="${r(sx(p.x))}" cy="${r(sy(p.y))}" r="3" fill="${s.color}"/>`);
  }
  // legend
  const lx = width - legendWidth;
  series.forEach((s, i) => {
    const y = margin.top + 10 + i * 20;
    const dash = s.dashed ? ' stroke-dasharray="6 4"' : '';
    out.push(`<line x1="${lx}" y1="${y}" x2="${lx + 28}" y2="${y}" stroke="${s.color}" stroke-width="2"${dash}/>`);
    out.push(`<text x="${lx + 36}" y="${y}" dominant-baseline="middle">${escapeXml(s.label)}</text>`);
  });
  out.push('</svg>');
  return `${out.join('\n')}\n`;
}
