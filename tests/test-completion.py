#!/usr/bin/env python3
# test-completion.py: the shell completions of tutorial-tags-cli (TAP).
#
#   test-completion.py CLI BASH_COMPLETION ZSH_COMPLETION
#
# Types into a real interactive bash (bash -i on a pseudo-terminal, with
# bash-completion loading data/completions/tutorial-tags-cli the way it
# loads installed ones) and into an interactive zsh (compinit, with
# _tutorial-tags-cli in $fpath), presses Tab and reads what the shell
# inserts, on a real SQLite catalogue made with the built CLI.
#
# SPDX-License-Identifier: GPL-3.0-or-later

import json
import os
import pty
import re
import select
import shutil
import signal
import subprocess
import sys
import tempfile
import time

results = []


def check(ok, name, detail=""):
    results.append((ok, name, detail))


class Shell:
    """An interactive shell on a pseudo-terminal. complete(line) types
    @line, asks the shell to insert every completion of its last word, and
    returns the words of the line then, as the shell splits them."""

    MARK = "<<DONE>>"

    def __init__(self, argv, env, setup, insert_all, cwd):
        self.pid, self.fd = pty.fork()
        if self.pid == 0:
            os.chdir(cwd)
            os.execvpe(argv[0], argv, env)
        self.insert_all = insert_all
        for line in setup:
            self.run(line)

    def read_until(self, pattern, timeout=20):
        output = b""
        deadline = time.monotonic() + timeout
        while not re.search(pattern, output.decode("utf-8", "replace")):
            left = deadline - time.monotonic()
            if left <= 0:
                raise TimeoutError(output.decode("utf-8", "replace")[-2000:])
            ready, _, _ = select.select([self.fd], [], [], left)
            if ready:
                output += os.read(self.fd, 65536)
        return output.decode("utf-8", "replace")

    def run(self, command):
        os.write(self.fd, f"{command}; echo '{self.MARK[:2]}''{self.MARK[2:]}'\r".encode())
        return self.read_until(re.escape(self.MARK) + r"\r?\n")

    def complete(self, line):
        # Type the line, insert all completions, go to the start of the
        # line and turn it into a command that prints its words.
        keys = line + self.insert_all + "\x01" + "printf '[%s]\\n' " + "\x05"
        os.write(self.fd, keys.encode())
        time.sleep(0.2)
        output = self.last_output = self.run("")
        words = re.findall(r"^\[(.*)\]\r?$", output, re.M)
        return words[1:]  # without the command's own name

    def close(self):
        # A shell stuck in a prompt does not take "exit".
        os.kill(self.pid, signal.SIGKILL)
        os.waitpid(self.pid, 0)
        os.close(self.fd)


def completions(shell, line):
    """The words the shell put in place of the last word of @line."""
    n_before = len(line.split(" ")) - 2   # the words before it, less the name
    return shell.complete(line)[n_before:]


def tag_ids(cli, db):
    """What the catalogue holds, asked of the CLI the ordinary way."""
    out = subprocess.run([cli, "--db", db, "--compact", "tag", "list"],
                         check=True, capture_output=True, text=True).stdout
    return [str(tag["id"]) for tag in json.loads(out)]


def make_catalogue(cli, folder):
    db = "sqlite:" + os.path.join(folder, "catalogue.db")
    for args in (["demo"], ["tag", "add", "GTK 4"], ["tag", "add", "Guile $(touch pwned)"]):
        subprocess.run([cli, "--db", db] + args, check=True,
                       stdout=subprocess.DEVNULL)
    return db


def expect(shell, line, wanted, name):
    got = completions(shell, line)
    check(sorted(got) == sorted(wanted), f"{name}: “{line}” completes to {wanted}",
          f"got {got}")


def test_shell(shell, label, cli, db, folder, home):
    expect(shell, "tutorial-tags-cli t", ["tag", "tutorial"], f"{label}: commands")
    expect(shell, "tutorial-tags-cli tag r", ["rename", "rm"], f"{label}: tag's commands")
    expect(shell, "tutorial-tags-cli tutorial list --s", ["--search", "--sort"],
           f"{label}: a command's options")
    expect(shell, "tutorial-tags-cli tutorial list --sort c", ["created"],
           f"{label}: an option's values")
    expect(shell, "tutorial-tags-cli --db m", ["mysql://", "mariadb://"],
           f"{label}: --db schemes")
    expect(shell, f"tutorial-tags-cli --db sqlite:{folder}/cat",
           [f"sqlite:{folder}/catalogue.db"], f"{label}: --db file names")
    expect(shell, f"tutorial-tags-cli --db {db} tutorial tags 1 G",
           ["GTK 4", "Guile $(touch pwned)"], f"{label}: tag names of the catalogue")
    expect(shell, f"tutorial-tags-cli --db {db} tag show ",
           tag_ids(cli, db), f"{label}: tag ids of the catalogue")
    check(not os.path.exists(os.path.join(home, "pwned")),
          f"{label}: the tag name “Guile $(touch pwned)” is text, never run")
    # Nothing listens on port 9 of this machine: the server is refused at
    # once; what matters is that no password is asked for on the terminal.
    expect(shell, "tutorial-tags-cli --db mysql://u@127.0.0.1:9/x tag show ", [],
           f"{label}: no tags from a server that cannot be reached")
    check("Password" not in shell.last_output,
          f"{label}: completing never asks for a password")
    missing = os.path.join(folder, "typo.db")
    expect(shell, f"tutorial-tags-cli --db sqlite:{missing} tag show ", [],
           f"{label}: no tags where there is no catalogue")
    check(not os.path.exists(missing),
          f"{label}: completing on a catalogue that is not there creates none")


def bash_shell(completion, env, home):
    completions_dir = os.path.join(home, "data", "bash-completion", "completions")
    os.makedirs(completions_dir)
    os.symlink(completion, os.path.join(completions_dir, "tutorial-tags-cli"))
    return Shell(["bash", "--norc", "--noprofile", "-i"],
                 dict(env, XDG_DATA_HOME=os.path.join(home, "data"), PS1="$ "),
                 ["bind 'set bell-style none'",
                  ". /usr/share/bash-completion/bash_completion"],
                 insert_all="\x1b*", cwd=home)


def zsh_shell(completion, env, home):
    functions = os.path.join(home, "zsh")
    os.makedirs(functions)
    shutil.copy(completion, os.path.join(functions, "_tutorial-tags-cli"))
    return Shell(["zsh", "-f", "-i"], dict(env, PS1="$ "),
                 [f"fpath=({functions} $fpath)",
                  "autoload -Uz compinit && compinit -u -D",
                  "setopt no_beep",
                  # Ctrl+X * puts every match on the line (zshcompsys(1), _all_matches).
                  "bindkey -e; zle -C all-matches complete-word _generic; "
                  "bindkey '^X*' all-matches; "
                  "zstyle ':completion:all-matches:*' completer _all_matches _complete; "
                  "zstyle ':completion:all-matches:*' insert true"],
                 insert_all="\x18*", cwd=home)


def main():
    cli, bash_completion, zsh_completion = map(os.path.abspath, sys.argv[1:4])
    with tempfile.TemporaryDirectory() as folder:
        db = make_catalogue(cli, folder)
        env = dict(os.environ, PATH=os.path.dirname(cli) + ":" + os.environ["PATH"],
                   HOME=folder, TERM="dumb", LC_ALL="C.UTF-8")
        env.pop("TUTORIAL_TAGS_DB_PASSWORD", None)
        shells = [("bash", bash_shell, bash_completion,
                   "/usr/share/bash-completion/bash_completion"),
                  ("zsh", zsh_shell, zsh_completion, None)]
        for label, start, completion, needed in shells:
            if not shutil.which(label) or (needed and not os.path.exists(needed)):
                results.append((None if not os.environ.get("CI") else False,
                                f"{label} and its completion system are installed", ""))
                continue
            home = tempfile.mkdtemp(dir=folder)
            shell = start(completion, env, home)
            try:
                test_shell(shell, label, cli, db, folder, home)
            except TimeoutError as stuck:
                check(False, f"{label}: the shell answers within 20 seconds",
                      "it stopped at: " + str(stuck)[-300:].replace("\n", " "))
            finally:
                shell.close()

    print(f"1..{len(results)}")
    for number, (ok, name, detail) in enumerate(results, 1):
        if ok is None:
            print(f"ok {number} # SKIP {name}: no")
            continue
        print(f"{'ok' if ok else 'not ok'} {number} {name}")
        if not ok and detail:
            print(f"# {detail}")
    return 0 if all(ok is not False for ok, _, _ in results) else 1


if __name__ == "__main__":
    sys.exit(main())
