// The fish completion script: one `complete` line per subcommand, option and argument, each
// guarded by the command path typed so far. fish's own __fish_seen_subcommand_from cannot tell
// `schedule install` from `hook install`, so a helper walks the words the way the parser does.
import { allCommands, valueOptions, type CommandModel, type OptionModel, type ValueKind } from './model.js';

export function fishScript(root: CommandModel): string {
  const prog = root.name;
  const fn = `__${prog.replace(/[^A-Za-z0-9]/g, '_')}`;
  const commands = allCommands(root);
  const lines: string[] = [];
  for (const c of commands) {
    const at = `-n ${quote(`${fn}_at ${quote(key(c))}`)}`;
    for (const s of c.commands) lines.push(`complete -c ${prog} ${at} -a ${quote(s.name)} -d ${quote(s.description)}`);
    for (const o of c.options) lines.push(`complete -c ${prog} ${at} ${optionSpec(o)}`);
    for (const spec of c.arguments.map((a) => argumentSpec(a.value)).filter(Boolean)) lines.push(`complete -c ${prog} ${at} ${spec}`);
  }
  return `# fish completion for ${prog}
#
# Install:
#   ${prog} completion fish > ~/.config/fish/completions/${prog}.fish

# "$path:$word" -> the subcommand's name (an alias leads to its command); status 1 when it is none.
function ${fn}_subcommand
    switch "$argv[1]:$argv[2]"
${commands.flatMap((c) => c.commands.map((s) => `        case ${[s.name, ...s.aliases].map((n) => quote(`${key(c)}:${n}`)).join(' ')}\n            echo ${quote(s.name)}`)).join('\n')}
        case '*'
            return 1
    end
end

# Whether the option takes a value, which then is the next word.
function ${fn}_takes_value
    switch "$argv[1]:$argv[2]"
${commands.filter((c) => valueOptions(c).length > 0).map((c) => `        case ${valueOptions(c).flatMap((o) => o.flags).map((f) => quote(`${key(c)}:${f}`)).join(' ')}\n            return 0`).join('\n')}
    end
    return 1
end

# The command path typed so far: "" for ${prog} itself, "schedule install".
function ${fn}_path
    set -l words (commandline -opc)
    set -e words[1]
    set -l path
    set -l sub
    set -l skip 0
    set -l done 0
    for word in $words
        if test $skip = 1
            set skip 0
        else if test $done = 1
            continue
        else if test "$word" = --
            set done 1
        else if string match -q -- '-*' $word
            if not string match -q -- '*=*' $word; and ${fn}_takes_value "$path" $word
                set skip 1
            end
        else if set sub (${fn}_subcommand "$path" $word)
            set -a path $sub
        else
            # A positional argument: no subcommand comes after one.
            set done 1
        end
    end
    string join ' ' -- $path
end

function ${fn}_at
    set -l path (${fn}_path)
    test "$path" = "$argv[1]"
end

# File names only where a value is a file.
complete -c ${prog} -f
${lines.join('\n')}
`;
}

function key(c: CommandModel): string {
  return c.path.join(' ');
}

function optionSpec(o: OptionModel): string {
  const names = o.flags.map((f) => (f.startsWith('--') ? `-l ${f.slice(2)}` : f.length === 2 ? `-s ${f.slice(1)}` : `-o ${f.slice(1)}`));
  return [...names, valueSpec(o.value), `-d ${quote(o.description)}`].filter(Boolean).join(' ');
}

// -r: needs a value; -F: file names; -x: needs a value, not a file name.
function valueSpec(v: ValueKind): string {
  switch (v.kind) {
    case 'none':
      return '';
    case 'file':
      return '-r -F';
    case 'any':
      return '-x';
    case 'choices':
      return `-x -a ${quote(v.choices.join(' '))}`;
  }
}

// A positional argument: its choices or file names; free text offers nothing.
function argumentSpec(v: ValueKind): string {
  if (v.kind === 'choices') return `-a ${quote(v.choices.join(' '))}`;
  return v.kind === 'file' ? '-F' : '';
}

/** A fish single-quoted word: only \ and ' are special inside. */
function quote(text: string): string {
  return `'${text.replace(/[\\']/g, (c) => `\\${c}`)}'`;
}
