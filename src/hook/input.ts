// The JSON Claude Code writes on a hook's stdin (session_id, hook_event_name, reason, ...). A hook
// must not hold up the session's exit, so the read has a deadline, and no input is fine.
import type { Readable } from 'node:stream';

// Claude Code writes a few hundred bytes and closes stdin at once; all SessionEnd hooks share a
// 1.5 s budget (CLAUDE_CODE_SESSIONEND_HOOKS_TIMEOUT_MS), so waiting longer would cost the user.
export const INPUT_BUDGET_MS = 200;
const MAX_INPUT = 1 << 20;

export function readInput(stream: Readable, budgetMs = INPUT_BUDGET_MS): Promise<string | null> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const finish = () => {
      clearTimeout(timer);
      stream.removeAllListeners('data');
      // An open pipe nobody writes to would keep this process alive.
      stream.destroy();
      resolve(size > 0 ? Buffer.concat(chunks).toString('utf8') : null);
    };
    const timer = setTimeout(finish, budgetMs);
    stream.on('data', (chunk: Buffer) => {
      chunks.push(chunk);
      size += chunk.length;
      if (size > MAX_INPUT) finish();
    });
    stream.once('end', finish);
    stream.once('error', finish);
  });
}

export interface HookInput {
  sessionId: string | null;
  reason: string | null;
}

/** Whatever is usable in the input; anything unexpected reads as unknown. */
export function parseInput(text: string | null): HookInput {
  let data: Record<string, unknown> = {};
  try {
    const parsed: unknown = text ? JSON.parse(text) : {};
    if (parsed && typeof parsed === 'object') data = parsed as Record<string, unknown>;
  } catch {
    // Not JSON: run anyway.
  }
  const str = (v: unknown) => (typeof v === 'string' && v !== '' ? v : null);
  return { sessionId: str(data.session_id), reason: str(data.reason) };
}
