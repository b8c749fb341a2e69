/* test-cli.c: tutorial-tags-cli as a script sees it
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Runs the real binary against a fresh catalogue on the backend the test
 * runs for, and checks its output and its exit status.
 */

#define _GNU_SOURCE  /* fopencookie() */
#include "config.h"

#include <string.h>
#include <unistd.h>

#define G_SETTINGS_ENABLE_BACKEND
#include <gio/gsettingsbackend.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>

#include "tt-db-settings.h"
#include "tt-json.h"
#include "tt-rules.h"
#include "tt-secret.h"
#include "tt-test-cli.h"
#include "tt-test-fixture.h"

#define PASSWORD_VARIABLE TT_TEST_DB_PASSWORD_VARIABLE

/* The exit statuses --help documents. */
enum {
  EXIT_OK             = 0,
  EXIT_FAILED         = 1,
  EXIT_USAGE          = 2,
  EXIT_NOT_FOUND      = 3,
  EXIT_DUPLICATE      = 4,
  EXIT_INVALID_INPUT  = 5,
  EXIT_CONNECTION     = 6,
};


/* The --db of the catalogue the running test uses. */
static char *db_uri;

/* A fresh empty catalogue that the CLI then opens on its own: the test's
 * store is closed first so that SQLite's lock does not get in the way. */
static gboolean
fresh_catalogue (void)
{
  g_autoptr(TtStore) store = tt_test_open_store ();

  if (store == NULL)
    return FALSE;

  g_clear_pointer (&db_uri, g_free);
  db_uri = tt_test_location_uri (tt_test_location ());
  tt_store_close (store);
  return TRUE;
}

static GSubprocessLauncher *
cli_launcher (gboolean with_password)
{
  GSubprocessLauncher *launcher = tt_test_cli_launcher ();

  if (with_password && tt_test_password () != NULL)
    g_subprocess_launcher_setenv (launcher, PASSWORD_VARIABLE,
                                  tt_test_password (), TRUE);
  return launcher;
}

static CliRun *
run_cli_full (const char         *input,
              gboolean            with_password,
              const char * const *args)
{
  g_autoptr(GSubprocessLauncher) launcher = cli_launcher (with_password);

  return tt_test_run_cli (launcher, db_uri, input, args);
}

static CliRun *run_cli (const char *first,
                        ...) G_GNUC_NULL_TERMINATED;

static CliRun *
run_cli (const char *first,
         ...)
{
  g_autoptr(GPtrArray) args = g_ptr_array_new ();
  const char *arg;
  va_list ap;

  va_start (ap, first);
  for (arg = first; arg != NULL; arg = va_arg (ap, const char *))
    g_ptr_array_add (args, (gpointer) arg);
  va_end (ap);
  g_ptr_array_add (args, NULL);

  return run_cli_full (NULL, TRUE, (const char * const *) args->pdata);
}

/* Runs @args and checks that it succeeded and printed JSON. */
static JsonNode *
run_json (const char *first,
          ...) G_GNUC_NULL_TERMINATED;

static JsonNode *
parse_json (const char *text)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;

  json_parser_load_from_data (parser, text, -1, &error);
  g_assert_no_error (error);
  g_assert_nonnull (json_parser_get_root (parser));
  return json_node_copy (json_parser_get_root (parser));
}

static JsonNode *
run_json (const char *first,
          ...)
{
  g_autoptr(GPtrArray) args = g_ptr_array_new ();
  g_autoptr(CliRun) run = NULL;
  const char *arg;
  va_list ap;

  va_start (ap, first);
  for (arg = first; arg != NULL; arg = va_arg (ap, const char *))
    g_ptr_array_add (args, (gpointer) arg);
  va_end (ap);
  g_ptr_array_add (args, NULL);

  run = run_cli_full (NULL, TRUE, (const char * const *) args->pdata);
  g_assert_cmpint (run->status, ==, EXIT_OK);
  return parse_json (run->out);
}

static void
assert_status (int         expected,
               const char *first,
               ...) G_GNUC_NULL_TERMINATED;

static void
assert_status (int         expected,
               const char *first,
               ...)
{
  g_autoptr(GPtrArray) args = g_ptr_array_new ();
  g_autoptr(CliRun) run = NULL;
  const char *arg;
  va_list ap;

  va_start (ap, first);
  for (arg = first; arg != NULL; arg = va_arg (ap, const char *))
    g_ptr_array_add (args, (gpointer) arg);
  va_end (ap);
  g_ptr_array_add (args, NULL);

  run = run_cli_full (NULL, TRUE, (const char * const *) args->pdata);
  g_assert_cmpint (run->status, ==, expected);
  /* Failures explain themselves on stderr, with the program's name. */
  if (expected != EXIT_OK)
    g_assert_true (g_str_has_prefix (run->err, "tutorial-tags-cli: "));
}

static guint
count_items (const char *what)
{
  g_autoptr(JsonNode) list = run_json (what, "list", NULL);

  g_assert_true (JSON_NODE_HOLDS_ARRAY (list));
  return json_array_get_length (json_node_get_array (list));
}

/* ---- checking JSON ------------------------------------------------------ */

static void
assert_members (JsonObject         *object,
                const char * const *expected)
{
  g_autoptr(GList) members = json_object_get_members (object);
  GList *l = members;

  /* Exactly these, in this order: the shape of the Node.js tutorial. */
  for (guint i = 0; expected[i] != NULL; i++, l = l->next)
    {
      g_assert_nonnull (l);
      g_assert_cmpstr (l->data, ==, expected[i]);
    }
  g_assert_null (l);
}

static void
assert_timestamp (JsonObject *object,
                  const char *member)
{
  const char *text = json_object_get_string_member (object, member);
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autoptr(GDateTime) time = NULL;

  g_assert_nonnull (text);
  g_assert_true (g_regex_match_simple ("^\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z$",
                                       text, 0, 0));
  /* Written just now, in UTC: a time zone mix-up shows as hours off. */
  time = g_date_time_new_from_iso8601 (text, NULL);
  g_assert_nonnull (time);
  g_assert_cmpint (ABS (g_date_time_difference (now, time)), <, 10 * G_TIME_SPAN_MINUTE);
}

static void
assert_tutorial_ref (JsonNode *node,
                     gint64    id)
{
  static const char * const members[] = { "id", "title", "description", NULL };
  JsonObject *object = json_node_get_object (node);
  g_autofree char *title = g_strdup_printf ("Tut#%" G_GINT64_FORMAT, id);
  g_autofree char *description = g_strdup_printf ("%s Description", title);

  assert_members (object, members);
  g_assert_cmpint (json_object_get_int_member (object, "id"), ==, id);
  g_assert_cmpstr (json_object_get_string_member (object, "title"), ==, title);
  g_assert_cmpstr (json_object_get_string_member (object, "description"), ==, description);
}

static void
assert_tag_ref (JsonNode *node,
                gint64    id)
{
  static const char * const members[] = { "id", "name", NULL };
  JsonObject *object = json_node_get_object (node);
  g_autofree char *name = g_strdup_printf ("Tag#%" G_GINT64_FORMAT, id);

  assert_members (object, members);
  g_assert_cmpint (json_object_get_int_member (object, "id"), ==, id);
  g_assert_cmpstr (json_object_get_string_member (object, "name"), ==, name);
}

typedef void (*AssertRefFunc) (JsonNode *node,
                               gint64    id);

/* @ids ends with 0. */
static void
assert_refs (JsonArray     *array,
             const gint64  *ids,
             AssertRefFunc  assert_ref)
{
  guint n_ids = 0;

  while (ids[n_ids] != 0)
    n_ids++;
  g_assert_cmpuint (json_array_get_length (array), ==, n_ids);
  for (guint i = 0; i < n_ids; i++)
    assert_ref (json_array_get_element (array, i), ids[i]);
}

/* The demo's links, related ids in ascending order, 0-terminated. */
static const gint64 demo_tutorials_of_tag[2][4] = { { 1, 2, 3, 0 }, { 1, 3, 4, 0 } };
static const gint64 demo_tags_of_tutorial[4][3] = { { 1, 2, 0 }, { 1, 0 }, { 1, 2, 0 }, { 2, 0 } };

static void
assert_demo_tag (JsonNode *node,
                 gint64    id)
{
  static const char * const members[] = { "id", "name", "createdAt", "updatedAt", "tutorials", NULL };
  JsonObject *object = json_node_get_object (node);
  g_autofree char *name = g_strdup_printf ("Tag#%" G_GINT64_FORMAT, id);

  assert_members (object, members);
  g_assert_cmpint (json_object_get_int_member (object, "id"), ==, id);
  g_assert_cmpstr (json_object_get_string_member (object, "name"), ==, name);
  assert_timestamp (object, "createdAt");
  assert_timestamp (object, "updatedAt");
  assert_refs (json_object_get_array_member (object, "tutorials"),
               demo_tutorials_of_tag[id - 1], assert_tutorial_ref);
}

static void
assert_demo_tutorial (JsonNode *node,
                      gint64    id)
{
  static const char * const members[] = { "id", "title", "description", "createdAt", "updatedAt", "tags", NULL };
  JsonObject *object = json_node_get_object (node);
  g_autofree char *title = g_strdup_printf ("Tut#%" G_GINT64_FORMAT, id);
  g_autofree char *description = g_strdup_printf ("%s Description", title);

  assert_members (object, members);
  g_assert_cmpint (json_object_get_int_member (object, "id"), ==, id);
  g_assert_cmpstr (json_object_get_string_member (object, "title"), ==, title);
  g_assert_cmpstr (json_object_get_string_member (object, "description"), ==, description);
  assert_timestamp (object, "createdAt");
  assert_timestamp (object, "updatedAt");
  assert_refs (json_object_get_array_member (object, "tags"),
               demo_tags_of_tutorial[id - 1], assert_tag_ref);
}

static void
assert_demo_list (JsonArray     *array,
                  guint          n_items,
                  AssertRefFunc  assert_item)
{
  g_assert_cmpuint (json_array_get_length (array), ==, n_items);
  for (guint i = 0; i < n_items; i++)
    assert_item (json_array_get_element (array, i), i + 1);
}

/* ---- tests ---------------------------------------------------------------- */

static void
test_demo (void)
{
  static const char * const members[] = { "tag", "tags", "tutorial", "tutorials", NULL };
  g_autoptr(JsonNode) root = NULL;
  JsonObject *object;

  if (!fresh_catalogue ())
    return;

  root = run_json ("demo", NULL);
  g_assert_true (JSON_NODE_HOLDS_OBJECT (root));
  object = json_node_get_object (root);
  assert_members (object, members);

  assert_demo_tag (json_object_get_member (object, "tag"), 1);
  assert_demo_list (json_object_get_array_member (object, "tags"), 2, assert_demo_tag);
  assert_demo_tutorial (json_object_get_member (object, "tutorial"), 3);
  assert_demo_list (json_object_get_array_member (object, "tutorials"), 4,
                    assert_demo_tutorial);
}

static void
test_demo_needs_empty_catalogue (void)
{
  g_autoptr(CliRun) run = NULL;

  if (!fresh_catalogue ())
    return;

  assert_status (EXIT_OK, "tag", "add", "Already here", NULL);
  run = run_cli ("demo", NULL);
  g_assert_cmpint (run->status, ==, EXIT_FAILED);
  g_assert_nonnull (strstr (run->err, "reset --yes"));
  g_assert_cmpstr (run->out, ==, "");
  /* Refused before touching anything. */
  g_assert_cmpuint (count_items ("tutorial"), ==, 0);
  g_assert_cmpuint (count_items ("tag"), ==, 1);

  /* And a second demo after a first one. */
  assert_status (EXIT_OK, "reset", "--yes", NULL);
  assert_status (EXIT_OK, "demo", NULL);
  assert_status (EXIT_FAILED, "demo", NULL);
  g_assert_cmpuint (count_items ("tutorial"), ==, 4);
}

static void
test_tag_names (void)
{
  g_autoptr(JsonNode) tag = NULL;
  JsonObject *object;

  if (!fresh_catalogue ())
    return;

  tag = run_json ("tag", "add", "Rust", NULL);
  object = json_node_get_object (tag);
  g_assert_cmpstr (json_object_get_string_member (object, "name"), ==, "Rust");
  g_assert_cmpint (json_object_get_int_member (object, "id"), >, 0);

  assert_status (EXIT_DUPLICATE, "tag", "add", "rust", NULL);
  assert_status (EXIT_DUPLICATE, "tag", "add", "RUST", NULL);
  assert_status (EXIT_INVALID_INPUT, "tag", "add", "", NULL);
  g_assert_cmpuint (count_items ("tag"), ==, 1);
}

static void
test_not_found (void)
{
  if (!fresh_catalogue ())
    return;

  assert_status (EXIT_NOT_FOUND, "tutorial", "show", "999", NULL);
  assert_status (EXIT_NOT_FOUND, "tag", "show", "999", NULL);
  assert_status (EXIT_OK, "tutorial", "add", "Only one", NULL);
  assert_status (EXIT_NOT_FOUND, "link", "1", "999", NULL);
  assert_status (EXIT_OK, "tag", "add", "Only tag", NULL);
  assert_status (EXIT_NOT_FOUND, "link", "999", "1", NULL);
  assert_status (EXIT_NOT_FOUND, "tutorial", "rm", "999", NULL);
  assert_status (EXIT_NOT_FOUND, "tag", "rm", "999", NULL);
  assert_status (EXIT_NOT_FOUND, "tag", "rename", "999", "Nothing", NULL);
}

static void
test_usage_errors (void)
{
  if (!fresh_catalogue ())
    return;

  assert_status (EXIT_OK, "tutorial", "add", "Keep me", NULL);

  assert_status (EXIT_USAGE, "tutorial", "show", "12abc", NULL);
  assert_status (EXIT_USAGE, "tutorial", "show", "0", NULL);
  assert_status (EXIT_USAGE, "tutorial", "show", NULL);
  assert_status (EXIT_USAGE, "tutorial", "show", "1", "2", NULL);
  assert_status (EXIT_USAGE, "link", "1", "x", NULL);
  assert_status (EXIT_USAGE, "frobnicate", NULL);
  assert_status (EXIT_USAGE, "tag", NULL);
  assert_status (EXIT_USAGE, "tutorial", "list", "--sort", "size", NULL);
  assert_status (EXIT_USAGE, "tutorial", "list", "--tag", "1", "--untagged", NULL);
  assert_status (EXIT_USAGE, "bench", "--tutorials", "10x", NULL);
  /* Found by the fuzz test: an empty file name was tried as one. */
  assert_status (EXIT_USAGE, "export", "", NULL);
  assert_status (EXIT_USAGE, "import", "", NULL);

  /* Without --yes nothing is deleted. */
  assert_status (EXIT_USAGE, "reset", NULL);
  g_assert_cmpuint (count_items ("tutorial"), ==, 1);
  {
    g_autoptr(CliRun) reset = run_cli ("reset", "--yes", NULL);

    g_assert_cmpint (reset->status, ==, EXIT_OK);
    /* The tables are missing on purpose in between: before, the store
     * tried to adopt them again and said twice it could not. */
    g_assert_cmpstr (reset->err, ==, "");
  }
  g_assert_cmpuint (count_items ("tutorial"), ==, 0);
}

static void
test_help (void)
{
  g_autoptr(CliRun) help = NULL;
  g_autoptr(CliRun) add_help = NULL;
  g_autoptr(CliRun) version = NULL;

  if (!fresh_catalogue ())
    return;

  help = run_cli ("--help", NULL);
  g_assert_cmpint (help->status, ==, EXIT_OK);
  g_assert_nonnull (strstr (help->out, "Exit status"));
  g_assert_nonnull (strstr (help->out, "tag rename"));
  g_assert_nonnull (strstr (help->out, PASSWORD_VARIABLE));

  add_help = run_cli ("tag", "add", "--help", NULL);
  g_assert_cmpint (add_help->status, ==, EXIT_OK);
  g_assert_nonnull (strstr (add_help->out, "tag add NAME"));

  version = run_cli ("--version", NULL);
  g_assert_cmpint (version->status, ==, EXIT_OK);
  g_assert_nonnull (strstr (version->out, PACKAGE_VERSION));
}

static void
test_password_not_from_argv (void)
{
  static const char * const tag_list[] = { "tag", "list", NULL };
  g_autoptr(CliRun) run = NULL;
  g_autoptr(CliRun) no_password = NULL;

  if (!fresh_catalogue ())
    return;

  run = run_cli ("--password", "secret", "tag", "list", NULL);
  g_assert_cmpint (run->status, ==, EXIT_USAGE);
  g_assert_nonnull (strstr (run->err, "--password"));
  assert_status (EXIT_USAGE, "tag", "list", "--password=secret", NULL);

  /* Without the variable and without a terminal: a clear refusal. */
  no_password = run_cli_full (NULL, FALSE, tag_list);
  if (tt_test_is_mysql ())
    {
      g_assert_cmpint (no_password->status, ==, EXIT_CONNECTION);
      g_assert_nonnull (strstr (no_password->err, PASSWORD_VARIABLE));
    }
  else
    g_assert_cmpint (no_password->status, ==, EXIT_OK);
}

/* g_ptr_array_sort() passes pointers to the elements. */
static int
compare_names (gconstpointer a,
               gconstpointer b)
{
  return g_strcmp0 (*(const char * const *) a, *(const char * const *) b);
}

/* A comparable summary of an export: titles, descriptions and tag names,
 * without ids. */
static char *
summarize_tutorial (JsonObject *tutorial)
{
  JsonArray *tags = json_object_get_array_member (tutorial, "tags");
  g_autoptr(GPtrArray) names = g_ptr_array_new ();
  g_autofree char *joined = NULL;
  const char *description;

  for (guint i = 0; i < json_array_get_length (tags); i++)
    g_ptr_array_add (names, (gpointer) json_object_get_string_member (
                       json_array_get_object_element (tags, i), "name"));
  g_ptr_array_sort (names, compare_names);
  g_ptr_array_add (names, NULL);
  joined = g_strjoinv ("|", (char **) names->pdata);

  description = json_object_get_string_member (tutorial, "description");
  return g_strdup_printf ("%s / %s / %s / %s",
                          json_object_get_string_member (tutorial, "title"),
                          description != NULL ? description : "(null)",
                          json_object_get_string_member (tutorial, "createdAt"),
                          joined);
}

static char *
summarize_export (const char *text)
{
  g_autoptr(JsonNode) root = parse_json (text);
  JsonObject *object = json_node_get_object (root);
  JsonArray *tutorials = json_object_get_array_member (object, "tutorials");
  JsonArray *tags = json_object_get_array_member (object, "tags");
  g_autoptr(GString) summary = g_string_new (NULL);

  g_assert_nonnull (tutorials);
  g_assert_nonnull (tags);
  for (guint i = 0; i < json_array_get_length (tutorials); i++)
    {
      g_autofree char *line = summarize_tutorial (json_array_get_object_element (tutorials, i));

      g_string_append_printf (summary, "%s\n", line);
    }
  for (guint i = 0; i < json_array_get_length (tags); i++)
    {
      JsonObject *tag = json_array_get_object_element (tags, i);

      g_string_append_printf (summary, "tag %s%s%s\n", json_object_get_string_member (tag, "name"),
                              json_object_has_member (tag, "colour") ? " " : "",
                              json_object_get_string_member_with_default (tag, "colour", ""));
    }
  return g_string_free (g_steal_pointer (&summary), FALSE);
}

static void
test_export_import (void)
{
  g_autofree char *dir = NULL;
  g_autofree char *path = NULL;
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  g_autofree char *file_text = NULL;
  g_autoptr(CliRun) first = NULL;
  g_autoptr(CliRun) second = NULL;
  g_autoptr(GError) error = NULL;

  if (!fresh_catalogue ())
    return;

  assert_status (EXIT_OK, "demo", NULL);
  assert_status (EXIT_OK, "tag", "add", "Lonely", NULL);
  assert_status (EXIT_OK, "tutorial", "add", "No description, no tags", NULL);

  dir = g_dir_make_tmp ("test-cli-XXXXXX", &error);
  g_assert_no_error (error);
  path = g_build_filename (dir, "export.json", NULL);

  first = run_cli ("export", NULL);
  g_assert_cmpint (first->status, ==, EXIT_OK);
  assert_status (EXIT_OK, "export", path, NULL);
  g_file_get_contents (path, &file_text, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (file_text, ==, first->out);

  assert_status (EXIT_OK, "reset", "--yes", NULL);
  g_assert_cmpuint (count_items ("tag"), ==, 0);
  assert_status (EXIT_OK, "import", path, NULL);

  second = run_cli ("export", NULL);
  g_assert_cmpint (second->status, ==, EXIT_OK);
  before = summarize_export (first->out);
  after = summarize_export (second->out);
  g_assert_cmpstr (after, ==, before);
  g_assert_nonnull (strstr (after, "tag Lonely\n"));

  g_unlink (path);
  g_rmdir (dir);
}

static void
import_text (const char *text)
{
  static const char * const import_stdin[] = { "import", "-", NULL };
  g_autoptr(CliRun) run = run_cli_full (text, TRUE, import_stdin);

  g_assert_cmpint (run->status, ==, EXIT_OK);
  g_assert_nonnull (strstr (run->err, "imported"));
}

static char *catalogue_text (void);

/* The colour of the tag @name in "tag list", or NULL for none. */
static char *
listed_tag_colour (const char *name)
{
  g_autoptr(JsonNode) tags = run_json ("tag", "list", NULL);
  JsonArray *array = json_node_get_array (tags);

  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonObject *tag = json_array_get_object_element (array, i);

      if (g_strcmp0 (json_object_get_string_member (tag, "name"), name) == 0)
        return g_strdup (json_object_get_string_member_with_default (tag, "colour", NULL));
    }
  g_error ("no tag %s", name);
}

/* Colours go out with their tags and come back in: the file's tags
 * listed with "colour" (the tutorials' references have none), an export
 * of that, imported into an empty catalogue, exports the same. */
static void
test_export_import_colours (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("test-cli-XXXXXX", &error);
  g_autofree char *path = g_build_filename (dir, "export.json", NULL);
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  g_autoptr(CliRun) first = NULL;
  g_autoptr(CliRun) second = NULL;

  g_assert_no_error (error);
  if (!fresh_catalogue ())
    return;
  import_text ("{ \"tutorials\": [ { \"title\": \"A\", \"tags\": [ { \"name\": \"Rust\" }, \"GTK\" ] } ],\n"
               "  \"tags\": [ { \"name\": \"Rust\", \"colour\": \"red\" }, { \"name\": \"GTK\", \"colour\": null },\n"
               "             { \"name\": \"Lonely\", \"colour\": \"blue\" } ] }");

  first = run_cli ("export", NULL);
  g_assert_cmpint (first->status, ==, EXIT_OK);
  before = summarize_export (first->out);
  g_assert_nonnull (strstr (before, "tag Rust red\n"));
  g_assert_nonnull (strstr (before, "tag GTK\n"));
  g_assert_nonnull (strstr (before, "tag Lonely blue\n"));

  g_file_set_contents (path, first->out, -1, &error);
  g_assert_no_error (error);
  assert_status (EXIT_OK, "reset", "--yes", NULL);
  assert_status (EXIT_OK, "import", path, NULL);
  second = run_cli ("export", NULL);
  g_assert_cmpint (second->status, ==, EXIT_OK);
  after = summarize_export (second->out);
  g_assert_cmpstr (after, ==, before);

  g_unlink (path);
  g_rmdir (dir);
}

/* A colour that is not a palette name is refused, saying on which line
 * and in which record; nothing of the file goes in. */
static void
test_import_bad_colour (void)
{
  static const char * const import_stdin[] = { "import", "-", NULL };
  static const struct { const char *text; const char *where; } refused[] = {
    { "{ \"tags\": [ { \"name\": \"fine\", \"colour\": \"green\" },\n"
      "  { \"name\": \"x\", \"colour\": \"pink\" } ] }",
      "Line 2: tags[1].colour" },
    { "{ \"tutorials\": [\n\n { \"title\": \"A\", \"tags\": [ { \"name\": \"y\", \"colour\": \"Red\" } ] } ] }",
      "Line 3: tutorials[0].tags[0].colour" },
    { "[ { \"name\": \"z\", \"colour\": 5, \"tutorials\": [] } ]", "[0].colour is not a string" },
  };
  g_autofree char *before = NULL;

  if (!fresh_catalogue ())
    return;
  import_text ("{ \"tags\": [ { \"name\": \"Kept\", \"colour\": \"brown\" } ] }");
  before = catalogue_text ();

  for (guint i = 0; i < G_N_ELEMENTS (refused); i++)
    {
      g_autoptr(CliRun) run = run_cli_full (refused[i].text, TRUE, import_stdin);
      g_autofree char *after = NULL;

      g_test_message ("%s", run->err);
      g_assert_cmpint (run->status, ==, EXIT_INVALID_INPUT);
      g_assert_nonnull (strstr (run->err, refused[i].where));
      if (i < 2)
        g_assert_nonnull (strstr (run->err, "blue, green, yellow, orange, red, purple or brown"));
      after = catalogue_text ();
      g_assert_cmpstr (after, ==, before);
    }
  g_assert_nonnull (strstr (before, "\"colour\":\"brown\""));
}

static void
test_import_shapes (void)
{
  g_autoptr(CliRun) demo = NULL;
  g_autoptr(JsonNode) tutorials = NULL;
  g_autoptr(JsonNode) old = NULL;
  JsonObject *object;
  JsonArray *tags;

  if (!fresh_catalogue ())
    return;

  /* The demo's output reads back as the same catalogue. */
  demo = run_cli ("demo", NULL);
  g_assert_cmpint (demo->status, ==, EXIT_OK);
  assert_status (EXIT_OK, "reset", "--yes", NULL);
  import_text (demo->out);
  tutorials = run_json ("tutorial", "list", NULL);
  assert_demo_list (json_node_get_array (tutorials), 4, assert_demo_tutorial);

  /* A bare array written by hand: times kept, tag names merged by case. */
  assert_status (EXIT_OK, "reset", "--yes", NULL);
  import_text ("[ { \"title\": \"Old\", \"createdAt\": \"2020-01-02T03:04:05Z\","
               " \"updatedAt\": \"2020-01-02T05:04:05+02:00\", \"tags\": [ \"x\", { \"name\": \"X\" } ] } ]");
  old = run_json ("tutorial", "show", "1", NULL);
  object = json_node_get_object (old);
  g_assert_cmpstr (json_object_get_string_member (object, "title"), ==, "Old");
  g_assert_cmpstr (json_object_get_string_member (object, "createdAt"), ==, "2020-01-02T03:04:05.000Z");
  g_assert_cmpstr (json_object_get_string_member (object, "updatedAt"), ==, "2020-01-02T03:04:05.000Z");
  tags = json_object_get_array_member (object, "tags");
  g_assert_cmpuint (json_array_get_length (tags), ==, 1);
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (tags, 0), "name"),
                   ==, "x");
}

static void
assert_import_refused (const char *text,
                       const char *message)
{
  static const char * const import_stdin[] = { "import", "-", NULL };
  g_autoptr(CliRun) run = run_cli_full (text, TRUE, import_stdin);

  g_assert_cmpint (run->status, ==, EXIT_INVALID_INPUT);
  if (message != NULL)
    g_assert_nonnull (strstr (run->err, message));
  /* All or nothing. */
  g_assert_cmpuint (count_items ("tutorial"), ==, 0);
  g_assert_cmpuint (count_items ("tag"), ==, 0);
}

static void
test_import_malformed (void)
{
  g_autofree char *long_title = g_strnfill (300, 'x');
  g_autofree char *too_long = NULL;

  if (!fresh_catalogue ())
    return;

  assert_import_refused ("{ \"tutorials\": [ { \"title\": ", NULL);
  assert_import_refused ("", NULL);
  assert_import_refused ("42", NULL);
  assert_import_refused ("{ \"tutorials\": 5 }", "tutorials");
  assert_import_refused ("{ \"tutorials\": [ { \"title\": \"A\", \"tags\": [ { \"name\": \"T\" } ] },"
                         " { \"description\": \"no title\" } ] }",
                         "tutorials[1].title is missing");
  assert_import_refused ("{ \"tutorials\": [ { \"title\": 12 } ] }", "tutorials[0].title");
  assert_import_refused ("{ \"tutorials\": [ { \"title\": \"A\", \"createdAt\": \"yesterday\" } ] }",
                         "tutorials[0].createdAt");
  assert_import_refused ("{ \"tags\": [ { \"name\": \"A\" }, [] ] }", "tags[1]");

  /* Well formed, but the store refuses the second tutorial after it has
   * written the first one and its tag. */
  too_long = g_strdup_printf ("{ \"tutorials\": [ { \"title\": \"Fine\", \"tags\": [ { \"name\": \"T\" } ] },"
                              " { \"title\": \"%s\" } ] }", long_title);
  assert_import_refused (too_long, NULL);
}

static void
test_text_round_trip (void)
{
  static const char title[] = "'); DROP TABLE tags; -- 🦀 שלום עולם";
  static const char description[] = "Ünïcödé \"quoted\" \\ back\\slash\n🎉 עברית";
  static const char name[] = "עברית 🏷 '; --";
  g_autoptr(JsonNode) created = NULL;
  g_autoptr(JsonNode) shown = NULL;
  g_autoptr(JsonNode) tag = NULL;
  g_autoptr(CliRun) show = NULL;
  JsonObject *object;
  JsonArray *tags;

  if (!fresh_catalogue ())
    return;

  created = run_json ("tutorial", "add", title, description, NULL);
  object = json_node_get_object (created);
  g_assert_cmpstr (json_object_get_string_member (object, "title"), ==, title);
  g_assert_cmpstr (json_object_get_string_member (object, "description"), ==, description);

  tag = run_json ("tag", "add", name, NULL);
  g_assert_cmpstr (json_object_get_string_member (json_node_get_object (tag), "name"), ==, name);
  assert_status (EXIT_OK, "link", "1", "1", NULL);

  /* Read back from the database, and written as plain UTF-8. */
  show = run_cli ("tutorial", "show", "1", NULL);
  g_assert_cmpint (show->status, ==, EXIT_OK);
  g_assert_nonnull (strstr (show->out, title));
  shown = parse_json (show->out);
  object = json_node_get_object (shown);
  g_assert_cmpstr (json_object_get_string_member (object, "title"), ==, title);
  g_assert_cmpstr (json_object_get_string_member (object, "description"), ==, description);
  tags = json_object_get_array_member (object, "tags");
  g_assert_cmpuint (json_array_get_length (tags), ==, 1);
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (tags, 0), "name"),
                   ==, name);

  /* The tags table is still there. */
  g_assert_cmpuint (count_items ("tag"), ==, 1);
}

static void
assert_ids (JsonNode     *list,
            const gint64 *ids)
{
  JsonArray *array = json_node_get_array (list);
  guint n_ids = 0;

  while (ids[n_ids] != 0)
    n_ids++;
  g_assert_cmpuint (json_array_get_length (array), ==, n_ids);
  for (guint i = 0; i < n_ids; i++)
    g_assert_cmpint (json_object_get_int_member (json_array_get_object_element (array, i), "id"),
                     ==, ids[i]);
}

static void
test_list_filters (void)
{
  g_autoptr(JsonNode) all = NULL;
  g_autoptr(JsonNode) any = NULL;
  g_autoptr(JsonNode) untagged = NULL;
  g_autoptr(JsonNode) found = NULL;
  g_autoptr(JsonNode) newest = NULL;

  if (!fresh_catalogue ())
    return;

  assert_status (EXIT_OK, "demo", NULL);
  assert_status (EXIT_OK, "tutorial", "add", "Tut#5", NULL);

  all = run_json ("tutorial", "list", "--tag", "1", "--tag", "2", "--all-tags", NULL);
  assert_ids (all, (const gint64[]) { 1, 3, 0 });
  any = run_json ("tutorial", "list", "--tag", "2", NULL);
  assert_ids (any, (const gint64[]) { 1, 3, 4, 0 });
  untagged = run_json ("tutorial", "list", "--untagged", NULL);
  assert_ids (untagged, (const gint64[]) { 5, 0 });
  found = run_json ("tutorial", "list", "--search", "Tut#4", NULL);
  assert_ids (found, (const gint64[]) { 4, 0 });
  newest = run_json ("tutorial", "list", "--sort", "title", "--descending", NULL);
  assert_ids (newest, (const gint64[]) { 5, 4, 3, 2, 1, 0 });
}

static JsonObject *
find_object (JsonArray *array,
             gint64     id)
{
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonObject *object = json_array_get_object_element (array, i);

      if (json_object_get_int_member (object, "id") == id)
        return object;
    }
  return NULL;
}

static void
test_edit_and_rename (void)
{
  g_autoptr(JsonNode) edited = NULL;
  g_autoptr(JsonNode) tagged = NULL;
  g_autoptr(JsonNode) tags = NULL;
  g_autoptr(CliRun) merge = NULL;
  JsonObject *object;

  if (!fresh_catalogue ())
    return;

  assert_status (EXIT_OK, "demo", NULL);

  edited = run_json ("tutorial", "edit", "2", "--title", "Tut#2 again", NULL);
  object = json_node_get_object (edited);
  g_assert_cmpstr (json_object_get_string_member (object, "title"), ==, "Tut#2 again");
  g_assert_cmpstr (json_object_get_string_member (object, "description"), ==, "Tut#2 Description");

  tagged = run_json ("tutorial", "tags", "4", "Tag#1", "Fresh", NULL);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (
                      json_node_get_object (tagged), "tags")), ==, 2);

  /* Renaming Tag#2 onto Tag#1 (in another case) merges the two. */
  merge = run_cli ("tag", "rename", "2", "tag#1", NULL);
  g_assert_cmpint (merge->status, ==, EXIT_OK);
  g_assert_nonnull (strstr (merge->err, "merged"));
  tags = run_json ("tag", "list", NULL);
  g_assert_cmpuint (json_array_get_length (json_node_get_array (tags)), ==, 2);
  object = find_object (json_node_get_array (tags), 1);
  g_assert_nonnull (object);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (object, "tutorials")),
                    ==, 4);
}

/* ---- input that must be refused, or taken as given ------------------------ */

/* A TCP port on 127.0.0.1 that nobody answers on but that notices a
 * connection: the kernel completes the handshake into the backlog. */
static GSocket *
listening_socket (guint16 *port)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) any_port = g_inet_socket_address_new (loopback, 0);
  g_autoptr(GSocketAddress) bound = NULL;
  g_autoptr(GSocket) socket = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM,
                                            G_SOCKET_PROTOCOL_TCP, &error);

  g_assert_no_error (error);
  g_socket_bind (socket, any_port, TRUE, &error);
  g_assert_no_error (error);
  g_socket_listen (socket, &error);
  g_assert_no_error (error);
  g_socket_set_blocking (socket, FALSE);
  bound = g_socket_get_local_address (socket, &error);
  g_assert_no_error (error);
  *port = g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound));
  return g_steal_pointer (&socket);
}

static void
assert_nobody_connected (GSocket *socket)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GSocket) connection = g_socket_accept (socket, NULL, &error);

  g_assert_null (connection);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_WOULD_BLOCK);
}

/* A password written into the location is refused before anything is
 * sent anywhere, and no message repeats it. */
static void
test_password_in_location (void)
{
  g_autoptr(GSocket) server = NULL;
  g_autofree char *with_password = NULL;
  g_autofree char *to_option = NULL;
  g_autoptr(CliRun) run = NULL;
  g_autoptr(CliRun) copy = NULL;
  guint16 port;

  if (!fresh_catalogue ())
    return;

  server = listening_socket (&port);
  with_password = g_strdup_printf ("mysql://tt:secret@127.0.0.1:%u/tutorials", port);
  to_option = g_strdup_printf ("--to=%s", with_password);

  run = run_cli ("--db", with_password, "tag", "list", NULL);
  g_assert_cmpint (run->status, ==, EXIT_USAGE);
  g_assert_nonnull (strstr (run->err, "password"));
  g_assert_null (strstr (run->err, "secret"));
  g_assert_cmpstr (run->out, ==, "");

  copy = run_cli ("copy", to_option, NULL);
  g_assert_cmpint (copy->status, ==, EXIT_USAGE);
  g_assert_nonnull (strstr (copy->err, "password"));
  g_assert_null (strstr (copy->err, "secret"));

  assert_nobody_connected (server);
}

/* A malformed location says what is wrong with it. */
static void
test_location_mistakes (void)
{
  static const struct { const char *uri; const char *says; } cases[] = {
    { "mysql://tt@127.0.0.1:99999/tutorials", "65535" },
    { "mysql://tt@127.0.0.1:abc/tutorials", "65535" },
    { "mysql://tt@127.0.0.1:3306/tutorials?tsl=required", "tsl" },
    { "mysql://127.0.0.1:3306/tutorials", "user name" },
  };

  if (!fresh_catalogue ())
    return;

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(CliRun) run = run_cli ("--db", cases[i].uri, "tag", "list", NULL);

      g_assert_cmpint (run->status, ==, EXIT_USAGE);
      g_assert_nonnull (strstr (run->err, cases[i].says));
    }
}

static const char *
member_string (JsonNode   *node,
               const char *member)
{
  return json_object_get_string_member (json_node_get_object (node), member);
}

/* "--" ends the options, so text that starts with "-" can be given. */
static void
test_dash_dash (void)
{
  g_autoptr(JsonNode) tutorial = NULL;
  g_autoptr(JsonNode) both = NULL;
  g_autoptr(JsonNode) tag = NULL;
  g_autoptr(JsonNode) renamed = NULL;
  g_autoptr(JsonNode) tagged = NULL;
  g_autoptr(JsonNode) edited = NULL;
  g_autoptr(CliRun) refused = NULL;
  JsonArray *tags;

  if (!fresh_catalogue ())
    return;

  tutorial = run_json ("tutorial", "add", "--", "-5 tips", NULL);
  g_assert_cmpstr (member_string (tutorial, "title"), ==, "-5 tips");
  /* The store keeps "no description" as "". */
  g_assert_cmpstr (member_string (tutorial, "description"), ==, "");
  both = run_json ("tutorial", "add", "Title", "--", "--", NULL);
  g_assert_cmpstr (member_string (both, "title"), ==, "Title");
  g_assert_cmpstr (member_string (both, "description"), ==, "--");

  tag = run_json ("tag", "add", "--", "-rust", NULL);
  g_assert_cmpstr (member_string (tag, "name"), ==, "-rust");
  renamed = run_json ("tag", "rename", "1", "--", "--help", NULL);
  g_assert_cmpstr (member_string (renamed, "name"), ==, "--help");
  tagged = run_json ("tutorial", "tags", "1", "--", "-a", "--db", NULL);
  tags = json_object_get_array_member (json_node_get_object (tagged), "tags");
  g_assert_cmpuint (json_array_get_length (tags), ==, 2);
  edited = run_json ("tutorial", "edit", "2", "--description", "-d", NULL);
  g_assert_cmpstr (member_string (edited, "description"), ==, "-d");

  /* Without "--" it is an unknown option, and the message says what to do. */
  refused = run_cli ("tutorial", "add", "-5 tips", NULL);
  g_assert_cmpint (refused->status, ==, EXIT_USAGE);
  g_assert_nonnull (strstr (refused->err, "“--”"));
  g_assert_cmpuint (count_items ("tutorial"), ==, 2);
  g_assert_cmpuint (count_items ("tag"), ==, 3);
}

/* json-glib parses nested arrays by recursion: a deep enough file used to
 * overflow the stack (exit 139). Refused before parsing. */
static void
test_import_too_deep (void)
{
  g_autoptr(GString) deep = g_string_new ("{ \"tutorials\": ");
  g_autoptr(GString) in_text = g_string_new ("[ { \"title\": \"Brackets\", \"description\": \"");
  static const char * const import_stdin[] = { "import", "-", NULL };
  g_autoptr(CliRun) run = NULL;

  if (!fresh_catalogue ())
    return;

  for (guint i = 0; i < 100000; i++)
    g_string_append_c (deep, '[');
  for (guint i = 0; i < 100000; i++)
    g_string_append_c (deep, ']');
  g_string_append (deep, " }");
  assert_import_refused (deep->str, "deep");

  /* Brackets inside a string are text, not nesting. */
  for (guint i = 0; i < 60000; i++)
    g_string_append_c (in_text, i % 2 ? '[' : '{');
  g_string_append (in_text, "\" } ]");
  run = run_cli_full (in_text->str, TRUE, import_stdin);
  g_assert_cmpint (run->status, ==, EXIT_OK);
  g_assert_cmpuint (count_items ("tutorial"), ==, 1);
}

/* A sparse file (it costs no disk) of @size bytes that starts with a valid
 * import and goes on with NUL bytes; what "import" says of it. */
static CliRun *
import_sparse_file (const char *dir,
                    guint64     size)
{
  static const char head[] = "{ \"tutorials\": [ { \"title\": \"Big\" } ] }";
  g_autofree char *path = g_build_filename (dir, "large.json", NULL);
  FILE *file = fopen (path, "w");
  CliRun *run;

  g_assert_nonnull (file);
  g_assert_cmpuint (fwrite (head, 1, strlen (head), file), ==, strlen (head));
  g_assert_cmpint (ftruncate (fileno (file), size), ==, 0);
  fclose (file);

  run = run_cli ("import", path, NULL);
  g_unlink (path);
  return run;
}

/* Import reads as it goes (memory does not grow with the file), so the
 * file's size limit only stops nonsense, such as an endless stream
 * filling the disk inside one transaction: a file over it is refused
 * whatever it holds, and one over the old limit of 256 MiB is read (here
 * it is refused for its first NUL byte, on line 1, without reading on). */
static void
test_import_too_large (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("test-cli-XXXXXX", &error);
  g_autoptr(CliRun) too_large = NULL;
  g_autoptr(CliRun) over_old_limit = NULL;

  g_assert_no_error (error);
  if (!fresh_catalogue ())
    return;

  too_large = import_sparse_file (dir, ((guint64) 16 << 30) + 1);
  g_assert_cmpint (too_large->status, ==, EXIT_INVALID_INPUT);
  g_assert_nonnull (strstr (too_large->err, "16 GiB"));

  over_old_limit = import_sparse_file (dir, 256 * 1024 * 1024 + 1);
  g_assert_cmpint (over_old_limit->status, ==, EXIT_INVALID_INPUT);
  g_assert_null (strstr (over_old_limit->err, "iB"));
  g_assert_nonnull (strstr (over_old_limit->err, "Line 1: Text cannot hold the NUL character"));
  g_assert_cmpuint (count_items ("tutorial"), ==, 0);
  g_rmdir (dir);
}

/* What bounds the memory instead: one record (a tutorial, a tag with what
 * it lists) is cut out whole before it is parsed, so it may not grow
 * without end; the refusal names its line, and nothing goes in. */
static void
test_import_record_too_large (void)
{
  static const char * const import_stdin[] = { "import", "-", NULL };
  g_autoptr(GString) text = g_string_new ("{ \"tutorials\": [ { \"title\": \"Fine\" },\n"
                                          "  { \"title\": \"Huge\", \"description\": \"");
  g_autoptr(CliRun) run = NULL;

  if (!fresh_catalogue ())
    return;

  while (text->len <= (64 << 20) + 1024)
    g_string_append (text, "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef");
  g_string_append (text, "\" } ] }");

  run = run_cli_full (text->str, TRUE, import_stdin);
  g_test_message ("%s", run->err);
  g_assert_cmpint (run->status, ==, EXIT_INVALID_INPUT);
  g_assert_nonnull (strstr (run->err, "Line 2: "));
  g_assert_nonnull (strstr (run->err, "64 MiB"));
  g_assert_cmpuint (count_items ("tutorial"), ==, 0);
}

/* A NUL character would cut the text short without a word: refused in
 * any string, names of members included. An escaped backslash followed
 * by "u0000" is plain text. */
static void
test_import_nul (void)
{
  static const char * const refused[] = {
    "{ \"tutorials\": [ { \"title\": \"a\\u0000b\" } ] }",
    "{ \"tutorials\": [ { \"title\": \"A\", \"description\": \"\\u0000\" } ] }",
    "{ \"tutorials\": [ { \"title\\u0000x\": \"A\" } ] }",
    "[ { \"title\": \"A\", \"tags\": [ \"x\\\\\\u0000\" ] } ]",
  };
  /* A NUL byte in the file, not escaped: what follows was ignored. */
  static const char raw_nul[] = "{ \"tags\": [ { \"name\": \"t\" } ] }\n\0{ \"tags\": [ { \"name\": \"u\" } ] }";
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("test-cli-XXXXXX", &error);
  g_autofree char *path = g_build_filename (dir, "nul.json", NULL);
  g_autoptr(CliRun) run = NULL;
  g_autoptr(JsonNode) shown = NULL;

  if (!fresh_catalogue ())
    return;

  for (guint i = 0; i < G_N_ELEMENTS (refused); i++)
    assert_import_refused (refused[i], "NUL");

  g_file_set_contents (path, raw_nul, sizeof raw_nul - 1, &error);
  g_assert_no_error (error);
  run = run_cli ("import", path, NULL);
  g_assert_cmpint (run->status, ==, EXIT_INVALID_INPUT);
  g_assert_nonnull (strstr (run->err, "NUL"));
  g_assert_cmpuint (count_items ("tag"), ==, 0);
  g_unlink (path);
  g_rmdir (dir);

  import_text ("{ \"tutorials\": [ { \"title\": \"a\\\\u0000b\" } ] }");
  shown = run_json ("tutorial", "show", "1", NULL);
  g_assert_cmpstr (member_string (shown, "title"), ==, "a\\u0000b");
}

/* json-glib also takes comments, single quotes and hex numbers, and
 * ignores what follows the first value (the second half of two
 * concatenated exports vanished without a word). Only JSON is taken. */
static void
test_import_only_json (void)
{
  if (!fresh_catalogue ())
    return;

  assert_import_refused ("{ \"tags\": [ { \"name\": \"a\" } ] } { \"tags\": [ { \"name\": \"b\" } ] }",
                         "follows the first value");
  assert_import_refused ("{ \"tags\": [ /* \" */ { \"name\": \"a\" } ] }", "comments");
  assert_import_refused ("{ 'tags': [ { 'name': 'a' } ] }", "single quotes");
  assert_import_refused ("{ \"tags\": [ { \"name\": \"a\", \"id\": 0x10 } ] }", "number");
  assert_import_refused ("{ \"tags\": [ { \"name\": \"\\ud800\" } ] }", "surrogate");

  /* A byte order mark, as some editors write, is skipped. */
  import_text ("\xef\xbb\xbf[ { \"title\": \"After a BOM\" } ]");
  g_assert_cmpuint (count_items ("tutorial"), ==, 1);
}

/* ---- streaming import ------------------------------------------------------- */

/* An export of @n tutorials (each with two of @n_tags tags) and then the
 * tag list, produced as it is read, never held whole. */
typedef struct
{
  guint    n;
  guint    n_tags;
  guint    next;        /* tutorials written so far */
  gboolean tags_done;
  GString *pending;     /* written, not yet read */
  guint64  n_read;
} LazyExport;

static void
lazy_export_more (LazyExport *lazy)
{
  if (lazy->next == 0 && lazy->n_read == 0 && lazy->pending->len == 0)
    g_string_append (lazy->pending, "{ \"tutorials\": [\n");
  if (lazy->next < lazy->n)
    {
      guint i = lazy->next++;

      g_string_append_printf (lazy->pending,
                              "%s{ \"id\": %u, \"title\": \"Tutorial %u\", \"description\": \"About %u\","
                              " \"tags\": [ { \"name\": \"tag %u\" }, { \"name\": \"tag %u\" } ] }\n",
                              i > 0 ? ", " : "", i + 1, i, i, i % lazy->n_tags, (i * 7) % lazy->n_tags);
      return;
    }
  if (!lazy->tags_done)
    {
      g_string_append (lazy->pending, "], \"tags\": [\n");
      for (guint t = 0; t < lazy->n_tags; t++)
        g_string_append_printf (lazy->pending, "%s{ \"name\": \"Tag %u\", \"createdAt\": \"2020-01-01T00:00:00.000Z\" }\n",
                                t > 0 ? ", " : "", t);
      g_string_append (lazy->pending, "] }\n");
      lazy->tags_done = TRUE;
    }
}

static ssize_t
lazy_export_read (void   *cookie,
                  char   *buffer,
                  size_t  size)
{
  LazyExport *lazy = cookie;
  gsize n;

  while (lazy->pending->len < size && !lazy->tags_done)
    lazy_export_more (lazy);
  n = MIN (size, lazy->pending->len);
  memcpy (buffer, lazy->pending->str, n);
  g_string_erase (lazy->pending, 0, n);
  lazy->n_read += n;
  return n;
}

typedef struct
{
  LazyExport *lazy;
  guint       n_batches;
  guint       n_tutorials;
  guint       largest_batch;
  guint       written_at_first;  /* tutorials the input had made at the first batch */
} Batches;

static gboolean
count_batch (gpointer     data,
             GListModel  *tutorials,
             GListModel  *tags,
             GError     **error)
{
  Batches *batches = data;
  guint n = g_list_model_get_n_items (tutorials);

  if (batches->n_batches++ == 0)
    batches->written_at_first = batches->lazy->next;
  batches->n_tutorials += n;
  batches->largest_batch = MAX (batches->largest_batch, MAX (n, g_list_model_get_n_items (tags)));
  return TRUE;
}

/* The reader hands records on while it reads: at the first batch only
 * a small part of the input has been made, and no batch holds more than
 * a few thousand records, however long the input is. */
static void
test_import_streams (void)
{
  static const cookie_io_functions_t io = { .read = lazy_export_read };
  const guint n = 200000;
  LazyExport lazy = { n, 5000, 0, FALSE, g_string_new (NULL), 0 };
  Batches batches = { &lazy, 0, 0, 0, 0 };
  g_autoptr(GError) error = NULL;
  FILE *stream = fopencookie (&lazy, "r", io);

  g_assert_nonnull (stream);
  g_assert_true (tt_json_stream_import (stream, "lazy", count_batch, &batches, &error));
  g_assert_no_error (error);
  fclose (stream);

  g_assert_cmpuint (batches.n_tutorials, ==, n);
  g_assert_cmpuint (lazy.next, ==, n);
  g_assert_cmpuint (batches.n_batches, >=, n / 5000);
  g_assert_cmpuint (batches.largest_batch, <=, 5000);
  g_assert_cmpuint (batches.written_at_first, <, n / 20);
  g_string_free (lazy.pending, TRUE);
}

static char *
big_export (guint       n,
            const char *last_record)
{
  GString *json = g_string_new ("{ \"tutorials\": [\n");

  for (guint i = 0; i < n; i++)
    g_string_append_printf (json, "{ \"title\": \"Big %u\", \"tags\": [ \"t%u\", \"shared\" ] },\n", i, i % 300);
  g_string_append_printf (json, "%s\n], \"tags\": [ { \"name\": \"Shared\", \"colour\": \"red\" },"
                          " { \"name\": \"T1\", \"colour\": \"green\" } ] }\n", last_record);
  return g_string_free (json, FALSE);
}

/* Every tutorial with its tags and every tag, times included. */
static char *
catalogue_text (void)
{
  g_autoptr(JsonNode) tutorials = run_json ("tutorial", "list", NULL);
  g_autoptr(JsonNode) tags = run_json ("tag", "list", NULL);
  g_autofree char *tutorials_text = json_to_string (tutorials, FALSE);
  g_autofree char *tags_text = json_to_string (tags, FALSE);

  return g_strconcat (tutorials_text, "\n", tags_text, NULL);
}

/* What the export said when it built one whole document: from the
 * catalogue, in this process. */
static char *
export_as_one_document (gboolean pretty)
{
  g_autoptr(TtStore) store = tt_test_reopen_store ();
  g_autoptr(GError) error = NULL;
  g_autoptr(GListModel) tutorials = NULL;
  g_autoptr(GListModel) tags = NULL;
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *text = NULL;
  TtTutorialQuery query = { .sort = TT_SORT_BY_ID, .with_tags = TRUE };

  tutorials = tt_store_list_tutorials (store, &query, &error);
  g_assert_no_error (error);
  tags = tt_store_list_tags (store, FALSE, &error);
  g_assert_no_error (error);
  root = tt_json_export (tutorials, tags);
  text = tt_json_to_string (root, pretty);
  return g_strconcat (text, "\n", NULL);
}

/* Says where two long texts first differ, not the whole of both. */
static void
assert_same_text (const char *text,
                  const char *expected)
{
  gsize at = 0;

  while (text[at] != '\0' && text[at] == expected[at])
    at++;
  if (text[at] == expected[at])
    return;
  g_error ("texts differ at byte %" G_GSIZE_FORMAT ": '%.40s' against '%.40s'",
           at, text + (at > 20 ? at - 20 : 0), expected + (at > 20 ? at - 20 : 0));
}

/* An export is written a page of tutorials (5 000) at a time, not built
 * whole first, and says the same, byte for byte: pretty and compact, to
 * the standard output and into a file. */
static void
test_export_in_pages (void)
{
  g_autofree char *json = big_export (5200, "{ \"title\": \"Last\", \"description\": \"tab\\t \\\"quoted\\\"\" }");
  g_autofree char *dir = NULL;
  g_autofree char *path = NULL;
  g_autofree char *expected_pretty = NULL;
  g_autofree char *expected_compact = NULL;
  g_autofree char *file_text = NULL;
  g_autoptr(CliRun) pretty = NULL;
  g_autoptr(GError) error = NULL;

  if (!fresh_catalogue ())
    return;
  import_text (json);
  assert_status (EXIT_OK, "tag", "add", "Lonely", NULL);
  g_assert_cmpuint (count_items ("tutorial"), ==, 5201);

  pretty = run_cli ("export", NULL);
  g_assert_cmpint (pretty->status, ==, EXIT_OK);
  expected_pretty = export_as_one_document (TRUE);
  assert_same_text (pretty->out, expected_pretty);

  dir = g_dir_make_tmp ("test-cli-XXXXXX", &error);
  g_assert_no_error (error);
  path = g_build_filename (dir, "export.json", NULL);
  assert_status (EXIT_OK, "export", "--compact", path, NULL);
  g_file_get_contents (path, &file_text, NULL, &error);
  g_assert_no_error (error);
  expected_compact = export_as_one_document (FALSE);
  assert_same_text (file_text, expected_compact);

  g_unlink (path);
  g_rmdir (dir);
}

static void
assert_big_import_refused (const char *last_record,
                           const char *message)
{
  static const char * const import_stdin[] = { "import", "-", NULL };
  /* Through the CLI: opening a test store afresh empties it on MariaDB. */
  g_autofree char *before = catalogue_text ();
  g_autofree char *after = NULL;
  g_autofree char *json = big_export (9000, last_record);
  g_autoptr(CliRun) run = run_cli_full (json, TRUE, import_stdin);

  g_assert_cmpint (run->status, ==, EXIT_INVALID_INPUT);
  g_assert_nonnull (strstr (run->err, message));
  after = catalogue_text ();
  g_assert_cmpstr (after, ==, before);
}

/* Batches of a large import were written before its last record is
 * read: a bad one there still leaves the catalogue as it was. */
static void
test_import_bad_end (void)
{
  g_autofree char *title = g_strnfill (300, 'x');
  g_autofree char *too_long = g_strdup_printf ("{ \"title\": \"%s\" }", title);
  g_autofree char *good = big_export (9000, "{ \"title\": \"Last\" }");
  g_autoptr(JsonNode) shown = NULL;
  g_autofree char *tags = NULL;
  g_autofree char *t1_colour = NULL;
  g_autofree char *shared_colour = NULL;

  if (!fresh_catalogue ())
    return;
  import_text ("{ \"tutorials\": [ { \"title\": \"Kept\", \"tags\": [ \"shared\" ] } ] }");

  assert_big_import_refused ("{ \"description\": \"no title\" }", "tutorials[9000].title is missing");
  assert_big_import_refused ("{ \"title\": \"A\" ", "Line 9002");
  assert_big_import_refused (too_long, "Tutorial 9001");
  assert_big_import_refused ("{ \"title\": \"A\", \"tags\": [ { \"name\": \"t2\", \"colour\": \"pink\" } ] }",
                             "Line 9002: tutorials[9000].tags[0].colour");
  g_assert_cmpuint (count_items ("tutorial"), ==, 1);

  /* The same file with a good last record goes in whole; the tag list,
   * after the tutorials, gives a tag they created its spelling, not one
   * that was there before. */
  import_text (good);
  g_assert_cmpuint (count_items ("tutorial"), ==, 9002);
  g_assert_cmpuint (count_items ("tag"), ==, 301);
  shown = run_json ("tag", "list", NULL);
  tags = json_to_string (shown, FALSE);
  g_assert_nonnull (strstr (tags, "\"shared\""));
  g_assert_nonnull (strstr (tags, "\"T1\""));
  g_assert_null (strstr (tags, "\"t1\""));
  /* Its colour too; the tag that was there keeps having none. */
  t1_colour = listed_tag_colour ("T1");
  shared_colour = listed_tag_colour ("shared");
  g_assert_cmpstr (t1_colour, ==, "green");
  g_assert_null (shared_colour);
}

/* ---- without --db: the application's settings and keyring ------------------ */

/* The file the CLI reads with GSETTINGS_BACKEND=keyfile: GIO's keyfile
 * backend in the test's own XDG_CONFIG_HOME. */
static GSettings *
keyfile_settings (void)
{
  g_autofree char *path = g_build_filename (g_get_user_config_dir (), "glib-2.0",
                                            "settings", "keyfile", NULL);
  g_autoptr(GSettingsBackend) backend = g_keyfile_settings_backend_new (path, "/", NULL);
  g_autoptr(GSettingsSchema) schema = NULL;

  schema = g_settings_schema_source_lookup (g_settings_schema_source_get_default (),
                                            APPLICATION_ID, TRUE);
  g_assert_nonnull (schema);
  return g_settings_new_full (schema, backend, NULL);
}

static CliRun *
run_cli_from_settings (const char * const *args)
{
  g_autoptr(GSubprocessLauncher) launcher = cli_launcher (FALSE);

  /* The test's own folders: g_test_init() points the variables elsewhere. */
  g_subprocess_launcher_setenv (launcher, "GSETTINGS_BACKEND", "keyfile", TRUE);
  g_subprocess_launcher_setenv (launcher, "XDG_CONFIG_HOME", g_get_user_config_dir (), TRUE);
  g_subprocess_launcher_setenv (launcher, "XDG_DATA_HOME", g_get_user_data_dir (), TRUE);
  return tt_test_run_cli (launcher, NULL, NULL, args);
}

static void
keyring_store (const TtDbLocation *location,
               const char         *password)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;

  tt_secret_store_async (location, password, NULL, tt_test_keep_result, &result);
  tt_test_wait_for (&result);
  tt_secret_store_finish (result, &error);
  g_assert_no_error (error);
}

static void
keyring_clear (const TtDbLocation *location)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;

  tt_secret_clear_async (location, NULL, tt_test_keep_result, &result);
  tt_test_wait_for (&result);
  tt_secret_clear_finish (result, &error);
  g_assert_no_error (error);
}

/* What the Preferences saved is what the CLI opens without --db; a MySQL
 * password comes from the keyring, with neither the variable nor a
 * terminal to ask on. */
static void
test_settings_and_keyring (void)
{
  static const char * const tag_list[] = { "tag", "list", NULL };
  g_autoptr(TtStore) store = tt_test_open_store ();
  g_autoptr(GSettings) settings = NULL;
  g_autoptr(TtTag) tag = NULL;
  g_autoptr(CliRun) refused = NULL;
  g_autoptr(CliRun) run = NULL;
  g_autoptr(GError) error = NULL;
  const TtDbLocation *location;

  if (store == NULL)
    return;

  tag = tt_store_create_tag (store, "Chosen in Preferences", &error);
  g_assert_no_error (error);
  tt_store_close (store);
  location = tt_test_location ();
  settings = keyfile_settings ();
  tt_db_location_save_to_settings (location, settings);

  if (tt_test_is_mysql ())
    {
      /* Nothing in the keyring (another test may have left the entry):
       * a plain refusal that says what to do. */
      if (tt_test_keyring_available ())
        keyring_clear (location);
      refused = run_cli_from_settings (tag_list);
      g_assert_cmpint (refused->status, ==, EXIT_CONNECTION);
      g_assert_nonnull (strstr (refused->err, PASSWORD_VARIABLE));
      g_assert_nonnull (strstr (refused->err, "Preferences"));

      if (!tt_test_keyring_available ())
        return;
      keyring_store (location, tt_test_password ());
    }

  run = run_cli_from_settings (tag_list);
  g_assert_cmpint (run->status, ==, EXIT_OK);
  g_assert_nonnull (strstr (run->out, "Chosen in Preferences"));

  if (tt_test_is_mysql ())
    keyring_clear (location);
}

/* Search text beyond TT_MAX_SEARCH_CHARS is invalid input (exit 5), not
 * SQLite's "LIKE or GLOB pattern too complex" (exit 1, found by the fuzz
 * test at 70 000 characters); up to it, a search that finds nothing. */
static void
test_search_too_long (void)
{
  g_autofree char *longest = NULL;
  g_autofree char *too_long = NULL;
  g_autofree char *huge = NULL;
  g_autoptr(CliRun) run = NULL;

  if (!fresh_catalogue ())
    return;

  assert_status (EXIT_OK, "tutorial", "add", "Keep me", NULL);
  longest = g_strnfill (TT_MAX_SEARCH_CHARS, 'x');
  too_long = g_strnfill (TT_MAX_SEARCH_CHARS + 1, 'x');
  huge = g_strnfill (70000, '%');

  run = run_cli ("tutorial", "list", "--search", longest, NULL);
  g_assert_cmpint (run->status, ==, EXIT_OK);
  g_clear_pointer (&run, cli_run_free);

  run = run_cli ("tutorial", "list", "--search", too_long, NULL);
  g_assert_cmpint (run->status, ==, EXIT_INVALID_INPUT);
  g_assert_nonnull (strstr (run->err, "at most 1000 characters"));
  g_clear_pointer (&run, cli_run_free);

  run = run_cli ("tutorial", "list", "--search", huge, NULL);
  g_assert_cmpint (run->status, ==, EXIT_INVALID_INPUT);
}

int
main (int    argc,
      char **argv)
{
  tt_test_init (&argc, &argv);

  g_test_add_func ("/cli/demo", test_demo);
  g_test_add_func ("/cli/demo-needs-empty-catalogue", test_demo_needs_empty_catalogue);
  g_test_add_func ("/cli/tag-names", test_tag_names);
  g_test_add_func ("/cli/not-found", test_not_found);
  g_test_add_func ("/cli/usage-errors", test_usage_errors);
  g_test_add_func ("/cli/help", test_help);
  g_test_add_func ("/cli/password-not-from-argv", test_password_not_from_argv);
  g_test_add_func ("/cli/export-import", test_export_import);
  g_test_add_func ("/cli/export-import-colours", test_export_import_colours);
  g_test_add_func ("/cli/import-bad-colour", test_import_bad_colour);
  g_test_add_func ("/cli/import-shapes", test_import_shapes);
  g_test_add_func ("/cli/import-malformed", test_import_malformed);
  g_test_add_func ("/cli/text-round-trip", test_text_round_trip);
  g_test_add_func ("/cli/list-filters", test_list_filters);
  g_test_add_func ("/cli/edit-and-rename", test_edit_and_rename);
  g_test_add_func ("/cli/password-in-location", test_password_in_location);
  g_test_add_func ("/cli/location-mistakes", test_location_mistakes);
  g_test_add_func ("/cli/dash-dash", test_dash_dash);
  g_test_add_func ("/cli/import-too-deep", test_import_too_deep);
  g_test_add_func ("/cli/import-too-large", test_import_too_large);
  g_test_add_func ("/cli/import-record-too-large", test_import_record_too_large);
  g_test_add_func ("/cli/import-nul", test_import_nul);
  g_test_add_func ("/cli/import-only-json", test_import_only_json);
  g_test_add_func ("/cli/import-streams", test_import_streams);
  g_test_add_func ("/cli/import-bad-end", test_import_bad_end);
  g_test_add_func ("/cli/export-in-pages", test_export_in_pages);
  g_test_add_func ("/cli/search-too-long", test_search_too_long);
  g_test_add_func ("/cli/settings-and-keyring", test_settings_and_keyring);

  return g_test_run ();
}
