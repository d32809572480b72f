// Reading the MCP servers Claude's configuration declares: ~/.claude.json (the user's and each
// project's), the .mcp.json of the projects it and the session records name, and live claudes'
// --mcp-config; variables expanded as Claude Code does.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { readDeclaredServers } from '../../src/snapshot/claude-config.js';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function home(): string {
  const dir = mkdtempSync(join(tmpdir(), 'claude-reaper-config-'));
  dirs.push(dir);
  return dir;
}

const write = (path: string, data: unknown) => {
  mkdirSync(join(path, '..'), { recursive: true });
  writeFileSync(path, typeof data === 'string' ? data : JSON.stringify(data));
};

describe("Claude's declared MCP servers", () => {
  it('reads the user scope, each project in ~/.claude.json, and the projects\' .mcp.json', () => {
    const h = home();
    const project = join(h, 'src', 'app');
    const recorded = join(h, 'src', 'other');
    write(join(h, '.claude.json'), {
      numStartups: 12,
      mcpServers: { memory: { type: 'stdio', command: 'cmd', args: ['/c', 'npx', '-y', '@modelcontextprotocol/server-memory'], env: {} }, docs: { type: 'http', url: 'https://example.test/mcp' } },
      projects: { [project]: { mcpServers: { git: { command: 'uvx', args: ['mcp-server-git'] } } } },
    });
    write(join(project, '.mcp.json'), { mcpServers: { db: { command: 'node', args: ['${PROJECT_ROOT:-/srv}/db.js'] } } });
    // A SIGKILLed claude's record stays: its project is read too.
    write(join(h, '.claude', 'sessions', '812.json'), { pid: 812, sessionId: 's', cwd: recorded, startedAt: 1 });
    write(join(recorded, '.mcp.json'), { mcpServers: { search: { command: 'python', args: ['-m', 'search_server'] } } });
    const servers = readDeclaredServers({ home: h, env: {}, claudeArgs: [] });
    expect(servers.map((s) => [s.name, s.command, s.args])).toEqual([
      ['memory', 'cmd', ['/c', 'npx', '-y', '@modelcontextprotocol/server-memory']],
      ['git', 'uvx', ['mcp-server-git']],
      ['db', 'node', ['/srv/db.js']],
      ['search', 'python', ['-m', 'search_server']],
    ]);
    expect(servers[1]!.source).toBe(`${join(h, '.claude.json')} (project ${project})`);
    expect(servers[2]!.source).toBe(join(project, '.mcp.json'));
  });

  it("reads live claudes' --mcp-config, inline JSON and files", () => {
    const h = home();
    write(join(h, 'mcp.json'), { mcpServers: { files: { command: 'npx', args: ['-y', '@modelcontextprotocol/server-filesystem', '/tmp'] } } });
    const inline = JSON.stringify({ mcpServers: { memory: { command: 'npx', args: ['-y', '@modelcontextprotocol/server-memory'] } } });
    const servers = readDeclaredServers({ home: h, env: {}, claudeArgs: [['-p', 'x', '--mcp-config', join(h, 'mcp.json'), inline, '--strict-mcp-config'], [`--mcp-config=${join(h, 'absent.json')}`]] });
    expect(servers.map((s) => s.name)).toEqual(['files', 'memory']);
  });

  it('follows CLAUDE_CONFIG_DIR, expands ${VAR}, and keeps an unknown variable as written', () => {
    const h = home();
    const dir = join(h, 'alt');
    write(join(dir, '.claude.json'), { mcpServers: { a: { command: '${TOOLS}/a.exe', args: ['${MISSING}'] } } });
    const [a] = readDeclaredServers({ home: h, env: { CLAUDE_CONFIG_DIR: dir, TOOLS: 'C:\\tools' }, claudeArgs: [] });
    expect(a).toMatchObject({ command: 'C:\\tools/a.exe', args: ['${MISSING}'] });
  });

  it('declares nothing from files that are absent, damaged or not objects', () => {
    const h = home();
    write(join(h, '.claude.json'), '{"mcpServers": {');
    write(join(h, '.claude', 'sessions', '1.json'), '[]');
    expect(readDeclaredServers({ home: h, env: {}, claudeArgs: [['--mcp-config', '{not json']] })).toEqual([]);
    expect(readDeclaredServers({ home: null, env: {}, claudeArgs: [] })).toEqual([]);
  });
});
