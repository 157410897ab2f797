// Port checks before anything starts: a busy port stops the start with a message naming the port,
// the service, the process that holds it (where the OS says) and the option that changes it.
import { readFileSync, readdirSync, readlinkSync } from 'node:fs';
import { portIsFree } from './free-port.js';

export type ServiceName = 'database' | 'auth' | 'hosting';
/** What a port is checked for: a stack service, or the MQTT gateway `npm start` adds. */
export type PortService = ServiceName | 'MQTT gateway' | 'MQTT-over-WebSocket gateway';

export interface PortHolder {
  pid: number;
  /** Its command line, shortened. */
  command: string;
}

export interface PortClaim {
  service: PortService;
  port: number;
  /** How to choose another port, e.g. `--database-port N (or FIRELINK_DATABASE_PORT=N)`. */
  hint: string;
}

export class PortBusyError extends Error {
  override readonly name = 'PortBusyError';
  constructor(
    readonly busy: Array<PortClaim & { holder: PortHolder | null }>,
    host: string,
  ) {
    super(busy.map((b) => describeBusy(b, host)).join('\n'));
  }
}

function describeBusy(b: PortClaim & { holder: PortHolder | null }, host: string): string {
  const who = b.holder === null ? 'another program (the OS does not say which)' : `pid ${b.holder.pid} (${b.holder.command})`;
  return `port ${b.port} on ${host} for the ${b.service}${b.service.includes('gateway') ? '' : ' emulator'} is in use by ${who}: stop that program, or choose another port with ${b.hint}`;
}

/**
 * The process listening on a TCP port, from Linux /proc (net/tcp{,6} gives the socket inode, the
 * fd links of each process give its owner). No library reads this portably; elsewhere: null.
 */
export function portHolder(port: number): PortHolder | null {
  const inodes = new Set<string>();
  for (const table of ['/proc/net/tcp', '/proc/net/tcp6']) {
    let text: string;
    try {
      text = readFileSync(table, 'utf8');
    } catch {
      continue;
    }
    for (const line of text.split('\n').slice(1)) {
      const cols = line.trim().split(/\s+/);
      // cols: sl local_address rem_address st tx:rx tr:tm retrnsmt uid timeout inode
      if (cols.length < 10 || cols[3] !== '0A') continue; // 0A = LISTEN
      const localPort = parseInt(cols[1]!.split(':').pop() ?? '', 16);
      if (localPort === port) inodes.add(cols[9]!);
    }
  }
  if (inodes.size === 0) return null;
  let pids: string[];
  try {
    pids = readdirSync('/proc').filter((name) => /^\d+$/.test(name));
  } catch {
    return null;
  }
  for (const pid of pids) {
    let fds: string[];
    try {
      fds = readdirSync(`/proc/${pid}/fd`);
    } catch {
      continue;
    }
    for (const fd of fds) {
      let target: string;
      try {
        target = readlinkSync(`/proc/${pid}/fd/${fd}`);
      } catch {
        continue;
      }
      const inode = /^socket:\[(\d+)\]$/.exec(target)?.[1];
      if (inode !== undefined && inodes.has(inode)) return { pid: Number(pid), command: commandLine(Number(pid)) };
    }
  }
  return null;
}

function commandLine(pid: number): string {
  try {
    const args = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').filter(Boolean);
    const text = args.join(' ');
    return text.length > 120 ? `${text.slice(0, 117)}...` : text;
  } catch {
    return 'unknown command';
  }
}

/** The process group of a Linux process (field 5 of /proc/<pid>/stat), or null. */
export function processGroup(pid: number): number | null {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    return Number(fields[2]);
  } catch {
    return null;
  }
}

/** Throws PortBusyError naming every claimed port that cannot be bound on `host`. */
export async function checkPorts(claims: PortClaim[], host: string): Promise<void> {
  const busy: Array<PortClaim & { holder: PortHolder | null }> = [];
  const seen = new Map<number, PortService>();
  for (const claim of claims) {
    const twice = seen.get(claim.port);
    if (twice !== undefined) {
      throw new Error(`port ${claim.port} is given to both the ${twice} and the ${claim.service} emulator: choose another port with ${claim.hint}`);
    }
    seen.set(claim.port, claim.service);
    if (!(await portIsFree(claim.port, host))) busy.push({ ...claim, holder: portHolder(claim.port) });
  }
  if (busy.length > 0) throw new PortBusyError(busy, host);
}
