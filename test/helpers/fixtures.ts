// Where the fake claude lives: the compiled programs from global-setup, and per test file a scratch
// root laid out like the places real claude binaries are installed, so exe paths and argv match.
import type { ChildProcess } from 'node:child_process';
import { chmodSync, copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { inject } from 'vitest';
import { waitFor } from './cleanup.js';
import { skipHere } from './tools.js';

export const CLAUDE_VERSION = '2.1.330';
export const SDK_VERSION = '0.3.330';
export const SCRIPTS_DIR = fileURLToPath(new URL('../fixtures/scripts/', import.meta.url));
const READY_TIMEOUT_MS = 10_000;

export type Variant = 'native' | 'versioned' | 'sdk-bundled' | 'desktop' | 'npm-cli' | 'title-only';

/** A compiled fixture program; skips the test without a compiler, and throws when compiling failed. */
export function compiled(name: 'claude' | 'subreaper' | 'orphan' | 'undumpable'): string {
  const { dir, error, noCompiler } = inject('fixtures');
  if (noCompiler) skipHere(error!);
  if (error) throw new Error(error);
  return join(dir, 'bin', name);
}

/** The compiled fake claude binary (built once per run by global-setup). */
export function buildFakeClaude(): string {
  return compiled('claude');
}

let root: string | undefined;
let serial = 0;

/** This test file's scratch root (removed with the whole run by global-setup's teardown). */
export function workRoot(): string {
  root ??= mkdtempSync(join(inject('fixtures').dir, 'runs', `${process.pid}-`));
  return root;
}

/** A fresh path for a ready file. */
export function readyPath(tag = 'ready'): string {
  const dir = join(workRoot(), 'ready');
  mkdirSync(dir, { recursive: true });
  return join(dir, `${tag}-${++serial}.json`);
}

function install(from: string, to: string): string {
  if (!existsSync(to)) {
    mkdirSync(dirname(to), { recursive: true });
    copyFileSync(from, to);
    chmodSync(to, 0o755);
  }
  return to;
}

/** Installs the npm package shape: cli.js beside a package.json of type module. */
function installCli(): string {
  const dir = join(workRoot(), 'node_modules/@anthropic-ai/claude-code');
  const pkg = join(dir, 'package.json');
  if (!existsSync(pkg)) {
    mkdirSync(dir, { recursive: true });
    writeFileSync(pkg, JSON.stringify({ name: '@anthropic-ai/claude-code', version: CLAUDE_VERSION, type: 'module' }));
  }
  return install(join(SCRIPTS_DIR, 'fake-claude-cli.mjs'), join(dir, 'cli.js'));
}

export interface Command {
  /** What is executed. */
  file: string;
  argv0: string;
  /** argv after argv0. */
  args: string[];
  /** The claude path: the binary, the symlink for 'versioned', cli.js for the node variants. */
  binPath: string;
  env: Record<string, string>;
}

/** How to run one variant with the given claude arguments. */
export function claudeCommand(variant: Variant, args: string[] = []): Command {
  const home = join(workRoot(), 'home');
  const bin = (path: string): Command => {
    const file = install(compiled('claude'), path);
    return { file, argv0: file, args, binPath: file, env: {} };
  };
  switch (variant) {
    case 'native':
      return bin(join(workRoot(), 'bin/claude'));
    case 'versioned': {
      // The native installer runs the version file through a symlink: comm is the link's name.
      const target = install(compiled('claude'), join(home, '.local/share/claude/versions', CLAUDE_VERSION));
      const link = join(home, '.local/bin/claude');
      if (!existsSync(link)) {
        mkdirSync(dirname(link), { recursive: true });
        symlinkSync(target, link);
      }
      return { file: link, argv0: link, args, binPath: link, env: {} };
    }
    case 'sdk-bundled':
      return bin(join(workRoot(), 'node_modules/@anthropic-ai/claude-agent-sdk-linux-x64/claude'));
    case 'desktop':
      return bin(join(home, 'Library/Application Support/Claude/claude-code', CLAUDE_VERSION, 'claude'));
    case 'npm-cli':
    case 'title-only': {
      const cli = installCli();
      const env: Record<string, string> = variant === 'title-only' ? { FAKE_TITLE: 'claude' } : {};
      return { file: process.execPath, argv0: 'node', args: [cli, ...args], binPath: cli, env };
    }
  }
}

/** The environment the fakes start from: ours, minus any Claude markers and fake settings. */
export function baseEnv(): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(process.env)) {
    if (v !== undefined && !k.startsWith('CLAUDE') && !k.startsWith('FAKE_')) env[k] = v;
  }
  return env;
}

export interface Ready {
  pid: number;
  children: number[];
  port?: number;
}

export interface ReadyWait {
  /** Fail early when this process exits before the file appears (not for the orphan maker). */
  process?: ChildProcess;
  /** Output to show when it fails. */
  output?: () => string;
  timeoutMs?: number;
}

/** Waits for a ready file and parses it. */
export async function waitReady(path: string, opts: ReadyWait = {}): Promise<Ready> {
  const proc = opts.process;
  const failure = (why: string): Error => new Error(`${basename(path)}: ${why}${opts.output ? `\n${opts.output()}` : ''}`);
  try {
    await waitFor(
      () => {
        if (existsSync(path)) return true;
        if (proc && proc.exitCode !== null) throw failure(`process exited with code ${proc.exitCode} before it was ready`);
        if (proc && proc.signalCode !== null) throw failure(`process was killed by ${proc.signalCode} before it was ready`);
        return false;
      },
      { timeoutMs: opts.timeoutMs ?? READY_TIMEOUT_MS, what: 'the ready file' },
    );
  } catch (err) {
    if (err instanceof Error && err.message.startsWith('timed out')) throw failure(err.message);
    throw err;
  }
  return JSON.parse(readFileSync(path, 'utf8')) as Ready;
}

/**
 * Calls `onEvent` with each line of the stream that parses as JSON, as it arrives; other lines
 * (a library's console output) are skipped.
 */
export function onJsonLines<T>(stream: NodeJS.ReadableStream, onEvent: (event: T) => void): void {
  let buffered = '';
  stream.on('data', (d: Buffer) => {
    buffered += d.toString();
    let nl: number;
    while ((nl = buffered.indexOf('\n')) >= 0) {
      const line = buffered.slice(0, nl);
      buffered = buffered.slice(nl + 1);
      let event: T;
      try {
        event = JSON.parse(line) as T;
      } catch {
        continue;
      }
      onEvent(event);
    }
  });
}

/** Keeps the last part of a stream's output for error messages, and keeps the pipe drained. */
export function capture(stream: NodeJS.ReadableStream | null): () => string {
  const LIMIT = 16_384;
  let text = '';
  stream?.on('data', (d: Buffer) => {
    text = (text + d.toString()).slice(-LIMIT);
  });
  return () => text;
}
