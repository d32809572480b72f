// A loopback stand-in for the Anthropic Messages API that real Claude Code talks to in the tests
// (ANTHROPIC_BASE_URL=http://127.0.0.1:<port>). Scripted by markers in the prompt text; see
// script.ts for the markers and sse.ts for the answers. Nothing here reaches beyond 127.0.0.1.
// Plain Node (no test framework), so it can also run on its own; mock-api.ts ties it to cleanup().
import { type IncomingMessage, type Server, type ServerResponse, createServer } from 'node:http';
import type { Socket } from 'node:net';
import { type ParsedRequest, parseRequest } from './script.js';
import { writeJsonMessage, writeStream } from './sse.js';

// The real API keeps idle connections open for minutes; so does the mock, so that a live session
// holds an ESTABLISHED keep-alive connection between turns, as it does in the field.
const KEEP_ALIVE_MS = 10 * 60_000;

export interface MockRequest {
  /** Date.now() when the request's body had arrived. */
  at: number;
  method: string;
  /** Path with query, e.g. `/v1/messages?beta=true`. */
  path: string;
  /**
   * `messages` for a model request, `count_tokens`, `probe` for a `HEAD /` (the legacy CLI's
   * connection warm-up), `proxy` for a request meant for another host (CONNECT, or an absolute
   * URL: the environment makes the mock the proxy, so anything bound elsewhere lands here and is
   * refused), `other` for anything else (404).
   */
  kind: 'messages' | 'count_tokens' | 'probe' | 'proxy' | 'other';
  /** The session that sent it, from the `x-claude-code-session-id` header or the body's metadata. */
  sessionId: string | null;
  /** What the mock did with it. */
  answer: ParsedRequest['answer'] | 'not-found';
  /** The text of the latest user message, without Claude's `<system-reminder>` blocks. */
  prompt: string;
  /** What the Bash tool printed, when the request carries a tool_result. */
  toolResult: string | null;
  toolError: boolean;
  stream: boolean;
  model: string | null;
  /** Set when the request has been answered completely (not for held ones). */
  answeredAt?: number;
  headers: Record<string, string | string[] | undefined>;
}

export interface MockApi {
  url: string;
  port: number;
  /** Every request, in arrival order. */
  requests: MockRequest[];
  /** The model requests only (`/v1/messages`), in arrival order; of one session when given. */
  messages(sessionId?: string): MockRequest[];
  /** Requests that were meant for another host (should stay empty). */
  escapes(): MockRequest[];
  /** Resolves with the first request (already logged or still to come) that matches. */
  waitForRequest(match: (r: MockRequest) => boolean, opts?: { timeoutMs?: number; what?: string }): Promise<MockRequest>;
  /** Requests held open by a HANG marker and not closed yet. */
  held(): MockRequest[];
  /** Stops listening and destroys every socket, held ones included. Idempotent. */
  close(): Promise<void>;
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function kindOf(method: string, path: string): MockRequest['kind'] {
  if (!path.startsWith('/')) return 'proxy';
  if (path === '/' && (method === 'HEAD' || method === 'GET')) return 'probe';
  if (/^\/v1\/messages\/count_tokens(\?|$)/.test(path)) return 'count_tokens';
  if (/^\/v1\/messages(\?|$)/.test(path)) return 'messages';
  return 'other';
}

const POLL_MS = 20;

/** Starts the mock on 127.0.0.1 (any free port). The caller closes it. */
export async function startMockServer(): Promise<MockApi> {
  const requests: MockRequest[] = [];
  const heldOpen = new Map<MockRequest, ServerResponse>();
  const sockets = new Set<Socket>();
  const timers = new Set<NodeJS.Timeout>();

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const body = await readBody(req);
    const path = req.url ?? '/';
    const kind = kindOf(req.method ?? 'GET', path);
    const parsed = kind === 'messages' || kind === 'count_tokens' ? parseRequest(body, req.headers) : null;
    const entry: MockRequest = {
      at: Date.now(),
      method: req.method ?? 'GET',
      path,
      kind,
      sessionId: parsed?.sessionId ?? null,
      answer: parsed ? (kind === 'count_tokens' ? 'text' : parsed.answer) : 'not-found',
      prompt: parsed?.prompt ?? '',
      toolResult: parsed?.toolResult ?? null,
      toolError: parsed?.toolError ?? false,
      stream: parsed?.stream ?? false,
      model: parsed?.model ?? null,
      headers: req.headers,
    };
    requests.push(entry);
    if (kind === 'probe') {
      res.writeHead(200);
      res.end();
      return;
    }
    if (!parsed) {
      res.writeHead(kind === 'proxy' ? 403 : 404, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ type: 'error', error: { type: 'not_found_error', message: `mock: no ${path}` } }));
      return;
    }
    if (kind === 'count_tokens') {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ input_tokens: 10 }));
      entry.answeredAt = Date.now();
      return;
    }
    if (parsed.answer === 'hang') {
      // Accepted and never answered: the socket stays open (and the request busy) until close().
      heldOpen.set(entry, res);
      res.on('close', () => heldOpen.delete(entry));
      return;
    }
    const send = (): void => {
      if (parsed.stream) writeStream(res, parsed);
      else writeJsonMessage(res, parsed);
      entry.answeredAt = Date.now();
    };
    if (parsed.delayMs > 0) {
      const t = setTimeout(() => {
        timers.delete(t);
        send();
      }, parsed.delayMs);
      timers.add(t);
    } else send();
  };

  const server: Server = createServer((req, res) => {
    handle(req, res).catch((err: Error) => {
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ type: 'error', error: { type: 'api_error', message: `mock: ${err.message}` } }));
    });
  });
  server.keepAliveTimeout = KEEP_ALIVE_MS;
  server.headersTimeout = KEEP_ALIVE_MS + 1_000; // must exceed keepAliveTimeout
  server.requestTimeout = 0; // a held request is never timed out by the server
  // A CONNECT is a tunnel to another host (HTTPS through the proxy): logged and refused.
  server.on('connect', (req: IncomingMessage, socket: Socket) => {
    requests.push({
      at: Date.now(), method: 'CONNECT', path: req.url ?? '', kind: 'proxy', sessionId: null, answer: 'not-found',
      prompt: '', toolResult: null, toolError: false, stream: false, model: null, headers: req.headers,
    });
    socket.end('HTTP/1.1 403 Forbidden\r\ncontent-length: 0\r\n\r\n');
  });
  server.on('connection', (s: Socket) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('mock API: no TCP address');
  const port = address.port;

  let closed: Promise<void> | undefined;
  const close = (): Promise<void> => {
    closed ??= new Promise<void>((resolve) => {
      for (const t of timers) clearTimeout(t);
      server.close(() => resolve());
      for (const s of sockets) s.destroy();
    });
    return closed;
  };

  const waitForRequest: MockApi['waitForRequest'] = async (match, opts = {}) => {
    const { timeoutMs = 30_000, what = 'a request to the mock API' } = opts;
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = requests.find(match);
      if (found) return found;
      if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
      await new Promise((r) => setTimeout(r, POLL_MS));
    }
  };

  return {
    url: `http://127.0.0.1:${port}`,
    port,
    requests,
    messages: (sessionId) => requests.filter((r) => r.kind === 'messages' && (sessionId === undefined || r.sessionId === sessionId)),
    escapes: () => requests.filter((r) => r.kind === 'proxy'),
    waitForRequest,
    held: () => [...heldOpen.keys()],
    close,
  };
}
