/**
 * The report page's own script (plain browser JavaScript, inlined into report.html after uPlot). It reads
 * the embedded JSON and draws the charts; all charts share one cursor and one x range.
 */
export const PAGE_SCRIPT = String.raw`
(function () {
  'use strict';
  var data = JSON.parse(document.getElementById('report-data').textContent);
  var colours = data.colours;
  var width = function () { return Math.max(480, Math.min(document.body.clientWidth, 1280)); };
  var charts = [];
  var syncing = false;
  // One x range for all: zooming one chart zooms the others.
  var syncX = function (u, key) {
    if (key !== 'x' || syncing) return;
    syncing = true;
    var range = { min: u.scales.x.min, max: u.scales.x.max };
    charts.forEach(function (other) { if (other !== u) other.setScale('x', range); });
    syncing = false;
  };
  // The same fixed right padding everywhere, so the plot areas (and the time axis) line up exactly.
  var common = function (height, draw) {
    return {
      width: width(), height: height,
      padding: draw ? [2, 28, 2, null] : [10, 28, null, null],
      tzDate: function (ts) { return uPlot.tzDate(new Date(ts * 1000), 'Etc/UTC'); },
      cursor: { sync: { key: 'report', setSeries: false } },
      scales: { x: { time: true } },
      hooks: draw ? { setScale: [syncX], draw: [draw] } : { setScale: [syncX] },
    };
  };
  var runSeries = function (format) {
    return data.runs.map(function (run, i) {
      return { label: run.label, stroke: colours.runs[i % colours.runs.length], width: i === 0 ? 2 : 1.5, spanGaps: true,
               value: function (u, v) { return v == null ? '-' : format(v); } };
    });
  };
  var money = function (v) { return v.toLocaleString('en-US', { maximumFractionDigits: 0 }); };
  var pct = function (v) { return (v * 100).toFixed(1) + '%'; };

  charts.push(new uPlot(Object.assign(common(280), {
    series: [{}].concat(runSeries(money)),
    axes: [{}, { size: 70, values: function (u, vals) { return vals.map(money); } }],
  }), [data.time].concat(data.runs.map(function (r) { return r.equity; })), document.getElementById('equity')));

  charts.push(new uPlot(Object.assign(common(200), {
    series: [{}].concat(runSeries(pct)),
    axes: [{}, { size: 70, values: function (u, vals) { return vals.map(pct); } }],
  }), [data.time].concat(data.runs.map(function (r) { return r.drawdown; })), document.getElementById('drawdown')));

  document.getElementById('price-title').textContent = data.price.symbol + ' close, with the policy timeline of ' + data.runs[0].label;
  charts.push(new uPlot(Object.assign(common(240), {
    series: [{}, { label: data.price.symbol, stroke: '#424242', width: 1.2, value: function (u, v) { return v == null ? '-' : String(v); } }],
    axes: [{}, { size: 70 }],
  }), [data.price.time, data.price.value], document.getElementById('price')));

  var bands = document.getElementById('bands');
  data.bands.forEach(function (band) {
    var label = document.createElement('div');
    label.className = 'band-label';
    label.textContent = band.name;
    bands.appendChild(label);
    var holder = document.createElement('div');
    holder.className = 'chart band';
    bands.appendChild(holder);
    // A flat invisible series gives the band chart a y scale, so its plot area lines up with the price chart's.
    var flat = data.price.time.map(function () { return 0; });
    var drawBand = function (u) {
      var ctx = u.ctx;
      ctx.save();
      band.segments.forEach(function (s) {
        var x0 = u.valToPos(s[0], 'x', true);
        var x1 = u.valToPos(s[1], 'x', true);
        var left = Math.max(u.bbox.left, Math.min(x0, x1));
        var right = Math.min(u.bbox.left + u.bbox.width, Math.max(x0, x1));
        if (right <= left) return;
        ctx.fillStyle = colours.bands[s[2]] || '#9e9e9e';
        ctx.fillRect(left, u.bbox.top, Math.max(1, right - left), u.bbox.height);
      });
      ctx.restore();
    };
    charts.push(new uPlot(Object.assign(common(30, drawBand), {
      legend: { show: false },
      series: [{}, { label: band.name, stroke: 'transparent', points: { show: false } }],
      scales: { x: { time: true }, y: { range: [0, 1] } },
      axes: [{ show: false }, { size: 70, splits: function () { return [0]; }, values: function () { return ['']; }, grid: { show: false }, ticks: { show: false } }],
    }), [data.price.time, flat], holder));
    var legend = document.createElement('div');
    legend.className = 'legend';
    var seen = [];
    band.segments.forEach(function (s) { if (seen.indexOf(s[2]) < 0) seen.push(s[2]); });
    seen.forEach(function (value) {
      var item = document.createElement('span');
      item.style.setProperty('--c', colours.bands[value] || '#9e9e9e');
      item.textContent = value;
      legend.appendChild(item);
    });
    bands.appendChild(legend);
  });

  window.addEventListener('resize', function () { charts.forEach(function (c) { c.setSize({ width: width(), height: c.height }); }); });
  window.__reportCharts = charts.length;
})();
`;
