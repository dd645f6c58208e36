// `npm run chaos`: a long chaos campaign against `run --live` (see campaign.ts), figures for README.
// Usage: npm run chaos -- [--kills 100] [--seed 1] [--rate-limit 0.10] [--unavailable 0.05] [--lost 0.03]
import { parseArgs } from 'node:util';
import { runCampaign } from './campaign.js';

const { values } = parseArgs({
  options: {
    kills: { type: 'string', default: '100' },
    seed: { type: 'string', default: '1' },
    'rate-limit': { type: 'string', default: '0.10' },
    unavailable: { type: 'string', default: '0.05' },
    lost: { type: 'string', default: '0.03' },
  },
});
const fivexx = Number(values.unavailable);
const report = await runCampaign({
  seed: Number(values.seed),
  kills: Number(values.kills),
  faults: { rateLimit: Number(values['rate-limit']), unavailable: fivexx / 2, unavailableAfter: fivexx / 2, lostResponse: Number(values.lost) },
  onRound: (r) => process.stderr.write(`round ${r.round}: ${r.how}${r.started ? '' : ' (during start-up)'}, alive ${r.aliveMs} ms\n`),
});
const v = report.violations;
const count = (xs: readonly string[]) => String(xs.length).padStart(4);
process.stdout.write(`
chaos campaign, seed ${report.seed}: ${report.kills} kills, ${report.figures.startups} completed start-ups, ${report.figures.wallSeconds} s
  exchange requests ${report.figures.requests}; faults applied ${JSON.stringify(report.figures.faults)}
  entries ${report.figures.entries}, closed trades ${report.figures.trades}
  longest time a position was without a full-size stop (daemon up, started): ${report.figures.longestNakedMs} ms
  longest time an order protecting nothing rested (daemon up, started):     ${report.figures.longestOrphanMs} ms (a stop's siblings wait for the next poll)

violations
  client id on two orders        ${count(v.reusedClientIds)}
  signal entered twice           ${count(v.signalsEnteredTwice)}
  entry not attributable         ${count(v.unattributedEntries)}
  naked position > 3 s           ${count(v.nakedTooLong)}
  orphan left after reconciliation ${count(v.orphansAfterReconciliation)}
  orphan order resting > 10 s      ${count(v.orphansTooLong)}
  orphan order filled on a later position ${count(v.orphanFills)}
  store differs from exchange    ${count(v.storeDiffers)}
  daemon ended by itself         ${count(v.daemonExits)}
`);
for (const [name, list] of Object.entries(v)) for (const item of list) process.stdout.write(`  ${name}: ${item}\n`);
process.exit(Object.values(v).some((list) => list.length > 0) ? 1 : 0);
