// A live table that stays fast at any fleet size: rows are models in memory, and only the rows in view
// are in the DOM (a fixed pool of <tr> between two spacers). Updates mark rows dirty; once per animation
// frame only the visible cells whose text changed are written. Sorting and filtering reorder the models.

/** Sort value comparison: nulls last in both directions, then numbers or strings. */
function compareValues(a, b, dir) {
  const an = a === null || a === undefined || Number.isNaN(a);
  const bn = b === null || b === undefined || Number.isNaN(b);
  if (an || bn) return an === bn ? 0 : an ? 1 : -1;
  if (a < b) return -dir;
  if (a > b) return dir;
  return 0;
}

/** Least time between two reorders of a live-sorted table, ms (rows do not jump on every tick). */
const REORDER_MS = 1000;
/** Rows rendered beyond each edge of the viewport. */
const OVERSCAN = 8;

export class LiveTable {
  /**
   * `columns`: [{ key, label, num?, title?, text(model) → string, paint?(td, text, model), sort?(model),
   * defaultDir? }]; options: `sortKey`/`sortDir` (1 ascending, -1 descending), `onBind(tr, model)` when a
   * row element shows another model, `onFlush()` after each frame's writes, `rowHeightPx` (24).
   */
  constructor(table, columns, options = {}) {
    this.table = table;
    this.columns = columns;
    this.tbody = table.tBodies[0] ?? table.appendChild(document.createElement('tbody'));
    this.rows = new Map();
    this.order = [];
    this.dirty = new Set();
    this.filter = () => true;
    this.sortKey = options.sortKey ?? columns[0].key;
    this.sortDir = options.sortDir ?? 1;
    this.onBind = options.onBind ?? (() => {});
    this.onFlush = options.onFlush ?? (() => {});
    this.rowHeight = options.rowHeightPx ?? 24;
    this.orderDirty = true;
    this.filterDirty = false;
    this.lastReorderMs = -Infinity;
    this.scheduled = false;
    this.reorderTimer = null;
    this.slots = [];
    this.counters = { flushes: 0, cellWrites: 0, rowsTouched: 0, flushMs: [] };
    this.tbody.textContent = '';
    this.top = this.#spacer();
    this.bottom = this.#spacer();
    this.tbody.append(this.top, this.bottom);
    this.#buildHead();
    addEventListener('scroll', () => this.#schedule(), { passive: true });
    addEventListener('resize', () => this.#schedule());
  }

  #spacer() {
    const tr = document.createElement('tr');
    tr.className = 'spacer';
    tr.setAttribute('aria-hidden', 'true');
    const td = tr.insertCell();
    td.colSpan = this.columns.length;
    return tr;
  }

  #buildHead() {
    const thead = this.table.tHead ?? this.table.createTHead();
    thead.textContent = '';
    const tr = thead.insertRow();
    for (const c of this.columns) {
      const th = document.createElement('th');
      th.scope = 'col';
      th.dataset.key = c.key;
      if (c.num) th.className = 'num';
      if (c.sort === undefined) th.textContent = c.label;
      else {
        const b = document.createElement('button');
        b.type = 'button';
        b.textContent = c.label;
        if (c.title) b.title = c.title;
        b.addEventListener('click', () =>
          this.setSort(c.key, this.sortKey === c.key ? -this.sortDir : (c.defaultDir ?? 1)),
        );
        th.append(b);
      }
      tr.append(th);
    }
    this.#markSortHeader();
  }

  #markSortHeader() {
    const dir = this.sortDir === 1 ? 'ascending' : 'descending';
    for (const th of this.table.tHead.rows[0].cells) {
      const c = this.columns.find((x) => x.key === th.dataset.key);
      if (c.sort === undefined) continue;
      th.setAttribute('aria-sort', th.dataset.key === this.sortKey ? dir : 'none');
    }
    // The caption says the order too, for screen readers that do not announce aria-sort changes.
    const caption = this.table.caption;
    if (caption !== null) {
      caption.dataset.base ??= caption.textContent;
      const label = this.columns.find((x) => x.key === this.sortKey)?.label ?? this.sortKey;
      caption.textContent = `${caption.dataset.base} Sorted by ${label}, ${dir}.`;
    }
  }

  /** Merges `patch` into the row `key` (created when new); the DOM follows on the next frame. */
  upsert(key, patch) {
    let row = this.rows.get(key);
    if (row === undefined) {
      row = { key, model: { ...patch }, visible: this.filter({ ...patch }), sortValue: undefined };
      this.rows.set(key, row);
      this.orderDirty = true;
      this.lastReorderMs = -Infinity; // a new row shows at once
    } else Object.assign(row.model, patch);
    this.dirty.add(row);
    this.#schedule();
  }

  /** The row model of `key`, or undefined. */
  get(key) {
    return this.rows.get(key)?.model;
  }

  remove(key) {
    const row = this.rows.get(key);
    if (row === undefined) return;
    this.rows.delete(key);
    this.dirty.delete(row);
    this.orderDirty = true;
    this.lastReorderMs = -Infinity;
    this.#schedule();
  }

  /** Shows only rows for which `fn(model)` is true (re-checked as rows change). */
  setFilter(fn) {
    this.filter = fn;
    this.filterDirty = true;
    this.#schedule();
  }

  setSort(key, dir) {
    this.sortKey = key;
    this.sortDir = dir;
    this.#markSortHeader();
    this.orderDirty = true;
    this.lastReorderMs = -Infinity;
    for (const row of this.rows.values()) row.sortValue = undefined;
    this.#schedule();
  }

  /** Rows passing the filter, and all rows. */
  count() {
    let shown = 0;
    for (const row of this.rows.values()) if (row.visible) shown++;
    return { shown, total: this.rows.size };
  }

  #schedule() {
    if (this.scheduled) return;
    this.scheduled = true;
    requestAnimationFrame(() => this.flush());
  }

  /** One frame: fold in dirty rows, reorder when due, then write the cells of the rows in view. */
  flush() {
    this.scheduled = false;
    const t0 = performance.now();
    const sortCol = this.columns.find((c) => c.key === this.sortKey);
    if (this.filterDirty) {
      this.filterDirty = false;
      for (const row of this.rows.values()) this.dirty.add(row);
      this.orderDirty = true;
      this.lastReorderMs = -Infinity;
    }
    for (const row of this.dirty) {
      const visible = this.filter(row.model);
      const sv = sortCol?.sort?.(row.model);
      if (visible !== row.visible || sv !== row.sortValue) this.orderDirty = true;
      row.visible = visible;
      row.sortValue = sv;
    }
    this.counters.rowsTouched += this.dirty.size;
    if (this.orderDirty) this.#reorderWhenDue();
    const writes = this.#render();
    this.dirty.clear();
    this.counters.flushes++;
    this.counters.cellWrites += writes;
    if (this.counters.flushMs.length < 100_000) this.counters.flushMs.push(performance.now() - t0);
    this.onFlush();
  }

  #reorderWhenDue() {
    const now = performance.now();
    const wait = this.lastReorderMs + REORDER_MS - now;
    if (wait > 0) {
      this.reorderTimer ??= setTimeout(() => {
        this.reorderTimer = null;
        this.#schedule();
      }, wait);
      return;
    }
    this.orderDirty = false;
    this.lastReorderMs = now;
    const dir = this.sortDir;
    this.order = [...this.rows.values()]
      .filter((r) => r.visible)
      .sort(
        (a, b) =>
          compareValues(a.sortValue, b.sortValue, dir) || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0),
      );
    this.table.setAttribute('aria-rowcount', String(this.order.length + 1));
  }

  /** Binds the pool of row elements to the rows in view; writes only cells whose text changed. */
  #render() {
    const bodyTop = this.tbody.getBoundingClientRect().top; // read before any write this frame
    const want = Math.min(this.order.length, Math.ceil(innerHeight / this.rowHeight) + 2 * OVERSCAN);
    while (this.slots.length < want) this.slots.push(this.#slot());
    while (this.slots.length > want) this.slots.pop().tr.remove();
    const first = Math.max(
      0,
      Math.min(this.order.length - want, Math.floor(-bodyTop / this.rowHeight) - OVERSCAN),
    );
    let writes = 0;
    for (let i = 0; i < this.slots.length; i++) {
      const slot = this.slots[i];
      const row = this.order[first + i];
      const rebound = slot.row !== row;
      if (rebound) {
        slot.row = row;
        slot.tr.setAttribute('aria-rowindex', String(first + i + 2));
        this.onBind(slot.tr, row.model);
      } else if (!this.dirty.has(row)) continue;
      for (let c = 0; c < this.columns.length; c++) {
        const col = this.columns[c];
        const text = col.text(row.model);
        if (text === slot.texts[c] && !(rebound && col.paint)) continue;
        slot.texts[c] = text;
        writes++;
        if (col.paint) col.paint(slot.cells[c], text, row.model);
        else slot.cells[c].textContent = text;
      }
    }
    this.#height(this.top, first * this.rowHeight);
    this.#height(this.bottom, Math.max(0, this.order.length - first - want) * this.rowHeight);
    return writes;
  }

  #height(spacer, px) {
    const value = `${px}px`;
    if (spacer.style.height !== value) spacer.style.height = value;
    spacer.hidden = px === 0;
  }

  #slot() {
    const tr = document.createElement('tr');
    const cells = this.columns.map((c) => {
      const td = tr.insertCell();
      td.className = `c-${c.key}${c.num ? ' num' : ''}`;
      return td;
    });
    this.tbody.insertBefore(tr, this.bottom);
    return { tr, cells, texts: this.columns.map(() => null), row: null };
  }
}
