// The task module of `study`'s worker threads (backtest/worker-pool.ts): one grid cell per task.
import { serveTasks } from '../backtest/worker-pool.js';
import { runStudyCell } from './study-cell.js';

await serveTasks(runStudyCell);
