// Inline SVG line chart for reports: one or more series over time (or any x), shaded labelled x bands
// (study phases, incident windows), vertical markers, gaps where a reading is missing. No script, no CSS file.

import { formatClockUtc, formatNumber } from './format.ts';
import { html, type SafeHtml } from './html.ts';
import { downsample, extent, linear, niceTicks, type Point, padDomain, timeTicks } from './scale.ts';

/** One line; `points` sorted by x, y null = no reading (the line breaks there). */
export interface LineSeries {
  readonly label: string;
  readonly points: readonly Point[];
  /** CSS colour; default from the palette by position. */
  readonly color?: string;
  readonly dashed?: boolean;
}

/** A shaded x range with a label on top (a study phase, an incident). */
export interface XBand {
  readonly from: number;
  readonly to: number;
  readonly label: string;
  readonly color?: string;
}

/** A vertical line at x with a short label (a fault onset, a set-point change). */
export interface XMarker {
  readonly x: number;
  readonly label: string;
  readonly color?: string;
}

export interface LineChartSpec {
  readonly title?: string;
  readonly series: readonly LineSeries[];
  readonly bands?: readonly XBand[];
  readonly markers?: readonly XMarker[];
  /** 'time': x is epoch ms, ticks in UTC clock time; 'number' (default): plain numbers. */
  readonly xKind?: 'time' | 'number';
  readonly xLabel?: string;
  readonly yLabel?: string;
  /** Fixed y range; default: the data's, padded 5 %. */
  readonly yDomain?: readonly [number, number];
  /** Pixels of the drawing (scaled to the page width by CSS). Defaults 520 × 220. */
  readonly width?: number;
  readonly height?: number;
  /** Points kept per series (min/max downsampling); default 800. */
  readonly maxPoints?: number;
}

/** Colours for series by position (colour-blind safe, Okabe–Ito). */
export const PALETTE = ['#0072b2', '#d55e00', '#009e73', '#cc79a7', '#e69f00', '#56b4e9', '#000000'] as const;

const round = (v: number): number => Math.round(v * 10) / 10;

function pathOf(points: readonly Point[], sx: (v: number) => number, sy: (v: number) => number): string {
  let d = '';
  let pen = false;
  for (const [x, y] of points) {
    if (y === null || !Number.isFinite(y)) {
      pen = false;
      continue;
    }
    d += `${pen ? 'L' : 'M'}${round(sx(x))} ${round(sy(y))}`;
    pen = true;
  }
  return d;
}

/** The chart as an inline `<svg>`; an empty series list or no finite y draws a "no data" frame. */
export function lineChart(spec: LineChartSpec): SafeHtml {
  const w = spec.width ?? 520;
  const h = spec.height ?? 220;
  const legend = spec.series.length > 1;
  const m = { left: 58, right: 24, top: spec.title === undefined ? 18 : 34, bottom: legend ? 48 : 32 };
  const series = spec.series.map((s) => ({ ...s, points: downsample(s.points, spec.maxPoints ?? 800) }));
  const xs = extent([
    ...series.flatMap((s) => s.points.map((p) => p[0])),
    ...(spec.bands ?? []).flatMap((b) => [b.from, b.to]),
  ]);
  const ys = spec.yDomain ?? extent(series.flatMap((s) => s.points.map((p) => p[1])));
  const title =
    spec.title === undefined ? '' : html`<text x="${m.left}" y="14" font-weight="600">${spec.title}</text>`;
  const aria = spec.title ?? spec.series.map((s) => s.label).join(', ');
  if (xs === null || ys === null) {
    return html`<svg viewBox="0 0 ${w} ${h}" width="${w}" height="${h}" role="img" aria-label="${aria}">${title}<rect x="${m.left}" y="${m.top}" width="${w - m.left - m.right}" height="${h - m.top - m.bottom}" fill="none" stroke="#d8dde5"/><text x="${w / 2}" y="${h / 2}" text-anchor="middle" fill="#5b6575">no data</text></svg>`;
  }
  const xDomain = xs[0] === xs[1] ? padDomain(xs) : xs;
  const yDomain = spec.yDomain ?? padDomain(ys);
  const sx = linear(xDomain, [m.left, w - m.right]);
  const sy = linear(yDomain, [h - m.bottom, m.top]);
  const isTime = spec.xKind === 'time';
  const xt = isTime ? timeTicks(xDomain[0], xDomain[1], 6) : niceTicks(xDomain[0], xDomain[1], 6);
  const showSeconds = isTime && xDomain[1] - xDomain[0] < 600_000;
  const xFmt = (v: number) => (isTime ? formatClockUtc(v, showSeconds) : formatNumber(v));
  const yt = niceTicks(yDomain[0], yDomain[1], 5).filter((v) => v >= yDomain[0] && v <= yDomain[1]);
  const bottom = h - m.bottom;
  const bands = (spec.bands ?? []).map((b) => {
    const x0 = Math.max(m.left, sx(b.from));
    const x1 = Math.min(w - m.right, sx(b.to));
    if (!(x1 > x0)) return '';
    return html`<rect x="${round(x0)}" y="${m.top}" width="${round(x1 - x0)}" height="${bottom - m.top}" fill="${b.color ?? '#e8edf4'}" fill-opacity="0.55"/><text x="${round((x0 + x1) / 2)}" y="${m.top - 4}" text-anchor="middle" fill="#5b6575">${b.label}</text>`;
  });
  const markers = (spec.markers ?? []).map(
    (mk) =>
      html`<line x1="${round(sx(mk.x))}" x2="${round(sx(mk.x))}" y1="${m.top}" y2="${bottom}" stroke="${mk.color ?? '#b42318'}" stroke-dasharray="3 3"/><text x="${round(sx(mk.x)) + 3}" y="${m.top + 11}" fill="${mk.color ?? '#b42318'}">${mk.label}</text>`,
  );
  const grid = yt.map(
    (v) =>
      html`<line x1="${m.left}" x2="${w - m.right}" y1="${round(sy(v))}" y2="${round(sy(v))}" stroke="#eef1f5"/><text x="${m.left - 5}" y="${round(sy(v)) + 4}" text-anchor="end">${formatNumber(v)}</text>`,
  );
  const xAxis = xt.map(
    (v) =>
      html`<line x1="${round(sx(v))}" x2="${round(sx(v))}" y1="${bottom}" y2="${bottom + 4}" stroke="#5b6575"/><text x="${round(sx(v))}" y="${bottom + 15}" text-anchor="middle">${xFmt(v)}</text>`,
  );
  const lines = series.map((s, i) => {
    const color = s.color ?? PALETTE[i % PALETTE.length];
    return html`<path d="${pathOf(s.points, sx, sy)}" fill="none" stroke="${color}" stroke-width="1.3"${s.dashed === true ? html` stroke-dasharray="5 3"` : ''}><title>${s.label}</title></path>`;
  });
  const keys = legend
    ? series.map((s, i) => {
        const x = m.left + i * 130;
        const color = s.color ?? PALETTE[i % PALETTE.length];
        return html`<line x1="${x}" x2="${x + 16}" y1="${h - 8}" y2="${h - 8}" stroke="${color}" stroke-width="2"/><text x="${x + 20}" y="${h - 4}">${s.label}</text>`;
      })
    : '';
  const yLabel =
    spec.yLabel === undefined
      ? ''
      : html`<text transform="translate(12 ${round((m.top + bottom) / 2)}) rotate(-90)" text-anchor="middle" fill="#5b6575">${spec.yLabel}</text>`;
  const xLabel =
    spec.xLabel === undefined
      ? ''
      : html`<text x="${w - m.right}" y="${bottom + 28}" text-anchor="end" fill="#5b6575">${spec.xLabel}</text>`;
  return html`<svg viewBox="0 0 ${w} ${h}" width="${w}" height="${h}" role="img" aria-label="${aria}">${title}${bands}${grid}${markers}${lines}<line x1="${m.left}" x2="${w - m.right}" y1="${bottom}" y2="${bottom}" stroke="#5b6575"/>${xAxis}${yLabel}${xLabel}${keys}</svg>`;
}
