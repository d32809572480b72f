// Real interactive Claude Code on a pty, and Claude Desktop's shape (the app running Code sessions
// through the Agent SDK with the CLI it ships).
import { statSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { useProcessCleanup } from '../helpers/cleanup.js';
import { procStat, readCmdline, readComm, readExe } from '../helpers/proc-read.js';
import { readRecord, sessionTranscript, startDesktopSession, startInteractiveClaude, turnEntries, useRealClaude } from '../helpers/real-claude/index.js';

const TIMEOUT = { timeout: 120_000 };

useProcessCleanup();
const rig = useRealClaude();

describe('interactive claude on a pty', () => {
  it('runs as the foreground job of a shell on its terminal, with a record of entrypoint cli that is idle after its turn', TIMEOUT, async () => {
    const s = await startInteractiveClaude(rig, { prompt: 'say hi' });
    const stat = procStat(s.claudePid)!;
    expect(s.tty).toMatch(/^pts\/\d+$/);
    expect(stat).toMatchObject({ ppid: s.shellPid, pgid: s.claudePid, tpgid: s.claudePid, sid: s.shellPid });
    expect(readCmdline(s.claudePid)).toEqual(['claude', 'say hi']);
    expect(readComm(s.claudePid)).toBe('claude');
    expect(readExe(s.claudePid)).toBe(rig.claude.claudeCodeBinary);
    expect(s.record).toMatchObject({ kind: 'interactive', entrypoint: 'cli', status: 'idle', version: rig.claude.versions.claudeCode, procStart: stat.startId });
    expect(turnEntries(sessionTranscript(s.scene, s.sessionId)).at(-1)).toMatchObject({ type: 'assistant', stopReason: 'end_turn' });
  });

  it('stays busy with its request outstanding when the API never answers', TIMEOUT, async () => {
    const s = await startInteractiveClaude(rig, { prompt: 'HANG' });
    expect(s.record.status).toBe('busy');
    expect(turnEntries(sessionTranscript(s.scene, s.sessionId)).at(-1)?.type).toBe('api-request');
    expect(rig.api.held().map((r) => r.sessionId)).toContain(s.sessionId);
  });
});

describe("Claude Desktop's shape", () => {
  it("runs the session under the app with Desktop's paths and --permission-prompt-tool=stdio", TIMEOUT, async () => {
    const d = await startDesktopSession(rig);
    expect(readExe(d.appPid)).toBe(d.appPath);
    expect(d.appPath).toMatch(/\/Applications\/Claude\.app\/Contents\/MacOS\/Claude$/);
    expect(d.sessionBinary).toMatch(
      new RegExp(`/Library/Application Support/Claude/claude-code/${rig.claude.versions.claudeCode.replace(/\./g, '\\.')}/claude\\.app/Contents/MacOS/claude$`),
    );
    expect(readExe(d.sessionPid)).toBe(d.sessionBinary);
    expect(readComm(d.sessionPid)).toBe('claude');
    expect(procStat(d.sessionPid)!.ppid).toBe(d.appPid);
    const argv = readCmdline(d.sessionPid)!;
    expect(argv.slice(0, 6)).toEqual([d.sessionBinary, '--output-format', 'stream-json', '--verbose', '--input-format', 'stream-json']);
    // SDK 0.3.334 writes it as one word (Desktop's own SDK may write `--permission-prompt-tool stdio`).
    expect(argv).toContain('--permission-prompt-tool=stdio');
    expect(readRecord(d.daemon.scene, d.sessionPid)).toMatchObject({ entrypoint: 'sdk-ts', status: 'idle', version: rig.claude.versions.claudeCode });
    if (d.linked === 'hardlink') expect(statSync(d.sessionBinary).ino).toBe(statSync(rig.claude.claudeCodeBinary).ino);
  });
});
