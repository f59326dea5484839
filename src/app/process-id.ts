// Who holds a lease or a claim: host, process id and a random tag. A restarted bot on the same host
// recognises the claims of its dead predecessor and takes their work up at once, instead of waiting
// for their leases to run out (other hosts' claims always wait for their lease).
import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';

export const PROCESS_ID = `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;

/** A claim made by a process of this host that is no longer running. */
export function isDeadLocalClaim(claimer: string): boolean {
  const [host, pid] = claimer.split(':');
  if (host !== hostname() || !/^\d+$/.test(pid ?? '') || Number(pid) === process.pid) return false;
  try {
    process.kill(Number(pid), 0);
    return false;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'ESRCH';
  }
}
