#!/usr/bin/env python3
# manifest.py: the Flatpak manifest's two other forms, made from the one in
# the repository root (com.example.TutorialTags.json, the one for Flathub,
# which builds the app from a release tag of its git repository).
#
#   build-aux/flatpak/manifest.py devel [OUTPUT]
#       The development manifest: the same, but the app is built from this
#       source tree (a "dir" source), uncommitted changes included. Written
#       to OUTPUT, by default com.example.TutorialTags.Devel.json in the
#       repository root (ignored by git; relative paths in the manifest are
#       relative to the root).
#
#   build-aux/flatpak/manifest.py release
#       Points the root manifest at this release: tag "v" + meson.build's
#       version, commit = what that tag names in this repository. Run after
#       `git tag -a vX.Y.Z`, then commit the manifest.
#
# SPDX-License-Identifier: GPL-3.0-or-later

import json
import os
import re
import subprocess
import sys

ROOT = os.path.normpath(os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                     os.pardir, os.pardir))
APP_ID = "com.example.TutorialTags"
MANIFEST = os.path.join(ROOT, APP_ID + ".json")
DEVEL_MANIFEST = os.path.join(ROOT, APP_ID + ".Devel.json")
APP_MODULE = "tutorial-tags"

# What flatpak-builder must not copy into the build from a working tree.
DEVEL_SOURCE = {
    "type": "dir",
    "path": ".",
    "skip": [".flatpak-builder", "build-dir", "_build", APP_ID + ".Devel.json"],
}


def load(path=MANIFEST):
    with open(path, encoding="utf-8") as f:
        return json.load(f)


def dump(manifest, path):
    with open(path, "w", encoding="utf-8") as f:
        f.write(json.dumps(manifest, indent=4, ensure_ascii=False) + "\n")


def app_module(manifest):
    return next(m for m in manifest["modules"]
                if isinstance(m, dict) and m.get("name") == APP_MODULE)


def meson_version(root=ROOT):
    with open(os.path.join(root, "meson.build"), encoding="utf-8") as f:
        match = re.search(r"^project\(.*?version:\s*'([^']+)'", f.read(), re.S | re.M)
    return match.group(1)


def devel(manifest):
    """The manifest with the app built from the working tree."""
    copy = json.loads(json.dumps(manifest))
    app_module(copy)["sources"] = [dict(DEVEL_SOURCE)]
    return copy


def release(manifest, root=ROOT):
    tag = "v" + meson_version(root)
    commit = subprocess.run(["git", "-C", root, "rev-parse", "--verify", tag + "^{commit}"],
                            check=True, capture_output=True, text=True).stdout.strip()
    source = next(s for s in app_module(manifest)["sources"] if s.get("type") == "git")
    source["tag"] = tag
    source["commit"] = commit
    return manifest


def main(argv):
    if len(argv) >= 2 and argv[1] == "devel" and len(argv) <= 3:
        dump(devel(load()), argv[2] if len(argv) == 3 else DEVEL_MANIFEST)
    elif argv[1:] == ["release"]:
        dump(release(load()), MANIFEST)
    else:
        print("usage: manifest.py devel [OUTPUT] | manifest.py release", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
