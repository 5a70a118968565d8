// Charts for the pages, drawn with Chart.js (served from /vendor, copied there from the pinned npm package by the
// gateway's build; loaded by the page as a classic script before its module). Every chart has a table or list
// beside it with the same figures, and a label in words for screen readers. Numbers and dates go through Intl.
import { codeText, h } from './api.js';
import { formatNumber, language, t } from './i18n.js';

const { Chart } = window;
Chart.defaults.locale = language;
Chart.defaults.animation = false;
Chart.defaults.maintainAspectRatio = false;
Chart.defaults.font.family = window.getComputedStyle(document.body).fontFamily;
Chart.defaults.plugins.legend.labels.boxWidth = 12;

const css = (name) => window.getComputedStyle(document.documentElement).getPropertyValue(name).trim();
const VERDICT_COLORS = {
  GENUINE: css('--genuine'),
  SUSPECT: css('--suspect'),
  COUNTERFEIT: css('--counterfeit'),
};
const STATE_COLORS = {
  ACTIVE: '#0b4f8a',
  IN_TRANSIT: '#5a9bd5',
  DISPENSED: '#0a6b2d',
  OTHER: '#8a96a3',
};
/** Distinct colours for open-ended series (alert reasons), in order; past the list, hues spread by the golden angle. */
const PALETTE = ['#b00020', '#f2a900', '#0b4f8a', '#6a3d9a', '#0a6b2d', '#e36414', '#5a9bd5', '#8a96a3'];
const colour = (i) => PALETTE[i] ?? `hsl(${Math.round((i * 137.5) % 360)} 60% 42%)`;

const dayFormat = new Intl.DateTimeFormat(language, { month: 'short', day: 'numeric', timeZone: 'UTC' });
const timeFormat = new Intl.DateTimeFormat(language, { dateStyle: 'short', timeStyle: 'short' });
/** Axis ticks for a span of time: seconds within the hour, minutes within two days, else days. */
const tickFormat = (spanMs) =>
  new Intl.DateTimeFormat(
    language,
    spanMs < 3_600_000
      ? { timeStyle: 'medium' }
      : spanMs < 2 * 86_400_000
        ? { month: 'short', day: 'numeric', hour: 'numeric', minute: '2-digit' }
        : { dateStyle: 'medium' },
  );

/** A day (YYYY-MM-DD, UTC) as a short date in the page's language. */
export const dayLabel = (day) => dayFormat.format(new Date(`${day}T00:00:00Z`));

const numberAxis = (stacked = true) => ({
  stacked,
  beginAtZero: true,
  ticks: { precision: 0, callback: (v) => formatNumber(v) },
});

/**
 * A category axis whose labels (one line or several) are cut to what a narrow chart has room for: on a phone an
 * organisation's name would otherwise push the bars off the card. The full names are in the table beside it.
 */
const fittedLabels = (extra = {}) => ({
  ...extra,
  ticks: {
    callback(value) {
      const max = Math.max(10, Math.floor(this.chart.width / 22));
      return [this.getLabelForValue(value)]
        .flat()
        .map((l) => (l.length > max ? `${l.slice(0, max - 1)}…` : l));
    },
  },
});

/** Removes the chart drawn in `container`, if any. */
export function clearChart(container) {
  Chart.getChart(container.querySelector('canvas'))?.destroy();
  container.replaceChildren();
}

/** Draws `config` in `container` (replacing a chart drawn there before); `label` says what it shows. */
function mount(container, label, config) {
  clearChart(container);
  const canvas = h('canvas', { role: 'img', 'aria-label': label });
  container.append(canvas);
  container.classList.add('chart');
  return new Chart(canvas, config);
}

/** Recorded scans per day, stacked by verdict. */
export function scansChart(container, days) {
  return mount(container, t('chart.scans.label'), {
    type: 'bar',
    data: {
      labels: days.map((d) => dayLabel(d.day)),
      datasets: ['GENUINE', 'SUSPECT', 'COUNTERFEIT'].map((verdict) => ({
        label: t(`verdict.${verdict}`),
        data: days.map((d) => d.scans[verdict] ?? 0),
        backgroundColor: VERDICT_COLORS[verdict],
      })),
    },
    options: { scales: { x: { stacked: true }, y: numberAxis() } },
  });
}

/** Alert occurrences per day, stacked by reason (the reasons that occur). */
export function alertsChart(container, days) {
  const reasons = [...new Set(days.flatMap((d) => Object.keys(d.alerts)))].sort();
  return mount(container, t('chart.alerts.label'), {
    type: 'bar',
    data: {
      labels: days.map((d) => dayLabel(d.day)),
      datasets: reasons.map((reason, i) => ({
        label: codeText('reason', reason),
        data: days.map((d) => d.alerts[reason] ?? 0),
        backgroundColor: colour(i),
      })),
    },
    options: { scales: { x: { stacked: true }, y: numberAxis() } },
  });
}

/** The places that raised most alerts, as horizontal bars. */
export function placesChart(container, places) {
  container.style.height = `${Math.max(140, 60 + places.length * 44)}px`;
  return mount(container, t('chart.places.label'), {
    type: 'bar',
    data: {
      labels: places.map((p) => [p.name, p.gln]),
      datasets: [
        {
          label: t('chart.places.alerts'),
          data: places.map((p) => p.alerts),
          backgroundColor: colour(0),
          maxBarThickness: 28,
        },
      ],
    },
    options: {
      indexAxis: 'y',
      plugins: { legend: { display: false } },
      scales: { x: numberAxis(false), y: fittedLabels() },
    },
  });
}

/** Stacked horizontal bars of packs by state, one bar per row (`label(row)`), from `counts(row)` by state. */
function stateBars(container, label, rows, rowLabel, counts) {
  const states = ['ACTIVE', 'IN_TRANSIT', 'DISPENSED', 'OTHER'];
  container.style.height = `${Math.max(140, 70 + rows.length * 44)}px`;
  return mount(container, label, {
    type: 'bar',
    data: {
      labels: rows.map(rowLabel),
      datasets: states.map((state) => ({
        label: t(`chart.state.${state}`),
        data: rows.map((r) => counts(r)[state] ?? 0),
        backgroundColor: STATE_COLORS[state],
        maxBarThickness: 28,
      })),
    },
    options: { indexAxis: 'y', scales: { x: numberAxis(), y: fittedLabels({ stacked: true }) } },
  });
}

/** A batch's whereabouts (GET …/whereabouts): packs by holder and state. */
export function holdersChart(container, holders) {
  return stateBars(
    container,
    t('chart.holders.label'),
    holders,
    (r) => [r.name, r.gln],
    (r) => ({ ACTIVE: r.active, IN_TRANSIT: r.inTransit, DISPENSED: r.dispensed, OTHER: r.other }),
  );
}

/** Counts by state folded to the chart's four: active, in transit, dispensed, and every other end. */
export function foldStates(byState = {}) {
  const out = { ACTIVE: 0, IN_TRANSIT: 0, DISPENSED: 0, OTHER: 0 };
  for (const [state, n] of Object.entries(byState)) out[state in out ? state : 'OTHER'] += n;
  return out;
}

/** A manufacturer's batches (GET /v1/batches): packs of each by state. */
export function batchesChart(container, batches) {
  return stateBars(
    container,
    t('chart.batches.label'),
    batches,
    (b) => b.lot,
    (b) => foldStates(b.counts?.byState),
  );
}

/** Whether two label boxes ({left, right, top, bottom}) overlap. */
const overlaps = (a, b) => a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom;

/**
 * Writes each point's block number above it, or below it when that is taken; a label with room in neither place
 * is left out (events seconds apart sit on top of each other on a phone), since the timeline under the chart
 * names every block. The labels drawn are kept on the chart as `$blockLabels` ({text, left, right, top, bottom}).
 */
const blockLabels = {
  id: 'blockLabels',
  afterDatasetsDraw(chart) {
    const { ctx } = chart;
    ctx.save();
    ctx.font = `12px ${Chart.defaults.font.family}`;
    ctx.fillStyle = css('--ink');
    ctx.textAlign = 'center';
    ctx.textBaseline = 'alphabetic';
    const height = 12;
    const gap = 3;
    const points = chart.data.datasets[0].data;
    const drawn = [];
    const elements = chart.getDatasetMeta(0).data;
    // The points themselves are in the way too.
    const dots = elements.map(({ x, y }) => ({ left: x - 6, right: x + 6, top: y - 6, bottom: y + 6 }));
    elements.forEach((element, i) => {
      const block = points[i]?.block;
      if (block === undefined || block === null) return;
      const text = `#${block}`;
      const half = ctx.measureText(text).width / 2;
      // Kept inside the canvas: a label at either end would otherwise be cut.
      const x = Math.min(Math.max(element.x, half + 1), chart.width - half - 1);
      const left = x - half - gap;
      const right = x + half + gap;
      const places = [element.y - 9, element.y + 9 + height];
      for (const baseline of places) {
        const box = { text, left, right, top: baseline - height, bottom: baseline + 2 };
        const taken = [...drawn, ...dots].some((d) => overlaps(d, box));
        if (box.top < 0 || box.bottom > chart.height || taken) continue;
        ctx.fillText(text, x, baseline);
        drawn.push(box);
        break;
      }
    });
    chart.$blockLabels = drawn;
    ctx.restore();
  },
};

/**
 * A pack's journey (GET /v1/units/{gtin}/{serial}/history): custody over time, one lane per place (organisation
 * and GLN) in the order the pack reached them, a step at each event, labelled with its block number.
 */
export function journeyChart(container, events) {
  const lanes = [];
  const laneOf = (e) => {
    const name = `${e.org} · ${e.gln}`;
    if (!lanes.includes(name)) lanes.push(name);
    return lanes.indexOf(name);
  };
  const times = events.map((e) => Date.parse(e.at));
  const ticks = tickFormat(Math.max(...times) - Math.min(...times));
  const points = events.map((e) => ({
    x: Date.parse(e.at),
    y: laneOf(e),
    block: e.blockNumber,
    type: e.type,
  }));
  container.style.height = `${Math.max(160, 90 + lanes.length * 48)}px`;
  return mount(container, t('chart.journey.label', { n: events.length }), {
    type: 'line',
    data: {
      datasets: [
        {
          label: t('chart.journey.custody'),
          data: points,
          stepped: 'before',
          borderColor: STATE_COLORS.ACTIVE,
          backgroundColor: STATE_COLORS.ACTIVE,
          pointRadius: 5,
        },
      ],
    },
    options: {
      layout: { padding: { top: 18, right: 16 } },
      plugins: {
        legend: { display: false },
        tooltip: {
          callbacks: {
            label: (item) =>
              t('chart.journey.point', {
                event: codeText('event', item.raw.type),
                place: lanes[item.raw.y],
                block: item.raw.block ?? '—',
              }),
            title: (items) => timeFormat.format(new Date(items[0].raw.x)),
          },
        },
      },
      scales: {
        x: {
          type: 'linear',
          ticks: {
            maxTicksLimit: 4,
            // Events seconds apart get ticks less than a second apart: a time already written is not repeated.
            callback: (v, i, all) => {
              const text = ticks.format(new Date(v));
              return i > 0 && ticks.format(new Date(all[i - 1].value)) === text ? '' : text;
            },
          },
          grace: '5%',
        },
        y: {
          min: -0.5,
          max: lanes.length - 0.5,
          reverse: true,
          afterBuildTicks: (axis) => {
            axis.ticks = lanes.map((_, i) => ({ value: i }));
          },
          // The organisation over its GLN: two short lines fit a phone.
          ticks: { callback: (v) => (lanes[v] ?? '').split(' · ') },
        },
      },
    },
    plugins: [blockLabels],
  });
}
