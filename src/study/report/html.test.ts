// The HTML builders escape every interpolated value (property-tested), keep nested fragments as markup,
// and produce one self-contained page (inline CSS, no script, no external reference).

import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { callout, escapeHtml, facts, html, htmlPage, join, raw, SafeHtml, section, table } from './html.ts';

test('escapeHtml escapes the five special characters', () => {
  assert.equal(
    escapeHtml(`<a href="x">Tom & 'Jerry'</a>`),
    '&lt;a href=&quot;x&quot;&gt;Tom &amp; &#39;Jerry&#39;&lt;/a&gt;',
  );
});

test('interpolated text never leaves markup characters behind', () => {
  fc.assert(
    fc.property(fc.string(), (text) => {
      const out = html`<p title="${text}">${text}</p>`.toString();
      const inner = out.slice('<p title="'.length, -'</p>'.length);
      assert.ok(!/[<>"']/.test(inner.replace('">', '')), out);
    }),
  );
});

test('nested fragments, arrays, numbers and empty values', () => {
  const items = ['a<b', 'c'].map((t) => html`<li>${t}</li>`);
  const out = html`<ul>${items}</ul>${null}${undefined}${false}${3.5}${Number.NaN}`;
  assert.ok(out instanceof SafeHtml);
  assert.equal(out.toString(), '<ul><li>a&lt;b</li><li>c</li></ul>3.5');
  assert.equal(join(['x', raw('<br>'), 'y&'], raw(' | ')).toString(), 'x | <br> | y&amp;');
});

test('table: header, escaped cells, numeric alignment and emphasis', () => {
  const out = table({
    caption: 'Effects',
    headers: ['device', 'effect'],
    rows: [
      ['gpu<0>', '3.1 %'],
      ['pooled', html`<b>2.0 %</b>`],
    ],
    numeric: [1],
    emphasis: [1],
  }).toString();
  assert.match(out, /<caption>Effects<\/caption>/);
  assert.match(out, /<th class="num">effect<\/th>/);
  assert.match(out, /<td>gpu&lt;0&gt;<\/td><td class="num">3.1 %<\/td>/);
  assert.match(out, /<tr class="em"><td>pooled<\/td><td class="num"><b>2.0 %<\/b><\/td><\/tr>/);
});

test('section, callout and facts', () => {
  assert.equal(section('a b', 'T<', 'x').toString(), '<section id="a-b"><h2>T&lt;</h2>x</section>');
  assert.match(callout('good', 'B won').toString(), /class="callout good".*B won/);
  assert.equal(facts([['n', '3']]).toString(), '<dl class="facts"><dt>n</dt><dd>3</dd></dl>');
});

test('htmlPage is one self-contained document', () => {
  const page = htmlPage('Study <x>', html`<p>${'hello'}</p>`);
  assert.ok(page.startsWith('<!doctype html>\n<html lang="en">'));
  assert.match(page, /<title>Study &lt;x&gt;<\/title>/);
  assert.match(page, /<style>/);
  assert.ok(!page.includes('<script'));
  assert.ok(!page.includes('http'));
  assert.ok(!/\b(src|href)=/.test(page));
});
