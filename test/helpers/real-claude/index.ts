// The real Claude Code rig: the real CLI and Agent SDK binaries from npm, against a loopback mock of
// the Messages API. See README.md in this folder.
export { type BackgroundOptions, type BackgroundSession, type PtyHost, PTY_HOST_ARGV0, SPARE_ARGV0, type StartedBackgroundAgent, startBackgroundAgent } from './background.js';
export {
  type ClaudeRecord,
  type TranscriptEntry,
  readRecord,
  readTranscript,
  sessionTranscript,
  turnEntries,
  turnOver,
  waitForRecord,
  waitForTranscript,
} from './claude-state.js';
export { type DesktopOptions, type StartedDesktopSession, startDesktopSession } from './desktop.js';
export { DUMMY_API_KEY, type Scene, claudeEnv, newScene, recordPath, transcriptPath, writeClaudeConfig } from './env.js';
export { pidsWithConfigDir, trackScene, trackSceneAtCleanup } from './family.js';
export type { RealClaude, RealClaudeVersions } from './install.mjs';
export { type InteractiveOptions, type StartedInteractiveClaude, startInteractiveClaude } from './interactive.js';
export { type MockApi, type MockRequest, startMockApi } from './mock-api.js';
export { type Rig, realClaudeMissing, useRealClaude } from './rig.js';
export { type AgentListing, type ClaudeRun, listAgents, runClaude } from './run-claude.js';
export { AFTER_TOOL_TEXT, ANSWER_TEXT } from './script.js';
export {
  type DaemonEvent,
  SCENE_TIMEOUT_MS,
  SDK_DAEMON_SCRIPT,
  type SdkChild,
  type SdkDaemonOptions,
  type SdkSession,
  type SessionKind,
  type StartedSdkDaemon,
  type ToolLeftover,
  startSdkDaemon,
} from './sdk-daemon.js';
export { LEFTOVER_COMMANDS, type StartedToolLeftover, type ToolLeftoverOptions, startToolLeftover } from './tool-leftover.js';
