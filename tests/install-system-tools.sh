#!/usr/bin/env bash
# Install the system tools the tests need (TeX Live, EPUBCheck, Java, Poppler,
# Chromium, Node.js) and the test-only npm packages, when this machine allows it.
# Where it can't, it says what to run; the tests that need a missing tool then
# skip, naming it (under CI=true they fail instead).
set -euo pipefail
cd "$(dirname "$0")"

packages=(latexmk texlive-xetex texlive-latex-recommended texlive-latex-extra
          texlive-fonts-recommended fonts-freefont-otf epubcheck default-jre-headless
          poppler-utils chromium nodejs npm)
missing=()
for pkg in "${packages[@]}"; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "ok installed" || missing+=("$pkg")
done
# A machine with Node.js from elsewhere (nodesource, nvm) needs neither Debian package.
if command -v node >/dev/null && command -v npm >/dev/null; then
    missing=("${missing[@]/nodejs}"); missing=("${missing[@]/npm}")
fi
read -r -a missing <<<"${missing[*]}"

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

# The npm tools (Ace by DAISY, Lighthouse) need Node.js 20 or newer; Debian 12's is 18.
if command -v node >/dev/null && ! node -e 'process.exit(parseInt(process.versions.node) < 20 ? 1 : 0)'; then
    echo "Node.js $(node --version) is older than 20: Ace and Lighthouse may not run."
    echo "Install Node.js 20 or newer (NodeSource's packages, for example)."
fi

if command -v npm >/dev/null; then
    if [ ! -d node_modules ] || [ package-lock.json -nt node_modules ]; then
        PUPPETEER_SKIP_DOWNLOAD=1 npm ci --no-audit --no-fund --loglevel=error
    fi
else
    echo "npm is missing: the browser and accessibility tests will be skipped."
fi
