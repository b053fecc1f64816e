#!/usr/bin/env bash
# Set-up of the book's virtual environment, called by the Makefile.
#
#   venv.sh --check VENV MIN MAX   print "ok" when VENV's Python runs and is MIN or newer
#   venv.sh PYTHON VENV MIN MAX    make VENV with PYTHON, unless it already has a working
#                                  Python MIN or newer; stop with one line when PYTHON is
#                                  missing, too old, or can't make a virtual environment
set -euo pipefail

version_ok='import sys; min = tuple(map(int, sys.argv[1].split("."))); sys.exit(sys.version_info[:2] < min)'

if [ "$1" = --check ]; then
    "$2/bin/python" -c "$version_ok" "$3" 2>/dev/null && echo ok
    exit 0
fi

python=$1 venv=$2 min=$3 max=$4
say() { echo "make: $*" >&2; }

if "$venv/bin/python" -c "$version_ok" "$min" 2>/dev/null; then
    exit 0  # a working venv (whichever Python made it): only its packages are brought up to date
fi

if ! command -v "$python" >/dev/null; then
    say "$python not found: the book needs Python $min to $max (sudo apt-get install python3 python3-venv)."
    exit 1
fi
if ! "$python" -c "$version_ok" "$min" 2>/dev/null; then
    found=$("$python" --version 2>&1 || true)
    say "$python is ${found:-an unknown Python}: the book needs Python $min to $max; name another with make PYTHON=..."
    exit 1
fi
if ! "$python" -c 'import ensurepip, venv' 2>/dev/null; then
    xy=$("$python" -c 'import sys; print("%d.%d" % sys.version_info[:2])')
    say "$python (Python $xy) cannot make a virtual environment: sudo apt-get install python$xy-venv"
    exit 1
fi
if [ -e "$venv" ]; then
    say "$venv is broken or was made by an older Python: making it again."
fi
"$python" -m venv --clear "$venv"
