#!/usr/bin/env bash
# Starts the processes listed in a plan file (written by population.mjs) and appends one line per
# process to the pid file as it goes: "pid starttime role comm". Lines are written as soon as each
# process exists, so a crash half-way still leaves a file that `population.mjs down` can clean up.
#
# usage: population.sh DIR PLAN PIDFILE
#   DIR holds the `claude` symlink, a fifo and a few files to hold open; PLAN has one unit a line:
#   plain COUNT | leftover COUNT | lone FLAGS | mcp FLAGS | parent bash|chat|worker FLAGS... | trap grep|cat|node|tail
#   FLAGS: "-" or any of f (holds 7 extra fds) and s (Agent SDK command line).
set -u
dir=$1 plan=$2 out=$3
# fd 20 is the pid file, fd 21 the plan; every started program gets both closed, and 3-9 stay free
# for the fds that some claude processes hold.
exec 20>>"$out" 21<"$plan" </dev/null >/dev/null 2>>"$dir/spawn.log"

# Longer than any benchmark; the population is killed by pid when the benchmark ends.
SLEEP_SECONDS=100000

# perl rewrites its own argv area into the target command line, NULs included, padding the last
# argument with spaces to the exact original length so cmdline ends in a single NUL; setting $0
# also sets comm (prctl PR_SET_NAME) to the target's argv[0]. `sleep` cannot do this: it rejects
# any argument that is not a duration. exec -c starts it with an empty environment, so the argv
# area is all perl may rewrite.
PERL_AS='open F,"/proc/self/cmdline";{local$/;$n=length<F>}close F;$t=join"\0",@ARGV;$0=$t." "x($n-1-length$t);sleep'
SDK_ARGS=(--output-format stream-json --verbose --input-format stream-json
  --model=claude-sonnet-4-5 --permission-mode=default --append-system-prompt 'Answer briefly.')

record() { # PID ROLE COMM
  local line rest f
  read -r line <"/proc/$1/stat" || return 0
  rest=${line##*") "}
  f=($rest)
  echo "$1 ${f[19]} $2 $3" >&20
}

as_argv() { # ARGV...: becomes a process whose comm is $1 and whose cmdline is exactly ARGV
  exec -c /usr/bin/perl -e "$PERL_AS" -- "$@" 20>&- 21>&-
}

claude_exec() { # FLAGS
  local sockets=''
  if [[ $1 == *f* ]]; then
    # 7 extra fds, kept across exec: 3 files, the fifo, 3 devices, a directory
    exec 3<"$dir/notes-a.md" 4<"$dir/notes-b.md" 5<>"$dir/fifo" 6</dev/null 7</dev/zero \
      8</dev/urandom 9<"$dir"
    # an Agent SDK child talks to its parent over unix socketpairs (AF_UNIX=1, SOCK_STREAM=1)
    sockets='socketpair(A,B,1,1,0);socketpair(C,D,1,1,0);'
  fi
  if [[ $1 == *s* ]]; then
    exec -c /usr/bin/perl -e "$sockets$PERL_AS" -- claude "${SDK_ARGS[@]}" 20>&- 21>&-
  fi
  # exec through the symlink: the kernel names the process after the file it ran, so comm is claude
  exec -a claude "$dir/claude" "$SLEEP_SECONDS" 20>&- 21>&-
}

claude_with_mcp() { # FLAGS: a claude with two children, as its MCP servers would be
  as_argv node /opt/mcp/server-memory/dist/index.js --stdio &
  record $! mcp node
  sleep "$SLEEP_SECONDS" 20>&- 21>&- &
  record $! mcp sleep
  claude_exec "$1"
}

parent_of() { # KIND FLAGS...: a non-claude process that stays alive with claude children
  local kind=$1 flags
  shift
  for flags in "$@"; do
    claude_exec "$flags" &
    record $! claude claude
  done
  exec 20>&- 21>&-
  case $kind in
    bash) wait ;;
    chat) as_argv node /srv/chat/server.js --port 8080 ;;
    worker) as_argv node /home/dev/.claude/plugins/marketplaces/thedotmack/plugin/scripts/worker-service.cjs --daemon ;;
  esac
}

start_trap() { # KIND: processes whose command line mentions claude but which are not claude
  case $1 in
    grep) exec grep --color=auto -i claude <>"$dir/fifo" 20>&- 21>&- ;;
    cat) exec cat - "$dir/CLAUDE.md" <>"$dir/fifo" 20>&- 21>&- ;;
    node) as_argv node /srv/tools/claude-usage-report.js --watch ;;
    tail) as_argv tail -F /home/dev/.claude/debug/latest.log ;;
  esac
}

# Asked to stop (an interrupted benchmark), finish recording the process just started, then stop:
# a process forked but not yet in the pid file would be missed by the cleanup.
stopping=''
trap 'stopping=1' TERM INT HUP

ln -s "$(command -v sleep)" "$dir/claude"
mkfifo "$dir/fifo"
: >"$dir/notes-a.md" >"$dir/notes-b.md" >"$dir/CLAUDE.md"

while [[ -z $stopping ]] && read -r -u 21 kind args; do
  case $kind in
    # A system's own processes: each in a session of its own, as daemons are (init adopts them
    # when this script ends). setsid execs in place: a background job here leads no group.
    plain)
      for ((i = 0; i < args && ! stopping; i++)); do
        setsid sleep "$SLEEP_SECONDS" 20>&- 21>&- &
        record $! plain sleep
      done
      ;;
    # What a closed shell's nohup jobs are: left in a session whose leader is gone. A scan reads
    # the environment of each (a Bash-tool job looks the same).
    leftover)
      for ((i = 0; i < args && ! stopping; i++)); do
        sleep "$SLEEP_SECONDS" 20>&- 21>&- &
        record $! plain sleep
      done
      ;;
    # ( X & ) is a double fork: the subshell exits at once, so X is orphaned (ppid 1 or a subreaper)
    lone) (claude_exec "$args" & record $! claude claude) ;;
    mcp) (claude_with_mcp "$args" & record $! claude claude) ;;
    parent)
      read -r ptype flags <<<"$args"
      # shellcheck disable=SC2086 # flags are single words
      parent_of "$ptype" $flags &
      if [[ $ptype == bash ]]; then record $! parent bash; else record $! parent node; fi
      ;;
    trap)
      start_trap "$args" &
      record $! trap "$args"
      ;;
  esac
done
