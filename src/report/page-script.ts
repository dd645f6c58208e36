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
  var setAll = function (range, except) {
    syncing = true;
    charts.forEach(function (c) { if (c !== except) c.setScale('x', { min: range.min, max: range.max }); });
    syncing = false;
  };
  // One x range for all: zooming one chart zooms the others.
  var syncX = function (u, key) {
    if (key === 'x' && !syncing) setAll({ min: u.scales.x.min, max: u.scales.x.max }, u);
  };
  // uPlot's own reset fits each chart to its own data; the price may start earlier (indicator warm-up), so
  // every chart goes back to the backtest's span instead.
  var reset = function () { if (data.range) setAll({ min: data.range[0], max: data.range[1] }); };
  var axisFont = '12px system-ui, sans-serif';
  var xAxis = { label: 'time (UTC)', labelSize: 22, labelFont: 'bold ' + axisFont, font: axisFont };
  var yAxis = function (label, format) {
    var axis = { label: label, labelSize: 22, labelFont: 'bold ' + axisFont, font: axisFont, size: 70 };
    if (format) axis.values = function (u, vals) { return vals.map(format); };
    return axis;
  };
  // The same fixed right padding and y-axis width everywhere, so the plot areas line up exactly.
  var common = function (height, hooks) {
    return {
      width: width(), height: height,
      padding: [10, 28, null, null],
      tzDate: function (ts) { return uPlot.tzDate(new Date(ts * 1000), 'Etc/UTC'); },
      cursor: {
        sync: { key: 'report', setSeries: false },
        bind: { dblclick: function () { return function (e) { if (e.button === 0) reset(); return null; }; } },
      },
      scales: { x: { time: true } },
      hooks: Object.assign({ setScale: [syncX] }, hooks || {}),
    };
  };
  var timeSeries = function () { return { label: 'UTC', value: '{YYYY}-{MM}-{DD} {HH}:{mm}' }; };
  var runSeries = function (format) {
    return data.runs.map(function (run, i) {
      return { label: run.label, stroke: colours.runs[i % colours.runs.length], width: i === 0 ? 2 : 1.5, spanGaps: true,
               value: function (u, v) { return v == null ? '-' : format(v); } };
    });
  };
  var money = function (v) { return v.toLocaleString('en-US', { maximumFractionDigits: 0 }); };
  // A drawdown a hair below zero is still shown as 0.0%, not -0.0%.
  var pct = function (v) { var t = (v * 100).toFixed(1); return (t === '-0.0' ? '0.0' : t) + '%'; };
  var price = function (v) { return v.toLocaleString('en-US', { maximumSignificantDigits: 6 }); };

  charts.push(new uPlot(Object.assign(common(300), {
    series: [timeSeries()].concat(runSeries(money)),
    axes: [xAxis, yAxis('equity (USDT)', money)],
  }), [data.time].concat(data.runs.map(function (r) { return r.equity; })), document.getElementById('equity')));

  charts.push(new uPlot(Object.assign(common(220), {
    series: [timeSeries()].concat(runSeries(pct)),
    axes: [xAxis, yAxis('drawdown', pct)],
  }), [data.time].concat(data.runs.map(function (r) { return r.drawdown; })), document.getElementById('drawdown')));

  document.getElementById('price-title').textContent = data.price.symbol + ' close, with the policy timeline of ' + data.runs[0].label;
  // The price's time axis is the last band's, so the bands sit right under the price; here only its grid.
  var gridOnly = { size: 4, ticks: { show: false }, values: function (u, splits) { return splits.map(function () { return ''; }); } };
  charts.push(new uPlot(Object.assign(common(240), {
    legend: { mount: function (u, el) { document.getElementById('price-legend').appendChild(el); } },
    series: [timeSeries(), { label: data.price.symbol, stroke: '#424242', width: 1.2, value: function (u, v) { return v == null ? '-' : price(v); } }],
    axes: [gridOnly, yAxis('close', price)],
  }), [data.price.time, data.price.value], document.getElementById('price')));

  // The segment holding time t (segments are sorted and contiguous).
  var segmentAt = function (segments, t) {
    var lo = 0, hi = segments.length - 1, found = null;
    while (lo <= hi) {
      var mid = (lo + hi) >> 1;
      if (segments[mid][0] <= t) { found = segments[mid]; lo = mid + 1; } else hi = mid - 1;
    }
    return found && t <= found[1] ? found : null;
  };

  var bands = document.getElementById('bands');
  var legends = document.getElementById('band-legends');
  data.bands.forEach(function (band, b) {
    var last = b === data.bands.length - 1;
    var label = document.createElement('div');
    label.className = 'band-label';
    label.textContent = band.name;
    bands.appendChild(label);
    var holder = document.createElement('div');
    holder.className = 'band';
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
    // The band has no legend of its own: its label reads out the value under the (shared) cursor.
    var readOut = function (u) {
      var s = u.cursor.left == null || u.cursor.left < 0 ? null : segmentAt(band.segments, u.posToVal(u.cursor.left, 'x'));
      label.textContent = s ? band.name + ': ' + s[2] : band.name;
    };
    var bandHeight = 26;
    charts.push(new uPlot(Object.assign(common(last ? bandHeight + 72 : bandHeight, { draw: [drawBand], setCursor: [readOut] }), {
      padding: [2, 28, last ? null : 2, null],
      legend: { show: false },
      series: [{}, { label: band.name, stroke: 'transparent', points: { show: false } }],
      scales: { x: { time: true }, y: { range: [0, 1] } },
      axes: [last ? Object.assign({ grid: { show: false } }, xAxis) : { show: false },
             { label: '', labelSize: 22, size: 70, splits: function () { return [0]; }, values: function () { return ['']; }, grid: { show: false }, ticks: { show: false } }],
    }), [data.price.time, flat], holder));
    var legend = document.createElement('div');
    legend.className = 'legend';
    var name = document.createElement('b');
    name.textContent = band.name;
    legend.appendChild(name);
    var present = {};
    band.segments.forEach(function (s) { present[s[2]] = true; });
    // Legend in the fixed order of the colour table (calm to defensive), then anything unknown.
    Object.keys(colours.bands).concat(Object.keys(present)).forEach(function (value) {
      if (!present[value]) return;
      delete present[value];
      var item = document.createElement('span');
      item.style.setProperty('--c', colours.bands[value] || '#9e9e9e');
      item.textContent = value;
      legend.appendChild(item);
    });
    legends.appendChild(legend);
  });

  reset();
  window.addEventListener('resize', function () { charts.forEach(function (c) { c.setSize({ width: width(), height: c.height }); }); });
  window.__reportCharts = charts.length;
})();
`;
