import type { Rule } from './rule.js';

export const defunct: Rule = {
  id: 'defunct',
  description: 'a zombie: it has exited and cannot be killed; its parent must reap it',
  reapable: false,
  *evaluate(ctx) {
    for (const { proc } of ctx.targets()) {
      if (proc.state !== 'Z') continue;
      const parent = ctx.snapshot.processes.get(proc.ppid);
      yield [proc.pid, {
        text: `zombie: only its parent ${parent ? `${parent.name} (${parent.pid})` : proc.ppid} can reap it`,
        evidence: { parentPid: proc.ppid, parentName: parent?.name ?? null },
      }];
    }
  },
};
