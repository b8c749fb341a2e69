#!/usr/bin/env bash
# test-node-interop.sh: a MariaDB database shared with the Node.js/Sequelize
# many-to-many tutorial app keeps working for both programs once Tutorial
# Tags has adopted it, and each program sees what the other writes.
#
#   test-node-interop.sh PATH/TO/tutorial-tags-cli
#
# Drives the real Node.js app (tests/node/tutorial-app.js: the tutorial's
# models and controllers on Sequelize 6 and mysql2) and our command-line
# tool against one database, in turns. TAP on stdout.
#
# Environment:
#   TT_TEST_MYSQL_URI        mysql://USER@HOST:PORT of the private server
#                            (build-aux/mariadb-private.sh); without it the
#                            test is skipped, or fails when CI=true
#   TT_TEST_MYSQL_PASSWORD   that user's password
#   TT_TEST_MYSQL_DATABASE   the database to use (default tt_node); it is
#                            dropped and created afresh
#   TT_NODE_DB_CHARSET       the database's default charset (default
#                            utf8mb4; latin1 is what older MySQL servers made)
#   TT_NODE_WORK_DIR         where npm installs the app (default: a
#                            temporary folder, removed afterwards)
#   TT_NODE_NPM_TIMEOUT      seconds npm ci may take (default 300)
#
# SPDX-License-Identifier: GPL-3.0-or-later

# The checks are Python in single quotes; backquotes in them are SQL's:
# shellcheck disable=SC2016

set -euo pipefail

plan=29
source_dir=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/node
cli=${1:-}

# --- TAP ----------------------------------------------------------------------

skip_all_or_bail ()
{
  if [ "${CI:-}" = true ]; then
    echo "Bail out! $1"
    exit 1
  fi
  echo "1..0 # SKIP $1"
  exit 0
}

bail ()
{
  echo "Bail out! $1"
  exit 1
}

n=0
failures=0
last_out=""
last_err=""

ok ()
{
  n=$((n + 1))
  echo "ok $n - $1"
}

# not_ok DESCRIPTION [WHY]: the failure, with what the last command printed.
not_ok ()
{
  n=$((n + 1))
  failures=$((failures + 1))
  echo "not ok $n - $1"
  [ -z "${2:-}" ] || echo "# $2"
  diagnose
}

diagnose ()
{
  local file
  for file in "$last_err" "$last_out"; do
    if [ -n "$file" ] && [ -s "$file" ]; then
      echo "# --- $(basename "$file") (last 40 lines)"
      tail -n 40 "$file" | sed 's/^/#   /'
    fi
  done
}

# result DESCRIPTION COMMAND...: ok when COMMAND succeeds.
result ()
{
  local description=$1
  shift
  if "$@"; then
    ok "$description"
  else
    not_ok "$description"
  fi
}

# --- preconditions --------------------------------------------------------------

[ -n "${TT_TEST_MYSQL_URI:-}" ] || skip_all_or_bail "no MariaDB (TT_TEST_MYSQL_URI is not set; run build-aux/run-tests.sh)"
command -v node >/dev/null 2>&1 || skip_all_or_bail "no node (install the Debian packages nodejs and npm)"
command -v npm >/dev/null 2>&1 || skip_all_or_bail "no npm (install the Debian packages nodejs and npm)"
node_major=$(node -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0)
[ "$node_major" -ge 18 ] || skip_all_or_bail "node $(node --version 2>/dev/null) is too old: Sequelize needs 18 or later here"
command -v python3 >/dev/null 2>&1 || bail "python3 is needed to read the JSON"
if [ -z "$cli" ] || [ ! -x "$cli" ]; then
  bail "usage: $0 PATH/TO/tutorial-tags-cli"
fi

uri_pattern='^mysql://([^@/]+)@([^:/]+):([0-9]+)/?$'
[[ $TT_TEST_MYSQL_URI =~ $uri_pattern ]] || bail "TT_TEST_MYSQL_URI is not mysql://USER@HOST:PORT: $TT_TEST_MYSQL_URI"
export TT_NODE_DB_USER=${BASH_REMATCH[1]}
export TT_NODE_DB_HOST=${BASH_REMATCH[2]}
export TT_NODE_DB_PORT=${BASH_REMATCH[3]}

database=${TT_TEST_MYSQL_DATABASE:-tt_node}
[[ $database =~ ^[A-Za-z0-9_]+$ ]] || bail "TT_TEST_MYSQL_DATABASE must be letters, digits and _ only"
export TT_NODE_DB_PASSWORD=${TT_TEST_MYSQL_PASSWORD:-}
export TT_NODE_DB_NAME=$database
db_uri="${TT_TEST_MYSQL_URI%/}/$database"

# --- the work folder ------------------------------------------------------------

# npm writes node_modules next to package.json: into the build folder or a
# temporary one, never into the source tree.
if [ -n "${TT_NODE_WORK_DIR:-}" ]; then
  work=$TT_NODE_WORK_DIR
elif [ -n "${MESON_BUILD_ROOT:-}" ]; then
  work=$MESON_BUILD_ROOT/tests/node-interop
else
  work=$(mktemp -d -t tt-node-interop.XXXXXX)
  trap 'rm -rf "$work"' EXIT
fi
rm -rf "$work/logs"
mkdir -p "$work/logs"
cp "$source_dir/package.json" "$source_dir/package-lock.json" "$source_dir/tutorial-app.js" "$work/"

echo "1..$plan"
echo "# node $(node --version), npm $(npm --version), database $db_uri, work folder $work"

# --- running the two programs ---------------------------------------------------

step=0

# capture NAME COMMAND...: runs COMMAND with its output in logs/NAME.out and
# logs/NAME.err; sets $status and $out.
capture ()
{
  local name
  step=$((step + 1))
  name=$(printf '%02d-%s' "$step" "$1")
  shift
  last_out=$work/logs/$name.out
  last_err=$work/logs/$name.err
  out=$last_out
  if "$@" >"$last_out" 2>"$last_err"; then
    status=0
  else
    status=$?
  fi
}

node_app ()
{
  (cd "$work" && timeout 120 node tutorial-app.js "$@")
}

tt_cli ()
{
  TUTORIAL_TAGS_DB_PASSWORD=$TT_NODE_DB_PASSWORD timeout 60 "$cli" --db "$db_uri" --compact "$@"
}

# check DESCRIPTION PYTHON_CODE FILE...: the code sees the parsed files as
# docs[0], docs[1], … and fails with `assert` or fail("why").
check ()
{
  local description=$1 code=$2 why
  shift 2
  if why=$(python3 -c "
import json, sys
docs = []
for path in sys.argv[1:]:
    with open(path, encoding='utf-8') as f:
        docs.append(json.load(f))
def fail(why):
    print(why)
    sys.exit(1)
def by_id(items):
    return sorted(items, key=lambda item: item['id'])
def names(items, key):
    return sorted(item[key] for item in items)
$code
" "$@" 2>&1); then
    ok "$description"
  else
    not_ok "$description" "$(echo "$why" | tail -n 1)"
  fi
}

# expect_status DESCRIPTION EXPECTED: after capture.
expect_status ()
{
  if [ "$status" -eq "$2" ]; then
    ok "$1"
  else
    not_ok "$1" "exit status $status, expected $2"
  fi
}

# What the tutorial's seed makes, by name: every tag with its tutorials,
# every tutorial with its tags (and the extra case-duplicate tag#1).
seed_python='
SEED_TAGS = {"Tag#1": ["Tut#1", "Tut#2", "Tut#3"], "Tag#2": ["Tut#1", "Tut#3", "Tut#4"], "tag#1": ["Tut#2"]}
SEED_TUTORIALS = {"Tut#1": ["Tag#1", "Tag#2"], "Tut#2": ["Tag#1", "tag#1"],
                  "Tut#3": ["Tag#1", "Tag#2"], "Tut#4": ["Tag#2"]}
def tags_by_name(tags):
    return {t["name"]: names(t["tutorials"], "title") for t in tags}
def tutorials_by_title(tutorials):
    return {t["title"]: names(t["tags"], "name") for t in tutorials}
def sorted_deep(items, nested):
    return [dict(item, **{nested: by_id(item[nested])}) for item in by_id(items)]
'

# --- 1. the Node.js app -----------------------------------------------------------

lock_stamp=$work/node_modules/.tt-package-lock.json
if [ -d "$work/node_modules" ] && cmp -s "$work/package-lock.json" "$lock_stamp"; then
  ok "npm ci: node_modules in $work is up to date"
else
  capture npm-ci env -C "$work" npm_config_update_notifier=false \
    timeout "${TT_NODE_NPM_TIMEOUT:-300}" npm ci --no-audit --no-fund --ignore-scripts
  if [ "$status" -eq 0 ]; then
    cp "$work/package-lock.json" "$lock_stamp"
    ok "npm ci: sequelize and mysql2 installed in $work"
  else
    not_ok "npm ci" "exit status $status"
    bail "npm ci failed"
  fi
fi

charset=${TT_NODE_DB_CHARSET:-utf8mb4}
capture fresh-database node_app fresh-database "$charset"
if [ "$status" -ne 0 ]; then
  not_ok "node: a fresh database $database ($charset)"
  bail "cannot create the database $database"
fi
ok "node: a fresh database $database ($charset)"

capture sync-and-seed node_app sync-and-seed
if [ "$status" -ne 0 ]; then
  not_ok "node: sync({force: true}) and the tutorial's seed"
  bail "the Node.js app cannot seed the database"
fi
ok "node: sync({force: true}) and the tutorial's seed"

capture schema-node node_app schema
schema_node=$out
check "the tables are Sequelize's: description is VARCHAR(255), no name_key" '
s = docs[0]
assert sorted(s) == ["tags", "tutorial_tag", "tutorials"], sorted(s)
assert "`description` varchar(255)" in s["tutorials"], s["tutorials"]
assert "name_key" not in s["tags"], s["tags"]
' "$schema_node"

# --- 2. our CLI adopts the database and reads it ------------------------------------

capture cli-tag-list tt_cli tag list
cli_tags=$out
if [ "$status" -ne 0 ]; then
  not_ok "cli: tag list on the Node.js app's database" "exit status $status"
  bail "our CLI cannot open the Node.js app's database"
fi
check "cli: tag list adopts the database and shows Tag#1, Tag#2 and tag#1 with their tutorials" "$seed_python"'
tags = docs[0]
assert len(tags) == 3, f"{len(tags)} tags: {tags}"
assert tags_by_name(tags) == SEED_TAGS, tags_by_name(tags)
' "$cli_tags"

capture cli-tutorial-list tt_cli tutorial list
cli_tutorials=$out
check "cli: tutorial list shows the 4 tutorials, their descriptions and 7 links" "$seed_python"'
tutorials = docs[0]
assert len(tutorials) == 4, f"{len(tutorials)} tutorials"
assert tutorials_by_title(tutorials) == SEED_TUTORIALS, tutorials_by_title(tutorials)
for t in tutorials:
    assert t["description"] == t["title"] + " Description", t
links = sum(len(t["tags"]) for t in tutorials)
assert links == 7, f"{links} links"
' "$cli_tutorials"

capture cli-duplicates tt_cli tag duplicates
check "cli: tag duplicates reports Tag#1 and tag#1 as one group" '
groups = docs[0]
assert len(groups) == 1, groups
assert names(groups[0], "name") == ["Tag#1", "tag#1"], groups
' "$out"

capture schema-adopted node_app schema
schema_adopted=$out
check "adopted: name_key and tt_schema_version added, description widened" '
s = docs[0]
assert "tt_schema_version" in s, sorted(s)
assert "`name_key`" in s["tags"], s["tags"]
assert "`description` varchar(255)" not in s["tutorials"], s["tutorials"]
' "$schema_adopted"

# --- 3. the Node.js app after the adoption ---------------------------------------------

capture node-sync node_app sync
expect_status "node: sync() at start-up succeeds on the adopted database" 0

capture schema-after-sync node_app schema
check "node: sync() changed no table (name_key, tt_schema_version, description kept)" '
assert docs[0] == docs[1], "the schema changed"
' "$schema_adopted" "$out"

capture node-dump node_app dump
node_dump=$out
check "node: findAll() reads the adopted tables: the seed, as our CLI shows it" "$seed_python"'
dump = docs[0]
assert tags_by_name(dump["tags"]) == SEED_TAGS, tags_by_name(dump["tags"])
assert tutorials_by_title(dump["tutorials"]) == SEED_TUTORIALS, tutorials_by_title(dump["tutorials"])
' "$node_dump"

check "node and our CLI answer with the same JSON (ids, texts, timestamps, nested lists)" "$seed_python"'
dump, cli_tags, cli_tutorials = docs
for what, nested, mine, theirs in (("tags", "tutorials", cli_tags, dump["tags"]),
                                   ("tutorials", "tags", cli_tutorials, dump["tutorials"])):
    mine, theirs = sorted_deep(mine, nested), sorted_deep(theirs, nested)
    if mine != theirs:
        fail(f"{what} differ: node {theirs} cli {mine}")
' "$node_dump" "$cli_tags" "$cli_tutorials"

# --- 4. our CLI writes, the Node.js app reads -----------------------------------------------

# A description longer than Sequelize's VARCHAR(255), for the widened column.
long_description=$(python3 -c 'print("Ünïcödé 🦀 " * 100, end="")')

capture cli-tutorial-add tt_cli tutorial add "Made by GTK" "desc 🦀"
gtk_tutorial=$out
expect_status "cli: tutorial add \"Made by GTK\" \"desc 🦀\"" 0
gtk_tutorial_id=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["id"])' "$gtk_tutorial" 2>/dev/null || true)

capture cli-tutorial-add-long tt_cli tutorial add "Long" "$long_description"
long_tutorial=$out
expect_status "cli: tutorial add with a description of ${#long_description} characters" 0

capture cli-tag-add tt_cli tag add Vala
vala_tag=$out
expect_status "cli: tag add Vala" 0
vala_tag_id=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["id"])' "$vala_tag" 2>/dev/null || true)

if [ -z "$gtk_tutorial_id" ] || [ -z "$vala_tag_id" ]; then
  bail "no ids from tutorial add / tag add"
fi

capture cli-link tt_cli link "$gtk_tutorial_id" "$vala_tag_id"
expect_status "cli: link $gtk_tutorial_id $vala_tag_id" 0

capture node-dump-after-cli node_app dump
check "node: sees \"Made by GTK\" with tag Vala and the emoji intact, and Vala with the tutorial" '
dump, tutorial, tag = docs
mine = [t for t in dump["tutorials"] if t["id"] == tutorial["id"]]
assert len(mine) == 1, "node does not see the tutorial"
mine = mine[0]
assert mine["title"] == "Made by GTK", mine
assert mine["description"] == "desc \U0001F980", ascii(mine["description"])
assert [g["name"] for g in mine["tags"]] == ["Vala"], mine["tags"]
vala = [g for g in dump["tags"] if g["id"] == tag["id"]]
assert len(vala) == 1 and [t["title"] for t in vala[0]["tutorials"]] == ["Made by GTK"], vala
assert len(dump["tutorials"]) == 6 and len(dump["tags"]) == 4, "counts"
' "$out" "$gtk_tutorial" "$vala_tag"

check "node: reads the long description whole" '
dump, tutorial = docs
mine = [t for t in dump["tutorials"] if t["id"] == tutorial["id"]]
assert len(mine) == 1, "node does not see the tutorial"
back = mine[0]["description"]
assert back == tutorial["description"], f"{len(back)} characters back"
assert len(tutorial["description"]) > 255
' "$out" "$long_tutorial"

# --- 5. the Node.js app writes, our CLI reads -------------------------------------------------

capture node-add-tag node_app add-tag Meson 1
expect_status "node: add-tag Meson 1 (TagController.create, addTutorial)" 0

capture cli-tutorial-show tt_cli tutorial show 1
check "cli: tutorial show 1 lists Meson, Tag#1 and Tag#2" '
tutorial = docs[0]
assert tutorial["title"] == "Tut#1", tutorial
assert names(tutorial["tags"], "name") == ["Meson", "Tag#1", "Tag#2"], tutorial["tags"]
' "$out"

capture cli-tag-add-meson tt_cli tag add meson
expect_status "cli: tag add meson fails with 4 (Meson, made by the Node.js app, has that name)" 4

# --- 6. the Node.js app starts again with sync({force: true}) --------------------------------------
#
# The tutorial's server.js drops and re-creates its three tables at every
# start in development. Our own table (tt_schema_version) survives that,
# the re-created tags and tutorials tables are Sequelize's again.

# A `watch` started before it stays open across it, as a window does.
watch_out=$work/logs/watch.out
watch_err=$work/logs/watch.err
TUTORIAL_TAGS_DB_PASSWORD=$TT_NODE_DB_PASSWORD "$cli" --db "$db_uri" watch >"$watch_out" 2>"$watch_err" &
watch_pid=$!

# wait_for FILE PATTERN: whether FILE has a line matching PATTERN within 20 s.
wait_for ()
{
  for _ in $(seq 200); do
    grep -q -- "$2" "$1" 2>/dev/null && return 0
    sleep 0.1
  done
  return 1
}

if wait_for "$watch_err" "watching for changes"; then
  ok "cli: watch is reading the journal before the re-creation"
else
  not_ok "cli: watch is reading the journal before the re-creation" "$(tail -n 1 "$watch_err")"
fi

capture node-force-sync node_app sync-and-seed
expect_status "node: sync({force: true}) and the seed again, on the adopted database" 0

if wait_for "$watch_out" '"kind":"resync"'; then
  ok "cli: the open watch sees the tables made again and says to read everything again"
else
  not_ok "cli: the open watch sees the tables made again and says to read everything again" "$(tail -n 1 "$watch_err")"
fi

# Before any other client of ours opens the catalogue (an open adopts the
# tables again, and would make the triggers for the watch).
capture node-add-tag-watched node_app add-tag Watched 1
if [ "$status" -eq 0 ] && wait_for "$watch_out" '"kind":"tag","op":"insert".*"name":"Watched"'; then
  ok "cli: the same watch, not restarted, prints the tag the Node.js app adds after the re-creation"
else
  not_ok "cli: the same watch, not restarted, prints the tag the Node.js app adds after the re-creation" \
    "node status $status; watch printed: $(tr '\n' ' ' <"$watch_out" | tail -c 300)"
fi
kill -TERM "$watch_pid" 2>/dev/null || true
wait "$watch_pid" 2>/dev/null || true

capture cli-tag-list-again tt_cli tag list
check "cli: tag list after the re-creation shows the seed and the tag added since" "$seed_python"'
assert tags_by_name(docs[0]) == dict(SEED_TAGS, Watched=["Tut#1"]), tags_by_name(docs[0])
' "$out"

capture cli-tag-add-again tt_cli tag add Vala
expect_status "cli: tag add Vala after the re-creation" 0

capture cli-tag-add-case-again tt_cli tag add TAG#2
expect_status "cli: tag add TAG#2 after the re-creation fails with 4 (Tag#2 exists)" 4

capture cli-tutorial-add-long-again tt_cli tutorial add "Long again" "$long_description"
expect_status "cli: tutorial add with a long description after the re-creation" 0

[ "$n" -eq "$plan" ] || echo "# planned $plan tests, ran $n"
[ "$failures" -eq 0 ] && [ "$n" -eq "$plan" ]
