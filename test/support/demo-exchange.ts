// The README's walk-through: a local exchange that publishes a new 1h bar of BTCUSDT every few seconds,
// scripted signals for it, a copy of the rules (whose alerts go to a local receiver that prints them) and
// of the profiles with room for the design's position sizes (see roomyLimitsRuleSet).
// Usage: npx tsx test/support/demo-exchange.ts [--port 9100] [--alerts-port 9101] [--bar-seconds 10] [--dir /tmp/qt-demo]
import { appendFileSync, cpSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { LiveMarket } from './live-market.js';
import { REPO, RuleSetCopy } from './rule-sets.js';

const { values } = parseArgs({
  options: {
    port: { type: 'string', default: '9100' },
    'alerts-port': { type: 'string', default: '9101' },
    'bar-seconds': { type: 'string', default: '10' },
    dir: { type: 'string', default: join(tmpdir(), 'qt-demo') },
  },
});
const H = 3_600_000;
const dir = values.dir;
rmSync(dir, { recursive: true, force: true });
mkdirSync(dir, { recursive: true });

const market = await LiveMarket.start(300, Number(values.port));
// A long every 3 bars, closed by an exit signal 2 bars later: whenever the daemon starts, a trade comes soon.
const next = market.last.closeTime + H;
const signals = Array.from({ length: 200 }, (_, i) => [
  { symbol: 'BTCUSDT', side: 'long', confidence: 0.9, timestamp: next + 3 * i * H },
  { symbol: 'BTCUSDT', side: 'exit', confidence: 1, timestamp: next + (3 * i + 2) * H },
]).flat();
writeFileSync(join(dir, 'signals.jsonl'), signals.map((s) => JSON.stringify(s)).join('\n') + '\n');

// The alerts receiver: prints what the daemon would send to a chat.
const alertsUrl = `http://127.0.0.1:${values['alerts-port']}/alerts`;
createServer((req, res) => {
  let body = '';
  req.on('data', (chunk: Buffer) => (body += chunk.toString()));
  req.on('end', () => {
    const alert = JSON.parse(body) as { event: string; severity: string; title: string; text: string };
    process.stdout.write(`ALERT [${alert.event}/${alert.severity}] ${alert.title}${alert.text ? `\n      ${alert.text.replace(/\n/g, '\n      ')}` : ''}\n`);
    res.end('{}');
  });
}).listen(Number(values['alerts-port']), '127.0.0.1');
cpSync(join(REPO, 'rules'), join(dir, 'rules'), { recursive: true });
cpSync(new RuleSetCopy().roomyLimits().profilesDir, join(dir, 'profiles'), { recursive: true });
appendFileSync(join(dir, 'rules', 'execution.yaml'), `alerts:\n  webhooks:\n    - url: ${alertsUrl}\n      name: demo-receiver\n`);

process.stdout.write(`local exchange ${market.exchange.url}: a new 1h bar of BTCUSDT every ${values['bar-seconds']} s; alerts print here.
In another terminal:

  export QT_HTTP_TOKEN=demo-token-0123456789
  npx quantum-trader run --exchange binanceusdm --paper --symbols BTCUSDT --exchange-url ${market.exchange.url} \\
    --poll 1 --signals ${join(dir, 'signals.jsonl')} --rules ${join(dir, 'rules')} --profiles ${join(dir, 'profiles')} --store ${join(dir, 'paper.sqlite')}

`);
// Gently up, with noise: the policy's gate stays open and the signals trade.
let seed = 7;
const random = () => ((seed = (seed * 16807) % 2147483647) / 2147483647);
setInterval(() => {
  const close = 0.0015 + (random() - 0.5) * 0.006;
  market.nextBar({ high: Math.max(close, 0) + random() * 0.003, low: Math.max(-close, 0) + random() * 0.003, close });
}, Number(values['bar-seconds']) * 1000);
