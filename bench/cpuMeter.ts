/**
 * CPU time (user + system) spent by this process and by child processes between laps, read from /proc: on a
 * machine whose cores the load generator, the emulator and Kiro Dock share, CPU per request says what each costs
 * where throughput alone cannot.
 */
import fs from 'node:fs';

/** Clock ticks per second of /proc/<pid>/stat times (USER_HZ, 100 on Linux). */
const TICKS_PER_SECOND = 100;

function processCpuMs(pid: number): number {
  const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
  // The command name may contain spaces; the fields after its closing parenthesis are fixed.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const userTicks = Number(fields[11]);
  const systemTicks = Number(fields[12]);
  return ((userTicks + systemTicks) * 1000) / TICKS_PER_SECOND;
}

function selfCpuMs(): number {
  const usage = process.cpuUsage();
  return (usage.user + usage.system) / 1000;
}

export type CpuLap<Name extends string> = Record<Name | 'self', number>;

export function createCpuMeter<Name extends string>(pids: Record<Name, number>) {
  const read = (): CpuLap<Name> => {
    const now = { self: selfCpuMs() } as CpuLap<Name>;
    for (const name of Object.keys(pids) as Name[]) now[name] = processCpuMs(pids[name]);
    return now;
  };
  let last = read();
  return {
    /** CPU ms each process used since the previous lap (or since the meter was made). */
    lap(): CpuLap<Name> {
      const now = read();
      const spent = {} as CpuLap<Name>;
      for (const key of Object.keys(now) as Array<Name | 'self'>) spent[key] = now[key] - last[key];
      last = now;
      return spent;
    },
  };
}
