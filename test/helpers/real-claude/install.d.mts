// Types for install.mjs (plain JavaScript so that CI can run it with bare node).

export interface RealClaudeVersions {
  sdkNative: string;
  sdkLegacy: string;
  claudeCode: string;
}

/** Where the installed rig is. Every path is absolute. */
export interface RealClaude {
  /** The cache directory holding this set of versions. */
  dir: string;
  versions: RealClaudeVersions;
  /** The Agent SDK 0.3 module (sdk.mjs), which runs nativeBinary. */
  sdkNativeModule: string;
  /** …/@anthropic-ai/claude-agent-sdk-linux-x64/claude */
  nativeBinary: string;
  /** The legacy Agent SDK 0.2 module (sdk.mjs), which runs legacyCli with node. */
  sdkLegacyModule: string;
  legacyCli: string;
  /** @anthropic-ai/claude-code's bin/claude.exe (the native CLI), or its platform package's binary. */
  claudeCodeBinary: string;
  /** Time the install took, when it was installed (not this run's time when cached). */
  installMs: number;
  /** Disk used by the cache directory (hard links counted once). */
  diskBytes: number;
  installedAt: string;
  /** Installed by this call (false: found in the cache). */
  fresh: boolean;
}

export interface RealClaudeError {
  error: string;
}

export declare const REAL_CLAUDE_PACKAGES: Record<keyof RealClaudeVersions, { name: string; version: string }>;
export declare const CACHE_ENV: string;
export declare function cacheRoot(env?: NodeJS.ProcessEnv): string;
export declare function cacheKey(): string;
export declare function ensureRealClaude(opts?: { root?: string; lockWaitMs?: number }): Promise<RealClaude | RealClaudeError>;
