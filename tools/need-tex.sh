#!/usr/bin/env bash
# Stop `make latexpdf` early, with the install command, when TeX is missing.
set -euo pipefail
cd "$(dirname "$0")"
for tool in xelatex latexmk; do
    if ! command -v "$tool" >/dev/null; then
        packages=$(awk -v t="$tool" '$1 == t { $1 = ""; print substr($0, 2) }' system-packages.txt)
        echo "make: $tool is missing: the PDF needs TeX Live. Install it with:" >&2
        echo "    sudo apt-get install --no-install-recommends $packages" >&2
        exit 1
    fi
done
