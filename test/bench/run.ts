// `npm run bench`: throughput figures for the README. Not part of `npm test` (timing is machine-dependent).
import { cpus } from 'node:os';
import { report, type BenchResult } from './measure.js';
import { backtestBench, longBacktestBench } from './backtest.bench.js';
import { executorBench } from './executor.bench.js';
import { marketStreamBench } from './market-stream.bench.js';
import { policyEvaluationBench } from './policy-evaluation.bench.js';

const results: BenchResult[] = [...(await policyEvaluationBench()), ...(await marketStreamBench()), ...(await executorBench()), ...(await backtestBench()), ...longBacktestBench()];
console.log(`Node ${process.version}, ${cpus().length} x ${cpus()[0]?.model ?? 'cpu'}`);
console.log(report(results));
