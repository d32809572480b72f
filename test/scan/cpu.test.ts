// CPU over the sample window: what tells a busy child from an idle one (ps %cpu, a lifetime
// average, cannot).
import { describe, expect, it } from 'vitest';
import { SDK_ARGS, startClaude, useProcessCleanup } from '../helpers/procs.js';
import { find, sandbox, scanJson } from '../helpers/scan-cli.js';

useProcessCleanup();
const box = sandbox();

// A spinning process gets well under a core when other test files run beside it on a small
// machine; an idle one stays near zero whatever the load.
const BUSY_MIN_PERCENT = 20;
const IDLE_MAX_PERCENT = 1;

describe('scan samples CPU over a window', () => {
  it.each(['500ms', '1s'])('tells a busy child from an idle one over --sample %s', async (window) => {
    const busy = await startClaude({ args: SDK_ARGS, mode: 'busy' });
    const idle = await startClaude({ args: SDK_ARGS, mode: 'idle' });
    const doc = await scanJson(box, ['--sample', window]);
    expect(doc.sampleMs).toBe(window === '1s' ? 1000 : 500);
    expect(find(doc, busy.pid).cpuPercent).toBeGreaterThan(BUSY_MIN_PERCENT);
    expect(find(doc, idle.pid).cpuPercent).toBeLessThan(IDLE_MAX_PERCENT);
    expect(find(doc, idle.pid).cpuPercent).toBeGreaterThanOrEqual(0);
  });

  it('reports no CPU figure at all with --sample 0', async () => {
    const busy = await startClaude({ args: SDK_ARGS, mode: 'busy' });
    const doc = await scanJson(box, ['--sample', '0']);
    expect(doc.sampleMs).toBe(0);
    expect(find(doc, busy.pid).cpuPercent).toBeNull();
    // The lifetime CPU time is still read: it is a fact of the record, not a sample.
    expect(find(doc, busy.pid).cpuTimeMs).not.toBeNull();
  });
});
