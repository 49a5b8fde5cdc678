// Inline SVG distribution plot: per group a box (quartiles, median), whiskers (5th–95th percentile), the
// mean as a diamond and a strip of the values (evenly thinned, fixed jitter), so spread and shape show.

import { formatNumber } from './format.ts';
import { html, type SafeHtml } from './html.ts';
import { PALETTE } from './line-chart.ts';
import { extent, linear, niceTicks, padDomain, quantileSorted } from './scale.ts';

/** One group of values (a phase, a configuration); non-finite values are ignored. */
export interface DistributionGroup {
  readonly label: string;
  readonly values: readonly number[];
  readonly color?: string;
}

export interface DistributionSpec {
  readonly title?: string;
  readonly groups: readonly DistributionGroup[];
  readonly yLabel?: string;
  /** Pixels; defaults 100 per group (at least 260) × 220. */
  readonly width?: number;
  readonly height?: number;
  /** Strip points drawn per group (evenly thinned); default 300. */
  readonly maxStripPoints?: number;
}

/** The five numbers a box shows plus the mean and count, or null for an empty group. */
export interface BoxStats {
  readonly n: number;
  readonly mean: number;
  readonly p05: number;
  readonly q1: number;
  readonly median: number;
  readonly q3: number;
  readonly p95: number;
}

/** Box statistics of the finite values; null when there are none. */
export function boxStats(values: readonly number[]): BoxStats | null {
  const sorted = values.filter((v) => Number.isFinite(v)).sort((a, b) => a - b);
  if (sorted.length === 0) return null;
  const q = (p: number) => quantileSorted(sorted, p) as number;
  let sum = 0;
  for (const v of sorted) sum += v;
  return {
    n: sorted.length,
    mean: sum / sorted.length,
    p05: q(0.05),
    q1: q(0.25),
    median: q(0.5),
    q3: q(0.75),
    p95: q(0.95),
  };
}

const round = (v: number): number => Math.round(v * 10) / 10;

/** Deterministic jitter in [-1, 1] from the point's index (golden-ratio sequence). */
function jitter(i: number): number {
  return (((i * 0.618033988749895) % 1) - 0.5) * 2;
}

/** The plot as an inline `<svg>`; groups without values are labelled "no data". */
export function distributionPlot(spec: DistributionSpec): SafeHtml {
  const groups = spec.groups.map((g) => ({ ...g, finite: g.values.filter((v) => Number.isFinite(v)) }));
  const w = spec.width ?? Math.max(260, 60 + groups.length * 100);
  const h = spec.height ?? 220;
  const m = { left: 58, right: 10, top: spec.title === undefined ? 10 : 26, bottom: 34 };
  const ys = extent(groups.flatMap((g) => g.finite));
  const title =
    spec.title === undefined ? '' : html`<text x="${m.left}" y="14" font-weight="600">${spec.title}</text>`;
  const aria = spec.title ?? groups.map((g) => g.label).join(', ');
  const bottom = h - m.bottom;
  const slot = (w - m.left - m.right) / Math.max(1, groups.length);
  const labels = groups.map(
    (g, i) =>
      html`<text x="${round(m.left + slot * (i + 0.5))}" y="${bottom + 15}" text-anchor="middle">${g.label}</text><text x="${round(m.left + slot * (i + 0.5))}" y="${bottom + 28}" text-anchor="middle" fill="#5b6575">n=${g.finite.length}</text>`,
  );
  if (ys === null) {
    return html`<svg viewBox="0 0 ${w} ${h}" width="${w}" height="${h}" role="img" aria-label="${aria}">${title}<text x="${w / 2}" y="${h / 2}" text-anchor="middle" fill="#5b6575">no data</text>${labels}</svg>`;
  }
  const domain = padDomain(ys);
  const sy = linear(domain, [bottom, m.top]);
  const ticks = niceTicks(domain[0], domain[1], 5).filter((v) => v >= domain[0] && v <= domain[1]);
  const grid = ticks.map(
    (v) =>
      html`<line x1="${m.left}" x2="${w - m.right}" y1="${round(sy(v))}" y2="${round(sy(v))}" stroke="#eef1f5"/><text x="${m.left - 5}" y="${round(sy(v)) + 4}" text-anchor="end">${formatNumber(v)}</text>`,
  );
  const maxStrip = spec.maxStripPoints ?? 300;
  const bodies = groups.map((g, i) => {
    const stats = boxStats(g.finite);
    const cx = m.left + slot * (i + 0.5);
    const color = g.color ?? PALETTE[i % PALETTE.length];
    if (stats === null)
      return html`<text x="${round(cx)}" y="${round((m.top + bottom) / 2)}" text-anchor="middle" fill="#5b6575">no data</text>`;
    const half = Math.min(28, slot * 0.3);
    const every = Math.max(1, Math.ceil(g.finite.length / maxStrip));
    const dots = [];
    for (let k = 0; k < g.finite.length; k += every) {
      const x = cx + half * 0.9 * jitter(k / every);
      dots.push(html`<circle cx="${round(x)}" cy="${round(sy(g.finite[k]))}" r="1.6"/>`);
    }
    const y = (v: number) => round(sy(v));
    return html`<g fill="${color}" fill-opacity="0.25">${dots}</g><g stroke="${color}" fill="none" stroke-width="1.4"><line x1="${round(cx)}" x2="${round(cx)}" y1="${y(stats.p05)}" y2="${y(stats.q1)}"/><line x1="${round(cx)}" x2="${round(cx)}" y1="${y(stats.q3)}" y2="${y(stats.p95)}"/><rect x="${round(cx - half)}" y="${y(stats.q3)}" width="${round(2 * half)}" height="${round(Math.max(0.5, sy(stats.q1) - sy(stats.q3)))}"/><line x1="${round(cx - half)}" x2="${round(cx + half)}" y1="${y(stats.median)}" y2="${y(stats.median)}" stroke-width="2.4"/></g><path d="M${round(cx)} ${y(stats.mean) - 5}l5 5l-5 5l-5 -5z" fill="#1d2430"><title>${g.label}: mean ${formatNumber(stats.mean)}, median ${formatNumber(stats.median)}, n=${stats.n}</title></path>`;
  });
  const yLabel =
    spec.yLabel === undefined
      ? ''
      : html`<text transform="translate(12 ${round((m.top + bottom) / 2)}) rotate(-90)" text-anchor="middle" fill="#5b6575">${spec.yLabel}</text>`;
  return html`<svg viewBox="0 0 ${w} ${h}" width="${w}" height="${h}" role="img" aria-label="${aria}">${title}${grid}${bodies}<line x1="${m.left}" x2="${w - m.right}" y1="${bottom}" y2="${bottom}" stroke="#5b6575"/>${labels}${yLabel}</svg>`;
}
