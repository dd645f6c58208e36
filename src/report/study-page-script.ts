/** The study page's own script (plain browser JavaScript, inlined after uPlot): one quantile chart per figure. */
export const STUDY_PAGE_SCRIPT = String.raw`
(function () {
  'use strict';
  var data = JSON.parse(document.getElementById('study-data').textContent);
  var width = function () { return Math.max(480, Math.min(document.body.clientWidth, 1280)); };
  var font = '12px system-ui, sans-serif';
  var drawn = 0;
  data.charts.forEach(function (chart) {
    var format = chart.percent
      ? function (v) { return v == null ? '-' : (v > 0 ? '+' : '') + (v * 100).toFixed(1) + '%'; }
      : function (v) { return v == null ? '-' : (v > 0 ? '+' : '') + v.toFixed(2); };
    var series = [{ label: 'percentile of runs', value: function (u, v) { return v == null ? '-' : v + '%'; } }];
    chart.series.forEach(function (s, i) {
      series.push({ label: s.label, stroke: data.colours[i % data.colours.length], width: 2, value: function (u, v) { return format(v); } });
    });
    var element = document.getElementById('chart-' + chart.id);
    if (chart.series.length === 0) { element.textContent = 'No run to compare.'; drawn++; return; }
    new uPlot({
      width: width(), height: 220,
      scales: { x: { time: false } },
      axes: [
        { label: 'percentile of runs', labelSize: 22, font: font, values: function (u, vals) { return vals.map(function (v) { return v + '%'; }); } },
        { label: chart.label, labelSize: 22, font: font, size: 70, values: function (u, vals) { return vals.map(format); } },
      ],
      series: series,
    }, [data.percentiles].concat(chart.series.map(function (s) { return s.values; })), element);
    drawn++;
  });
  window.__studyCharts = drawn;
})();
`;
