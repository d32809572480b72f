// Matching a process's command line against the MCP servers Claude's configuration declares:
// word for word, with or without cmd.exe's wrapper, never on a bare interpreter.
import { describe, expect, it } from 'vitest';
import { matchDeclared, type DeclaredServer } from '../../src/classify/declared-mcp.js';
import { splitCommandLine } from '../../src/platform/parse/cim.js';

const server = (command: string, args: string[], name = 'memory'): DeclaredServer => ({ name, source: '~/.claude.json', command, args });
const MEMORY_NPX = server('npx', ['-y', '@modelcontextprotocol/server-memory']);
const MEMORY_CMD = server('cmd', ['/c', 'npx', '-y', '@modelcontextprotocol/server-memory']);
const line = (commandLine: string) => splitCommandLine(commandLine);

describe('a declared MCP server, word for word', () => {
  it.each([
    ['declared through cmd /c, run as such', MEMORY_CMD, 'C:\\WINDOWS\\system32\\cmd.exe /c npx -y @modelcontextprotocol/server-memory'],
    ['declared as npx, wrapped by cmd.exe', MEMORY_NPX, 'C:\\WINDOWS\\system32\\cmd.exe /c npx -y @modelcontextprotocol/server-memory'],
    ["wrapped by a launcher's cmd.exe /d /s /c with the program's full path quoted", MEMORY_NPX, 'C:\\WINDOWS\\system32\\cmd.exe /d /s /c ""C:\\Program Files\\nodejs\\npx.cmd" -y @modelcontextprotocol/server-memory"'],
    ['declared with a path that holds a space', server('C:\\Program Files\\nodejs\\node.exe', ['C:\\srv\\mcp\\index.js', '--stdio']), '"C:\\Program Files\\nodejs\\node.exe" C:\\srv\\mcp\\index.js --stdio'],
    ['a POSIX server run directly', server('uvx', ['mcp-server-git', '--repository', '/home/u/src']), 'uvx mcp-server-git --repository /home/u/src'],
  ])('matches one %s', (_what, declared, commandLine) => {
    expect(matchDeclared(line(commandLine), [declared])).toBe(declared);
  });

  it.each([
    ['with an argument more', MEMORY_NPX, 'cmd.exe /c npx -y @modelcontextprotocol/server-memory --port 3000'],
    ['with an argument less', server('npx', ['-y', '@modelcontextprotocol/server-memory', '/data']), 'cmd.exe /c npx -y @modelcontextprotocol/server-memory'],
    ['with another package', MEMORY_NPX, 'cmd.exe /c npx -y @modelcontextprotocol/server-filesystem'],
    ['run by another program', MEMORY_NPX, 'pnpm dlx -y @modelcontextprotocol/server-memory'],
    ['from another path than the declared one', server('C:\\srv\\mcp.exe', ['stdio']), 'C:\\other\\mcp.exe stdio'],
    ['that only mentions it (an editor on the package)', MEMORY_NPX, 'notepad.exe -y @modelcontextprotocol/server-memory.txt'],
  ])('does not match a command line %s', (_what, declared, commandLine) => {
    expect(matchDeclared(line(commandLine), [declared])).toBeNull();
  });

  it('never matches a declaration that names only an interpreter or a shell', () => {
    expect(matchDeclared(['node'], [server('node', [])])).toBeNull();
    expect(matchDeclared(['node', '--inspect'], [server('node', ['--inspect'])])).toBeNull();
    expect(matchDeclared(line('cmd.exe /c npx -y'), [server('cmd', ['/c', 'npx', '-y'])])).toBeNull();
  });

  it('never matches a declaration with a variable left unexpanded: it could be anything', () => {
    expect(matchDeclared(['npx', '-y', 'server', '${TOKEN}'], [server('npx', ['-y', 'server', '${TOKEN}'])])).toBeNull();
  });

  it('names the first declared server the command line is', () => {
    const git = server('uvx', ['mcp-server-git'], 'git');
    expect(matchDeclared(['uvx', 'mcp-server-git'], [MEMORY_NPX, git])?.name).toBe('git');
  });
});
