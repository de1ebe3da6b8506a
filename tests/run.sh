#!/usr/bin/env bash
# The README's test command: everything the tests need, on a fresh machine, then the tests.
#   bash tests/run.sh            # all tests; extra arguments go to pytest (e.g. -k viz)
# It installs into ./.venv (made if missing) the package with its test extra and, when run
# as root, Debian's `chromium` (the browser that draws the HTML page in tests/test_viz.py)
# and `virtuoso-opensource-7-bin` (a second triple store for kg push) if they are missing;
# then it checks the code with ruff, mypy and import-linter (configured in pyproject.toml)
# and runs the tests.
# A user who is not root installs them first:
#   sudo apt-get install chromium virtuoso-opensource-7-bin
# (or points KG_CHROMIUM at a Chromium or Chrome already installed).
set -euo pipefail
cd "$(dirname "$0")/.."

browser="${KG_CHROMIUM:-$(command -v chromium || command -v chromium-browser || command -v google-chrome || true)}"
if [ -z "$browser" ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "tests/run.sh: installing Debian's chromium (for the HTML page's test)" >&2
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -q >/dev/null
    apt-get install -y -q chromium >/dev/null
  else
    echo "tests/run.sh: the tests need Chromium to draw the HTML page; install it with" >&2
    echo "  sudo apt-get install chromium   (or set KG_CHROMIUM=/path/to/chrome)" >&2
    exit 1
  fi
fi

# Debian's Virtuoso 7, the second real triple store kg push is tested against
if ! command -v virtuoso-t >/dev/null 2>&1; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "tests/run.sh: installing Debian's virtuoso-opensource-7-bin (for kg push's tests)" >&2
    export DEBIAN_FRONTEND=noninteractive
    apt-get install -y -q virtuoso-opensource-7-bin >/dev/null
  else
    echo "tests/run.sh: the tests need Virtuoso for kg push; install it with" >&2
    echo "  sudo apt-get install virtuoso-opensource-7-bin" >&2
    exit 1
  fi
fi

# the pages' packages from the npm registry (Node.js's npm is needed): YASGUI for kg serve,
# vis-timeline for kg timeline, D3, topojson-client and world-atlas for kg viz --map
command -v npm >/dev/null 2>&1 || { echo "tests/run.sh: npm is needed (Node.js): sudo apt-get install npm" >&2; exit 1; }
npm ci --prefix kg/web --no-audit --no-fund --loglevel=error

[ -x .venv/bin/python ] || python3 -m venv .venv
. .venv/bin/activate
python -m pip install --quiet --upgrade pip
pip install --quiet -e ".[test]"
# the habits of the code: lint and format (ruff), types (mypy), the wings' layers (import-linter)
ruff check kg
ruff format --check kg
mypy
lint-imports
python -m pytest "$@"
