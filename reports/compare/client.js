// Browser script of the comparison page (`reports/compare/html.ts`): draws p95 latency per cell,
// base next to head, from the page's JSON data. Plain ES2017, no modules; chart.js is loaded first
// as the global `Chart`. Runs under a strict Content-Security-Policy: no eval, no inline handlers.
(function () {
  'use strict';

  /** `850ms`, `12.3s`, `4.2m`, `1.5h` (as harness/kernel/duration.ts formatDuration). */
  function formatDuration(ms) {
    if (!isFinite(ms)) return String(ms);
    if (ms < 1000) return (ms < 10 ? ms.toFixed(2) : ms.toFixed(0)) + 'ms';
    if (ms < 60000) return (ms / 1000).toFixed(ms < 10000 ? 2 : 1) + 's';
    if (ms < 3600000) return (ms / 60000).toFixed(1) + 'm';
    return (ms / 3600000).toFixed(1) + 'h';
  }

  /** Tells a test driver the page is drawn: `data-pb-charts` (charts drawn) and `data-pb-ready`. */
  function ready(charts) {
    document.body.dataset.pbCharts = String(charts);
    document.body.dataset.pbReady = 'true';
  }

  var element = document.getElementById('pb-data');
  var data = JSON.parse(element ? element.textContent : 'null');
  var canvas = document.getElementById('compare-p95');
  if (!data || !canvas || data.p95.labels.length === 0) {
    ready(0);
    return;
  }

  new Chart(canvas, {
    type: 'bar',
    data: {
      labels: data.p95.labels,
      datasets: [
        { label: 'base p95', data: data.p95.base, backgroundColor: '#8c959f' },
        { label: 'head p95', data: data.p95.head, backgroundColor: '#0969da' },
      ],
    },
    options: {
      animation: false,
      responsive: true,
      maintainAspectRatio: false,
      scales: {
        y: {
          beginAtZero: true,
          title: { display: true, text: 'p95 workflow latency' },
          ticks: { callback: function (value) { return formatDuration(Number(value)); } },
        },
      },
      plugins: {
        tooltip: {
          callbacks: {
            label: function (item) { return item.dataset.label + ': ' + formatDuration(item.parsed.y); },
          },
        },
      },
    },
  });
  ready(1);
})();
