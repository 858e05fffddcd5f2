#!/usr/bin/env bash
# Checks that the man pages document every option and command the programs' --help lists.
#
#   tests/packaging/man-covers-help.sh KBATCH_CLI KBATCH MAN_DIR
#
# MAN_DIR holds kbatch.1 and kbatch-cli.1, plain or gzipped (.1.gz). Used by install-test.sh on the installed
# package and by CTest (man_covers_help) on the build tree, so a new option without its man entry fails the test
# suite and not only the package step. Exit status: 0 covered, 1 something is missing (listed on stderr).
set -uo pipefail
shopt -s lastpipe # covers() runs at the end of pipelines and must set status here, not in a subshell
cli=$1 gui=$2 mandir=$3
status=0

page_text() { # PAGE: the roff text with \- turned into -
  local f="$mandir/$1.1"
  [ -f "$f" ] || f="$f.gz"
  [ -f "$f" ] || { echo "man-covers-help: no man page $1 in $mandir" >&2; exit 1; }
  zcat -f "$f" | sed 's/\\-/-/g'
}
# The options a --help text lists (the lines that start with blanks and a dash).
options_of() { grep -E '^\s+-' | grep -oE -- '(^|[ ,])--?[A-Za-z][A-Za-z0-9-]*' | tr -d ' ,' | sort -u; }
covers() { # PAGE DESCRIPTION < help text
  local roff options opt missing=""
  roff=$(page_text "$1")
  options=$(options_of)
  if [ -z "$options" ]; then
    echo "man-covers-help: no options found in the --help of $2" >&2
    status=1
    return
  fi
  for opt in $options; do
    grep -Eq -- "(^|[^A-Za-z0-9-])$opt([^A-Za-z0-9-]|$)" <<<"$roff" || missing+=" $opt"
  done
  if [ -n "$missing" ]; then
    echo "man-covers-help: man page $1 lacks options of '$2 --help':$missing" >&2
    status=1
  fi
}

QT_QPA_PLATFORM=offscreen "$gui" --help 2>/dev/null | covers kbatch "kbatch"
for sub in sandbox send topics import "profile list" "profile set" "profile remove"; do
  # shellcheck disable=SC2086 # the subcommand is two words for profile
  "$cli" $sub --help | covers kbatch-cli "kbatch-cli $sub"
done
commands=$("$cli" --help | grep -E '^  [a-z]+ ' | awk '{print $1}')
if [ -z "$commands" ]; then
  echo "man-covers-help: kbatch-cli --help lists no commands" >&2
  status=1
fi
cli_roff=$(page_text kbatch-cli)
for sub in $commands; do
  grep -q "^\.SS $sub$" <<<"$cli_roff" || {
    echo "man-covers-help: man page kbatch-cli has no section for '$sub'" >&2
    status=1
  }
done
exit $status
