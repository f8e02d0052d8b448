#!/usr/bin/env bash
# The whole test suite, from a clean clone on a fresh machine: installs the real
# tools the tests run (Debian's prometheus and prometheus-alertmanager for
# promtool, amtool, prometheus and alertmanager; kubectl must already be there),
# the npm dependencies, then builds and tests the library (unit, schema, promtool,
# amtool, kustomize, live alert pipeline and the end-to-end projen new tests).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

if ! command -v promtool >/dev/null || ! command -v amtool >/dev/null || ! command -v prometheus-alertmanager >/dev/null; then
  sudo=""
  if [ "$(id -u)" != "0" ]; then sudo="sudo"; fi
  export DEBIAN_FRONTEND=noninteractive
  $sudo apt-get update -qq
  $sudo apt-get install -y -qq --no-install-recommends prometheus prometheus-alertmanager >/dev/null
fi
command -v kubectl >/dev/null || { echo "test.sh: kubectl is required (kubectl kustomize renders the dashboards)" >&2; exit 1; }
promtool --version | head -1
amtool --version | head -1
kubectl version --client 2>/dev/null | head -1

npm ci
npx projen build
