#!/usr/bin/env python3
# test-man-pages.py: the man pages are valid and say what the programs do (TAP).
#
#   test-man-pages.py CLI CLI_MAN_PAGE APP APP_MAN_PAGE
#
# Each page must pass groff's and man's own checks without a warning. The
# CLI's page must document exactly the commands (with their arguments) and
# exit statuses that `tutorial-tags-cli --help` lists, every option of
# every command's --help, and the environment variables --help names; the
# application's page every option of `tutorial-tags --help-all`. So a
# command, option or exit status added to the program fails this test until
# the page says it too. The checker is itself checked on a copy of the page
# with a command and an exit status taken out.
#
# SPDX-License-Identifier: GPL-3.0-or-later

import os
import re
import shutil
import subprocess
import sys
import tempfile

ENV = dict(os.environ, LC_ALL="C.UTF-8", MANWIDTH="200",
           GSETTINGS_BACKEND="memory")
ENV.pop("DISPLAY", None)
ENV.pop("WAYLAND_DISPLAY", None)

results = []


def check(ok, name, problems=()):
    results.append((ok, name, list(problems)))


def run(argv, **kwargs):
    return subprocess.run(argv, env=ENV, capture_output=True, text=True,
                          **kwargs)


def missing_tool(tool):
    """CI must have every tool (a skipped check there is a lost check)."""
    if shutil.which(tool):
        return False
    if os.environ.get("CI"):
        check(False, f"{tool} is installed")
    else:
        results.append((None, f"{tool} is not installed", []))
    return True


def lint(page):
    name = os.path.basename(page)
    if not missing_tool("groff"):
        out = run(["groff", "-ww", "-z", "-t", "-man", page])
        check(out.returncode == 0 and out.stderr == "",
              f"groff -ww finds nothing to warn about in {name}",
              out.stderr.splitlines())
    if not missing_tool("man"):
        out = run(["man", "--warnings", "-E", "UTF-8", "-l", page])
        check(out.returncode == 0 and out.stderr == "" and out.stdout != "",
              f"man --warnings finds nothing to warn about in {name}",
              out.stderr.splitlines())


def render(page):
    """The page as plain ASCII text, one paragraph per line."""
    out = run(["groff", "-t", "-man", "-Tascii", "-P-cbou", "-rLL=1000n",
               page], check=True)
    return out.stdout.replace("\u2019", "'")


def sections(text):
    """{"COMMANDS": [lines], ...}: headers start in the first column."""
    found = {}
    current = None
    for line in text.splitlines():
        if re.match(r"^[A-Z][A-Z ]+$", line):
            current = line.strip()
            found[current] = []
        elif current is not None:
            found[current].append(line)
    return found


def tags(lines, indent=7):
    """The .TP tags at @indent: the words a definition list defines. A short
    tag shares its line with the text, two or more spaces after it."""
    pattern = re.compile(r"^ {%d}(\S.*?)(?:\s{2,}|\s*$)" % indent)
    return [m.group(1) for m in map(pattern.match, lines) if m]


def help_section(text, title):
    """The indented lines under "Title:" in a --help text."""
    lines = text.split(title + ":\n", 1)[1].splitlines()
    block = []
    for line in lines:
        if not line.startswith(" "):
            break
        block.append(line)
    return block


def normalize(usage):
    return re.sub(r"\s+", " ", usage.replace("\u2026", "...")).strip()


def command_name(usage):
    """"tutorial add" of "tutorial add TITLE [DESCRIPTION]": the lower-case words."""
    words = re.match(r"^((?:[a-z]+ )*)", usage + " ").group(1)
    return " ".join(words.split())


def help_commands(help_text):
    """{"tutorial add": "tutorial add TITLE [DESCRIPTION]", ...}"""
    usages = [normalize(re.split(r"\s{2,}", line.strip())[0])
              for line in help_section(help_text, "Commands")]
    return {command_name(usage): usage for usage in usages}


def help_options(help_text):
    return set(re.findall(r"^\s+(?:-\w, )?(--[a-z][a-z-]*)", help_text, re.M))


def man_commands(man):
    """{"tutorial add": (usage, [lines of its entry]), ...}"""
    entries = {}
    current = None
    for line in man["COMMANDS"]:
        tag = tags([line])
        if tag:
            usage = normalize(tag[0])
            current = command_name(usage)
            entries[current] = (usage, [])
        elif current is not None:
            entries[current][1].append(line)
    return entries


def compare_commands(help_text, man, label):
    wanted = help_commands(help_text)
    have = man_commands(man)
    problems = [f"--help lists “{u}”, the page does not"
                for c, u in wanted.items() if have.get(c, (None,))[0] != u]
    problems += [f"the page documents “{have[c][0]}”, --help does not"
                 for c in have if c not in wanted]
    check(not problems, f"{label}: the commands and their arguments of --help", problems)
    return wanted, have


def compare_statuses(help_text, man, label):
    wanted = {m.group(1) for m in
              map(re.compile(r"^  (\d+)  ").match,
                  help_section(help_text, "Exit status")) if m}
    have = set(tags(man.get("EXIT STATUS", [])))
    problems = [f"exit status {s} is missing" for s in sorted(wanted - have)]
    problems += [f"exit status {s} is not in --help" for s in sorted(have - wanted)]
    check(wanted and not problems,
          f"{label}: the exit statuses of --help ({len(wanted)})", problems)


def page_problems(cli, page):
    """Everything the CLI's page lacks, as check() results (for the self-test)."""
    global results
    saved, results = results, []
    help_text = run([cli, "--help"], check=True).stdout
    man = sections(render(page))
    compare_commands(help_text, man, "the CLI page")
    compare_statuses(help_text, man, "the CLI page")
    found, results = results, saved
    return found


def check_cli_page(cli, page):
    help_text = run([cli, "--help"], check=True).stdout
    text = render(page)
    man = sections(text)
    commands, entries = compare_commands(help_text, man, "the CLI page")
    compare_statuses(help_text, man, "the CLI page")

    # Global options in OPTIONS; a command's own options in its entry.
    global_options = help_options(help_text)
    documented = {t.split()[0].rstrip(",") for t in tags(man["OPTIONS"])}
    documented |= set(re.findall(r"--[a-z-]+", " ".join(tags(man["OPTIONS"]))))
    problems = sorted(global_options - documented)
    for command in commands:
        out = run([cli] + command.split() + ["--help"], check=True).stdout
        own = help_options(out) - global_options
        entry = " ".join([entries.get(command, ("", []))[0]]
                         + entries.get(command, ("", []))[1])
        problems += [f"{command} {o}" for o in sorted(own)
                     if not re.search(re.escape(o) + r"\b", entry)]
    check(not problems, "the CLI page: every option of every command", problems)

    variables = set(re.findall(r"\b(TUTORIAL_TAGS_[A-Z_]+)", help_text))
    have = set(tags(man.get("ENVIRONMENT", [])))
    check(variables and variables <= have,
          f"the CLI page: the environment variables of --help ({len(variables)})",
          sorted(variables - have))


def check_app_page(app, page):
    help_text = run([app, "--help-all"], check=True).stdout
    man = sections(render(page))
    options = help_options(help_text)
    documented = set(re.findall(r"--[a-z-]+", " ".join(tags(man["OPTIONS"]))))
    check(options and options <= documented,
          f"the application's page: the options of --help-all ({len(options)})",
          sorted(options - documented))


def check_checker(cli, page):
    """A page without "tag duplicates" and exit status 8 must be caught."""
    with open(page, encoding="utf-8") as f:
        source = f.read()
    entry_end = r"(?:(?!\.(?:TP|SS|SH)\b).*\n)*"
    broken = re.sub(r"\.TP\n\.B tag duplicates\n" + entry_end, "", source)
    broken = re.sub(r"\.TP\n\.B 8\n" + entry_end, "", broken)
    with tempfile.NamedTemporaryFile("w", suffix=".1", encoding="utf-8") as f:
        f.write(broken)
        f.flush()
        found = [p for ok, _, ps in page_problems(cli, f.name) if not ok
                 for p in ps]
    expected = ["--help lists “tag duplicates”, the page does not",
                "exit status 8 is missing"]
    check(broken != source and found == expected,
          "a page missing a command and an exit status fails the check",
          found)


def main():
    cli, cli_page, app, app_page = sys.argv[1:5]
    lint(cli_page)
    lint(app_page)
    if not missing_tool("groff"):
        check_cli_page(cli, cli_page)
        check_app_page(app, app_page)
        check_checker(cli, cli_page)

    print(f"1..{len(results)}")
    for number, (ok, name, problems) in enumerate(results, 1):
        if ok is None:
            print(f"ok {number} # SKIP {name}")
            continue
        print(f"{'ok' if ok else 'not ok'} {number} {name}")
        for problem in problems:
            print(f"# {problem}")
    return 0 if all(ok is not False for ok, _, _ in results) else 1


if __name__ == "__main__":
    sys.exit(main())
