// Waits until a process has settled after its start: the measurements of a UI suite are of an app
// in use, not of one still doing its start-up work (the first reconcile of the home, the integrity
// check of a large index) on the same two cores.
import fs from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';

/** CPU time (ms) a process and its threads have used, from /proc; null where there is no /proc. */
function cpuMsOf(pid: number): number | null {
  try {
    // Fields 14 and 15 (utime, stime) in clock ticks; the command name (field 2) may hold spaces.
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100;
  } catch {
    return null;
  }
}

/** Resolves once the process used under 5% of a core over three quarter-second samples in a row (at most `timeoutMs`). */
export async function processQuiet(pid: number | undefined, timeoutMs = 60_000): Promise<void> {
  if (pid === undefined || cpuMsOf(pid) === null) return;
  const end = Date.now() + timeoutMs;
  let last = cpuMsOf(pid)!;
  let calm = 0;
  while (calm < 3 && Date.now() < end) {
    await sleep(250);
    const now = cpuMsOf(pid);
    if (now === null) return;
    calm = now - last < 250 * 0.05 ? calm + 1 : 0;
    last = now;
  }
}
