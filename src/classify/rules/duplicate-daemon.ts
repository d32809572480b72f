import { basename } from '../match.js';
import type { SampledProcess } from '../../types.js';
import type { Rule } from './rule.js';

export const duplicateDaemon: Rule = {
  id: 'duplicate-daemon',
  description: 'another copy of one agent daemon (same script and arguments, any install path, same user); all but the keeper',
  reapable: true,
  *evaluate(ctx) {
    const groups = new Map<string, { name: string; procs: SampledProcess[] }>();
    for (const { proc, match } of ctx.targets()) {
      if (match.kind !== 'agent-daemon' || !match.daemon || proc.state === 'Z') continue;
      const key = `${proc.uid ?? proc.user ?? ''}\0${daemonIdentity(proc.argv ?? [proc.name])}`;
      const group = groups.get(key);
      if (group) group.procs.push(proc);
      else groups.set(key, { name: match.daemon, procs: [proc] });
    }
    for (const { name, procs } of groups.values()) {
      if (procs.length < 2) continue;
      const { keeper, why } = pickKeeper(procs, ctx.input.pidFiles?.get(name));
      for (const p of procs) {
        if (p === keeper) continue;
        yield [p.pid, {
          text: `${procs.length} copies of ${name}; keeping ${keeper.pid} (${why})`,
          evidence: { keeper: keeper.pid, copies: procs.length, keeperBy: why },
        }];
      }
    }
  },
};

/**
 * The daemon's identity: the script's file name and the arguments after it, without the install
 * path (`…/marketplaces/…/worker-service.cjs --daemon` and `…/cache/…/10.2.4/…/worker-service.cjs
 * --daemon` are one daemon).
 */
export function daemonIdentity(argv: readonly string[]): string {
  const runtime = /^(node|nodejs|bun|deno|python\d?(\.\d+)?|ruby|perl)(\.exe)?$/i;
  let i = 0;
  if (argv.length > 1 && runtime.test(basename(argv[0]!))) {
    i = 1;
    while (i < argv.length && argv[i]!.startsWith('-')) i++;
  }
  return [basename(argv[i] ?? ''), ...argv.slice(i + 1)].join(' ');
}

function pickKeeper(procs: SampledProcess[], pidFilePid: number | undefined): { keeper: SampledProcess; why: string } {
  const byPidFile = procs.find((p) => p.pid === pidFilePid);
  if (byPidFile) return { keeper: byPidFile, why: 'named by its pid file' };
  const oldest = (list: SampledProcess[]) => list.reduce((a, b) => (b.startTime < a.startTime || (b.startTime === a.startTime && b.pid < a.pid) ? b : a));
  const ports = (p: SampledProcess) => p.sockets?.listeningPorts ?? [];
  const listening = procs.filter((p) => ports(p).length > 0);
  if (listening.length > 0) {
    const keeper = oldest(listening);
    return { keeper, why: `holds port ${ports(keeper).join(',')}` };
  }
  return { keeper: oldest(procs), why: 'the oldest' };
}
