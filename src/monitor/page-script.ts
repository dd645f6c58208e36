/**
 * The status page's own script (plain browser JavaScript, inlined, allowed by the page's CSP hash). It
 * listens to /api/events (server-sent events: the whole status at each change) and redraws from it with
 * DOM calls only (no innerHTML: symbols and reasons are text, never markup).
 */
export const PAGE_SCRIPT = String.raw`
(function () {
  'use strict';
  var $ = function (id) { return document.getElementById(id); };
  var el = function (tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text !== undefined && text !== null) e.textContent = String(text);
    return e;
  };
  var time = function (ms) { return ms === null || ms === undefined ? '-' : new Date(ms).toISOString().replace('T', ' ').replace(/\.\d+Z$/, 'Z'); };
  var num = function (x, digits) {
    if (x === null || x === undefined || !isFinite(x)) return '-';
    return Math.abs(x) >= 1000 ? x.toFixed(digits === undefined ? 2 : digits) : String(Number(x.toPrecision(6)));
  };
  var pct = function (x, digits) { return x === null || x === undefined || !isFinite(x) ? '-' : (x * 100).toFixed(digits === undefined ? 2 : digits) + '%'; };
  var signed = function (x) { return (x > 0 ? '+' : '') + pct(x); };
  var fill = function (node, children) {
    while (node.firstChild) node.removeChild(node.firstChild);
    children.forEach(function (c) { node.appendChild(typeof c === 'string' ? document.createTextNode(c) : c); });
  };
  var table = function (id, headers, rows, empty) {
    var head = el('tr');
    headers.forEach(function (h) { head.appendChild(el('th', null, h)); });
    var body = rows.map(function (cells) {
      var tr = el('tr');
      cells.forEach(function (c) { var td = el('td'); if (c instanceof Node) td.appendChild(c); else td.textContent = c === undefined || c === null ? '' : String(c); tr.appendChild(td); });
      return tr;
    });
    if (rows.length === 0) { var tr = el('tr'); var td = el('td', 'empty', empty); td.colSpan = headers.length; tr.appendChild(td); body.push(tr); }
    fill($(id), [el('thead'), el('tbody')]);
    $(id).firstChild.appendChild(head);
    body.forEach(function (r) { $(id).lastChild.appendChild(r); });
  };
  var pairs = function (id, list) {
    fill($(id), []);
    list.forEach(function (p) { $(id).appendChild(el('dt', null, p[0])); var dd = el('dd', p[2] || null); if (p[1] instanceof Node) dd.appendChild(p[1]); else dd.textContent = p[1]; $(id).appendChild(dd); });
  };
  var badge = function (text, cls) { return el('span', 'badge ' + (cls || ''), text); };

  var sparkline = function (points, base) {
    var svg = $('spark');
    while (svg.firstChild) svg.removeChild(svg.firstChild);
    if (points.length < 2) return;
    var ys = points.map(function (p) { return p[1]; }).concat(base === null ? [] : [base]);
    var lo = Math.min.apply(null, ys), hi = Math.max.apply(null, ys), span = hi - lo || 1;
    var t0 = points[0][0], t1 = points[points.length - 1][0], tspan = t1 - t0 || 1;
    var y = function (v) { return (56 - ((v - lo) / span) * 52).toFixed(1); };
    var ns = 'http://www.w3.org/2000/svg';
    if (base !== null) { var l = document.createElementNS(ns, 'line'); l.setAttribute('x1', '0'); l.setAttribute('x2', '300'); l.setAttribute('y1', y(base)); l.setAttribute('y2', y(base)); l.setAttribute('class', 'base'); svg.appendChild(l); }
    var path = document.createElementNS(ns, 'polyline');
    path.setAttribute('points', points.map(function (p) { return ((p[0] - t0) / tspan * 300).toFixed(1) + ',' + y(p[1]); }).join(' '));
    path.setAttribute('class', 'curve');
    svg.appendChild(path);
  };

  var decisionText = function (d) {
    var x = d.detail || {};
    var parts = [];
    if (x.side !== undefined && x.confidence !== undefined) parts.push(x.side + ' ' + num(x.confidence) + ' →');
    parts.push(d.action, '→', d.reason);
    var more = x.detail || x.why || x.reason || x.error;
    if (typeof more === 'string') parts.push('(' + more + ')');
    if (d.action === 'opened') parts.push('qty ' + num(x.quantity) + ' @ ' + num(x.entry_price) + ', stop ' + num(x.stop_price) + ', tp ' + num(x.take_profit_price));
    if (d.action === 'closed') parts.push('PnL ' + num(x.pnl) + ' (' + num(x.r_multiple) + ' R)');
    return parts.join(' ');
  };

  var render = function (s) {
    var session = s.session;
    fill($('source'), [s.read_only ? 'STORE (read-only)' : session ? session.mode : '-']);
    $('source').className = 'badge ' + (session && session.mode === 'LIVE' ? 'bad' : 'neutral');
    fill($('state'), [s.state]);
    fill($('subtitle'), [session ? session.symbols.join(', ') + ' · ' + session.timeframe + ' · ' + session.exchange + ' · store ' + session.store + ' · started ' + time(session.started_at) : (s.read_only ? 'a store without daemon information (a backtest run)' : '')]);
    fill($('updated'), ['updated ' + time(s.generated_at)]);

    var c = s.controls, open = c ? c.gate_open && !s.paused : false;
    fill($('gate'), [c ? (open ? 'OPEN' : 'CLOSED') : 'no cycle yet']);
    $('gate').className = 'big ' + (c ? (open ? 'good' : 'bad') : 'neutral');
    var why = [];
    if (s.paused) why.push(el('div', 'paused', 'PAUSED by the operator: ' + s.paused.reason + ' (' + s.paused.by + ', ' + time(s.paused.since) + ')'));
    if (c && !c.gate_open) why.push(el('div', null, 'closed by ' + (c.gate_by.length ? c.gate_by.join(', ') : 'the profile\'s static policy')));
    if (c && c.note) why.push(el('div', 'note', c.note));
    if (c && c.fallback) why.push(el('div', 'paused', 'FALLBACK policy: evaluation failed'));
    fill($('gate-why'), why);

    var e = s.equity;
    fill($('equity'), [e ? num(e.equity) : '-']);
    fill($('equity-day'), [e ? 'day start ' + num(e.day_start_equity) + ' · ' + signed(e.change_pct) + ' · daily DD ' + pct(e.daily_dd_pct) + ' · trades today ' + s.trades.today + ' (PnL ' + num(s.trades.today_pnl) + ')' : 'no equity recorded yet']);
    sparkline(e ? e.today : [], e ? e.day_start_equity : null);

    pairs('controls', c ? [
      ['last cycle', time(c.time)], ['mode', c.mode], ['exit mode', c.exit_mode], ['stance', c.stance],
      ['min_confidence', num(c.min_confidence)], ['max_risk_pct', pct(c.max_risk_pct)],
    ] : [['last cycle', 'none yet']]);

    var r = s.rule_set;
    pairs('ruleset', r ? [['version', r.version], ['hash', r.hash.slice(0, 16)], ['active profile', r.active_profile], ['traded profile', r.profile]].concat(
      Object.keys(r.orchestrator).map(function (k) { var v = r.orchestrator[k]; return [k, typeof v === 'boolean' ? (v ? 'on' : 'OFF') : String(v), v === false ? 'off' : null]; })) : [['rule set', 'not recorded in this store']]);

    var x = s.exchange;
    pairs('exchange', x ? [['state', badge(x.state === 'up' ? 'answering' : 'NOT ANSWERING', x.state === 'up' ? 'good' : 'bad')], ['outages', String(x.outages)],
      ['last recovery', x.last_recovery ? time(x.last_recovery.at) + ' after ' + Math.round(x.last_recovery.after_ms / 1000) + ' s' : '-'],
      ['errors', Object.keys(x.errors).map(function (k) { return k + ' ' + x.errors[k]; }).join(', ') || 'none'],
      ['cycle failures', s.cycle_failures ? String(s.cycle_failures.count) + (s.cycle_failures.last ? ' (last: ' + s.cycle_failures.last.message.slice(0, 120) + ')' : '') : '-']]
      .concat(x.sources.map(function (src) { return [src.name, src.failures + ' consecutive failures' + (src.last_error ? ', last ' + src.last_error.kind + ' ' + time(src.last_error.at) : '')]; }))
      .concat((s.alerts || []).map(function (a) { return ['alerts: ' + a.name, a.delivered + ' delivered, ' + a.failed + ' given up']; }))
      : [['exchange', 'known to a running daemon only']]);

    table('positions', ['symbol', 'side', 'entry', 'size', 'mark', 'stop', 'to stop', 'take-profit', 'to TP', 'exit mode', 'opened', 'id'], s.positions.map(function (p) {
      return [p.symbol, p.side, num(p.entry_price), num(p.quantity), num(p.mark_price), num(p.stop_price), pct(p.stop_distance_pct), num(p.take_profit_price), pct(p.take_profit_distance_pct), p.exit_mode, time(p.opened_at), p.id];
    }), 'no open position');
    table('blocked', ['symbol', 'by', 'reason', 'rules', 'since'], s.blocked_symbols.map(function (b) { return [b.symbol, b.by, b.reason, (b.rules || []).join(', '), time(b.time)]; }), 'none');
    table('decisions', ['time', 'symbol', 'signal → verdict → reason'], s.decisions.map(function (d) { return [time(d.time), d.symbol, decisionText(d)]; }), 'no decision yet');
    table('timeline', ['time', 'gate', 'by', 'exit mode', 'stance', 'min_conf', 'max_risk', 'note'], s.timeline.map(function (t) {
      return [time(t.time), badge(t.gate_open ? 'OPEN' : 'CLOSED', t.gate_open ? 'good' : 'bad'), t.gate_by.join(', '), t.exit_mode, t.stance + (t.fallback ? ' (FALLBACK)' : ''), num(t.min_confidence), pct(t.max_risk_pct), t.note || ''];
    }), 'no cycle today');
    table('operator', ['requested', 'action', 'reason', 'by', 'status', 'outcome'], s.operator.map(function (a) {
      return [time(a.requested_at), a.action + (a.target ? ' ' + a.target : ''), a.reason, a.requested_by, a.status, a.outcome === undefined ? '' : JSON.stringify(a.outcome).slice(0, 160)];
    }), 'no operator action recorded');
    fill($('hint'), [s.read_only ? 'Read-only view of a store: control actions are sent to the running daemon\'s own address.' :
      'Pause new entries: curl -X POST -H "Authorization: Bearer $QT_HTTP_TOKEN" -d \'{"reason":"why"}\' ' + location.origin + '/api/control/pause  (resume: /api/control/resume)']);
    window.__qtRenders = (window.__qtRenders || 0) + 1;
  };

  var link = function (text, cls) { fill($('link'), [text]); $('link').className = 'badge ' + cls; };
  var events = new EventSource('api/events');
  events.addEventListener('status', function (m) { link('live', 'good'); render(JSON.parse(m.data)); });
  events.onerror = function () { link('reconnecting…', 'bad'); };
})();
`;
