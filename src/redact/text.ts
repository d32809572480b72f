// Secrets in free text: an argument that is a whole shell line (a Bash-tool shell's `eval '…'`),
// JSON that did not parse (cut short by the OS), a command line whose argument boundaries were lost
// (macOS `ps` joins them with spaces), a crontab line. Only the secret goes; the words around it stay.
import { BEARER, HEADER_LINE, MAY_HOLD_SECRET, REDACTED, TOKEN_SHAPES, URL_PASSWORD, isSecretFlag, isSecretKey, isSecretVariable } from './rules.js';

/** `"key": "value"` or `"key": 123` in JSON-like text; a value cut short runs to the end. */
const QUOTED_PAIR = /"((?:[^"\\]|\\.)*)"(\s*:\s*)("(?:[^"\\]|\\.)*"?|-?\d[\d.eE+-]*)/g;
/** `"env": {…` or `"headers": {…` up to the next brace (or the end, when cut short): all of it is secret. */
const SECRET_BLOCK = /("(?:env|headers)"\s*:\s*\{)([^{}]*)/gi;
const BLOCK_VALUE = /("(?:[^"\\]|\\.)*"\s*:\s*)("(?:[^"\\]|\\.)*"?|[^\s,}"]+)/g;
/** `NAME=value` as a shell line or a URL query (`?access_token=…&`) writes it. */
const ASSIGNMENT = /(^|[\s;&|'"(?,])([A-Za-z_][A-Za-z0-9_]*)=("[^"]*"|'[^']*'|[^\s;&|'"]+)/g;
/** `--flag value` or `--flag=value` inside a longer string; a value starting with `-` is the next flag. */
const FLAG_VALUE = /(^|\s)(--?[A-Za-z][\w.-]*)(=|\s+)("[^"]*"|'[^']*'|[^\s'"-][^\s'"]*)/g;

/** The text with every secret the rules recognize replaced by REDACTED. Unchanged text is returned as is. */
export function redactText(text: string): string {
  if (!MAY_HOLD_SECRET.test(text)) return text;
  return text
    .replace(TOKEN_SHAPES, REDACTED)
    .replace(BEARER, `$1${REDACTED}`)
    .replace(URL_PASSWORD, `$1:${REDACTED}@`)
    .replace(HEADER_LINE, `$1$2${REDACTED}`)
    .replace(QUOTED_PAIR, (m, key: string, colon: string) => (isSecretKey(key) ? `"${key}"${colon}"${REDACTED}"` : m))
    .replace(SECRET_BLOCK, (_, open: string, body: string) => open + body.replace(BLOCK_VALUE, `$1"${REDACTED}"`))
    .replace(ASSIGNMENT, (m, before: string, name: string, value: string) => (isSecretVariable(name) ? `${before}${name}=${like(value)}` : m))
    .replace(FLAG_VALUE, (m, before: string, flag: string, sep: string, value: string) => (isSecretFlag(flag) ? `${before}${flag}${sep}${like(value)}` : m));
}

/** REDACTED in the quotes the value had, so a shell line keeps its shape. */
function like(value: string): string {
  const q = value[0];
  return q === '"' || q === "'" ? `${q}${REDACTED}${q}` : REDACTED;
}

/**
 * Where, in a command line joined with spaces, a secret holds a space: `Bearer` and its token, a
 * quoted value, an `env` block. Start and end offsets. Where such a span covers more than one
 * argument, the source split one argument in two, and the arguments belong together again.
 */
export function spacedSecrets(line: string): [number, number][] {
  const spans: [number, number][] = [];
  const add = (m: RegExpMatchArray, from = 0) => spans.push([m.index! + from, m.index! + m[0].length]);
  for (const m of line.matchAll(BEARER)) add(m);
  for (const m of line.matchAll(HEADER_LINE)) add(m);
  for (const m of line.matchAll(SECRET_BLOCK)) add(m);
  for (const m of line.matchAll(QUOTED_PAIR)) if (isSecretKey(m[1]!)) add(m);
  for (const m of line.matchAll(ASSIGNMENT)) if (isSecretVariable(m[2]!) && /^["']/.test(m[3]!)) add(m, m[1]!.length);
  return spans;
}
