// A worker thread's first module: registers tsx (as src/cli/bin.js does for the main thread), so the
// TypeScript task module named in workerData loads without a build step, then hands over to it.
import { workerData } from 'node:worker_threads';
import { register } from 'tsx/esm/api';

register();
await import(workerData.module);
