// The test-support API: real processes shaped like real claude processes, each registered by
// (pid, start id) so cleanup() ends exactly those. Call useProcessCleanup() once per test file.
export { cleanup, killHard, onBeforeCleanup, onCleanup, signalIfSame, track, trackedStartId, useProcessCleanup, waitFor } from './cleanup.js';
export type { WaitOptions } from './cleanup.js';
export { type CliOptions, type CliResult, CLI_PATH, runCli, runNodeScript } from './cli.js';
export { DEFAULT_INSTALL_PATH, type DaemonOptions, SDK_ARGS, type StartedDaemon, startDaemon } from './daemon.js';
export {
  type ClaudeOptions,
  type FakeBehaviour,
  type FakeMode,
  type StartedClaude,
  type StartedOrphan,
  type StartedUnderSubreaper,
  fakeEnv,
  startClaude,
  startOrphan,
  startUnderSubreaper,
  trackChildren,
} from './fake-claude.js';
export { CLAUDE_VERSION, SCRIPTS_DIR, SDK_VERSION, type Variant, buildFakeClaude, claudeCommand, compiled, workRoot } from './fixtures.js';
export {
  type ProcStat,
  type TcpSocket,
  childrenOf,
  cpuNs,
  fdTargets,
  isAlive,
  isSameProcess,
  procStat,
  readCmdline,
  readComm,
  readEnviron,
  readExe,
  readStartId,
  socketInode,
  tcpSockets,
  ttyName,
  unixSocketInodes,
} from './proc-read.js';
export { type PtyOptions, type PtyResult, type StartedInteractive, runInPty, shellQuote, startInteractive } from './pty.js';
