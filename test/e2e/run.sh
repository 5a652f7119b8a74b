#!/usr/bin/env bash
# `pnpm test:e2e`: installs the prerequisites if missing (code-server 4.100.3 = VS Code
# 1.100.3, Debian's chromium), builds the .vsix, and runs the end-to-end suite in a real
# VS Code workbench. The install dir is a cache outside the repo.
set -euo pipefail
cd "$(dirname "$0")/../.."
dir=${DIFFUSE_CODE_SERVER_DIR:-$HOME/.cache/diffuse-code-server}
if [ ! -x "$dir/node_modules/.bin/code-server" ] || ! command -v chromium >/dev/null; then
  bash test/e2e/install-code-server.sh "$dir"
fi
pnpm --filter ./extension run package
DIFFUSE_CODE_SERVER_DIR="$dir" pnpm exec vitest run --config test/e2e/vitest.config.ts
