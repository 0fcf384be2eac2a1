// Draws the charts of a patternbench HTML report. Plain browser JavaScript, inlined into the page
// (and allowed by its Content-Security-Policy hash). It reads the chart descriptions that
// reports/html/chart-spec.ts defines from <script id="pb-data"> and hands each to chart.js, with
// a small inline plugin that writes point labels beside their points; a chart's note goes in a
// paragraph under its canvas. When every chart is drawn it sets
// <body data-pb-ready="true" data-pb-charts="N">.
// Navigation of the report's collapsible scenario sections (<details>, reports/html/report.ts): a
// link to anything inside a closed section opens it (and every closed <details> around it) before
// the browser scrolls there — on a click, on a changed #fragment and for the #fragment the page
// opened with; the contents' buttons (data-pb-details="open" | "close") open or close every
// scenario; printing opens them all. Runs before the charts are drawn, so a section the page opens
// at is drawn at its size.
(function navigateReport() {
  'use strict';

  /** The element a `#fragment` names, or null. */
  function target(hash) {
    if (typeof hash !== 'string' || hash.length < 2 || hash[0] !== '#') return null;
    let id = hash.slice(1);
    try {
      id = decodeURIComponent(id);
    } catch (error) {
      // not percent-encoded: the id as written
    }
    return document.getElementById(id);
  }

  /** Opens every closed <details> that is or holds `element`; true when it opened one. */
  function reveal(element) {
    let opened = false;
    for (let node = element; node; node = node.parentElement) {
      if (node instanceof HTMLDetailsElement && !node.open) {
        node.open = true;
        opened = true;
      }
    }
    return opened;
  }

  document.addEventListener('click', (event) => {
    const origin = event.target instanceof Element ? event.target : null;
    const link = origin && origin.closest('a[href^="#"]');
    if (link) reveal(target(link.getAttribute('href')));
    const button = origin && origin.closest('button[data-pb-details]');
    if (button) {
      const open = button.getAttribute('data-pb-details') === 'open';
      for (const details of document.querySelectorAll('details.scenario')) details.open = open;
    }
  });
  window.addEventListener('hashchange', () => {
    const element = target(window.location.hash);
    if (element && reveal(element)) element.scrollIntoView();
  });
  window.addEventListener('beforeprint', () => {
    for (const details of document.querySelectorAll('details')) details.open = true;
  });
  const initial = target(window.location.hash);
  if (initial && reveal(initial)) window.addEventListener('load', () => initial.scrollIntoView());
})();

(function drawReport() {
  'use strict';
  const NONE = '–';

  function formatDuration(ms) {
    if (ms === 0) return '0';
    if (ms < 1000) return `${ms < 10 ? ms.toFixed(2) : ms.toFixed(0)}ms`;
    if (ms < 60000) return `${(ms / 1000).toFixed(ms < 10000 ? 2 : 1)}s`;
    if (ms < 3600000) return `${(ms / 60000).toFixed(1)}m`;
    return `${(ms / 3600000).toFixed(1)}h`;
  }

  function formatUsd(usd) {
    if (usd === 0) return '$0';
    const abs = Math.abs(usd);
    const sign = usd < 0 ? '-' : '';
    if (abs >= 1) return `${sign}$${abs.toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 })}`;
    if (abs >= 0.01) return `${sign}$${abs.toFixed(4)}`;
    return `${sign}$${abs.toPrecision(3)}`;
  }

  /** Prints `value` in the format an axis names (see ValueFormat in html-report-chart-spec.ts). */
  function format(kind, value) {
    if (value === null || value === undefined || Number.isNaN(value)) return NONE;
    switch (kind) {
      case 'duration': return formatDuration(value);
      case 'seconds': return formatDuration(value * 1000);
      case 'usd': return formatUsd(value);
      case 'percent': return `${(value * 100).toFixed(1)}%`;
      case 'ratio': return value.toLocaleString('en-US', { maximumFractionDigits: 2 });
      default: return value.toLocaleString('en-US', { maximumFractionDigits: 0 });
    }
  }

  /** On a log axis, labels only 1, 2 and 5 × 10^k (chart.js draws a tick at every step). */
  function logTick(kind) {
    return (value) => {
      const number = Number(value);
      if (!(number > 0)) return '';
      const mantissa = Math.round((number / 10 ** Math.floor(Math.log10(number))) * 1000) / 1000;
      return mantissa === 1 || mantissa === 2 || mantissa === 5 ? format(kind, number) : '';
    };
  }

  /** Tick steps of a time axis, ms: round durations, so ticks read 30s, 1m, 1.5m… rather than 50s, 1.7m. */
  const TIME_STEPS_MS = [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000, 10000, 15000, 30000, 60000, 120000, 300000,
    600000, 900000, 1800000, 3600000, 7200000, 10800000, 21600000, 43200000, 86400000];

  /** Replaces a linear time axis's ticks by round durations (`unitMs`: ms per axis unit). */
  function timeTicks(unitMs) {
    return (axis) => {
      const span = (axis.max - axis.min) * unitMs;
      if (!(span > 0)) return;
      const step = TIME_STEPS_MS.find((candidate) => span / candidate <= 8) || span / 8;
      const ticks = [];
      for (let tick = Math.ceil((axis.min * unitMs) / step) * step; tick <= axis.max * unitMs + 1e-9; tick += step) ticks.push({ value: tick / unitMs });
      axis.ticks = ticks;
    };
  }

  /** Round durations (ms) a logarithmic time axis is labelled at. */
  const LOG_TIME_TICKS_MS = [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000, 10000, 30000, 60000, 120000, 300000, 600000,
    1800000, 3600000, 7200000, 18000000, 36000000, 86400000];

  /** Replaces a logarithmic time axis's ticks by round durations, thinned to at most 10. */
  function logTimeTicks(unitMs) {
    return (axis) => {
      let ticks = LOG_TIME_TICKS_MS.filter((ms) => ms >= axis.min * unitMs && ms <= axis.max * unitMs);
      while (ticks.length > 10) ticks = ticks.filter((_, index) => index % 2 === 0);
      if (ticks.length >= 2) axis.ticks = ticks.map((ms) => ({ value: ms / unitMs }));
    };
  }

  function scale(axis, isIndexAxis, scatter) {
    const result = { title: { display: axis.title !== '', text: axis.title }, stacked: axis.stacked === true };
    if (axis.categories) return { ...result, type: 'category', labels: axis.categories, offset: true };
    if (isIndexAxis) return result;
    result.type = axis.log ? 'logarithmic' : 'linear';
    if (axis.min !== undefined) result.min = axis.min;
    if (axis.max !== undefined) result.max = axis.max;
    result.ticks = { callback: axis.log ? logTick(axis.format) : (value) => format(axis.format, Number(value)) };
    if (axis.format === 'count') result.ticks.precision = 0;
    if (axis.step !== undefined) result.ticks.stepSize = axis.step;
    if (axis.format === 'usd' && !axis.log) result.ticks.callback = (value) => format('usd', Number(value)).replace(/(\.\d\d\d*?)0+$/, '$1');
    if (scatter && axis.min === undefined && axis.max === undefined) result.grace = '5%';
    if (axis.format === 'duration' || axis.format === 'seconds') {
      const unitMs = axis.format === 'seconds' ? 1000 : 1;
      result.afterBuildTicks = axis.log ? logTimeTicks(unitMs) : timeTicks(unitMs);
      if (axis.log) result.ticks.callback = (value) => format(axis.format, Number(value));
    }
    return result;
  }

  function dataset(spec) {
    const result = {
      label: spec.label,
      data: spec.data,
      backgroundColor: spec.color,
      borderColor: spec.color,
      borderWidth: 1.5,
      tension: 0,
      fill: false,
    };
    if (spec.type) result.type = spec.type;
    if (spec.pointRadius !== undefined) {
      result.pointRadius = spec.pointRadius;
      result.pointHoverRadius = spec.pointRadius + 2;
    }
    if (spec.pointStyle) result.pointStyle = spec.pointStyle;
    if (spec.showLine !== undefined) result.showLine = spec.showLine;
    if (spec.dashed) result.borderDash = [6, 4];
    if (spec.spanGaps) result.spanGaps = true;
    if (spec.stepped) result.stepped = 'before';
    if (spec.hollow) {
      result.backgroundColor = translucent(spec.color);
      result.borderWidth = 2;
    }
    result.pbInLegend = spec.inLegend !== false;
    return result;
  }

  /** A `#rrggbb` colour (or one per item) at a quarter opacity. */
  function translucent(color) {
    if (Array.isArray(color)) return color.map(translucent);
    return /^#[0-9a-f]{6}$/i.test(color) ? `${color}40` : color;
  }

  /** Labels of points closer than this (px) are drawn as one block. */
  const LABEL_CLUSTER_PX = 14;
  const LABEL_FONT = '12px system-ui, -apple-system, "Segoe UI", sans-serif';
  const LABEL_LINE_PX = 15;
  /** How many lines up or down a label block may move to stay clear of other blocks and markers. */
  const LABEL_SHIFTS = 8;

  /** True when two boxes ({left, right, top, bottom}) overlap. */
  function boxesOverlap(a, b) {
    return a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom;
  }

  /**
   * Where the label block of `cluster` goes: beside its points (right, else left), else moved up
   * or down line by line — the first place inside the chart that covers neither a block placed
   * before nor another point's marker; beside to the right when there is none.
   */
  function labelBox(cluster, size, chartArea, placed, markers) {
    const reach = Math.max(...cluster.map((item) => item.radius)) + 6;
    const rightX = Math.max(...cluster.map((item) => item.x)) + reach;
    const leftX = Math.min(...cluster.map((item) => item.x)) - reach - size.width;
    const centre = cluster.reduce((sum, item) => sum + item.y, 0) / cluster.length - size.height / 2;
    const box = (left, top) => ({ left, right: left + size.width, top, bottom: top + size.height });
    const candidates = [box(rightX, centre), box(leftX, centre)];
    for (let shift = 1; shift <= LABEL_SHIFTS; shift += 1) {
      for (const left of [rightX, leftX]) candidates.push(box(left, centre - shift * LABEL_LINE_PX), box(left, centre + shift * LABEL_LINE_PX));
    }
    const clear = (candidate) =>
      candidate.left >= chartArea.left && candidate.right <= chartArea.right && candidate.top >= chartArea.top && candidate.bottom <= chartArea.bottom &&
      !placed.some((other) => boxesOverlap(candidate, other)) &&
      !markers.some((marker) => !cluster.includes(marker) && boxesOverlap(candidate, { left: marker.x - marker.radius, right: marker.x + marker.radius, top: marker.y - marker.radius, bottom: marker.y + marker.radius }));
    return candidates.find(clear) || candidates[0];
  }

  /**
   * Draws the `label` of each point beside it (a chart.js plugin). Points drawn within
   * LABEL_CLUSTER_PX of each other share one block, one line per point, each line led by a small
   * copy of its point's marker; a block sits beside its points, or as near as it can without
   * covering another block or marker (with a thin leader line when moved off its points' height).
   */
  const pointLabels = {
    id: 'pbPointLabels',
    afterDatasetsDraw(chart) {
      const items = [];
      chart.data.datasets.forEach((dataset, index) => {
        if (!chart.isDatasetVisible(index)) return;
        const elements = chart.getDatasetMeta(index).data;
        dataset.data.forEach((raw, at) => {
          const element = elements[at];
          if (!raw || typeof raw.label !== 'string' || !element || element.skip) return;
          const options = element.options || {};
          items.push({ x: element.x, y: element.y, text: raw.label, radius: options.radius || 3, style: options.pointStyle, fill: options.backgroundColor, stroke: options.borderColor });
        });
      });
      if (items.length === 0) return;
      const clusters = [];
      for (const item of items) {
        const near = clusters.find((cluster) => cluster.some((other) => Math.hypot(other.x - item.x, other.y - item.y) < LABEL_CLUSTER_PX));
        if (near) near.push(item);
        else clusters.push([item]);
      }
      const { ctx, chartArea } = chart;
      ctx.save();
      ctx.font = LABEL_FONT;
      ctx.textBaseline = 'middle';
      const placed = [];
      for (const cluster of clusters) {
        const size = { width: Math.max(...cluster.map((item) => ctx.measureText(item.text).width)) + 20, height: cluster.length * LABEL_LINE_PX };
        const box = labelBox(cluster, size, chartArea, placed, items);
        placed.push(box);
        const centreY = cluster.reduce((sum, item) => sum + item.y, 0) / cluster.length;
        if (centreY < box.top || centreY > box.bottom) {
          const anchor = cluster[0];
          ctx.strokeStyle = '#8c959f';
          ctx.lineWidth = 1;
          ctx.beginPath();
          ctx.moveTo(anchor.x, anchor.y);
          ctx.lineTo(box.left < anchor.x ? box.right : box.left, centreY < box.top ? box.top : box.bottom);
          ctx.stroke();
        }
        cluster.forEach((item, line) => {
          const y = box.top + LABEL_LINE_PX * (line + 0.5);
          ctx.fillStyle = item.fill;
          ctx.strokeStyle = item.stroke;
          ctx.lineWidth = 1.5;
          Chart.helpers.drawPoint(ctx, { pointStyle: item.style, radius: 4, borderWidth: 1.5 }, box.left + 7, y);
          ctx.strokeStyle = 'rgba(255, 255, 255, 0.9)';
          ctx.lineWidth = 3;
          ctx.lineJoin = 'round';
          ctx.strokeText(item.text, box.left + 16, y);
          ctx.fillStyle = '#1f2328';
          ctx.fillText(item.text, box.left + 16, y);
        });
      }
      ctx.restore();
    },
  };

  function tooltipLabel(spec) {
    return (context) => {
      const raw = context.raw;
      if (Array.isArray(raw)) {
        return `${format(spec.x.format, raw[1] - raw[0])} (from ${format(spec.x.format, raw[0])} to ${format(spec.x.format, raw[1])})`;
      }
      if (spec.type === 'bar') {
        const value = spec.horizontal ? context.parsed.x : context.parsed.y;
        return `${context.dataset.label}: ${format(spec.horizontal ? spec.x.format : spec.y.format, value)}`;
      }
      const y = spec.y.categories ? raw.y : format(spec.y.format, context.parsed.y);
      const note = raw && raw.note ? ` — ${raw.note}` : '';
      return `${context.dataset.label}: ${format(spec.x.format, context.parsed.x)}, ${y}${note}`;
    };
  }

  /** Puts `spec.note` in a paragraph under the chart's canvas. */
  function addNote(canvas, spec) {
    if (typeof spec.note !== 'string' || spec.note === '') return;
    const box = canvas.parentElement;
    if (!box || !box.parentElement) return;
    const note = document.createElement('p');
    note.className = 'note chart-note';
    note.textContent = spec.note;
    box.after(note);
  }

  function config(spec) {
    const horizontal = spec.horizontal === true;
    const data = { datasets: spec.datasets.map(dataset) };
    if (spec.labels) data.labels = spec.labels;
    const bar = spec.type === 'bar';
    return {
      type: spec.type,
      data,
      options: {
        animation: false,
        responsive: true,
        maintainAspectRatio: false,
        indexAxis: horizontal ? 'y' : 'x',
        parsing: true,
        skipNull: bar,
        scales: {
          x: scale(spec.x, bar && !horizontal, spec.type === 'scatter'),
          y: { ...scale(spec.y, bar && horizontal, spec.type === 'scatter'), ...(horizontal ? { ticks: { crossAlign: 'far', autoSkip: false } } : {}) },
        },
        plugins: {
          legend: {
            display: spec.legend !== false,
            labels: { usePointStyle: spec.pointLegend === true, filter: (item, chartData) => chartData.datasets[item.datasetIndex].pbInLegend !== false },
          },
          tooltip: { callbacks: { label: tooltipLabel(spec) } },
        },
      },
      plugins: spec.datasets.some((set) => set.data.some((point) => point && typeof point.label === 'string')) ? [pointLabels] : [],
    };
  }

  const element = document.getElementById('pb-data');
  const page = JSON.parse(element ? element.textContent : '{"charts":[]}');
  let drawn = 0;
  for (const spec of page.charts) {
    const canvas = document.getElementById(spec.id);
    if (!(canvas instanceof HTMLCanvasElement)) throw new Error(`no canvas for chart ${spec.id}`);
    if (spec.height && canvas.parentElement) canvas.parentElement.style.height = `${spec.height}px`;
    new Chart(canvas, config(spec));
    addNote(canvas, spec);
    drawn += 1;
  }
  document.body.dataset.pbCharts = String(drawn);
  document.body.dataset.pbReady = 'true';
})();
