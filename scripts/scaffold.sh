#!/usr/bin/env bash
# The main job: build and pack the library, then scaffold a GitOps repository
# with the real `projen new --from` on the packed tarball.
#
#   npx projen scaffold <empty-dir> [projen new flags, e.g. --no-git]
set -euo pipefail
if [ $# -lt 1 ]; then
  echo "usage: npx projen scaffold <empty-dir> [projen new flags]" >&2
  exit 2
fi
target="$1"; shift
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
# Refuse a non-empty target before building anything (compiling and packing take a minute).
if [ -e "$target" ] && { [ ! -d "$target" ] || [ -n "$(ls -A "$target")" ]; }; then
  echo "scaffold: $target is not an empty folder; projen new needs an empty (or new) folder" >&2
  exit 1
fi

cd "$root"
npx projen compile
mkdir -p .scaffold
rm -f .scaffold/obs-gitops-template-*.tgz
npm pack --silent --pack-destination .scaffold >/dev/null
tgz="$(ls "$root"/.scaffold/obs-gitops-template-*.tgz)"

mkdir -p "$target"
target="$(cd "$target" && pwd)"
if [ -n "$(ls -A "$target")" ]; then
  echo "scaffold: $target is not empty; projen new needs an empty folder" >&2
  exit 1
fi
cd "$target"
"$root/node_modules/.bin/projen" new --from "obs-gitops-template@file:$tgz" "$@"
echo
echo "Scaffolded $target from $tgz"
echo "Next: cd $target, set gitRepoUrl in .projenrc.ts, run npx projen, read README.md"
