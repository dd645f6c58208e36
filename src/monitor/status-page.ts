import { createHash } from 'node:crypto';
import { PAGE_SCRIPT } from './page-script.js';

const STYLE = `
  :root { color-scheme: light dark; --good: #1a7f37; --bad: #c62828; --muted: #6b7280; --line: #d0d7de55; }
  body { font: 14px/1.45 system-ui, sans-serif; margin: 0 auto; padding: 12px 20px 40px; max-width: 1400px; }
  header { display: flex; gap: 10px; align-items: baseline; flex-wrap: wrap; border-bottom: 1px solid var(--line); padding-bottom: 8px; }
  h1 { font-size: 20px; margin: 0 8px 0 0; }
  h2 { font-size: 13px; text-transform: uppercase; letter-spacing: .05em; color: var(--muted); margin: 18px 0 6px; }
  #subtitle, #updated, .hint, .note { color: var(--muted); }
  #updated { margin-left: auto; }
  .badge { border-radius: 10px; padding: 1px 8px; font-size: 12px; font-weight: 600; border: 1px solid currentColor; }
  .good { color: var(--good); } .bad { color: var(--bad); } .neutral { color: var(--muted); }
  .cards { display: grid; grid-template-columns: repeat(auto-fit, minmax(260px, 1fr)); gap: 12px; }
  .card { border: 1px solid var(--line); border-radius: 8px; padding: 4px 14px 12px; }
  @media (min-width: 900px) { .card.wide { grid-column: span 2; } }
  .big { font-size: 30px; font-weight: 700; }
  .paused { color: var(--bad); font-weight: 600; }
  dl { display: grid; grid-template-columns: max-content 1fr; gap: 2px 12px; margin: 0; }
  dt { color: var(--muted); } dd { margin: 0; overflow-wrap: anywhere; } dd.off { color: var(--bad); font-weight: 600; }
  table { border-collapse: collapse; width: 100%; font-variant-numeric: tabular-nums; }
  th, td { text-align: left; padding: 3px 8px; border-bottom: 1px solid var(--line); vertical-align: top; }
  th { font-size: 12px; color: var(--muted); font-weight: 600; }
  td.empty { color: var(--muted); font-style: italic; }
  svg { width: 100%; height: 60px; display: block; margin-top: 6px; }
  svg .curve { fill: none; stroke: #1f6feb; stroke-width: 1.5; vector-effect: non-scaling-stroke; }
  svg .base { stroke: var(--muted); stroke-dasharray: 4 3; vector-effect: non-scaling-stroke; }
`;

const BODY = `
<header>
  <h1>Quantum Trader</h1><span id="source" class="badge neutral">-</span><span id="state" class="badge neutral">-</span>
  <span id="link" class="badge neutral">connecting…</span><span id="subtitle"></span><span id="updated"></span>
</header>
<main>
  <section class="cards">
    <div class="card"><h2>Trading gate</h2><div id="gate" class="big neutral">-</div><div id="gate-why"></div></div>
    <div class="card"><h2>Equity</h2><div id="equity" class="big">-</div><div id="equity-day" class="note"></div><svg id="spark" viewBox="0 0 300 60" preserveAspectRatio="none"></svg></div>
    <div class="card"><h2>Controls in force</h2><dl id="controls"></dl></div>
    <div class="card wide"><h2>Rule set and orchestrator</h2><dl id="ruleset"></dl></div>
    <div class="card"><h2>Exchange</h2><dl id="exchange"></dl></div>
  </section>
  <section><h2>Open positions</h2><table id="positions"></table></section>
  <section><h2>Blocked symbols</h2><table id="blocked"></table></section>
  <section><h2>Latest decisions</h2><table id="decisions"></table></section>
  <section><h2>Today's policy timeline</h2><table id="timeline"></table></section>
  <section><h2>Operator actions</h2><table id="operator"></table><p id="hint" class="hint"></p></section>
</main>`;

const hash = (text: string) => `'sha256-${createHash('sha256').update(text).digest('base64')}'`;

/** The page: one self-contained document, no outside requests (the CSP forbids them too). */
export const STATUS_PAGE = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<link rel="icon" href="data:,"><title>Quantum Trader status</title><style>${STYLE}</style></head>
<body>${BODY}
<script>${PAGE_SCRIPT}</script>
</body></html>
`;

/** Only this page's own script and style run; it talks to its own origin only. */
export const STATUS_PAGE_CSP = [
  "default-src 'none'", `script-src ${hash(PAGE_SCRIPT)}`, `style-src ${hash(STYLE)}`, "connect-src 'self'", "img-src 'self' data:",
  "base-uri 'none'", "form-action 'none'", "frame-ancestors 'none'",
].join('; ');
