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
    t.check(isinstance(version, str) and version.isdigit() and int(version) >= 47,
            "runtime-version is a stable GNOME release (a string, 47 or later)",
            [repr(version)])

    # --- permissions ----------------------------------------------------------------
    args = manifest.get("finish-args", [])
    missing = [a for a in REQUIRED_FINISH_ARGS if a not in args]
    t.check(not missing, "finish-args grant Wayland, X11 fallback, IPC, DRI, network",
            ["missing: %s" % a for a in missing])
    forbidden = []
    for a in args:
        if a.startswith("--filesystem="):
            forbidden.append("%s: files outside the sandbox come through the "
                             "file chooser portal" % a)
        elif a in ("--device=all", "--socket=x11", "--share=all"):
            forbidden.append("%s: broader than needed" % a)
        elif a == "--talk-name=org.freedesktop.secrets":
            forbidden.append("%s: libsecret uses the Secret portal in the "
                             "sandbox" % a)
        elif a.startswith("--talk-name=org.freedesktop.Flatpak"):
            forbidden.append("%s: sandbox escape" % a)
    t.check(not forbidden, "no home/host file access, no --device=all, no keyring "
            "or sandbox-escape D-Bus names", forbidden)
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

    # --- the app -----------------------------------------------------------------------
    app = modules[-1] if modules else {}
    dirs = [s for s in app.get("sources", []) if s.get("type") == "dir"]
    t.check(app.get("buildsystem") == "meson" and len(dirs) == 1
            and dirs[0].get("path") == ".",
            "tutorial-tags: meson, from this source tree (dir '.')",
            [app.get("buildsystem"), dirs])

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
