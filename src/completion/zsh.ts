// The zsh completion script: one _arguments function per command, the usual layout of zsh's own
// completion functions. A command with subcommands completes their names, then hands the rest of
// the line (`*:: :->args` shifts $words) to the subcommand's function.
import type { ArgumentModel, CommandModel, OptionModel, ValueKind } from './model.js';

export function zshScript(root: CommandModel): string {
  const prog = root.name;
  return `#compdef ${prog}
# zsh completion for ${prog}
#
# Install: save it as _${prog} in a directory on $fpath, then start a new shell, e.g.
#   mkdir -p ~/.zfunc && ${prog} completion zsh > ~/.zfunc/_${prog}
#   and in ~/.zshrc, before compinit: fpath=(~/.zfunc $fpath)
# or for this shell only, after compinit: source <(${prog} completion zsh)

${functions(root, prog).join('\n\n')}

# Autoloaded from $fpath the file is the body of _${prog}; sourced, it registers it.
if [[ $funcstack[1] == _${prog} ]]; then
  _${prog} "$@"
else
  compdef _${prog} ${prog}
fi
`;
}

function functions(c: CommandModel, prog: string): string[] {
  return [c.commands.length > 0 ? parentFunction(c, prog) : leafFunction(c, prog), ...c.commands.flatMap((s) => functions(s, prog))];
}

function name(c: CommandModel, prog: string): string {
  return ['_' + prog, ...c.path].join('__');
}

function leafFunction(c: CommandModel, prog: string): string {
  const specs = [...c.options.flatMap(optionSpecs), ...c.arguments.map(argumentSpec)];
  return `${name(c, prog)}() {
  _arguments -s -S${specs.map((s) => ` \\\n    ${s}`).join('')}
}`;
}

function parentFunction(c: CommandModel, prog: string): string {
  const specs = c.options.flatMap(optionSpecs);
  const described = c.commands.map((s) => quote(`${s.name.replace(/:/g, '\\:')}:${s.description}`));
  const dispatch = c.commands.map((s) => `        ${[s.name, ...s.aliases].join('|')}) ${name(s, prog)} && ret=0 ;;`);
  return `${name(c, prog)}() {
  local curcontext=$curcontext state state_descr line ret=1
  typeset -A opt_args
  _arguments -C -s -S${specs.map((s) => ` \\\n    ${s}`).join('')} \\
    ': :->command' \\
    '*:: :->args' && ret=0
  case $state in
    command)
      local -a commands=(
        ${described.join('\n        ')}
      )
      _describe -t commands ${quote(`${[prog, ...c.path].join(' ')} command`)} commands && ret=0
      ;;
    args)
      curcontext=\${curcontext%:*:*}:${[prog, ...c.path].join('-')}-$line[1]:
      case $line[1] in
${dispatch.join('\n')}
      esac
      ;;
  esac
  return ret
}`;
}

/** `'(-w --wide)'{-w,--wide}'[...]'`: the spellings exclude each other once one is typed. */
function optionSpecs(o: OptionModel): string[] {
  const rest = `[${explain(o.description)}]${valueAction(o.value, o.valueName)}`;
  const spell = (f: string) => (o.value.kind === 'none' ? f : f.startsWith('--') ? `${f}=` : `${f}+`);
  if (o.flags.length === 1) return [quote(spell(o.flags[0]!) + rest)];
  return [`${quote(`(${o.flags.join(' ')})`)}{${o.flags.map(spell).join(',')}}${quote(rest)}`];
}

function argumentSpec(a: ArgumentModel): string {
  return quote(`${a.variadic ? '*' : ''}:${message(a.name)}${action(a.value)}`);
}

function valueAction(v: ValueKind, label: string): string {
  return v.kind === 'none' ? '' : `:${message(label)}${action(v)}`;
}

function action(v: ValueKind): string {
  if (v.kind === 'choices') return `:(${v.choices.map((c) => c.replace(/[\\ ()]/g, '\\$&')).join(' ')})`;
  // A lone space: show the message, offer nothing.
  return v.kind === 'file' ? ':_files' : ': ';
}

/** Text inside [...] of an option spec: brackets and backslashes are escaped. */
function explain(text: string): string {
  return text.replace(/[\\[\]]/g, '\\$&');
}

function message(text: string): string {
  return text.replace(/[\\:]/g, '\\$&');
}

/** A zsh single-quoted word. */
function quote(text: string): string {
  return `'${text.replace(/'/g, `'\\''`)}'`;
}
