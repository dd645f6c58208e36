// The task module of `backtest`'s worker threads (backtest/worker-pool.ts): one run of the comparison per task.
import { serveTasks } from '../backtest/worker-pool.js';
import { runBacktestTask } from './backtest-task.js';

await serveTasks(runBacktestTask);
