// Inline SVG forest plot: one row per unit (device, configuration) with its estimate and interval, a
// pooled row drawn as a diamond, and the reference line (no effect) so "interval crosses zero" is visible.

import { formatInterval, formatNumber } from './format.ts';
import { html, type SafeHtml } from './html.ts';
import { extent, linear, niceTicks, padDomain } from './scale.ts';

/** One row; null estimate or bounds = not estimable (drawn as text only). */
export interface ForestRow {
  readonly label: string;
  readonly estimate: number | null;
  readonly low: number | null;
  readonly high: number | null;
  /** Short text after the interval (such as `n=1200`). */
  readonly note?: string;
  /** Drawn as a diamond below a separator: the pooled estimate. */
  readonly pooled?: boolean;
}

export interface ForestSpec {
  readonly title?: string;
  readonly rows: readonly ForestRow[];
  readonly xLabel?: string;
  /** x of the no-effect line; default 0. */
  readonly reference?: number;
  /** How the estimate and bounds are written in the right column; default formatNumber. */
  readonly format?: (value: number) => string;
  /** Pixels wide; default 900. */
  readonly width?: number;
}

const ROW_PX = 22;
const round = (v: number): number => Math.round(v * 10) / 10;

/** The plot as an inline `<svg>`. */
export function forestPlot(spec: ForestSpec): SafeHtml {
  const fmt = spec.format ?? ((v: number) => formatNumber(v));
  const ref = spec.reference ?? 0;
  const w = spec.width ?? 900;
  const m = { left: 170, right: 290, top: spec.title === undefined ? 8 : 26, bottom: 34 };
  const h = m.top + m.bottom + ROW_PX * Math.max(1, spec.rows.length);
  const xs = extent([ref, ...spec.rows.flatMap((r) => [r.estimate, r.low, r.high])]) as readonly [
    number,
    number,
  ];
  const domain = padDomain(xs, 0.08);
  const sx = linear(domain, [m.left, w - m.right]);
  const bottom = h - m.bottom;
  const title =
    spec.title === undefined ? '' : html`<text x="4" y="14" font-weight="600">${spec.title}</text>`;
  const ticks = niceTicks(domain[0], domain[1], 5).filter((v) => v >= domain[0] && v <= domain[1]);
  const axis = ticks.map(
    (v) =>
      html`<line x1="${round(sx(v))}" x2="${round(sx(v))}" y1="${bottom}" y2="${bottom + 4}" stroke="#5b6575"/><text x="${round(sx(v))}" y="${bottom + 15}" text-anchor="middle">${formatNumber(v)}</text>`,
  );
  const rows = spec.rows.map((r, i) => {
    const cy = m.top + ROW_PX * (i + 0.5);
    const text =
      r.estimate === null ? 'not estimable' : `${fmt(r.estimate)} [${formatInterval(r.low, r.high, fmt)}]`;
    const right = html`<text x="${w - m.right + 8}" y="${round(cy + 4)}">${text}${r.note === undefined ? '' : `  ${r.note}`}</text>`;
    const label = html`<text x="4" y="${round(cy + 4)}"${r.pooled === true ? html` font-weight="600"` : ''}>${r.label}</text>`;
    const sep =
      r.pooled === true && i > 0
        ? html`<line x1="4" x2="${w - 4}" y1="${round(cy - ROW_PX / 2)}" y2="${round(cy - ROW_PX / 2)}" stroke="#d8dde5"/>`
        : '';
    const hasCi = r.low !== null && r.high !== null && Number.isFinite(r.low) && Number.isFinite(r.high);
    const crosses = hasCi && (r.low as number) <= ref && (r.high as number) >= ref;
    const color = !hasCi || crosses ? '#5b6575' : '#0072b2';
    const whisker = hasCi
      ? html`<line x1="${round(sx(r.low as number))}" x2="${round(sx(r.high as number))}" y1="${round(cy)}" y2="${round(cy)}" stroke="${color}" stroke-width="1.6"/>`
      : '';
    let mark: SafeHtml | string = '';
    if (r.estimate !== null && Number.isFinite(r.estimate)) {
      const x = round(sx(r.estimate));
      mark =
        r.pooled === true && hasCi
          ? html`<path d="M${round(sx(r.low as number))} ${round(cy)}L${x} ${round(cy - 7)}L${round(sx(r.high as number))} ${round(cy)}L${x} ${round(cy + 7)}z" fill="${color}"/>`
          : html`<rect x="${x - 4}" y="${round(cy - 4)}" width="8" height="8" fill="${color}"/>`;
    }
    return html`${sep}${label}${whisker}${mark}${right}`;
  });
  const xLabel =
    spec.xLabel === undefined
      ? ''
      : html`<text x="${round((m.left + w - m.right) / 2)}" y="${bottom + 29}" text-anchor="middle" fill="#5b6575">${spec.xLabel}</text>`;
  return html`<svg viewBox="0 0 ${w} ${h}" width="${w}" height="${h}" role="img" aria-label="${spec.title ?? 'effects with intervals'}">${title}<line x1="${round(sx(ref))}" x2="${round(sx(ref))}" y1="${m.top}" y2="${bottom}" stroke="#b42318" stroke-dasharray="3 3"/>${rows}<line x1="${m.left}" x2="${w - m.right}" y1="${bottom}" y2="${bottom}" stroke="#5b6575"/>${axis}${xLabel}</svg>`;
}
