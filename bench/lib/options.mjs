// Command-line options of bench/run.mjs.

export const DEFAULT_CLI = 'node bin/claude-reaper.js scan --json --sample 0';

export const USAGE = `usage: npm run bench -- [options]

  --sizes LIST     extra processes to start, one table each (default 0,500,2000)
  --runs N         timed runs of each candidate per size (default 15)
  --warmup N       untimed runs first (default 2)
  --rss-runs N     runs under /usr/bin/time for peak RSS (default 5)
  --cli "CMD"      the command under test (default: ${DEFAULT_CLI})
  --keep-env       keep NODE_EXTRA_CA_CERTS for every candidate (by default it is
                   removed: Node 20 parses that file at each start-up; see bench/README.md)
  --json           print the results as JSON on stdout (tables go to stderr)
  --strict         exit 1 when a budget fails
  -h, --help       this text`;

const DEFAULTS = { sizes: [0, 500, 2000], runs: 15, warmup: 2, rssRuns: 5, cli: DEFAULT_CLI, json: false, strict: false, keepEnv: false };

export class UsageError extends Error {}

/** Parses argv (without node and the script); throws UsageError on anything it does not know. */
export function parseOptions(argv) {
  const opts = { ...DEFAULTS, help: false };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const [flag, inline] = arg.startsWith('--') && arg.includes('=') ? [arg.slice(0, arg.indexOf('=')), arg.slice(arg.indexOf('=') + 1)] : [arg, undefined];
    const value = () => {
      const v = inline ?? argv[++i];
      if (v === undefined) throw new UsageError(`${flag} needs a value`);
      return v;
    };
    const noValue = () => {
      if (inline !== undefined) throw new UsageError(`${flag} takes no value`);
      return true;
    };
    switch (flag) {
      case '--sizes':
        opts.sizes = value().split(',').map((s) => count(s.trim(), '--sizes', 0));
        break;
      case '--runs':
        opts.runs = count(value(), '--runs', 1);
        break;
      case '--warmup':
        opts.warmup = count(value(), '--warmup', 0);
        break;
      case '--rss-runs':
        opts.rssRuns = count(value(), '--rss-runs', 0);
        break;
      case '--cli':
        opts.cli = value();
        if (splitCommand(opts.cli).length === 0) throw new UsageError('--cli needs a command');
        break;
      case '--json':
        opts.json = noValue();
        break;
      case '--strict':
        opts.strict = noValue();
        break;
      case '--keep-env':
        opts.keepEnv = noValue();
        break;
      case '-h':
      case '--help':
        opts.help = noValue();
        break;
      default:
        throw new UsageError(`unknown option: ${arg}`);
    }
  }
  return opts;
}

function count(text, flag, min) {
  if (!/^\d+$/.test(text) || Number(text) < min) throw new UsageError(`${flag}: expected a whole number >= ${min}, got '${text}'`);
  return Number(text);
}

/** Splits a command line into words, honouring single and double quotes; no other shell syntax. */
export function splitCommand(line) {
  const words = [];
  let word = null;
  let quote = null;
  for (const ch of line) {
    if (quote) {
      if (ch === quote) quote = null;
      else word += ch;
    } else if (ch === '"' || ch === "'") {
      quote = ch;
      word ??= '';
    } else if (/\s/.test(ch)) {
      if (word !== null) words.push(word);
      word = null;
    } else {
      word = (word ?? '') + ch;
    }
  }
  if (quote) throw new UsageError(`unbalanced ${quote} in: ${line}`);
  if (word !== null) words.push(word);
  return words;
}
