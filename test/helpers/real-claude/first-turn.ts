// Waiting for a session's first turn to settle, however the mock scripted it: answered (record
// idle after the request, transcript ending with the assistant) or held by HANG (record busy,
// transcript ending with the request).
import { type ClaudeRecord, turnEntries, turnOver, waitForRecord, waitForTranscript } from './claude-state.js';
import type { Scene } from './env.js';
import type { MockApi } from './mock-server.js';

export async function settleFirstTurn(api: MockApi, scene: Scene, pid: number, sessionId: string, timeoutMs: number): Promise<ClaudeRecord> {
  const first = await api.waitForRequest((r) => r.sessionId === sessionId && (r.answer === 'hang' || r.answeredAt !== undefined), {
    timeoutMs,
    what: `the first request of session ${sessionId}`,
  });
  if (first.answer === 'hang') {
    const record = await waitForRecord(scene, pid, (r) => r.status === 'busy', timeoutMs);
    await waitForTranscript(scene, sessionId, (e) => turnEntries(e).at(-1)?.type === 'api-request', timeoutMs);
    return record;
  }
  const record = await waitForRecord(scene, pid, (r) => r.status === 'idle' && (r.statusUpdatedAt ?? 0) >= first.at, timeoutMs);
  await waitForTranscript(scene, sessionId, turnOver, timeoutMs);
  return record;
}
