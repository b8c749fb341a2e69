#!/usr/bin/env python3
# bench-watch.py: what 20 idle `tutorial-tags-cli watch` processes cost a
# MariaDB server holding 100 000 tutorials, and how long a change by another
# client takes to reach each of them. Not a test; run by hand:
#
#   tests/bench-watch.py _build/src/tutorial-tags-cli [N_WATCHERS] [SECONDS]
#
# It starts its own server (build-aux/mariadb-private.sh) in a temporary
# folder and stops it at the end. The same 20 watchers are measured twice:
# as a user without the TRIGGER privilege on a database without the
# journal's triggers (they fall back to the old check: a scan of the tables
# every 2 s, what each open window did before the journal), and as the
# full user reading the journal every 0.3 s. Prints JSON.
#
# SPDX-License-Identifier: GPL-3.0-or-later

import json
import os
import selectors
import shutil
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
CTL = os.path.join(HERE, '..', 'build-aux', 'mariadb-private.sh')
TICKS = os.sysconf('SC_CLK_TCK')


def read_env(path):
    env = {}
    with open(path) as f:
        for line in f:
            if line.startswith('export '):
                key, _, value = line[len('export '):].strip().partition('=')
                env[key] = value.strip("'")
    return env


class Server:
    def __init__(self):
        self.dir = tempfile.mkdtemp(prefix='tt-bench-watch-')
        subprocess.run([CTL, 'start', self.dir], check=True, stdout=subprocess.DEVNULL)
        self.env = read_env(os.path.join(self.dir, 'env'))
        with open(os.path.join(self.dir, 'mysqld.pid')) as f:
            self.pid = int(f.read())

    def sql(self, statements, user=None):
        subprocess.run(['mariadb', '--no-defaults', '--skip-ssl', '-h', '127.0.0.1',
                        '-P', self.env['TT_TEST_MYSQL_PORT'], '-u', user or self.env['TT_TEST_MYSQL_USER'],
                        '-p' + self.env['TT_TEST_MYSQL_PASSWORD'], 'tt_bench', '-e', statements],
                       check=True)

    def cpu_seconds(self):
        with open('/proc/%d/stat' % self.pid) as f:
            fields = f.read().rsplit(')', 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / TICKS

    def uri(self, user):
        return 'mysql://%s@127.0.0.1:%s/tt_bench' % (user, self.env['TT_TEST_MYSQL_PORT'])

    def stop(self):
        subprocess.run([CTL, 'stop', self.dir], check=True)
        shutil.rmtree(self.dir, ignore_errors=True)


def fill(server, cli, n_tutorials):
    env = dict(os.environ, TUTORIAL_TAGS_DB_PASSWORD=server.env['TT_TEST_MYSQL_PASSWORD'])
    subprocess.run([cli, '--db', server.uri('tt'), 'tag', 'list'], env=env, check=True,
                   stdout=subprocess.DEVNULL)
    n_tags = n_tutorials // 10
    server.sql("INSERT INTO tutorials (title, description, createdAt, updatedAt)"
               " SELECT CONCAT('Tutorial ', seq), 'A description', NOW(), NOW() FROM seq_1_to_%d;"
               "INSERT INTO tags (name, name_key, createdAt, updatedAt)"
               " SELECT CONCAT('Tag ', seq), CONCAT('tag ', seq), NOW(), NOW() FROM seq_1_to_%d;"
               "INSERT INTO tutorial_tag (tutorial_id, tag_id, createdAt, updatedAt)"
               " SELECT t.seq, 1 + (t.seq + k.seq * 3331) %% %d, NOW(), NOW()"
               "  FROM seq_1_to_%d t, seq_1_to_3 k;"
               "DELETE FROM tt_change_journal WHERE id > 0;"
               % (n_tutorials, n_tags, n_tags, n_tutorials))


def start_watchers(server, cli, user, n):
    env = dict(os.environ, TUTORIAL_TAGS_DB_PASSWORD=server.env['TT_TEST_MYSQL_PASSWORD'])
    return [subprocess.Popen([cli, '--db', server.uri(user), 'watch'], env=env,
                             stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
            for _ in range(n)]


def stop_watchers(watchers):
    for w in watchers:
        w.terminate()
    return [w.wait() for w in watchers]


def server_cpu(server, seconds):
    before = server.cpu_seconds()
    time.sleep(seconds)
    return 100.0 * (server.cpu_seconds() - before) / seconds


def latencies(server, watchers, n_changes):
    """Seconds from each committed change to each watcher's line for it."""
    selector = selectors.DefaultSelector()
    for w in watchers:
        os.set_blocking(w.stdout.fileno(), False)
        selector.register(w.stdout, selectors.EVENT_READ, w)
    found = []
    for i in range(n_changes):
        title = 'Changed %d' % i
        server.sql("UPDATE tutorials SET title = '%s' WHERE id = %d" % (title, 1 + i))
        done = time.monotonic()
        waiting = set(watchers)
        while waiting and time.monotonic() - done < 10:
            for key, _ in selector.select(timeout=0.05):
                data = key.fileobj.read() or b''
                if title.encode() in data:
                    found.append(time.monotonic() - done)
                    waiting.discard(key.data)
        found.extend([float('inf')] * len(waiting))
        time.sleep(0.2)
    return sorted(found)


def percentile(values, p):
    return values[min(len(values) - 1, int(len(values) * p))]


def main():
    cli = os.path.abspath(sys.argv[1])
    n_watchers = int(sys.argv[2]) if len(sys.argv) > 2 else 20
    seconds = float(sys.argv[3]) if len(sys.argv) > 3 else 30
    server = Server()
    result = {'watchers': n_watchers, 'seconds': seconds, 'tutorials': 100000}
    try:
        fill(server, cli, 100000)
        result['idle_server_cpu_percent'] = server_cpu(server, 5)

        server.sql('DROP TRIGGER tt_journal_tags_update')
        watchers = start_watchers(server, cli, server.env['TT_TEST_MYSQL_NOTRIGGER_USER'], n_watchers)
        time.sleep(3)
        result['scan_server_cpu_percent'] = server_cpu(server, seconds)
        stop_watchers(watchers)

        # Opening as the full user makes the missing trigger again.
        watchers = start_watchers(server, cli, 'tt', n_watchers)
        time.sleep(3)
        result['journal_server_cpu_percent'] = server_cpu(server, seconds)
        found = latencies(server, watchers, 30)
        result['latency_ms'] = {'p50': 1000 * percentile(found, 0.5), 'p99': 1000 * percentile(found, 0.99),
                                'max': 1000 * found[-1], 'lines': len(found)}
        result['exit_statuses'] = sorted(set(stop_watchers(watchers)))
    finally:
        server.stop()
    print(json.dumps(result, indent=2))


if __name__ == '__main__':
    main()
