#!/usr/bin/env bash
# Prints the home directory of the newest JDK >= 25 (see java.sh), or exits 1 with one line on stderr.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/java.sh"
dirname "$(dirname "$(readlink -f "$java_bin")")"
