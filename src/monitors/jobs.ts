// Monitors as durable jobs: one queue per monitor (`monitor-<name>`), worked by every app instance and fired
// on the monitor's cron schedule (or the one monitors.yaml gives it) by one of them. A run can also be asked
// for at once (after an import, or a risk signal arriving); runs asked for while one is queued collapse into it.
// They share the process's job queue (opened by the approvals service with MONITOR_QUEUES declared).
import type { JobQueue } from '../jobs/queue.js';
import { projectPath } from '../paths.js';
import { monitors } from './registry.js';
import { type MonitorRunDeps, runMonitor } from './runner.js';
import { loadMonitorSettings } from './settings.js';

/** The job queue a monitor runs on. */
export const queueNameOf = (name: string): string => `monitor-${name}`;

/** Every monitor queue, to declare when the job queue is opened. */
export const MONITOR_QUEUES: readonly string[] = [...monitors.keys()].map(queueNameOf);

/** Works every monitor's queue in this process and (re)sets their schedules. */
export async function startMonitorJobs(queue: JobQueue, deps: MonitorRunDeps): Promise<void> {
  const settings = await loadMonitorSettings(deps.policyDir ?? projectPath('policies'));
  for (const monitor of monitors.values()) {
    const name = queueNameOf(monitor.name);
    await queue.work(name, async () => {
      // A run already going (another instance's, or `qm monitor run`) covers this tick.
      await runMonitor(deps, monitor, { ifRunning: 'skip' });
    });
    const cron = settings.schedules[monitor.name] ?? monitor.schedule;
    if (cron && cron !== 'off') await queue.schedule(name, cron);
  }
}

/** Asks for a run of monitor `name` as soon as a worker is free. */
export async function requestMonitorRun(queue: JobQueue, name: string): Promise<void> {
  if (!monitors.has(name)) throw new Error(`no monitor named "${name}"`);
  await queue.send(queueNameOf(name), { requestedAt: new Date().toISOString() }, { singletonKey: `run:${name}` });
}
