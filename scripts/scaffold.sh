#!/usr/bin/env bash
# The main job: build and pack the library, then scaffold a GitOps repository
# with the real `projen new --from` on the packed tarball.
#
# Until the library is published, the new repository is self-contained: the
# tarball is copied into it (vendor/obs-gitops-template-<version>.tgz, committed)
# and package.json depends on it by a relative path (file:vendor/...), so a clone
# installs with `npm ci` on any machine. Once published, scaffold from the
# registry instead: `npx projen new --from obs-gitops-template` (a ^X.Y.Z range).
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
if [ -n "${OBS_GITOPS_TARBALL:-}" ]; then
  # An already packed library (the tests pass theirs): no build.
  tgz="$(cd "$(dirname "$OBS_GITOPS_TARBALL")" && pwd)/$(basename "$OBS_GITOPS_TARBALL")"
else
  npx projen compile
  mkdir -p .scaffold
  rm -f .scaffold/obs-gitops-template-*.tgz
  npm pack --silent --pack-destination .scaffold >/dev/null
  tgz="$(ls "$root"/.scaffold/obs-gitops-template-*.tgz)"
fi

mkdir -p "$target"
target="$(cd "$target" && pwd)"
if [ -n "$(ls -A "$target")" ]; then
  echo "scaffold: $target is not empty; projen new needs an empty folder" >&2
  exit 1
fi
cd "$target"
vendored="vendor/$(basename "$tgz")"
mkdir -p vendor
cp "$tgz" "$vendored"
"$root/node_modules/.bin/projen" new --from "obs-gitops-template@file:$vendored" "$@"
echo
echo "Scaffolded $target from $tgz (committed as $vendored)"
echo "Next: cd $target, set gitRepoUrl in .projenrc.ts, run npx projen, read README.md"
