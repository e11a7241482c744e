import type { AppConfig, FaultPoint } from '../config/app-config.js';

/**
 * Fault-injection points, FOR TESTS ONLY: with `FAULT_INJECT=<point>` the process kills itself
 * with SIGKILL when it reaches that point, so a test can crash a real process at an exact place
 * (between two writes that must both happen) instead of hoping a timed kill lands there. The
 * configuration refuses the variable when NODE_ENV=production; without it nothing here runs.
 *
 * | point | where |
 * | --- | --- |
 * | `relay-after-enqueue` | the outbox relay, after the jobs were handed to the driver and before the rows are stamped `relayed_at` |
 * | `reminder-sweep-after-batch` | the reminder sweep, after its first digest batch committed and before the next one |
 */
export { FAULT_POINTS, type FaultPoint } from '../config/app-config.js';

/** Crashes the process (SIGKILL, no clean-up, as a power cut or the OOM killer would) if `point` is configured. */
export function faultPoint(config: AppConfig, point: FaultPoint): void {
  if (!config.faultInject.includes(point)) return;
  process.stderr.write(`FAULT_INJECT: ${point} reached, killing process ${process.pid} with SIGKILL\n`);
  process.kill(process.pid, 'SIGKILL');
}
