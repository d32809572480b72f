// The bash completion script: the program's tree written out as `case` tables, and one function
// that walks the words typed so far to find the command, then offers its subcommands, options or
// an option's values. Written for bash 3.2 too (macOS): no associative arrays, no mapfile.
import { allCommands, valueOptions, type CommandModel, type ValueKind } from './model.js';

export function bashScript(root: CommandModel): string {
  const prog = root.name;
  const fn = `_${prog.replace(/[^A-Za-z0-9]/g, '_')}`;
  const commands = allCommands(root);
  return `# bash completion for ${prog}
#
# Install for this shell (or add the line to ~/.bashrc):
#   source <(${prog} completion bash)
# or once, for every new shell (needs the bash-completion package):
#   ${prog} completion bash > ~/.local/share/bash-completion/completions/${prog}

# $1 is the command path ("" for ${prog} itself, "schedule install"); each helper sets REPLY.
${fn}_commands() {
  case "$1" in
${cases(commands.filter((c) => c.commands.length > 0), (c) => [key(c)], (c) => c.commands.map((s) => s.name).join(' '))}
    *) REPLY='' ;;
  esac
}

# "$path:$word" -> the subcommand's name (an alias leads to its command), or '' when it is none.
${fn}_subcommand() {
  case "$1:$2" in
${commands.flatMap((c) => c.commands.map((s) => `    ${[s.name, ...s.aliases].map((n) => quote(`${key(c)}:${n}`)).join('|')}) REPLY=${quote(s.name)} ;;`)).join('\n')}
    *) REPLY='' ;;
  esac
}

${fn}_options() {
  case "$1" in
${cases(commands, (c) => [key(c)], (c) => c.options.flatMap((o) => o.flags).join(' '))}
    *) REPLY='' ;;
  esac
}

# What an option's value completes to: "choices ...", "file" or "any"; '' for a flag.
${fn}_value() {
  case "$1:$2" in
${commands.flatMap((c) => valueOptions(c).map((o) => `    ${o.flags.map((f) => quote(`${key(c)}:${f}`)).join('|')}) REPLY=${quote(kind(o.value))} ;;`)).join('\n')}
    *) REPLY='' ;;
  esac
}

# "$path:$n" -> what the n-th positional argument (from 0) completes to.
${fn}_argument() {
  case "$1:$2" in
${commands.flatMap((c) => c.arguments.map((a, i) => `    ${quote(`${key(c)}:`)}${a.variadic ? '*' : i}) REPLY=${quote(kind(a.value))} ;;`)).join('\n')}
    *) REPLY='' ;;
  esac
}

# Offers the words of "choices a b c" or file names, those that start with $2.
${fn}_values() {
  case "$1" in
    choices\\ *) COMPREPLY+=($(compgen -W "\${1#choices }" -- "$2")) ;;
    file)
      type compopt >/dev/null 2>&1 && compopt -o filenames 2>/dev/null
      local f
      while IFS= read -r f; do COMPREPLY+=("$f"); done < <(compgen -f -- "$2")
      ;;
  esac
}

${fn}() {
  COMPREPLY=()
  # bash splits \`--source=ps\` at '=' (COMP_WORDBREAKS): glue such words back together.
  local -a w=()
  local j word last
  for ((j = 0; j <= COMP_CWORD; j++)); do
    word=\${COMP_WORDS[j]}
    last=''
    ((\${#w[@]} > 0)) && last=\${w[\${#w[@]}-1]}
    if [[ $last == --* && ( ( $word == = && $last != *=* ) || $last == *= ) ]]; then
      w[\${#w[@]}-1]=$last$word
    else
      w+=("$word")
    fi
  done
  local n=\${#w[@]} path='' nargs=0 dashdash=0 i=1 REPLY
  local cur=\${w[n-1]}
  while ((i < n - 1)); do
    word=\${w[i]}
    if [[ $dashdash == 0 && $word == -- ]]; then
      dashdash=1
    elif [[ $dashdash == 0 && $word == -* ]]; then
      # An option that takes a value eats the next word too.
      if [[ $word != *=* ]]; then
        ${fn}_value "$path" "$word"
        [[ -n $REPLY ]] && ((i++))
      fi
    else
      REPLY=''
      ((nargs == 0 && dashdash == 0)) && ${fn}_subcommand "$path" "$word"
      if [[ -n $REPLY ]]; then path=\${path:+$path }$REPLY; else ((nargs++)); fi
    fi
    ((i++))
  done

  local prev=''
  ((n > 2 && dashdash == 0)) && prev=\${w[n-2]}
  if [[ $prev == -* && $prev != *=* ]] && ${fn}_value "$path" "$prev" && [[ -n $REPLY ]]; then
    ${fn}_values "$REPLY" "$cur"
  elif [[ $dashdash == 0 && $cur == --*=* ]]; then
    ${fn}_value "$path" "\${cur%%=*}"
    ${fn}_values "$REPLY" "\${cur#*=}"
    # Without '=' in COMP_WORDBREAKS the whole word is replaced, so keep the option in front.
    if [[ $COMP_WORDBREAKS != *=* ]]; then
      for ((j = 0; j < \${#COMPREPLY[@]}; j++)); do COMPREPLY[j]=\${cur%%=*}=\${COMPREPLY[j]}; done
    fi
  elif [[ $dashdash == 0 && $cur == -* ]]; then
    ${fn}_options "$path"
    COMPREPLY=($(compgen -W "$REPLY" -- "$cur"))
  else
    if ((nargs == 0 && dashdash == 0)); then
      ${fn}_commands "$path"
      COMPREPLY=($(compgen -W "$REPLY" -- "$cur"))
    fi
    ${fn}_argument "$path" "$nargs"
    ${fn}_values "$REPLY" "$cur"
  fi
  return 0
}

complete -F ${fn} ${prog}
`;
}

function key(c: CommandModel): string {
  return c.path.join(' ');
}

function kind(v: ValueKind): string {
  return v.kind === 'choices' ? `choices ${v.choices.join(' ')}` : v.kind;
}

/** One `pattern) REPLY='...' ;;` line per command. */
function cases(commands: CommandModel[], patterns: (c: CommandModel) => string[], reply: (c: CommandModel) => string): string {
  return commands.map((c) => `    ${patterns(c).map(quote).join('|')}) REPLY=${quote(reply(c))} ;;`).join('\n');
}

/** A bash single-quoted word. */
function quote(text: string): string {
  return `'${text.replace(/'/g, `'\\''`)}'`;
}
