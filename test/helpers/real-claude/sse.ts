// The mock API's answers in the Messages API's wire format: a server-sent event stream for
// `stream: true` (what Claude Code asks for), a JSON message otherwise.
import { randomBytes } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import type { ParsedRequest } from './script.js';

const USAGE = { input_tokens: 10, output_tokens: 1, cache_creation_input_tokens: 0, cache_read_input_tokens: 0 };

function id(prefix: string): string {
  return `${prefix}_mock${randomBytes(8).toString('hex')}`;
}

/** The content blocks and stop reason of an answer. */
function content(p: ParsedRequest): { blocks: Record<string, unknown>[]; stop: 'end_turn' | 'tool_use' } {
  if (p.answer === 'tool' && p.command !== null) {
    const input = { command: p.command, description: 'Run the scripted command' };
    return { blocks: [{ type: 'tool_use', id: id('toolu'), name: 'Bash', input }], stop: 'tool_use' };
  }
  return { blocks: [{ type: 'text', text: p.text }], stop: 'end_turn' };
}

export function writeJsonMessage(res: ServerResponse, p: ParsedRequest): void {
  const { blocks, stop } = content(p);
  res.writeHead(200, { 'content-type': 'application/json', 'request-id': id('req') });
  res.end(
    JSON.stringify({ id: id('msg'), type: 'message', role: 'assistant', model: p.model, content: blocks, stop_reason: stop, stop_sequence: null, usage: USAGE }),
  );
}

export function writeStream(res: ServerResponse, p: ParsedRequest): void {
  const { blocks, stop } = content(p);
  res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache', 'request-id': id('req') });
  const event = (type: string, data: Record<string, unknown>): void => {
    res.write(`event: ${type}\ndata: ${JSON.stringify({ type, ...data })}\n\n`);
  };
  const message = { id: id('msg'), type: 'message', role: 'assistant', model: p.model, content: [], stop_reason: null, stop_sequence: null, usage: USAGE };
  event('message_start', { message });
  blocks.forEach((block, index) => {
    if (block.type === 'tool_use') {
      // The input arrives as JSON fragments, as from the real API.
      event('content_block_start', { index, content_block: { ...block, input: {} } });
      event('content_block_delta', { index, delta: { type: 'input_json_delta', partial_json: JSON.stringify(block.input) } });
    } else {
      event('content_block_start', { index, content_block: { type: 'text', text: '' } });
      event('content_block_delta', { index, delta: { type: 'text_delta', text: block.text } });
    }
    event('content_block_stop', { index });
  });
  event('message_delta', { delta: { stop_reason: stop, stop_sequence: null }, usage: { output_tokens: 1 } });
  event('message_stop', {});
  res.end();
}
