/**
 * The report page's own script (plain browser JavaScript, inlined into report.html after uPlot). It reads
 * the embedded JSON and draws the charts; all charts share one cursor and one x range. The price chart
 * shows one symbol at a time (the picker) with the trades of one run as markers, and the trade list
 * under the charts follows both pickers.
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
  var utc = uPlot.fmtDate('{YYYY}-{MM}-{DD} {HH}:{mm}');
  var timeText = function (ts) { return utc(uPlot.tzDate(new Date(ts * 1000), 'Etc/UTC')); };
  var lastOf = function (values) {
    for (var i = values.length - 1; i >= 0; i--) if (values[i] != null) return values[i];
    return null;
  };
  // Away from the chart the legends read out the last values, marked "(end)", rather than uPlot's "--".
  var timeSeries = function () {
    return { label: 'UTC', value: function (u, v) { if (v != null) return timeText(v); var t = lastOf(u.data[0]); return t == null ? 'no data' : timeText(t) + ' (end)'; } };
  };
  var valueOf = function (format) {
    return function (u, v, s) { var x = v != null ? v : lastOf(u.data[s]); return x == null ? 'no data' : format(x); };
  };
  var runSeries = function (format) {
    return data.runs.map(function (run, i) {
      return { label: run.label, stroke: colours.runs[i % colours.runs.length], width: i === 0 ? 2 : 1.5, spanGaps: true, value: valueOf(format) };
    });
  };
  var money = function (v) { return v.toLocaleString('en-US', { maximumFractionDigits: 0 }); };
  var signedMoney = function (v) { return (v > 0 ? '+' : '') + v.toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 }); };
  // A drawdown a hair below zero is still shown as 0.0%, not -0.0%.
  var pct = function (v) { var t = (v * 100).toFixed(1); return (t === '-0.0' ? '0.0' : t) + '%'; };
  // Axis labels: six significant digits, so a pair priced 0.000103 reads 0.0001025, not 0.
  var price = function (v) { return v.toLocaleString('en-US', { maximumSignificantDigits: 6 }); };
  // Prices in legends and the trade list: the symbol's own decimals when known.
  var priceOf = function (series) {
    var d = series.decimals;
    if (d == null || d > 12) return price;
    return function (v) { return v.toLocaleString('en-US', { minimumFractionDigits: d, maximumFractionDigits: d }); };
  };

  charts.push(new uPlot(Object.assign(common(300), {
    series: [timeSeries()].concat(runSeries(money)),
    axes: [xAxis, yAxis('equity (USDT)', money)],
  }), [data.time].concat(data.runs.map(function (r) { return r.equity; })), document.getElementById('equity')));

  charts.push(new uPlot(Object.assign(common(220), {
    series: [timeSeries()].concat(runSeries(pct)),
    axes: [xAxis, yAxis('drawdown', pct)],
  }), [data.time].concat(data.runs.map(function (r) { return r.drawdown; })), document.getElementById('drawdown')));

  // ---- price of the picked symbol, with the picked run's trades as markers ----
  var symbolPicker = document.getElementById('symbol-picker');
  var runPicker = document.getElementById('run-picker');
  var shown = { symbol: 0, run: 0 };
  data.prices.forEach(function (p, i) { if (p.symbol === data.reference) shown.symbol = i; });
  var tradesShown = function () {
    var symbol = data.prices[shown.symbol] ? data.prices[shown.symbol].symbol : null;
    return data.trades.filter(function (t) { return t.run === shown.run && t.symbol === symbol; });
  };
  var markersDrawn = 0;
  var drawMarkers = function (u) {
    var ctx = u.ctx;
    var r = 5 * uPlot.pxRatio;
    var inside = function (x, y) { return x >= u.bbox.left && x <= u.bbox.left + u.bbox.width && y >= u.bbox.top && y <= u.bbox.top + u.bbox.height; };
    markersDrawn = 0;
    ctx.save();
    tradesShown().forEach(function (t) {
      var x0 = u.valToPos(t.opened_at, 'x', true), y0 = u.valToPos(t.entry_price, 'y', true);
      var x1 = u.valToPos(t.closed_at, 'x', true), y1 = u.valToPos(t.exit_price, 'y', true);
      var entryIn = inside(x0, y0), exitIn = inside(x1, y1);
      if (!entryIn && !exitIn) return;
      markersDrawn++;
      ctx.strokeStyle = '#9e9e9e';
      ctx.lineWidth = uPlot.pxRatio;
      ctx.setLineDash([3 * uPlot.pxRatio, 3 * uPlot.pxRatio]);
      ctx.beginPath(); ctx.moveTo(x0, y0); ctx.lineTo(x1, y1); ctx.stroke();
      ctx.setLineDash([]);
      if (entryIn) {
        var up = t.side === 'long';
        ctx.fillStyle = up ? '#2e7d32' : '#c62828';
        ctx.beginPath();
        ctx.moveTo(x0, up ? y0 - r : y0 + r); ctx.lineTo(x0 - r, up ? y0 + r : y0 - r); ctx.lineTo(x0 + r, up ? y0 + r : y0 - r);
        ctx.closePath(); ctx.fill();
      }
      if (exitIn) {
        ctx.fillStyle = t.pnl >= 0 ? '#2e7d32' : '#c62828';
        ctx.strokeStyle = '#ffffff';
        ctx.beginPath(); ctx.arc(x1, y1, r * 0.8, 0, 2 * Math.PI); ctx.fill(); ctx.stroke();
      }
    });
    ctx.restore();
  };
  // The price's time axis is the last band's, so the bands sit right under the price; here only its grid.
  var gridOnly = { size: 4, ticks: { show: false }, values: function (u, splits) { return splits.map(function () { return ''; }); } };
  var priceChart = null;
  var drawPrice = function () {
    var series = data.prices[shown.symbol] || { symbol: '-', time: [], value: [], decimals: null };
    var range = charts.length > 0 ? { min: charts[0].scales.x.min, max: charts[0].scales.x.max } : null;
    var legend = document.getElementById('price-legend');
    if (priceChart) { charts.splice(charts.indexOf(priceChart), 1); priceChart.destroy(); }
    legend.textContent = '';
    document.getElementById('price-title').textContent = series.symbol + ' close, trades of ' + data.runs[shown.run].label + ', with the policy timeline of ' + data.runs[0].label;
    priceChart = new uPlot(Object.assign(common(260, { draw: [drawMarkers] }), {
      legend: { mount: function (u, el) { legend.appendChild(el); } },
      series: [timeSeries(), { label: series.symbol, stroke: '#424242', width: 1.2, value: valueOf(priceOf(series)) }],
      axes: [gridOnly, yAxis('close', price)],
    }), [series.time, series.value], document.getElementById('price'));
    charts.splice(2, 0, priceChart);
    if (range && range.min != null) setAll(range);
  };

  var tradeList = function () {
    var series = data.prices[shown.symbol];
    var format = series ? priceOf(series) : price;
    var list = tradesShown();
    var pnl = list.reduce(function (s, t) { return s + t.pnl; }, 0);
    document.getElementById('trades-title').textContent = 'Trades: ' + (series ? series.symbol : '-') + ', ' + data.runs[shown.run].label + ' (' + list.length + ', net PnL ' + signedMoney(pnl) + ' USDT)';
    var holder = document.getElementById('trade-list');
    holder.textContent = '';
    if (list.length === 0) { var none = document.createElement('p'); none.className = 'intro'; none.textContent = 'No trades of this symbol in this run.'; holder.appendChild(none); return; }
    var table = document.createElement('table');
    var head = table.createTHead().insertRow();
    ['opened (UTC)', 'side', 'quantity', 'entry', 'closed (UTC)', 'exit', 'PnL (USDT)', 'R', 'exit reason'].forEach(function (c) { var th = document.createElement('th'); th.textContent = c; head.appendChild(th); });
    var body = table.createTBody();
    list.forEach(function (t) {
      var row = body.insertRow();
      [timeText(t.opened_at), t.side, String(t.quantity), format(t.entry_price), timeText(t.closed_at), format(t.exit_price), signedMoney(t.pnl), t.r_multiple.toFixed(2), t.exit_reason]
        .forEach(function (text) { row.insertCell().textContent = text; });
      // A trade's own span, with a little room either side, in every chart.
      row.addEventListener('click', function () {
        var pad = Math.max(3600, (t.closed_at - t.opened_at) * 0.5);
        setAll({ min: t.opened_at - pad, max: t.closed_at + pad });
      });
    });
    holder.appendChild(table);
  };

  drawPrice();
  tradeList();
  symbolPicker.addEventListener('change', function () { shown.symbol = Number(symbolPicker.value); drawPrice(); tradeList(); });
  runPicker.addEventListener('change', function () { shown.run = Number(runPicker.value); drawPrice(); tradeList(); });

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
    var flat = data.time.map(function () { return 0; });
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
    }), [data.time, flat], holder));
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
  // For the browser test: what is shown, without reading pixels.
  window.__reportShown = function () {
    return {
      symbol: data.prices[shown.symbol] ? data.prices[shown.symbol].symbol : null, run: shown.run, markers: markersDrawn,
      trades: tradesShown().length, points: priceChart.data[0].length, priceLabels: (priceChart.axes[1]._values || []).slice(),
    };
  };
  window.__reportCharts = charts.length;
})();
`;
