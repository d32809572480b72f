# zsh -f zsh-complete.zsh <fpath|source> <dir holding _claude-reaper> <line typed>
#
# Types the line and a TAB into an interactive zsh on a pseudo-terminal (zsh/zpty) and prints
# every candidate the completion system adds, one a line. The completion widget only runs inside
# ZLE, which needs a terminal: this is the way to drive it without a person at the keyboard.
# With `fpath` the script is autoloaded as compinit finds it; with `source`, it is sourced after
# compinit, the other documented way to install it.
zmodload zsh/zpty || exit 3
local how=$1 dir=$2 typed=$3
local setup=${TMPDIR:-/tmp}/zsh-complete-setup.$$
{
  print -r -- "PS1='' PROMPT='' RPROMPT=''"
  [[ $how == fpath ]] && print -r -- "fpath=(${(q)dir} \$fpath)"
  print -r -- 'autoload -U compinit && compinit -u -D'
  [[ $how == source ]] && print -r -- "source ${(q)dir}/_claude-reaper"
  # Print every candidate a completion function adds; the markers are built at run time so the
  # terminal's echo of this file's lines never looks like one.
  print -r -- 'compadd() {
    if [[ ${@[1,(i)(-|--)]} == *-(O|A|D)\ * ]]; then builtin compadd "$@"; return; fi
    local -a hits
    builtin compadd -O hits "$@"
    local h
    for h in $hits; do print -r -- "<${:-cand}>$h"; done
    builtin compadd "$@"
  }'
  print -r -- 'complete-done() { print -r -- "<${:-done}>"; exit }'
  print -r -- 'comppostfuncs=(complete-done)'
  print -r -- "bindkey '^I' complete-word"
} > $setup
zpty z zsh -f -i
zpty -w z "source ${(q)setup}"
zpty -w -n z "$typed"$'\t'
local line
while zpty -r z line; do
  [[ $line == *'<done>'* ]] && break
  [[ $line == *'<cand>'* ]] && print -r -- "${${line#*<cand>}//[$'\r\n']/}"
done
zpty -d z
rm -f $setup
