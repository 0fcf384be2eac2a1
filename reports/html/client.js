// Draws the charts of a patternbench HTML report. Plain browser JavaScript, inlined into the page
// (and allowed by its Content-Security-Policy hash). It reads the chart descriptions that
// reports/html/chart-spec.ts defines from <script id="pb-data"> and hands each to chart.js.
// When every chart is drawn it sets <body data-pb-ready="true" data-pb-charts="N">.
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
    if (scatter) result.grace = '5%';
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
    return result;
  }

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
          legend: { display: spec.legend !== false },
          tooltip: { callbacks: { label: tooltipLabel(spec) } },
        },
      },
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
    drawn += 1;
  }
  document.body.dataset.pbCharts = String(drawn);
  document.body.dataset.pbReady = 'true';
})();
