#!/usr/bin/env python3
# test-flatpak-manifest.py: checks com.example.TutorialTags.json (TAP).
#
#   test-flatpak-manifest.py [MANIFEST]
#
# Without an argument it reads ../com.example.TutorialTags.json next to this
# file. The manifest cannot be built here (no Flathub), so this checks what
# can be checked without flatpak-builder: it parses, uses only keys that
# flatpak-builder knows, names the right app, runtime and command, asks for
# the minimal permissions and no more, builds the MariaDB client library,
# then libgda 5.2.10 with only the SQLite and MySQL providers, then the app,
# and pins every download by sha256.
#
# SPDX-License-Identifier: GPL-3.0-or-later

import json
import os
import re
import sys

APP_ID = "com.example.TutorialTags"
HEX64 = re.compile(r"^[0-9a-f]{64}$")

# Keys flatpak-builder accepts (flatpak-manifest(5), the JSON schema shipped
# with flatpak-builder), so that a typo like "config-opt" fails here instead
# of being silently ignored.
TOP_KEYS = {
    "app-id", "id", "branch", "collection-id", "extension-tag", "runtime",
    "runtime-version", "sdk", "var", "metadata", "command", "build-runtime",
    "build-extension", "separate-locales", "id-platform", "metadata-platform",
    "writable-sdk", "appstream-compose", "sdk-extensions",
    "platform-extensions", "base", "base-version", "base-extensions",
    "inherit-extensions", "inherit-sdk-extensions", "tags", "build-options",
    "modules", "add-extensions", "add-build-extensions", "cleanup",
    "cleanup-commands", "cleanup-platform", "cleanup-platform-commands",
    "prepare-platform-commands", "finish-args", "rename-desktop-file",
    "rename-appdata-file", "rename-mime-file", "rename-icon",
    "appdata-license", "copy-icon", "desktop-file-name-prefix",
    "desktop-file-name-suffix", "$schema",
}
MODULE_KEYS = {
    "name", "disabled", "sources", "config-opts", "secret-opts", "make-args",
    "make-install-args", "rm-configure", "no-autogen", "no-parallel-make",
    "install-rule", "no-make-install", "no-python-timestamp-fix", "cmake",
    "buildsystem", "builddir", "subdir", "build-options", "build-commands",
    "post-install", "cleanup", "ensure-writable", "only-arches",
    "skip-arches", "cleanup-platform", "run-tests", "test-rule",
    "test-commands", "modules", "x-checker-data",
}
BUILD_OPTION_KEYS = {
    "cflags", "cflags-override", "cppflags", "cppflags-override", "cxxflags",
    "cxxflags-override", "ldflags", "ldflags-override", "prefix", "libdir",
    "append-path", "prepend-path", "append-ld-library-path",
    "prepend-ld-library-path", "append-pkg-config-path",
    "prepend-pkg-config-path", "env", "secret-env", "build-args",
    "test-args", "config-opts", "secret-opts", "make-args",
    "make-install-args", "strip", "no-debuginfo", "no-debuginfo-compression",
    "arch",
}
SOURCE_COMMON = {"type", "dest", "only-arches", "skip-arches", "x-checker-data"}
SOURCE_KEYS = {
    "archive": {"path", "url", "mirror-urls", "git-init", "md5", "sha1",
                "sha256", "sha512", "strip-components", "dest-filename",
                "archive-type"},
    "file": {"path", "url", "mirror-urls", "md5", "sha1", "sha256", "sha512",
             "dest-filename"},
    "patch": {"path", "paths", "strip-components", "use-git", "use-git-am",
              "options"},
    "dir": {"path", "skip"},
    "git": {"path", "url", "branch", "tag", "commit", "disable-fsckobjects",
            "disable-shallow-clone", "disable-submodules"},
    "script": {"commands", "dest-filename"},
    "inline": {"dest-filename", "contents", "base64"},
    "shell": {"commands"},
}

REQUIRED_FINISH_ARGS = [
    "--share=ipc",
    "--socket=fallback-x11",
    "--socket=wayland",
    "--device=dri",
    "--share=network",
    # Where no Secret portal answers, libsecret falls back to the Secret
    # Service on the session bus (as libsecret apps on Flathub do).
    "--talk-name=org.freedesktop.secrets",
]

# libgda configure options (5.2.10's configure --help) and what they must be.
GDA_REQUIRED_OPTS = {
    "--without-ui": "no GTK+ UI library or tools",
    "--without-gtksourceview": "no GtkSourceView",
    "--without-goocanvas": "no GooCanvas",
    "--without-graphviz": "no Graphviz",
    "--without-help": "no yelp help for the browser",
    "--disable-gtk-doc": "no API documentation",
    "--disable-introspection": "no GObject introspection",
    "--enable-vala=no": "no Vala bindings",
    "--disable-tools": "no gda-sql or other tools",
    "--disable-crypto": "no SQLCipher provider",
    "--without-libsoup": "no WEB provider",
    "--without-java": "no Java / JDBC provider",
    "--without-postgres": "no PostgreSQL provider",
    "--without-bdb": "no Berkeley DB provider",
    "--without-oracle": "no Oracle provider",
    "--without-ldap": "no LDAP provider",
    "--without-firebird": "no Firebird provider",
    "--without-mdb": "no MS Access provider",
    "--with-mysql=yes": "the MySQL provider, found through mysql_config",
    "--enable-system-sqlite": "the SQLite provider on the runtime's SQLite",
}
# GCC 14 makes these errors and libgda 5.2.10 trips over them (measured with
# build-aux/flatpak/build-libgda-like-manifest.sh): configure's MySQL check
# calls printf without <stdio.h> (as an error: "MySQL = no", silently), and
# gda-connection.c and libgda-xslt pass pointers of the wrong type.
GDA_REQUIRED_CFLAGS = [
    "-Wno-error=implicit-function-declaration",
    "-Wno-error=incompatible-pointer-types",
]


class Tap:
    def __init__(self):
        self.n = 0
        self.failed = 0
        self.lines = []

    def check(self, ok, description, diagnostics=()):
        self.n += 1
        self.lines.append("%s %d - %s" % ("ok" if ok else "not ok", self.n,
                                          description))
        if not ok:
            self.failed += 1
            for d in diagnostics:
                self.lines.append("# " + str(d))

    def finish(self):
        print("1..%d" % self.n)
        for line in self.lines:
            print(line)
        return 1 if self.failed else 0


def all_modules(modules):
    for m in modules:
        if isinstance(m, dict):
            yield m
            yield from all_modules(m.get("modules", []))


def all_sources(manifest):
    for m in all_modules(manifest.get("modules", [])):
        for s in m.get("sources", []):
            if isinstance(s, dict):
                yield m, s


# --- flatpak-builder-lint's manifest rules ----------------------------------------------
#
# The rules of flathub-infra/flatpak-builder-lint (checks/appid.py,
# toplevel.py, finish_args.py, modules.py, eolruntime.py) that can be
# decided from the manifest alone, under the linter's own ids. The linter
# itself needs flatpak-builder and the network (Flathub's runtime list);
# this is the offline part. Each rule is also shown to fire on a manifest
# made to break it (BROKEN), so that a rule that can never fire is caught.

# GNOME runtimes at end of life (Flathub: 48 since 2026-03-24). The linter
# makes runtime-is-eol an error three versions behind the newest; whether
# 51 is out could not be checked offline.
EOL_GNOME_RUNTIMES = {str(v) for v in range(3, 49)}


def git_rules(name, source):
    rules = set()
    if source.get("branch") and (len(source["branch"]) != 40 or not (
            source.get("tag") or source.get("commit"))):
        rules.add("module-%s-source-git-branch" % name)
    if not source.get("branch") and not source.get("tag") and not source.get("commit"):
        rules.add("module-%s-source-git-no-commit-or-tag" % name)
    if source.get("path"):
        rules.add("module-%s-source-git-local-path" % name)
    url = source.get("url")
    if not url:
        rules.add("module-%s-source-git-no-url" % name)
    elif not url.startswith(("https:", "http:")):
        rules.add("module-%s-source-git-url-not-http" % name)
    return rules


def source_rules(name, source):
    rules = set()
    if "/" in source.get("dest-filename", ""):
        rules.add("module-%s-source-dest-filename-is-path" % name)
    if source.get("type") in ("archive", "file"):
        for digest in ("sha1", "md5"):
            if source.get(digest):
                rules.add("module-%s-source-%s-deprecated" % (name, digest))
    if source.get("type") == "git":
        rules |= git_rules(name, source)
    # Not the linter's: Flathub's build pipeline refuses local directories.
    if source.get("type") == "dir":
        rules.add("module-%s-source-dir" % name)
    return rules


def module_rules(module):
    name = module.get("name")
    system = module.get("buildsystem", "autotools")
    rules = set()
    for opt in module.get("config-opts", []):
        if system == "autotools" and opt.startswith("--prefix="):
            rules.add("module-%s-autotools-redundant-prefix" % name)
        if system == "autotools" and opt.startswith("--enable-debug"):
            rules.add("module-%s-autotools-non-release-build" % name)
        if system in ("cmake", "cmake-ninja") and opt.startswith("-DCMAKE_INSTALL_PREFIX"):
            rules.add("module-%s-cmake-redundant-prefix" % name)
        if system in ("cmake", "cmake-ninja") and opt.startswith("-DCMAKE_BUILD_TYPE="):
            kind = opt.split("=", 1)[1]
            if kind == "Release":
                rules.add("module-%s-cmake-no-debuginfo" % name)
            elif kind != "RelWithDebInfo":
                rules.add("module-%s-cmake-non-release-build" % name)
    if system == "cmake":
        rules.add("module-%s-buildsystem-is-plain-cmake" % name)
    for source in module.get("sources", []):
        if isinstance(source, dict):
            rules |= source_rules(name, source)
    return rules


def parse_finish_args(args):
    parsed = {}
    for a in args:
        key, _, value = a.lstrip("-").partition("=")
        parsed.setdefault(key, set()).add(value)
    return parsed


def finish_args_rules(args, appid):
    f = parse_finish_args(args)
    socket, share = f.get("socket", set()), f.get("share", set())
    rules = set()
    if "x11" in socket and "fallback-x11" in socket:
        rules.add("finish-args-contains-both-x11-and-fallback")
    if "x11" in socket and "wayland" in socket:
        rules.add("finish-args-contains-both-x11-and-wayland")
    if socket & {"x11", "fallback-x11"} and "ipc" not in share:
        rules.add("finish-args-x11-without-ipc")
    if "fallback-x11" in socket and "wayland" not in socket:
        rules.add("finish-args-fallback-x11-without-wayland")
    if "wayland" in socket and not socket & {"x11", "fallback-x11"}:
        rules.add("finish-args-only-wayland")
    for s in ("gpg-agent", "ssh-auth"):
        if s in socket:
            rules.add("finish-args-has-socket-" + s)
    for fs in f.get("filesystem", set()):
        m = re.fullmatch(r"(home|host|~/?)(:rw|:create|:ro)?", fs)
        if m:
            where = "host" if fs.startswith("host") else "home"
            rules.add("finish-args-%s-%sfilesystem-access" % (where, "ro-" if fs.endswith(":ro") else ""))
    for name in f.get("talk-name", set()):
        rules |= talk_name_rules(name, appid)
    for name in f.get("own-name", set()):
        if name != appid and not name.startswith(appid + "."):
            rules.add("finish-args-own-name-" + name)
    return rules


def talk_name_rules(name, appid):
    rules = set()
    if name == appid or name.startswith(appid + "."):
        rules.add("finish-args-unnecessary-appid-talk-name")
    for space, rule in (("org.freedesktop.*", "freedesktop"), ("org.gnome.*", "gnome"),
                        ("org.kde.*", "kde")):
        if name == space:
            rules.add("finish-args-wildcard-%s-talk-name" % rule)
    if name.startswith("org.freedesktop.portal."):
        rules.add("finish-args-portal-talk-name")
    if name == "ca.desrt.dconf" or name.startswith("ca.desrt.dconf."):
        rules.add("finish-args-dconf-talk-name")
    if name == "org.freedesktop.DBus" or name.startswith("org.freedesktop.DBus."):
        rules.add("finish-args-freedesktop-dbus-talk-name")
    if name == "org.gtk.vfs":
        rules.add("finish-args-incorrect-dbus-gvfs")
    if name in ("org.freedesktop.Flatpak", "org.freedesktop.Flatpak.*"):
        rules.add("finish-args-flatpak-spawn-access")
    if name == "org.freedesktop.Secrets":
        rules.add("finish-args-incorrect-secret-service-talk-name")
    return rules


def appid_rules(appid, path):
    rules = set()
    if not appid:
        return {"appid-not-defined"}
    if os.path.splitext(os.path.basename(path))[0] != appid:
        rules.add("appid-filename-mismatch")
    parts = appid.split(".")
    if parts[-1] == "desktop":
        rules.add("appid-ends-with-lowercase-desktop")
    if parts[1].lower() in ("github", "gitlab", "codeberg"):
        rules.add("appid-uses-code-hosting-domain")
    return rules


def toplevel_rules(manifest):
    rules = set()
    command = manifest.get("command")
    if not command:
        rules.add("toplevel-no-command")
    elif command.startswith("/"):
        rules.add("toplevel-command-is-path")
    if manifest.get("branch") not in ("stable", "beta", None):
        rules.add("toplevel-unnecessary-branch")
    if "/lib/debug" in manifest.get("cleanup", []):
        rules.add("toplevel-cleanup-debug")
    if not manifest.get("modules"):
        rules.add("toplevel-no-modules")
    if (manifest.get("runtime") == "org.gnome.Platform"
            and manifest.get("runtime-version") in EOL_GNOME_RUNTIMES):
        rules.add("runtime-is-eol-org.gnome.Platform-%s" % manifest["runtime-version"])
    return rules


def lint(manifest, path):
    appid = manifest.get("id", manifest.get("app-id"))
    rules = appid_rules(appid, path) | toplevel_rules(manifest)
    rules |= finish_args_rules(manifest.get("finish-args", []), appid or "")
    for m in all_modules(manifest.get("modules", [])):
        rules |= module_rules(m)
    return rules


# A manifest that breaks every rule above, for the rules' own check.
BROKEN_PATH = "/x/io.github.other.json"
BROKEN = {
    "id": "io.github.example.desktop",
    "runtime": "org.gnome.Platform", "runtime-version": "48",
    "command": "/app/bin/x", "branch": "master", "cleanup": ["/lib/debug"],
    "finish-args": [
        "--socket=x11", "--socket=fallback-x11", "--socket=wayland",
        "--socket=gpg-agent", "--socket=ssh-auth", "--filesystem=home",
        "--filesystem=host:ro", "--own-name=org.example.Other",
        "--talk-name=io.github.example.desktop.Sub", "--talk-name=org.freedesktop.*",
        "--talk-name=org.gnome.*", "--talk-name=org.kde.*",
        "--talk-name=org.freedesktop.portal.Desktop", "--talk-name=ca.desrt.dconf",
        "--talk-name=org.freedesktop.DBus", "--talk-name=org.gtk.vfs",
        "--talk-name=org.freedesktop.Flatpak", "--talk-name=org.freedesktop.Secrets",
    ],
    "modules": [
        {"name": "a", "config-opts": ["--prefix=/app", "--enable-debug"],
         "sources": [{"type": "archive", "url": "https://x/a.tgz", "sha1": "0",
                      "md5": "0", "dest-filename": "a/b"},
                     {"type": "git", "path": "/src", "url": "git://x"},
                     {"type": "git", "branch": "main"},
                     {"type": "dir", "path": "."}]},
        {"name": "b", "buildsystem": "cmake",
         "config-opts": ["-DCMAKE_INSTALL_PREFIX=/app", "-DCMAKE_BUILD_TYPE=Debug"]},
        {"name": "c", "buildsystem": "cmake-ninja", "config-opts": ["-DCMAKE_BUILD_TYPE=Release"]},
        {"name": "d", "sources": [{"type": "git", "url": "https://x", "branch": "main", "tag": "v1"}]},
    ],
}
BROKEN_ONLY_WAYLAND = {"id": "a.b.C", "command": "c", "modules": [{"name": "m"}],
                       "finish-args": ["--socket=wayland"]}
BROKEN_FALLBACK_ONLY = {"id": "a.b.C", "command": "c", "modules": [{"name": "m"}],
                        "finish-args": ["--socket=fallback-x11"]}
BROKEN_EMPTY = {"id": "a.b.C"}


# The rule ids checked here; "*" stands for a module's name, a bus name or
# a runtime version.
RULES = """
appid-not-defined appid-filename-mismatch appid-ends-with-lowercase-desktop
appid-uses-code-hosting-domain
toplevel-no-command toplevel-command-is-path toplevel-unnecessary-branch
toplevel-cleanup-debug toplevel-no-modules runtime-is-eol-org.gnome.Platform-*
finish-args-contains-both-x11-and-fallback finish-args-contains-both-x11-and-wayland
finish-args-x11-without-ipc finish-args-fallback-x11-without-wayland
finish-args-only-wayland finish-args-has-socket-gpg-agent
finish-args-has-socket-ssh-auth finish-args-home-filesystem-access
finish-args-host-ro-filesystem-access finish-args-own-name-*
finish-args-unnecessary-appid-talk-name finish-args-wildcard-freedesktop-talk-name
finish-args-wildcard-gnome-talk-name finish-args-wildcard-kde-talk-name
finish-args-portal-talk-name finish-args-dconf-talk-name
finish-args-freedesktop-dbus-talk-name finish-args-incorrect-dbus-gvfs
finish-args-flatpak-spawn-access finish-args-incorrect-secret-service-talk-name
module-*-source-dest-filename-is-path module-*-source-sha1-deprecated
module-*-source-md5-deprecated module-*-source-git-branch
module-*-source-git-no-commit-or-tag module-*-source-git-local-path
module-*-source-git-no-url module-*-source-git-url-not-http module-*-source-dir
module-*-autotools-redundant-prefix module-*-autotools-non-release-build
module-*-buildsystem-is-plain-cmake module-*-cmake-redundant-prefix
module-*-cmake-non-release-build module-*-cmake-no-debuginfo
""".split()


def rule_matches(rule, fired):
    pattern = "^" + re.escape(rule).replace(r"\*", r"\S+") + "$"
    return sorted(r for r in fired if re.match(pattern, r))


def check_lint_rules(t, manifest, path):
    fired = (lint(BROKEN, BROKEN_PATH) | lint(BROKEN_ONLY_WAYLAND, "a.b.C.json")
             | lint(BROKEN_FALLBACK_ONLY, "a.b.C.json") | lint(BROKEN_EMPTY, "a.b.C.json")
             | lint({}, "x.json"))
    silent = [r for r in RULES if not rule_matches(r, fired)]
    t.check(not silent, "each linter rule checked here fires on a manifest made to break it",
            ["never fires: %s" % r for r in silent])
    found = lint(manifest, path)
    for rule in RULES:
        hits = rule_matches(rule, found)
        t.check(not hits, "flatpak-builder-lint: %s" % rule, hits)


# --- the app's own source --------------------------------------------------------------

def metainfo_homepage(top):
    path = os.path.join(top, "data", APP_ID + ".metainfo.xml.in")
    with open(path, encoding="utf-8") as f:
        return re.search(r'<url type="homepage">([^<]+)</url>', f.read()).group(1)


def check_app_source(t, manifest, top):
    sys.path.insert(0, os.path.join(top, "build-aux", "flatpak"))
    import manifest as manifest_tool  # build-aux/flatpak/manifest.py

    app = manifest_tool.app_module(manifest)
    sources = app.get("sources", [])
    git = [s for s in sources if s.get("type") == "git"]
    source = git[0] if git else {}
    t.check(app.get("buildsystem") == "meson" and len(sources) == 1 and len(git) == 1,
            "tutorial-tags: meson, from one git source (Flathub takes no dir)", [sources])
    want_url = metainfo_homepage(top) + ".git"
    t.check(source.get("url") == want_url,
            "tutorial-tags: the git url is the metainfo's homepage + .git",
            [source.get("url"), want_url])
    want_tag = "v" + manifest_tool.meson_version(top)
    t.check(source.get("tag") == want_tag,
            "tutorial-tags: the tag is v + meson.build's version", [source.get("tag"), want_tag])
    t.check(re.fullmatch(r"[0-9a-f]{40}", source.get("commit", "")) is not None,
            "tutorial-tags: the tag's commit is pinned (40 hex digits)", [source.get("commit")])


def check_devel_variant(t, manifest, top):
    import manifest as manifest_tool  # check_app_source put it on the path

    devel = manifest_tool.devel(manifest)
    sources = manifest_tool.app_module(devel)["sources"]
    t.check(len(sources) == 1 and sources[0].get("type") == "dir"
            and sources[0].get("path") == "."
            and os.path.isfile(os.path.join(top, sources[0]["path"], "meson.build")),
            "the development manifest (manifest.py devel) builds this tree (dir '.')",
            [sources])
    others = [k for k in set(devel) | set(manifest)
              if k != "modules" and devel.get(k) != manifest.get(k)]
    others += [m.get("name") for m, n in zip(devel["modules"], manifest["modules"])
               if m != n and m.get("name") != manifest_tool.APP_MODULE]
    t.check(not others, "the development manifest differs only in the app's source",
            others)
    ext = [m.get("name") for m in manifest.get("modules", [])
           if isinstance(m, dict) and m.get("name") != manifest_tool.APP_MODULE
           and not check_checker_data(m.get("x-checker-data"))]
    t.check(not ext, "external modules have x-checker-data (flatpak-external-data-checker)",
            ext)


def check_checker_data(data):
    if not isinstance(data, dict):
        return False
    if data.get("type") == "gnome":
        return bool(data.get("name")) and (data.get("stable-only") or data.get("versions"))
    if data.get("type") == "html":
        return bool(data.get("url")) and "$version" in data.get("url-template", "")
    if data.get("type") == "anitya":
        return bool(data.get("project-id")) and "$version" in data.get("url-template", "")
    return False


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    path = sys.argv[1] if len(sys.argv) > 1 else os.path.join(
        here, os.pardir, APP_ID + ".json")
    top = os.path.dirname(os.path.abspath(path))
    t = Tap()

    try:
        with open(path, encoding="utf-8") as f:
            manifest = json.load(f)
        t.check(isinstance(manifest, dict), "the manifest parses as a JSON object")
    except (OSError, ValueError) as e:
        t.check(False, "the manifest parses as a JSON object", [path, e])
        return t.finish()

    # --- keys flatpak-builder knows -------------------------------------------
    unknown = sorted(set(manifest) - TOP_KEYS)
    for m in all_modules(manifest.get("modules", [])):
        unknown += ["module %s: %s" % (m.get("name"), k)
                    for k in sorted(set(m) - MODULE_KEYS)]
        unknown += ["module %s build-options: %s" % (m.get("name"), k)
                    for k in sorted(set(m.get("build-options", {}))
                                    - BUILD_OPTION_KEYS)]
    for m, s in all_sources(manifest):
        allowed = SOURCE_KEYS.get(s.get("type"))
        if allowed is None:
            unknown.append("module %s: source type %r" % (m.get("name"),
                                                          s.get("type")))
        else:
            unknown += ["module %s %s source: %s" % (m.get("name"), s["type"], k)
                        for k in sorted(set(s) - allowed - SOURCE_COMMON)]
    t.check(not unknown, "every key is one flatpak-builder knows", unknown)

    # --- app id, runtime, command ------------------------------------------------
    ids = [manifest[k] for k in ("id", "app-id") if k in manifest]
    t.check(ids == [APP_ID], "the app id is %s (one of id/app-id)" % APP_ID, [ids])
    t.check(manifest.get("command") == "tutorial-tags",
            "the command is tutorial-tags", [manifest.get("command")])
    t.check(manifest.get("runtime") == "org.gnome.Platform"
            and manifest.get("sdk") == "org.gnome.Sdk",
            "runtime org.gnome.Platform with sdk org.gnome.Sdk",
            [manifest.get("runtime"), manifest.get("sdk")])
    version = manifest.get("runtime-version")
    t.check(isinstance(version, str) and version.isdigit(),
            "runtime-version is a stable GNOME release (a string of digits)",
            [repr(version)])

    # --- permissions ----------------------------------------------------------------
    args = manifest.get("finish-args", [])
    missing = [a for a in REQUIRED_FINISH_ARGS if a not in args]
    t.check(not missing, "finish-args grant Wayland, X11 fallback, IPC, DRI, network, "
            "the Secret Service",
            ["missing: %s" % a for a in missing])
    forbidden = []
    for a in args:
        if a.startswith("--filesystem="):
            forbidden.append("%s: files outside the sandbox come through the "
                             "file chooser portal" % a)
        elif a in ("--device=all", "--socket=x11", "--share=all"):
            forbidden.append("%s: broader than needed" % a)
        elif a.startswith("--talk-name=org.freedesktop.Flatpak"):
            forbidden.append("%s: sandbox escape" % a)
    t.check(not forbidden, "no home/host file access, no --device=all, no "
            "sandbox-escape D-Bus names", forbidden)
    t.check(len(args) == len(set(args)), "finish-args have no duplicates", [args])

    cleanup = manifest.get("cleanup", [])
    want = ["/include", "/lib/pkgconfig", "*.la", "*.a", "/share/doc"]
    t.check(all(c in cleanup for c in want),
            "cleanup drops headers, pkg-config files, static libraries, docs",
            ["missing: %s" % c for c in want if c not in cleanup])

    # --- modules and their order ---------------------------------------------------
    modules = [m for m in manifest.get("modules", []) if isinstance(m, dict)]
    names = [m.get("name", "") for m in modules]
    by_name = {m.get("name"): m for m in modules}
    i_client = next((i for i, n in enumerate(names)
                     if "mariadb" in n or "mysql" in n), None)
    i_gda = names.index("libgda") if "libgda" in names else None
    t.check(i_client is not None and i_gda is not None and i_client < i_gda
            and names and names[-1] == "tutorial-tags",
            "modules: the MariaDB client library, then libgda, tutorial-tags last",
            [names])

    # --- the MariaDB client library --------------------------------------------------
    client = modules[i_client] if i_client is not None else {}
    archives = [s for s in client.get("sources", []) if s.get("type") == "archive"]
    url = archives[0].get("url", "") if archives else ""
    t.check(len(archives) == 1 and url.startswith("https://")
            and re.search(r"/mariadb-connector-c-[0-9.]+-src\.tar\.gz$", url),
            "the client library is a MariaDB Connector/C release tarball", [url])
    opts = client.get("config-opts", [])
    t.check(client.get("buildsystem") in ("cmake", "cmake-ninja")
            and "-DWITH_UNIT_TESTS=OFF" in opts and "-DINSTALL_LIBDIR=lib" in opts,
            "Connector/C: cmake, no unit tests, library in /app/lib", [opts])
    post = " ".join(client.get("post-install", []))
    t.check(re.search(r"ln -s\S*\s+mariadb_config\s+\S*/bin/mysql_config", post)
            is not None,
            "Connector/C's post-install provides mysql_config for libgda's configure",
            [post])
    t.check("/bin" in client.get("cleanup", []),
            "mariadb_config/mysql_config are cleaned up after the build",
            [client.get("cleanup")])

    # --- libgda ----------------------------------------------------------------------
    gda = by_name.get("libgda", {})
    gda_archives = [s for s in gda.get("sources", []) if s.get("type") == "archive"]
    gda_url = gda_archives[0].get("url", "") if gda_archives else ""
    gda_sha = gda_archives[0].get("sha256", "") if gda_archives else ""
    t.check(len(gda_archives) == 1
            and gda_url.startswith("https://download.gnome.org/sources/libgda/5.2/")
            and gda_url.endswith("/libgda-5.2.10.tar.xz"),
            "libgda comes from download.gnome.org's libgda-5.2.10.tar.xz", [gda_url])
    t.check(bool(HEX64.match(gda_sha)), "libgda's tarball is pinned by a sha256",
            [repr(gda_sha)])
    gda_opts = gda.get("config-opts", [])
    missing = ["%s (%s)" % (o, why) for o, why in GDA_REQUIRED_OPTS.items()
               if o not in gda_opts]
    t.check(not missing,
            "libgda: SQLite and MySQL providers only, no UI, Java, docs or tools",
            ["missing: %s" % m for m in missing])
    enabling = [o for o in gda_opts
                if re.match(r"--(with|enable)-", o)
                and o not in ("--with-mysql=yes", "--enable-system-sqlite")
                and not o.endswith("=no")]
    t.check(not enabling, "libgda: no option turns anything else on", enabling)
    contradicting = [o for o in GDA_REQUIRED_OPTS
                     if re.sub(r"^--(with|without|enable|disable)-", "", o.split("=")[0])
                     in [re.sub(r"^--(with|without|enable|disable)-", "", p.split("=")[0])
                         for p in gda_opts if p != o]]
    t.check(not contradicting, "libgda: no option is given twice or both ways",
            contradicting)
    cflags = gda.get("build-options", {}).get("cflags", "").split()
    t.check(all(f in cflags for f in GDA_REQUIRED_CFLAGS),
            "libgda: CFLAGS keep GCC 14's new errors as warnings for this old C",
            ["missing: %s" % f for f in GDA_REQUIRED_CFLAGS if f not in cflags])
    t.check(gda.get("build-options", {}).get("cflags-override") is not True,
            "libgda: the SDK's own CFLAGS are kept (no cflags-override)")

    # --- the app: a release of its git repository -------------------------------------
    repo = os.path.normpath(os.path.join(here, os.pardir))
    check_app_source(t, manifest, repo)
    check_devel_variant(t, manifest, repo)

    # --- what Flathub's linter and pipeline check ------------------------------------------
    check_lint_rules(t, manifest, path)

    # --- every download pinned, every local file there ------------------------------------
    bad = []
    for m, s in all_sources(manifest):
        if s.get("type") in ("archive", "file") and "url" in s:
            if not HEX64.match(s.get("sha256", "")):
                bad.append("%s: %s has no sha256" % (m.get("name"), s["url"]))
            if not s["url"].startswith("https://"):
                bad.append("%s: %s is not https" % (m.get("name"), s["url"]))
        if s.get("type") == "git" and not re.match(r"^[0-9a-f]{40}$",
                                                   s.get("commit", "")):
            bad.append("%s: git source without a commit" % m.get("name"))
    t.check(not bad, "every download is https and pinned (sha256 / commit)", bad)

    missing = []
    for m, s in all_sources(manifest):
        local = []
        if s.get("type") in ("patch", "file", "archive") and "url" not in s:
            local = s.get("paths", []) + ([s["path"]] if "path" in s else [])
        elif s.get("type") == "dir":
            local = [s.get("path", "")]
        for p in local:
            if not os.path.exists(os.path.join(top, p)):
                missing.append("%s: %s" % (m.get("name"), p))
    t.check(not missing, "local sources (patches, the app's dir) exist", missing)

    broken = []
    for m, s in all_sources(manifest):
        if s.get("type") != "patch":
            continue
        for p in s.get("paths", []) + ([s["path"]] if "path" in s else []):
            try:
                with open(os.path.join(top, p), encoding="utf-8") as f:
                    text = f.read()
            except OSError:
                continue
            if not re.search(r"^--- a/\S+\n\+\+\+ b/\S+\n@@ ", text, re.M):
                broken.append("%s is not a -p1 unified diff" % p)
    t.check(not broken, "patches are -p1 unified diffs", broken)

    return t.finish()


if __name__ == "__main__":
    sys.exit(main())
