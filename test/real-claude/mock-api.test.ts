// The mock Messages API on its own, driven by plain HTTP: what each marker makes it answer, and that
// it holds, logs and closes as the real-claude tests rely on.
import { request } from 'node:http';
import { connect } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { type MockApi, startMockServer } from '../helpers/real-claude/mock-server.js';
import { AFTER_TOOL_TEXT, ANSWER_TEXT, parseRequest } from '../helpers/real-claude/script.js';

const SESSION = '11111111-2222-3333-4444-555555555555';
const BASH = [{ name: 'Bash' }, { name: 'Read' }];

function body(text: string | object[], extra: object = {}): string {
  return JSON.stringify({ model: 'claude-test', stream: true, tools: BASH, messages: [{ role: 'user', content: text }], ...extra });
}

describe('the mock API script', () => {
  it('answers with text unless a marker says otherwise', () => {
    expect(parseRequest(body('hello'), {})).toMatchObject({ answer: 'text', text: ANSWER_TEXT, delayMs: 0, command: null, stream: true, model: 'claude-test' });
  });

  it('holds a request whose prompt says HANG, and delays one that says SLOW:<ms>', () => {
    expect(parseRequest(body('please HANG now'), {}).answer).toBe('hang');
    expect(parseRequest(body('SLOW:1500 hello'), {})).toMatchObject({ answer: 'text', delayMs: 1500 });
    expect(parseRequest(body('SLOW:20 HANG'), {})).toMatchObject({ answer: 'hang', delayMs: 20 });
  });

  it('answers TOOL:<command> with a Bash tool_use of the rest of the line, and the tool_result after it with text', () => {
    expect(parseRequest(body('TOOL:sleep 5 & echo $!\nmore'), {})).toMatchObject({ answer: 'tool', command: 'sleep 5 & echo $!' });
    const result = [{ type: 'tool_result', tool_use_id: 'toolu_1', content: '4242\n', is_error: false }];
    expect(parseRequest(body(result), {})).toMatchObject({ answer: 'text', text: AFTER_TOOL_TEXT, toolResult: '4242\n', toolError: false });
  });

  it("ignores markers in Claude Code's system reminders and in requests that offer no tools", () => {
    const reminded = [{ type: 'text', text: '<system-reminder>HANG TOOL:rm -rf /</system-reminder>' }, { type: 'text', text: 'hi' }];
    expect(parseRequest(body(reminded), {})).toMatchObject({ answer: 'text', prompt: 'hi' });
    expect(parseRequest(body('HANG', { tools: [] }), {}).answer).toBe('text');
    expect(parseRequest(body('TOOL:true', { tools: [{ name: 'Read' }] }), {}).answer).toBe('text');
  });

  it('reads the session id from the x-claude-code-session-id header, or from metadata.user_id', () => {
    expect(parseRequest(body('x'), { 'x-claude-code-session-id': SESSION }).sessionId).toBe(SESSION);
    expect(parseRequest(body('x', { metadata: { user_id: JSON.stringify({ session_id: SESSION }) } }), {}).sessionId).toBe(SESSION);
    expect(parseRequest(body('x', { metadata: { user_id: `user_ab_account__session_${SESSION}` } }), {}).sessionId).toBe(SESSION);
    expect(parseRequest(body('x'), {}).sessionId).toBeNull();
  });
});

interface Reply {
  status: number;
  text: string;
}

function post(api: MockApi, payload: string, path = '/v1/messages?beta=true'): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = request(`${api.url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-claude-code-session-id': SESSION } }, (res) => {
      let text = '';
      res.on('data', (d: Buffer) => (text += d.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, text }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(payload);
  });
}

/** Sends raw bytes and returns the status line of the answer. */
function raw(api: MockApi, text: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const s = connect(api.port, '127.0.0.1', () => s.write(text));
    let got = '';
    s.on('data', (d: Buffer) => {
      got += d.toString();
      if (got.includes('\r\n')) s.destroy();
    });
    s.on('close', () => resolve(got.split('\r\n')[0]!));
    s.on('error', reject);
  });
}

function events(sse: string): { type: string; [k: string]: unknown }[] {
  return [...sse.matchAll(/^data: (.*)$/gm)].map((m) => JSON.parse(m[1]!) as { type: string });
}

describe('the mock API server', () => {
  let api: MockApi | undefined;
  afterEach(async () => {
    await api?.close();
  });

  it('listens on 127.0.0.1 and streams a text answer that ends the turn, logging the request', async () => {
    api = await startMockServer();
    expect(api.url).toBe(`http://127.0.0.1:${api.port}`);
    const reply = await post(api, body('hello'));
    expect(reply.status).toBe(200);
    const ev = events(reply.text);
    expect(ev.map((e) => e.type)).toEqual(['message_start', 'content_block_start', 'content_block_delta', 'content_block_stop', 'message_delta', 'message_stop']);
    expect(ev[2]).toMatchObject({ delta: { type: 'text_delta', text: ANSWER_TEXT } });
    expect(ev[4]).toMatchObject({ delta: { stop_reason: 'end_turn' } });
    expect(api.messages(SESSION)).toEqual([expect.objectContaining({ kind: 'messages', answer: 'text', prompt: 'hello', sessionId: SESSION })]);
    expect(api.messages(SESSION)[0]!.answeredAt).toBeGreaterThanOrEqual(api.messages(SESSION)[0]!.at);
  });

  it('streams a tool_use of Bash with its input as JSON fragments, and answers without streaming when asked', async () => {
    api = await startMockServer();
    const ev = events((await post(api, body('TOOL:echo hi'))).text);
    expect(ev[1]).toMatchObject({ content_block: { type: 'tool_use', name: 'Bash', input: {} } });
    expect(JSON.parse((ev[2] as unknown as { delta: { partial_json: string } }).delta.partial_json)).toMatchObject({ command: 'echo hi' });
    expect(ev[4]).toMatchObject({ delta: { stop_reason: 'tool_use' } });
    const plain = JSON.parse((await post(api, body('hello', { stream: false }))).text) as { content: { text: string }[]; stop_reason: string };
    expect(plain).toMatchObject({ type: 'message', stop_reason: 'end_turn', content: [{ type: 'text', text: ANSWER_TEXT }] });
  });

  it('holds a HANG request open until close() destroys its socket', async () => {
    api = await startMockServer();
    const pending = post(api, body('HANG'));
    await api.waitForRequest((r) => r.answer === 'hang');
    expect(api.held()).toHaveLength(1);
    const outcome = await Promise.race([pending.then(() => 'answered', () => 'reset'), new Promise((r) => setTimeout(() => r('still held'), 300))]);
    expect(outcome).toBe('still held');
    await api.close();
    await expect(pending).rejects.toThrow();
  });

  it('answers SLOW:<ms> after that delay', async () => {
    api = await startMockServer();
    const t0 = Date.now();
    await post(api, body('SLOW:300 hi'));
    expect(Date.now() - t0).toBeGreaterThanOrEqual(290);
  });

  it('refuses and logs what is meant for another host: a CONNECT tunnel or an absolute URL', async () => {
    api = await startMockServer();
    expect(await raw(api, 'CONNECT example.com:443 HTTP/1.1\r\nhost: example.com:443\r\n\r\n')).toBe('HTTP/1.1 403 Forbidden');
    expect(await raw(api, 'GET http://example.com/x HTTP/1.1\r\nhost: example.com\r\nconnection: close\r\n\r\n')).toBe('HTTP/1.1 403 Forbidden');
    expect(api.escapes()).toEqual([
      expect.objectContaining({ method: 'CONNECT', path: 'example.com:443', kind: 'proxy' }),
      expect.objectContaining({ method: 'GET', path: 'http://example.com/x', kind: 'proxy' }),
    ]);
  });
});
