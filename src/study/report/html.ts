// Safe HTML building for the self-contained reports (studies, backtests): a tagged template that escapes
// every interpolated value unless it is already SafeHtml, plus the page shell with inline CSS and tables.

/** A fragment of HTML (or SVG) that is already escaped; interpolating it into `html` keeps it as is. */
export class SafeHtml {
  readonly #text: string;

  constructor(text: string) {
    this.#text = text;
  }

  toString(): string {
    return this.#text;
  }
}

/** What `html` interpolates: text (escaped), numbers, SafeHtml (kept), arrays (joined), null/undefined/false (nothing). */
export type HtmlValue = SafeHtml | string | number | boolean | null | undefined | readonly HtmlValue[];

const ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

/** Escapes `& < > " '` so the text is safe in element content and in quoted attribute values. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ESCAPES[c]);
}

function render(value: HtmlValue): string {
  if (value instanceof SafeHtml) return value.toString();
  if (Array.isArray(value)) return value.map(render).join('');
  if (value === null || value === undefined || value === false) return '';
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : '';
  return escapeHtml(String(value));
}

/** Tagged template: `html\`<p>${text}</p>\`` escapes `text`; nested `html` fragments stay markup. */
export function html(strings: TemplateStringsArray, ...values: readonly HtmlValue[]): SafeHtml {
  let out = strings[0];
  for (let i = 0; i < values.length; i += 1) out += render(values[i]) + strings[i + 1];
  return new SafeHtml(out);
}

/** Trusted markup as SafeHtml (only for text the caller built itself, never for input data). */
export function raw(markup: string): SafeHtml {
  return new SafeHtml(markup);
}

/** Joins fragments (each escaped unless SafeHtml) with an optional separator. */
export function join(parts: readonly HtmlValue[], separator: HtmlValue = ''): SafeHtml {
  return new SafeHtml(parts.map(render).join(render(separator)));
}

/** A table cell: text (escaped), SafeHtml, or a number already formatted by the caller. */
export type Cell = HtmlValue;

/** A table with a header row; `numeric` columns are right-aligned with tabular figures. */
export interface TableSpec {
  readonly caption?: string;
  readonly headers: readonly string[];
  readonly rows: ReadonlyArray<readonly Cell[]>;
  /** Indexes of right-aligned columns. */
  readonly numeric?: readonly number[];
  /** Rows (by index) drawn emphasised, such as a pooled total. */
  readonly emphasis?: readonly number[];
}

/** An HTML table; cells are escaped. */
export function table(spec: TableSpec): SafeHtml {
  const num = new Set(spec.numeric ?? []);
  const strong = new Set(spec.emphasis ?? []);
  const cls = (i: number) => (num.has(i) ? raw(' class="num"') : '');
  return html`<div class="scroll"><table>${spec.caption === undefined ? '' : html`<caption>${spec.caption}</caption>`}<thead><tr>${spec.headers.map(
    (h, i) => html`<th${cls(i)}>${h}</th>`,
  )}</tr></thead><tbody>${spec.rows.map(
    (row, r) =>
      html`<tr${strong.has(r) ? raw(' class="em"') : ''}>${row.map((c, i) => html`<td${cls(i)}>${c}</td>`)}</tr>`,
  )}</tbody></table></div>`;
}

/** A titled section with an anchor id (letters, digits and dashes only). */
export function section(id: string, title: string, body: HtmlValue): SafeHtml {
  const anchor = id.replace(/[^A-Za-z0-9-]/g, '-');
  return html`<section id="${anchor}"><h2>${title}</h2>${body}</section>`;
}

/** Tone of a verdict box: what the colour says. */
export type Tone = 'good' | 'bad' | 'neutral' | 'warn';

/** A boxed headline (the verdict first thing in a report). */
export function callout(tone: Tone, headline: string, detail: HtmlValue = ''): SafeHtml {
  return html`<div class="callout ${tone}"><p class="headline">${headline}</p>${detail}</div>`;
}

/** Definition list of key facts (label → value). */
export function facts(items: ReadonlyArray<readonly [string, HtmlValue]>): SafeHtml {
  return html`<dl class="facts">${items.map(([k, v]) => html`<dt>${k}</dt><dd>${v}</dd>`)}</dl>`;
}

const CSS = `
:root{--fg:#1d2430;--muted:#5b6575;--line:#d8dde5;--bg:#fff;--soft:#f4f6f9;--good:#1a7f37;--bad:#b42318;--warn:#9a6700}
*{box-sizing:border-box}body{margin:0;font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:var(--fg);background:var(--bg)}
main{max-width:1100px;margin:0 auto;padding:24px}h1{font-size:22px;margin:0 0 4px}h2{font-size:18px;margin:28px 0 10px;border-bottom:1px solid var(--line);padding-bottom:4px}
h3{font-size:15px;margin:18px 0 6px}p{margin:6px 0}.muted{color:var(--muted)}
table{border-collapse:collapse;margin:8px 0 14px;font-size:13px}caption{text-align:left;font-weight:600;padding:4px 0}
th,td{border-bottom:1px solid var(--line);padding:4px 10px;text-align:left;vertical-align:top}th{background:var(--soft)}
td.num,th.num{text-align:right;font-variant-numeric:tabular-nums}tr.em td{font-weight:600;background:var(--soft)}
.callout{border-left:5px solid var(--muted);background:var(--soft);padding:10px 14px;margin:12px 0}.callout .headline{font-size:17px;font-weight:600;margin:0}
.callout.good{border-color:var(--good)}.callout.bad{border-color:var(--bad)}.callout.warn{border-color:var(--warn)}
dl.facts{display:grid;grid-template-columns:max-content 1fr;gap:2px 14px;margin:8px 0}dl.facts dt{color:var(--muted)}dl.facts dd{margin:0}
svg{display:block;max-width:100%;height:auto;margin:6px 0}svg text{font:11px system-ui,sans-serif;fill:var(--fg)}
.charts{display:grid;grid-template-columns:repeat(auto-fit,minmax(480px,1fr));gap:8px 18px}
ul.notes{margin:6px 0;padding-left:20px}.scroll{overflow-x:auto}.ci{display:block;color:var(--muted);font-size:11px;white-space:nowrap}
@media print{main{max-width:none}section{break-inside:avoid-page}}
`;

/** A complete HTML document: inline CSS only, no scripts, no external assets. */
export function htmlPage(title: string, body: HtmlValue, extraCss = ''): string {
  return `<!doctype html>\n${html`<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><title>${title}</title><style>${raw(CSS + extraCss)}</style></head><body><main>${body}</main></body></html>`}\n`;
}
