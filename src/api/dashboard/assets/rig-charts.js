// The rig page's time-series charts (uPlot, vendored): per-device series of hashrate, power, hottest
// temperature, fan, efficiency, sep_score and hazard, rupture periods shaded, advice/actions marked.

import { el, formatTime, RUPTURE_CLASSES, si } from './common.js';

const uPlot = window.uPlot;
const PALETTE = ['#1f5fbf', '#c2185b', '#2e7d32', '#ef6c00', '#6a1b9a', '#00838f', '#5d4037', '#455a64'];
const SHADE = {
  micro: 'rgba(240, 200, 0, 0.18)',
  meso: 'rgba(255, 120, 0, 0.20)',
  macro: 'rgba(220, 40, 30, 0.22)',
};
const MARK = { advice: '#8a5300', action: '#1f5fbf' };

const hottest = (r) => {
  let t = null;
  for (const v of [r.temp_core_c, r.temp_mem_c, r.temp_chip_max_c])
    if (v !== null && v !== undefined && (t === null || v > t)) t = v;
  return t;
};

/** The charts: title, unit for the axis, and how to read the value from a merged point. */
export const CHARTS = [
  { key: 'hashrate', title: 'Hashrate', unit: 'H/s', value: (r) => r.hashrate_5s ?? null },
  { key: 'power', title: 'Power', unit: 'W', value: (r) => r.power_w ?? null },
  { key: 'temp', title: 'Hottest temperature', unit: '°C', value: hottest },
  { key: 'fan', title: 'Fan', unit: '% / rpm', value: (r) => r.fan_pct ?? r.fan_rpm ?? null },
  {
    key: 'eff',
    title: 'Efficiency',
    unit: 'H/J · J/TH',
    value: (r) =>
      (r.efficiency_h_per_j !== null && r.efficiency_h_per_j >= 1e9
        ? r.efficiency_j_per_th
        : r.efficiency_h_per_j) ?? null,
  },
  { key: 'sep', title: 'sep_score', unit: '0–100', value: (r) => r.sep_score ?? null },
  { key: 'hazard', title: 'Hazard', unit: '0–1', value: (r) => r.lambda_hazard ?? null },
];

/** Fields the charts need from the history (besides ts, rig, device). */
export const HISTORY_FIELDS = [
  'hashrate_5s',
  'power_w',
  'temp_core_c',
  'temp_mem_c',
  'temp_chip_max_c',
  'fan_pct',
  'fan_rpm',
  'efficiency_h_per_j',
  'efficiency_j_per_th',
  'sep_score',
  'lambda_hazard',
  'rupture_class',
];

/** Points of one rig by time (ms) and device, merged from history rows and live states. */
export class SeriesStore {
  constructor() {
    this.points = new Map();
    this.devices = new Set();
    this.version = 0;
  }

  /** Merges `fields` into the point of (`ts`, `device`); null values never erase known ones. */
  merge(ts, device, fields) {
    let at = this.points.get(ts);
    if (at === undefined) {
      at = new Map();
      this.points.set(ts, at);
    }
    const held = at.get(device);
    if (held === undefined) at.set(device, { ...fields });
    else for (const [k, v] of Object.entries(fields)) if (v !== null && v !== undefined) held[k] = v;
    this.devices.add(device);
    this.version++;
  }

  /** Drops points older than `fromMs`. */
  trim(fromMs) {
    for (const ts of this.points.keys()) if (ts < fromMs) this.points.delete(ts);
  }

  /** Times in order, devices in order, and for each time the worst rupture class over devices. */
  frame() {
    const times = [...this.points.keys()].sort((a, b) => a - b);
    const devices = [...this.devices].sort();
    const worst = times.map((ts) => {
      let w = 0;
      for (const p of this.points.get(ts).values())
        w = Math.max(w, RUPTURE_CLASSES.indexOf(p.rupture_class ?? 'none'));
      return w;
    });
    return { times, devices, worst };
  }
}

/** Contiguous periods (in seconds) where the worst class is above none, with that run's worst class. */
export function rupturePeriods(times, worst) {
  const out = [];
  let start = null;
  let cls = 0;
  for (let i = 0; i <= times.length; i++) {
    const w = i < times.length ? worst[i] : 0;
    if (w > 0 && start === null) {
      start = times[i];
      cls = w;
    } else if (w > 0) cls = Math.max(cls, w);
    else if (start !== null) {
      out.push({ from: start / 1000, to: times[i - 1] / 1000, cls: RUPTURE_CLASSES[cls] });
      start = null;
    }
  }
  return out;
}

function overlayPlugin(view) {
  return {
    hooks: {
      drawClear: (u) => {
        const { ctx, bbox } = u;
        for (const p of view.periods) {
          const x0 = u.valToPos(p.from, 'x', true);
          const x1 = Math.max(u.valToPos(p.to, 'x', true), x0 + 2);
          ctx.fillStyle = SHADE[p.cls];
          ctx.fillRect(x0, bbox.top, x1 - x0, bbox.height);
        }
      },
      draw: (u) => {
        const { ctx, bbox } = u;
        ctx.save();
        ctx.setLineDash([4, 3]);
        ctx.lineWidth = 1;
        for (const m of view.marks) {
          const x = u.valToPos(m.ts / 1000, 'x', true);
          if (x < bbox.left || x > bbox.left + bbox.width) continue;
          ctx.strokeStyle = MARK[m.kind];
          ctx.beginPath();
          ctx.moveTo(x, bbox.top);
          ctx.lineTo(x, bbox.top + bbox.height);
          ctx.stroke();
          ctx.fillStyle = MARK[m.kind];
          ctx.beginPath(); // a triangle on the time axis: ▲ advice, ◆ action
          if (m.kind === 'advice') {
            ctx.moveTo(x - 5, bbox.top + bbox.height);
            ctx.lineTo(x + 5, bbox.top + bbox.height);
            ctx.lineTo(x, bbox.top + bbox.height - 8);
          } else {
            const y = bbox.top + bbox.height - 5;
            ctx.moveTo(x, y - 5);
            ctx.lineTo(x + 5, y);
            ctx.lineTo(x, y + 5);
            ctx.lineTo(x - 5, y);
          }
          ctx.fill();
        }
        ctx.restore();
      },
    },
  };
}

/** The chart grid of one rig in `container`; `render(store, marks)` redraws what changed. */
export class RigCharts {
  constructor(container) {
    this.container = container;
    this.view = { periods: [], marks: [] };
    this.charts = new Map();
    this.deviceKey = '';
    this.windowMs = 15 * 60 * 1000;
    this.resize = new ResizeObserver(() => {
      for (const c of this.charts.values()) c.plot?.setSize(this.#size(c.box));
    });
  }

  #size(box) {
    return { width: Math.max(300, box.clientWidth - 12), height: 200 };
  }

  #build(devices) {
    this.container.textContent = '';
    for (const c of this.charts.values()) c.plot?.destroy();
    this.charts.clear();
    for (const def of CHARTS) {
      const box = el('figure', {
        class: 'chart',
        'data-chart': def.key,
        'aria-label': `${def.title} per device`,
      });
      box.append(
        el('h3', { text: `${def.title} (${def.unit})` }),
        el('p', { class: 'empty', text: 'No data in this window.' }),
      );
      this.container.append(box);
      const series = [
        { label: 'time', value: (_u, v) => (v === null ? '—' : formatTime(v * 1000)) },
        ...devices.map((d, i) => ({
          label: d,
          stroke: PALETTE[i % PALETTE.length],
          width: 1.5,
          spanGaps: true,
          value: (_u, v) => (v === null ? '—' : def.unit === 'H/s' ? si(v, 'H/s') : v.toPrecision(4)),
        })),
      ];
      const opts = {
        ...this.#size(box),
        series,
        scales: { x: { time: true } },
        axes: [
          {},
          {
            size: 60,
            values: (_u, ticks) => ticks.map((t) => (Math.abs(t) >= 1e4 ? si(t, '', 3) : String(t))),
          },
        ],
        legend: { live: true },
        cursor: { sync: { key: 'rig' } },
        plugins: [overlayPlugin(this.view)],
      };
      const plot = new uPlot(opts, [[], ...devices.map(() => [])], box);
      this.charts.set(def.key, { def, box, plot });
      this.resize.observe(box);
    }
  }

  /** Redraws every chart from `store` over the last `windowMs`, with `marks` ([{ts, kind}]). */
  render(store, marks) {
    const { times, devices, worst } = store.frame();
    const key = devices.join('\u0000');
    if (key !== this.deviceKey || this.charts.size === 0) {
      this.deviceKey = key;
      this.#build(devices);
    }
    this.view.periods = rupturePeriods(times, worst);
    this.view.marks = marks;
    const xs = times.map((t) => t / 1000);
    for (const { def, box, plot } of this.charts.values()) {
      const data = [xs];
      let points = 0;
      for (const d of devices) {
        const ys = times.map((t) => {
          const p = store.points.get(t).get(d);
          return p === undefined ? null : def.value(p);
        });
        for (const y of ys) if (y !== null) points++;
        data.push(ys);
      }
      box.dataset.points = String(points);
      box.querySelector('.empty').hidden = points > 0;
      plot.setData(data);
    }
  }

  /** The uPlot instances (for tests). */
  plots() {
    return [...this.charts.values()].map((c) => c.plot);
  }
}
