// What counts as secret on a command line: names of flags, variables, JSON keys and headers that
// carry secrets, and the shapes of well-known tokens. Pure data and predicates; text.ts, json.ts and
// argv.ts apply them.

/** What a secret is replaced with: visible, so a reader knows something was there. */
export const REDACTED = '‹redacted›';

/**
 * The cheap test every argument passes before any other rule runs: a word every rule below needs
 * (a secret-looking name, a token prefix, a JSON object, a URL). Most arguments (paths, `--model=…`,
 * `stream-json`, session ids) fail it, and cost one regular expression test each.
 */
export const MAY_HOLD_SECRET = /[{]|:\/\/|bearer|sk-|gh[pousr]_|github_pat_|glpat-|xox[a-z]-|A[KS]IA|AIza|eyJ|token|secret|passw|key|auth|cookie|credential/i;

/**
 * Well-known token shapes, wherever they appear. Each needs its own prefix and a length no word
 * has, so ordinary text does not match:
 * Anthropic `sk-ant-api03-…`/`sk-ant-oat01-…` (and OpenAI `sk-…`, `sk-proj-…`); GitHub personal,
 * OAuth, user, server and refresh tokens `ghp_ gho_ ghu_ ghs_ ghr_` and fine-grained `github_pat_`;
 * GitLab `glpat-`; Slack `xoxb- xoxp- xoxa- xoxr- xoxs-`; AWS access key ids `AKIA`/`ASIA` + 16;
 * Google API keys `AIza` + 35; JWTs: three base64url segments, the first a JSON header (`eyJ`).
 */
export const TOKEN_SHAPES = new RegExp(
  [
    String.raw`(?<![A-Za-z0-9])sk-[A-Za-z0-9_-]{16,}`,
    String.raw`\bgh[pousr]_[A-Za-z0-9]{20,}`,
    String.raw`\bgithub_pat_[A-Za-z0-9_]{20,}`,
    String.raw`\bglpat-[A-Za-z0-9_-]{20,}`,
    String.raw`\bxox[a-z]-[A-Za-z0-9-]{10,}`,
    String.raw`\b(?:AKIA|ASIA)[A-Z0-9]{16}\b`,
    String.raw`\bAIza[A-Za-z0-9_-]{35}`,
    String.raw`\beyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]*`,
  ].join('|'),
  'g',
);

/** `Bearer <token>`: the scheme stays, the token goes. Eight characters, so "bearer of news" stays; never a `--flag`. */
export const BEARER = /\b(bearer\s+)[A-Za-z0-9._~+/][A-Za-z0-9._~+/=-]{7,}/gi;

/** The password in `scheme://user:password@host`; the user and host stay. */
export const URL_PASSWORD = /\b([a-z][a-z0-9+.-]*:\/\/[^\s/:@'"]*):([^\s/@'"]+)@/gi;

/**
 * A header written as text (`-H 'Authorization: Basic …'`): the value (a scheme and its token, or
 * `;`-separated cookies) goes. Only names that always carry a secret.
 */
export const HEADER_LINE =
  /(?<![\w-])((?:proxy-)?authorization|cookie|(?:x-)?(?:api-key|auth-token|access-token)|private-token)(\s*:\s*)(?:(?:bearer|basic|token|digest|bot)\s+)?[^\s'";]+(?:;\s*[^\s'";]+)*/gi;

/** Flag names that take a secret (`--api-key`, `--token`, `--db-password`, `--auth…`); `--max-thinking-tokens` does not. */
const SECRET_FLAG = /^(?:auth(?:orization|token)?(?:-.*)?|key|apikey|(?:.*-)?(?:token|secret|password|passwd|api-key|apikey|access-key|secret-key))$/;

/** `api_key`, `--API-Key`, `-token`: the name of a flag, without its dashes. */
export function isSecretFlag(name: string): boolean {
  return SECRET_FLAG.test(name.replace(/^-+/, '').toLowerCase().replace(/_/g, '-'));
}

/** `GITHUB_TOKEN`, `OPENAI_API_KEY`, `DB_PASSWORD`, `CLIENT_SECRET_ID`, `token`; not `KEY_PATH` or `PATH`. */
const SECRET_VARIABLE = /(?:^|_)(?:TOKEN|KEY|APIKEY|AUTH)$|SECRET|PASSW(?:OR)?D/i;

export function isSecretVariable(name: string): boolean {
  return SECRET_VARIABLE.test(name);
}

/** JSON keys whose value is a secret: `apiKey`, `x-api-key`, `client_secret`, `password`, `Authorization`, `Cookie`. */
const SECRET_KEY = /token|secret|passw|key|authorization|cookie|credential|^auth$/i;

export function isSecretKey(key: string): boolean {
  return SECRET_KEY.test(key);
}

/** JSON keys whose every value is a secret, whatever its own key says: an MCP server's `env` and `headers`. */
const SECRET_CONTAINERS = /^(?:env|headers)$/i;

export function isSecretContainer(key: string): boolean {
  return SECRET_CONTAINERS.test(key);
}
