// CPU time and memory of a process and its descendants, from Linux /proc (benchmark figures; no
// library reads these for a process tree). Elsewhere: null.
import { readFileSync } from 'node:fs';

/** USER_HZ: clock ticks per second in /proc/<pid>/stat (100 on Linux). */
const TICKS_PER_SECOND = 100;

function childrenOf(pid: number): number[] {
  try {
    return readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim().split(/\s+/).filter(Boolean).map(Number);
  } catch {
    return [];
  }
}

/** Whether any process of the process group `pgid` (a stack service and its workers) is alive. */
export function processGroupAlive(pgid: number): boolean {
  try {
    process.kill(-pgid, 0);
    return true;
  } catch {
    return false;
  }
}

/** A process and all its descendants. */
export function processTree(pid: number): number[] {
  return [pid, ...childrenOf(pid).flatMap(processTree)];
}

/** utime + stime of one process, in ms, or null when it is gone. */
export function processCpuMs(pid: number): number | null {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    // After "(comm) ": state is index 0, so utime = 11, stime = 12.
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / TICKS_PER_SECOND;
  } catch {
    return null;
  }
}

/** CPU ms of a process and its live descendants (the functions worker, firebase-tools' children). */
export function treeCpuMs(pid: number): number | null {
  const own = processCpuMs(pid);
  if (own === null) return null;
  return processTree(pid).slice(1).reduce((sum, p) => sum + (processCpuMs(p) ?? 0), own);
}

/** Peak resident set (VmHWM) of one process, in bytes, or null. */
export function peakRssBytes(pid: number): number | null {
  try {
    const match = /^VmHWM:\s+(\d+) kB$/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? Number(match[1]) * 1024 : null;
  } catch {
    return null;
  }
}

/**
 * How long the main thread of a process (its event loop) has run on a CPU and waited, runnable,
 * for one, in ms, and how many times it was put on a CPU: /proc/<pid>/schedstat (the kernel's
 * sched-stats.rst), or null when the kernel does not keep it or the process is gone. A loop that
 * waits for a CPU answers late however little work it has, so this tells CPU contention apart
 * from slow code.
 */
export function mainThreadSchedMs(pid: number): { runMs: number; waitMs: number; slices: number } | null {
  try {
    const [run, wait, slices] = readFileSync(`/proc/${pid}/schedstat`, 'utf8').trim().split(/\s+/).map(Number);
    if (!Number.isFinite(run) || !Number.isFinite(wait) || !Number.isFinite(slices)) return null;
    return { runMs: run! / 1e6, waitMs: wait! / 1e6, slices: slices! };
  } catch {
    return null;
  }
}
