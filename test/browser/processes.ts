/** Stopping what the tier started, by PID, and checking that nothing is left. */
import * as fs from 'fs';
import * as net from 'net';

/** Whether a process with this PID exists (a zombie of ours counts as gone). */
export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  try {
    return !/^\d+ \(.*\) Z /.test(fs.readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return false;
  }
}

/** Sends SIGTERM, then SIGKILL after `graceMs`, and waits until the process is gone. */
export async function killAndWait(pid: number, graceMs = 5000): Promise<void> {
  const deadline = Date.now() + graceMs;
  signal(pid, 'SIGTERM');
  while (isAlive(pid)) {
    if (Date.now() > deadline) {
      signal(pid, 'SIGKILL');
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

function signal(pid: number, name: NodeJS.Signals): void {
  try {
    process.kill(pid, name);
  } catch {
    // already gone
  }
}

/** The PIDs of processes whose command line contains `marker` (e.g. a profile dir of ours). */
export function processesWith(marker: string): number[] {
  const pids: number[] = [];
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry) || Number(entry) === process.pid) {
      continue;
    }
    try {
      if (fs.readFileSync(`/proc/${entry}/cmdline`, 'utf8').includes(marker) && isAlive(Number(entry))) {
        pids.push(Number(entry));
      }
    } catch {
      // exited while we looked
    }
  }
  return pids;
}

/** Whether a TCP port on 127.0.0.1 can be bound again, i.e. nothing listens there. */
export function portIsFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}
