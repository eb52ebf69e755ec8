#!/usr/bin/env bash
# Builds the optional `gl` module (gpu.js headlessgl backend) from source: npm 11 does not run its install script by
# default. Needs libx11-dev libxi-dev libxext-dev pkg-config (installed by .ci/run) and, to run, an X display
# (xvfb-run). Idempotent: a module that already loads is left alone. Exits non-zero with the reason when it fails.
set -uo pipefail
cd "$(dirname "$0")/.."
if node -e "require('gl')" 2>/dev/null; then echo "setup-gl: gl already built"; exit 0; fi
for p in libx11-dev libxi-dev libxext-dev pkg-config; do
  dpkg -s "$p" >/dev/null 2>&1 || { echo "setup-gl: missing Debian package $p (apt-get install $p)"; exit 1; }
done
echo "setup-gl: building gl from source (about 2 minutes on 2 cores)"
if ! npm rebuild gl --foreground-scripts > /tmp/aecheck-gl-build.log 2>&1; then
  echo "setup-gl: npm rebuild gl failed; last lines of /tmp/aecheck-gl-build.log:"; tail -n 20 /tmp/aecheck-gl-build.log; exit 1
fi
node -e "require('gl')" || { echo "setup-gl: gl built but does not load"; exit 1; }
echo "setup-gl: gl built"
