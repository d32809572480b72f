// What the mock API answers, decided from the request alone (pure): markers in the text of the
// latest user message script each turn.
//
//   (no marker)      a text answer, "pong", stop_reason end_turn
//   HANG             accepted and never answered (held open until the mock closes)
//   TOOL:<command>   a tool_use of the Bash tool running <command> (to the end of the line); the
//                    tool_result that comes back is answered with text and end_turn
//   SLOW:<ms>        the answer is sent after <ms> milliseconds (combines with the others)
//
// Markers count only in the user's own words, not in the `<system-reminder>` blocks Claude Code adds,
// and only in a request that offers tools: Claude Code's side requests (titles, summaries) quote the
// prompt but offer none, and get a plain text answer.

export type Answer = 'text' | 'tool' | 'hang';

export interface ParsedRequest {
  answer: Answer;
  /** Milliseconds to wait before answering (SLOW). */
  delayMs: number;
  /** The Bash command for a tool answer. */
  command: string | null;
  text: string;
  prompt: string;
  /** The text of a tool_result in the latest user message (what the Bash tool printed). */
  toolResult: string | null;
  toolError: boolean;
  stream: boolean;
  model: string | null;
  sessionId: string | null;
}

export const ANSWER_TEXT = 'pong';
export const AFTER_TOOL_TEXT = 'done';

interface Block {
  type?: string;
  text?: string;
  content?: string | Block[];
  is_error?: boolean;
}

interface Body {
  model?: string;
  stream?: boolean;
  messages?: { role?: string; content?: string | Block[] }[];
  tools?: { name?: string }[];
  metadata?: { user_id?: string };
}

const REMINDER = /<system-reminder>[\s\S]*?<\/system-reminder>/g;

/** The session id Claude Code sends: a header on current versions, else inside metadata.user_id. */
export function sessionIdOf(body: Body, headers: Record<string, string | string[] | undefined>): string | null {
  const header = headers['x-claude-code-session-id'];
  if (typeof header === 'string' && header) return header;
  const userId = body.metadata?.user_id;
  if (!userId) return null;
  try {
    const parsed = JSON.parse(userId) as { session_id?: unknown };
    if (typeof parsed.session_id === 'string') return parsed.session_id;
  } catch {
    // The older format: user_<hash>_account_<uuid>_session_<uuid>.
  }
  return /session_([0-9a-f-]{36})/.exec(userId)?.[1] ?? null;
}

function textOf(content: string | Block[] | undefined): string {
  if (typeof content === 'string') return content;
  return (content ?? []).map((b) => b.text ?? '').join('');
}

export function parseRequest(raw: string, headers: Record<string, string | string[] | undefined>): ParsedRequest {
  let body: Body = {};
  try {
    body = JSON.parse(raw) as Body;
  } catch {
    // count_tokens and friends may be empty; answered all the same.
  }
  const last = [...(body.messages ?? [])].reverse().find((m) => m.role === 'user');
  const blocks: Block[] = typeof last?.content === 'string' ? [{ type: 'text', text: last.content }] : (last?.content ?? []);
  const prompt = blocks
    .filter((b) => b.type === 'text')
    .map((b) => (b.text ?? '').replace(REMINDER, '').trim())
    .filter(Boolean)
    .join('\n');
  const result = blocks.find((b) => b.type === 'tool_result');
  const toolResult = result !== undefined;
  const offersBash = (body.tools ?? []).some((t) => t.name === 'Bash');
  const scripted = (body.tools ?? []).length > 0 && !toolResult;
  const command = scripted && offersBash ? (/\bTOOL:(.+)$/m.exec(prompt)?.[1]?.trim() ?? null) : null;
  const slow = scripted ? /\bSLOW:(\d+)\b/.exec(prompt) : null;
  let answer: Answer = 'text';
  if (scripted && /\bHANG\b/.test(prompt)) answer = 'hang';
  else if (command) answer = 'tool';
  return {
    answer,
    delayMs: slow ? Number(slow[1]) : 0,
    command: answer === 'tool' ? command : null,
    text: toolResult ? AFTER_TOOL_TEXT : ANSWER_TEXT,
    prompt,
    toolResult: result ? textOf(result.content) : null,
    toolError: result?.is_error === true,
    stream: body.stream === true,
    model: body.model ?? null,
    sessionId: sessionIdOf(body, headers),
  };
}
