// The redactor on command lines: every secret shape goes, and an ordinary claude command line
// comes back untouched (the same array), so the output stays useful.
import { describe, expect, it } from 'vitest';
import { REDACTED, redactArg, redactArgv, redactText } from '../../src/redact/index.js';

// Shaped like the real thing, and fake.
const ANTHROPIC = 'sk-ant-api03-FAKEfake0123456789abcdefFAKE-xyzXYZ_0123';
const GITHUB = 'ghp_FAKEfake0123456789abcdefFAKEfake0123';
const GITHUB_PAT = 'github_pat_11FAKEFAKE0_abcdefghijklmnopqrstuvwxyz0123456789';
const SLACK = 'xoxb-123456789012-1234567890123-FAKEfakeFAKEfake';
const AWS = 'AKIAIOSFODNN7EXAMPLE';
const JWT = 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U';
const BEARER_TOKEN = 'tok_live_FAKE0123456789';

const SDK_LINE = [
  '/srv/app/node_modules/@anthropic-ai/claude-agent-sdk-linux-x64/claude',
  '--output-format', 'stream-json', '--verbose', '--input-format', 'stream-json',
  '--model=claude-sonnet-4-5', '--model', 'claude-x',
  '--resume', '0b6d4c1e-8f2a-4d3b-9c5e-7a1f2e3d4c5b', '--session-id', '6f1e2d3c-4b5a-4978-8a9b-0c1d2e3f4a5b',
  '--permission-mode', 'bypassPermissions', '--disallowedTools=Bash', '--max-thinking-tokens', '31999',
  '--mcp-config', '/home/dev/.claude/mcp.json', '--settings', '/home/dev/project/.claude/settings.json',
  '--append-system-prompt', 'Keep answers short; the author reviews each key change.',
];

describe('redactArgv keeps what is not secret', () => {
  it('returns an ordinary SDK command line as the same array', () => {
    expect(redactArgv(SDK_LINE)).toBe(SDK_LINE);
  });

  it('leaves paths, URLs without a password, tool-shell lines and secret-free inline JSON alone', () => {
    const argv = [
      'bash', '-c',
      "source /home/dev/.claude/shell-snapshots/snapshot-bash-1.sh && eval 'npm test' && pwd -P >| /tmp/claude-ab12-cwd",
      'https://github.com/anthropics/claude-code', 'KEY_PATH=/etc/ssl/private/server.pem', '--author', 'alice',
      'task-0123456789abcdefghij', '{"mcpServers":{"memory":{"command":"npx","args":["-y","@modelcontextprotocol/server-memory"]}}}',
    ];
    expect(redactArgv(argv)).toBe(argv);
  });

  it('says nothing about words that only look like the start of a secret', () => {
    expect(redactText('the bearer of news sent a token of thanks')).toBe('the bearer of news sent a token of thanks');
  });
});

describe('redactArgv removes secret values', () => {
  it('takes the value of a secret flag in both forms', () => {
    expect(redactArgv(['tool', '--api-key', 'abc123', '--token=t0k', '--password=hunter2', '--secret', 's', '--auth-token', 'a', '--github-token', 'g']))
      .toEqual(['tool', '--api-key', REDACTED, `--token=${REDACTED}`, `--password=${REDACTED}`, '--secret', REDACTED, '--auth-token', REDACTED, '--github-token', REDACTED]);
  });

  it('does not take the next flag for a secret flag\'s missing value', () => {
    expect(redactArgv(['tool', '--token', '--verbose'])).toEqual(['tool', '--token', '--verbose']);
  });

  it('takes the value of NAME=value arguments whose name looks secret', () => {
    expect(redactArgv(['env', 'GITHUB_TOKEN=g1', 'OPENAI_API_KEY=k1', 'AWS_SECRET_ACCESS_KEY=s1', 'DB_PASSWORD=p w', 'PATH=/usr/bin']))
      .toEqual(['env', `GITHUB_TOKEN=${REDACTED}`, `OPENAI_API_KEY=${REDACTED}`, `AWS_SECRET_ACCESS_KEY=${REDACTED}`, `DB_PASSWORD=${REDACTED}`, 'PATH=/usr/bin']);
  });

  it.each([
    ['Anthropic', ANTHROPIC],
    ['GitHub classic', GITHUB],
    ['GitHub fine-grained', GITHUB_PAT],
    ['Slack', SLACK],
    ['AWS access key id', AWS],
    ['JWT', JWT],
  ])('finds a %s token anywhere in an argument', (_, token) => {
    const out = redactArgv(['tool', token, `--header=x-${token}`, `prefix:${token},suffix`]);
    expect(out.join(' ')).not.toContain(token);
    expect(out).toEqual(['tool', REDACTED, `--header=x-${REDACTED}`, `prefix:${REDACTED},suffix`]);
  });

  it('keeps the Bearer scheme and the URL user, not the token or password', () => {
    expect(redactArgv(['curl', '-H', `Authorization: Bearer ${BEARER_TOKEN}`, 'https://deploy:s3cr3t-Pw!@git.example.com/repo.git']))
      .toEqual(['curl', '-H', `Authorization: ${REDACTED}`, `https://deploy:${REDACTED}@git.example.com/repo.git`]);
    expect(redactText(`send Bearer ${BEARER_TOKEN} now`)).toBe(`send Bearer ${REDACTED} now`);
  });

  it('redacts secret header lines other than Bearer', () => {
    expect(redactArgv(['-H', 'X-Api-Key: k-12345', '-H', 'Cookie: session=abc; theme=dark', '-H', 'Authorization: Basic dXNlcjpwYXNz']))
      .toEqual(['-H', `X-Api-Key: ${REDACTED}`, '-H', `Cookie: ${REDACTED}`, '-H', `Authorization: ${REDACTED}`]);
  });
});

describe('inline JSON arguments', () => {
  const mcp = {
    mcpServers: {
      github: { command: 'npx', args: ['-y', '@modelcontextprotocol/server-github', '--api-key', 'k-inline'], env: { GITHUB_PERSONAL_ACCESS_TOKEN: GITHUB, LOG_LEVEL: 'debug' } },
      remote: { type: 'http', url: 'https://mcp.example.com/mcp', headers: { Authorization: `Bearer ${BEARER_TOKEN}`, 'X-Team': 'core' } },
    },
  };

  it('redacts env and headers values and secret-looking keys, keeping every key', () => {
    const [, , json] = redactArgv(['claude', '--mcp-config', JSON.stringify(mcp)]);
    expect(JSON.parse(json!)).toEqual({
      mcpServers: {
        github: { command: 'npx', args: ['-y', '@modelcontextprotocol/server-github', '--api-key', REDACTED], env: { GITHUB_PERSONAL_ACCESS_TOKEN: REDACTED, LOG_LEVEL: REDACTED } },
        remote: { type: 'http', url: 'https://mcp.example.com/mcp', headers: { Authorization: REDACTED, 'X-Team': REDACTED } },
      },
    });
  });

  it('redacts keys named like secrets at any depth, in --settings and --agents and the --flag=value form', () => {
    const settings = { model: 'opus', apiKeyHelper: '/usr/local/bin/key', nested: { client_secret: 's', Password: 1234, cookie: 'c', tokens: ['a'] } };
    const out = redactArgv(['claude', `--settings=${JSON.stringify(settings)}`, '--agents', JSON.stringify({ a: { prompt: `use ${ANTHROPIC}` } })]);
    expect(JSON.parse(out[1]!.slice('--settings='.length))).toEqual({ model: 'opus', apiKeyHelper: REDACTED, nested: { client_secret: REDACTED, Password: REDACTED, cookie: REDACTED, tokens: [REDACTED] } });
    expect(JSON.parse(out[3]!)).toEqual({ a: { prompt: `use ${REDACTED}` } });
  });

  it('redacts JSON that the OS cut short, with the text rules', () => {
    const text = JSON.stringify(mcp);
    const cut = text.slice(0, text.indexOf(GITHUB) + 20);
    expect(cut.endsWith(GITHUB.slice(0, 20))).toBe(true);
    const out = redactArg(cut);
    expect(out).not.toContain(GITHUB.slice(0, 12));
    expect(out).toContain(`"GITHUB_PERSONAL_ACCESS_TOKEN":"${REDACTED}"`);
  });
});

describe('the redactor as a whole', () => {
  it('is idempotent: a redacted command line comes back as the same array', () => {
    const once = redactArgv(['claude', '--api-key', 'x', `GH_TOKEN=${GITHUB}`, JSON.stringify({ env: { A: 'b' } }), `Bearer ${BEARER_TOKEN}`]);
    expect(redactArgv(once)).toBe(once);
  });

  it('joins again the arguments a source split at a space inside a secret (macOS ps)', () => {
    const split = ['claude', '--mcp-config', `{"mcpServers":{"r":{"headers":{"Authorization":"Bearer`, `${BEARER_TOKEN}"}}}}`, '--verbose'];
    expect(redactArgv(split)).toEqual(['claude', '--mcp-config', `{"mcpServers":{"r":{"headers":{"Authorization":"${REDACTED}"}}}}`, '--verbose']);
    expect(redactArgv(['curl', '-H', 'Authorization:', 'Bearer', BEARER_TOKEN, 'https://x.example'])).toEqual(['curl', '-H', `Authorization: ${REDACTED}`, 'https://x.example']);
    expect(redactArgv(['sh', '-c', 'DB_PASSWORD="correct', 'horse"', 'psql'])).toEqual(['sh', '-c', `DB_PASSWORD=${REDACTED}`, 'psql']);
  });

  it('keeps the arguments of an intact command line apart, a secret flag and its value too', () => {
    const argv = ['tool', '--token', 'abc', 'Bearer', '--verbose', '{"env":{"A":"b"}}', 'x'];
    expect(redactArgv(argv)).toEqual(['tool', '--token', REDACTED, 'Bearer', '--verbose', `{"env":{"A":"${REDACTED}"}}`, 'x']);
  });

  it('redacts secrets inside a shell line, keeping its quotes', () => {
    expect(redactText(`eval 'GITHUB_TOKEN="abc def" gh api --token xyz https://u:pw@h.example/x?access_token=q1&page=2'`))
      .toBe(`eval 'GITHUB_TOKEN="${REDACTED}" gh api --token ${REDACTED} https://u:${REDACTED}@h.example/x?access_token=${REDACTED}&page=2'`);
  });
});

describe('inline JSON with unusual keys', () => {
  it('keeps a __proto__ key as a plain key, its secrets redacted', () => {
    const [out] = redactArgv(['{"__proto__":{"token":"t-0123"},"a":1}']);
    expect(JSON.parse(out!)).toEqual(JSON.parse(`{"__proto__":{"token":"${REDACTED}"},"a":1}`));
  });
});
