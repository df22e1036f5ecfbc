import { readdirSync, readFileSync } from 'node:fs';

/** The processes `pid` started that are still there (running, or not yet waited for), from /proc. */
export function childrenOf(pid: number): number[] {
  return readdirSync(`/proc/${pid}/task`)
    .flatMap((task) => readFileSync(`/proc/${pid}/task/${task}/children`, 'utf8').split(' '))
    .filter((p) => p.trim() !== '')
    .map(Number);
}

/** Whether a process is there and not a zombie. */
export function alive(pid: number): boolean {
  try {
    return !/^\d+ \(.*\) [ZX]/.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return false;
  }
}
