// `npm run bench`: throughput figures for the README. Not part of `npm test` (timing is machine-dependent).
import { cpus } from 'node:os';
import { report, type BenchResult } from './measure.js';
import { policyEvaluationBench } from './policy-evaluation.bench.js';

const results: BenchResult[] = [...(await policyEvaluationBench())];
console.log(`Node ${process.version}, ${cpus().length} x ${cpus()[0]?.model ?? 'cpu'}`);
console.log(report(results));
