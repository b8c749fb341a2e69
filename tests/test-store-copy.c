/* test-store-copy.c: copying a whole catalogue into another database
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The target is the catalogue the test runs for (a SQLite file, or the
 * private MariaDB); the source is a SQLite file of its own. In the MySQL
 * run one test also copies the other way, MariaDB into SQLite. Source and
 * target are compared row by row through plain libgda connections.
 */

#include "config.h"

#include <string.h>
#include <unistd.h>

#include "tt-gda-autocleanups.h"
#include "tt-test-cli.h"
#include "tt-test-fixture.h"
#include "tt-store-copy.h"

#define TARGET_PASSWORD_VARIABLE TT_TEST_TARGET_PASSWORD_VARIABLE

/* The exit statuses tutorial-tags-cli --help documents. */
enum {
  EXIT_OK            = 0,
  EXIT_USAGE         = 2,
  EXIT_INVALID_INPUT = 5,
  EXIT_CONNECTION    = 6,
};

/* ---- databases ----------------------------------------------------------- */

static guint n_files;

/* A SQLite file of the test's own, beside the fixture's catalogue. */
static char *
new_sqlite_path (void)
{
  return g_strdup_printf ("%s/copy-%u.db", g_get_user_data_dir (), ++n_files);
}

static TtStore *
open_sqlite (const char *path)
{
  g_autoptr(TtDbLocation) location = tt_db_location_new_sqlite (path);
  g_autoptr(GError) error = NULL;
  TtStore *store = tt_store_open (location, NULL, &error);

  g_assert_no_error (error);
  return store;
}

static GdaConnection *
raw_open_sqlite (const char *path)
{
  g_autofree char *dir = g_path_get_dirname (path);
  g_autofree char *base = g_path_get_basename (path);
  g_autofree char *cnc_string = NULL;
  g_autoptr(GError) error = NULL;
  GdaConnection *cnc;

  base[strlen (base) - strlen (".db")] = '\0';
  cnc_string = g_strdup_printf ("DB_DIR=%s;DB_NAME=%s", dir, base);
  cnc = gda_connection_open_from_string ("SQLite", cnc_string, NULL,
                                         GDA_CONNECTION_OPTIONS_NONE, &error);
  g_assert_no_error (error);
  return cnc;
}


/* A time reads the same from both backends (a GdaTimestamp from MariaDB,
 * text from SQLite); NULL is "∅", which no text of the tests is. */
static char *
value_text (const GValue *value)
{
  if (value == NULL || G_VALUE_HOLDS (value, GDA_TYPE_NULL))
    return g_strdup ("∅");
  /* How libgda's MySQL provider reads an empty TEXT. */
  if (G_VALUE_HOLDS_STRING (value) && g_value_get_string (value) == NULL)
    return g_strdup ("");
  if (G_VALUE_HOLDS (value, GDA_TYPE_TIMESTAMP))
    {
      const GdaTimestamp *ts = gda_value_get_timestamp (value);

      return g_strdup_printf ("%04d-%02u-%02u %02u:%02u:%02u", ts->year, ts->month,
                              ts->day, ts->hour, ts->minute, ts->second);
    }
  return gda_value_stringify (value);
}

static int
compare_lines (gconstpointer a,
               gconstpointer b)
{
  return strcmp (*(char * const *) a, *(char * const *) b);
}

/* Every row of a catalogue as a line of text, sorted. Ids are left out:
 * a copy gives new ones; a link and a colour name their tag. */
static char *
dump (GdaConnection *cnc)
{
  static const char * const queries[] = {
    "SELECT title, description, createdAt, updatedAt FROM tutorials",
    "SELECT name, createdAt, updatedAt FROM tags",
    "SELECT tu.title, t.name, x.createdAt, x.updatedAt FROM tutorial_tag x"
    " JOIN tutorials tu ON tu.id = x.tutorial_id JOIN tags t ON t.id = x.tag_id",
    "SELECT t.name, c.colour FROM tt_tag_colour c JOIN tags t ON t.id = c.tag_id",
  };
  static const char * const kinds[] = { "tutorial", "tag", "link", "colour" };
  g_autoptr(GPtrArray) lines = g_ptr_array_new_with_free_func (g_free);

  for (guint q = 0; q < G_N_ELEMENTS (queries); q++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(GdaDataModel) model = gda_connection_execute_select_command (cnc, queries[q], &error);

      g_assert_no_error (error);
      for (int row = 0; row < gda_data_model_get_n_rows (model); row++)
        {
          GString *line = g_string_new (kinds[q]);

          for (int col = 0; col < gda_data_model_get_n_columns (model); col++)
            {
              g_autofree char *text = value_text (gda_data_model_get_value_at (model, col, row, NULL));

              g_string_append_printf (line, "\t%s", text);
            }
          g_ptr_array_add (lines, g_string_free (line, FALSE));
        }
    }

  g_ptr_array_sort (lines, compare_lines);
  g_ptr_array_add (lines, NULL);
  return g_strjoinv ("\n", (char **) lines->pdata);
}

static void
assert_contains_lines (const char *text,
                       const char *lines)
{
  g_auto(GStrv) wanted = g_strsplit (lines, "\n", -1);
  g_auto(GStrv) have = g_strsplit (text, "\n", -1);

  for (guint i = 0; wanted[i] != NULL; i++)
    g_assert_true (g_strv_contains ((const char * const *) have, wanted[i]));
}

/* ---- catalogues ---------------------------------------------------------- */

typedef struct
{
  const char *title;
  const char *description;
  int         tags[3];  /* tag ids, 0 ends */
} SeedTutorial;

static const char * const seed_tags[] = { "Rust", "GTK", "Tag#3 ünïcödé 🦀", "unused" };
/* Their colours: NULL for none. */
static const char * const seed_colours[] = { "red", NULL, "purple", "brown" };

/* Ids from 1 in this order. Three tutorials are the same but for their
 * tags: a second copy must pair each with its own. */
static const SeedTutorial seed_tutorials[] = {
  { "Intro", "Desc 1", { 1, 2 } },
  { "Emoji 🦀 and “quotes” 'single' \"double\"", NULL, { 3 } },
  { "No tags", "", { 0 } },
  { "RTL שלום", "עברית", { 2, 3 } },
  { "Twin", "Same", { 1 } },
  { "Twin", "Same", { 2 } },
  { "Twin", "Same", { 3 } },
};

#define SEED_TUTORIALS (G_N_ELEMENTS (seed_tutorials) + 1)
#define SEED_LINKS 8

static GDateTime *
seed_time (int month,
           int day,
           int hour)
{
  return g_date_time_new_utc (2021, month, day, hour, 0, 0);
}

static void
seed_tag (TtStore *store,
          guint    i)
{
  g_autoptr(TtTag) tag = tt_tag_new (i + 1, seed_tags[i]);
  g_autoptr(GDateTime) created = seed_time (1, i + 1, 8);
  g_autoptr(GDateTime) updated = seed_time (2, i + 1, 9);
  g_autoptr(TtTag) restored = NULL;
  g_autoptr(GError) error = NULL;

  tt_tag_set_created_at (tag, created);
  tt_tag_set_updated_at (tag, updated);
  restored = tt_store_restore_tag (store, tag, &error);
  g_assert_no_error (error);
  tt_store_set_tag_colour (store, tt_tag_get_id (restored), seed_colours[i], NULL, &error);
  g_assert_no_error (error);
}

/* The twins share their creation time, as a duplicate made by hand would. */
static void
seed_tutorial (TtStore *store,
               guint    i)
{
  const SeedTutorial *seed = &seed_tutorials[i];
  g_autoptr(TtTutorial) tutorial = tt_tutorial_new (i + 1, seed->title, seed->description);
  g_autoptr(GListStore) tags = g_list_store_new (TT_TYPE_TAG);
  g_autoptr(GDateTime) created = seed_time (3, MIN (i, 4u) + 1, 10);
  g_autoptr(GDateTime) updated = seed_time (4, i + 1, 11);
  g_autoptr(TtTutorial) restored = NULL;
  g_autoptr(GError) error = NULL;

  for (guint k = 0; seed->tags[k] != 0; k++)
    {
      g_autoptr(TtTag) tag = tt_tag_new (seed->tags[k], seed_tags[seed->tags[k] - 1]);

      g_list_store_append (tags, tag);
    }
  tt_tutorial_set_tags (tutorial, G_LIST_MODEL (tags));
  tt_tutorial_set_created_at (tutorial, created);
  tt_tutorial_set_updated_at (tutorial, updated);
  restored = tt_store_restore_tutorial (store, tutorial, &error);
  g_assert_no_error (error);
}

/* The seed catalogue, every row with times of its own (links too), and
 * a tutorial without title or description, as the Node.js app can make. */
static void
fill_seed (TtStore       *store,
           GdaConnection *raw)
{
  for (guint i = 0; i < G_N_ELEMENTS (seed_tags); i++)
    seed_tag (store, i);
  for (guint i = 0; i < G_N_ELEMENTS (seed_tutorials); i++)
    seed_tutorial (store, i);
  tt_test_raw_exec (raw, "INSERT INTO tutorials (title, description, createdAt, updatedAt)"
                 " VALUES (NULL, NULL, '2021-03-07 10:00:00', '2021-04-07 11:00:00')");

  for (guint i = 0; i < G_N_ELEMENTS (seed_tutorials); i++)
    for (guint k = 0; seed_tutorials[i].tags[k] != 0; k++)
      {
        int tag = seed_tutorials[i].tags[k];
        g_autofree char *sql =
          g_strdup_printf ("UPDATE tutorial_tag SET createdAt = '2022-05-0%u 1%d:00:00',"
                           " updatedAt = '2022-06-0%u 1%d:30:00'"
                           " WHERE tutorial_id = %u AND tag_id = %d",
                           i + 1, tag, i + 1, tag, i + 1, tag);

        tt_test_raw_exec (raw, sql);
      }
}

/* @n tutorials with one or two of 50 tags; tutorial @poison_at (from 1)
 * is titled "poison". */
static void
fill_large (TtStore *store,
            guint    n,
            guint    poison_at)
{
  g_autoptr(GListStore) tutorials = g_list_store_new (TT_TYPE_TUTORIAL);
  g_autoptr(GListStore) tags = g_list_store_new (TT_TYPE_TAG);
  g_autoptr(GError) error = NULL;

  for (guint j = 0; j < 50; j++)
    {
      g_autofree char *name = g_strdup_printf ("bulk-%u", j);
      g_autoptr(TtTag) tag = tt_tag_new (0, name);

      g_list_store_append (tags, tag);
    }

  for (guint i = 0; i < n; i++)
    {
      g_autofree char *title = i + 1 == poison_at ? g_strdup ("poison") : g_strdup_printf ("Tutorial %u", i);
      g_autoptr(TtTutorial) tutorial = tt_tutorial_new (0, title, "bulk");
      g_autoptr(GListStore) chosen = g_list_store_new (TT_TYPE_TAG);
      g_autoptr(TtTag) first = g_list_model_get_item (G_LIST_MODEL (tags), i % 50);
      g_autoptr(TtTag) second = g_list_model_get_item (G_LIST_MODEL (tags), (i * 7 + 1) % 50);

      g_list_store_append (chosen, first);
      if (second != first)
        g_list_store_append (chosen, second);
      tt_tutorial_set_tags (tutorial, G_LIST_MODEL (chosen));
      g_list_store_append (tutorials, tutorial);
    }

  tt_store_import (store, G_LIST_MODEL (tutorials), G_LIST_MODEL (tags), &error);
  g_assert_no_error (error);
}

/* ---- copying ------------------------------------------------------------- */

typedef struct
{
  guint         calls;
  guint64       done;
  guint64       total;
  guint         cancel_at;     /* cancel on this call; 0: never */
  GCancellable *cancellable;
  GThread      *thread;        /* where every call must come from */
  gboolean      finished;      /* the async callback ran */
} Progress;

static void
record_progress (guint64  done,
                 guint64  total,
                 gpointer data)
{
  Progress *progress = data;

  g_assert_false (progress->finished);
  g_assert_true (progress->thread == NULL || progress->thread == g_thread_self ());
  g_assert_cmpuint (done, >, progress->done);
  g_assert_cmpuint (done, <=, total);

  progress->calls++;
  progress->done = done;
  progress->total = total;
  if (progress->calls == progress->cancel_at)
    g_cancellable_cancel (progress->cancellable);
}

static void
assert_report (const TtCopyReport *report,
               guint               tutorials_copied,
               guint               tutorials_skipped,
               guint               tags_created,
               guint               tags_merged,
               guint               links_copied)
{
  g_assert_cmpuint (report->tutorials_copied, ==, tutorials_copied);
  g_assert_cmpuint (report->tutorials_skipped, ==, tutorials_skipped);
  g_assert_cmpuint (report->tags_created, ==, tags_created);
  g_assert_cmpuint (report->tags_merged, ==, tags_merged);
  g_assert_cmpuint (report->links_copied, ==, links_copied);
}

static void
copy_ok (TtStore      *source,
         TtStore      *target,
         TtCopyReport *report)
{
  g_autoptr(GError) error = NULL;

  gboolean ok = tt_store_copy_into (source, target, NULL, NULL, NULL, report, &error);

  g_assert_no_error (error);
  g_assert_true (ok);
}

/* Every test: the fixture's catalogue as the target, a seeded SQLite file
 * as the source. */
typedef struct
{
  TtStore       *target;
  GdaConnection *target_raw;
  char          *source_path;
  TtStore       *source;
  GdaConnection *source_raw;
} Pair;

static gboolean
pair_open (Pair *pair)
{
  memset (pair, 0, sizeof *pair);
  if (!(pair->target = tt_test_open_store ()))
    return FALSE;

  pair->target_raw = tt_test_raw_open ();
  pair->source_path = new_sqlite_path ();
  pair->source = open_sqlite (pair->source_path);
  pair->source_raw = raw_open_sqlite (pair->source_path);
  return TRUE;
}

static void
pair_clear (Pair *pair)
{
  g_clear_object (&pair->source_raw);
  g_clear_object (&pair->source);
  g_clear_pointer (&pair->source_path, g_free);
  g_clear_object (&pair->target_raw);
  g_clear_object (&pair->target);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Pair, pair_clear)

static void
test_full_copy (void)
{
  g_auto(Pair) pair = { 0 };
  g_autoptr(GError) error = NULL;
  g_autoptr(GListModel) tags = NULL;
  g_autofree char *source_rows = NULL;
  g_autofree char *target_rows = NULL;
  Progress progress = { 0 };
  TtCopyReport report;
  guint64 total = G_N_ELEMENTS (seed_tags) + SEED_TUTORIALS + SEED_LINKS;
  gboolean ok;

  if (!pair_open (&pair))
    return;
  fill_seed (pair.source, pair.source_raw);

  progress.thread = g_thread_self ();
  ok = tt_store_copy_into (pair.source, pair.target, NULL, record_progress, &progress, &report, &error);
  g_assert_no_error (error);
  g_assert_true (ok);
  assert_report (&report, 8, 0, 4, 0, SEED_LINKS);
  g_assert_cmpuint (progress.calls, >=, 2);
  g_assert_cmpuint (progress.done, ==, total);
  g_assert_cmpuint (progress.total, ==, total);

  source_rows = dump (pair.source_raw);
  target_rows = dump (pair.target_raw);
  g_test_message ("%s", target_rows);
  g_assert_cmpstr (target_rows, ==, source_rows);
  g_assert_nonnull (strstr (target_rows, "link\tIntro\tGTK\t2022-05-01 12:00:00\t2022-06-01 12:30:00"));
  g_assert_nonnull (strstr (target_rows, "tutorial\t∅\t∅\t2021-03-07 10:00:00\t2021-04-07 11:00:00"));
  /* Colours go with their tags, to the tags' new ids. */
  g_assert_nonnull (strstr (target_rows, "colour\tRust\tred\n"));
  g_assert_nonnull (strstr (target_rows, "colour\tTag#3 ünïcödé 🦀\tpurple\n"));

  /* The target's store sees them, tags keyed for case-insensitive lookup. */
  tags = tt_store_list_tags (pair.target, FALSE, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_list_model_get_n_items (tags), ==, 4);
  g_clear_object (&tags);
  {
    g_autoptr(TtTag) gtk = tt_store_find_tag_by_name (pair.target, "gtk", &error);

    g_assert_no_error (error);
    g_assert_cmpstr (tt_tag_get_name (gtk), ==, "GTK");
  }
}

/* A target with "rust" (and a tutorial with it) gets the source's "Rust"
 * merged into it; nothing of the target changes. */
static void
test_merge_into_existing (void)
{
  g_auto(Pair) pair = { 0 };
  g_autoptr(GError) error = NULL;
  g_autoptr(TtTag) rust = NULL;
  g_autoptr(TtTag) other = NULL;
  g_autoptr(TtTutorial) existing = NULL;
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  TtCopyReport report;

  if (!pair_open (&pair))
    return;
  fill_seed (pair.source, pair.source_raw);
  /* The source has "RUST" too, without a key, as the Node.js app can make
   * it, and Intro has both: one link in the target. */
  tt_test_raw_exec (pair.source_raw, "INSERT INTO tags (id, name, createdAt, updatedAt)"
                             " VALUES (5, 'RUST', '2021-01-05 08:00:00', '2021-02-05 09:00:00')");
  tt_test_raw_exec (pair.source_raw, "INSERT INTO tutorial_tag (createdAt, updatedAt, tutorial_id, tag_id)"
                             " VALUES ('2022-05-01 15:00:00', '2022-06-01 15:30:00', 1, 5)");

  rust = tt_store_create_tag (pair.target, "rust", &error);
  g_assert_no_error (error);
  other = tt_store_create_tag (pair.target, "Other", &error);
  g_assert_no_error (error);
  tt_store_set_tag_colour (pair.target, tt_tag_get_id (other), "green", NULL, &error);
  g_assert_no_error (error);
  existing = tt_store_create_tutorial (pair.target, "Existing", "Was there first", &error);
  g_assert_no_error (error);
  tt_store_link (pair.target, tt_tutorial_get_id (existing), tt_tag_get_id (rust), &error);
  g_assert_no_error (error);
  before = dump (pair.target_raw);

  copy_ok (pair.source, pair.target, &report);
  assert_report (&report, 8, 0, 3, 2, SEED_LINKS);

  after = dump (pair.target_raw);
  g_test_message ("%s", after);
  assert_contains_lines (after, before);
  g_assert_null (strstr (after, "\tRust\t"));
  /* A tag the target had is left as it was, colour included: the
   * source's red Rust does not colour the target's "rust". */
  g_assert_null (strstr (after, "colour\trust\t"));
  g_assert_nonnull (strstr (after, "colour\tOther\tgreen"));
  g_assert_nonnull (strstr (after, "colour\tTag#3 ünïcödé 🦀\tpurple"));
  g_assert_nonnull (strstr (after, "link\tIntro\trust\t2022-05-01 11:00:00\t2022-06-01 11:30:00"));
  g_assert_nonnull (strstr (after, "link\tTwin\trust\t2022-05-05 11:00:00\t2022-06-05 11:30:00"));

  /* "rust" is one tag, with the target's own tutorial and the source's. */
  {
    g_autoptr(TtTag) found = tt_store_find_tag_by_name (pair.target, "RUST", &error);

    g_assert_no_error (error);
    g_assert_cmpint (tt_tag_get_id (found), ==, tt_tag_get_id (rust));
    g_clear_object (&found);
    found = tt_store_get_tag (pair.target, tt_tag_get_id (rust), &error);
    g_assert_no_error (error);
    g_assert_cmpstr (tt_tag_get_name (found), ==, "rust");
    g_assert_cmpuint (g_list_model_get_n_items (tt_tag_get_tutorials (found)), ==, 3);
  }
}

static void
test_copy_twice (void)
{
  g_auto(Pair) pair = { 0 };
  g_autoptr(GError) error = NULL;
  g_autofree char *first = NULL;
  g_autofree char *second = NULL;
  g_autofree char *source_rows = NULL;
  g_autofree char *third = NULL;
  TtCopyReport report;

  if (!pair_open (&pair))
    return;
  fill_seed (pair.source, pair.source_raw);

  copy_ok (pair.source, pair.target, &report);
  first = dump (pair.target_raw);

  copy_ok (pair.source, pair.target, &report);
  assert_report (&report, 0, 8, 0, 4, 0);
  second = dump (pair.target_raw);
  g_assert_cmpstr (second, ==, first);

  /* A tutorial that is already there still gets its missing links: two
   * taken away in the target, one added in the source. */
  tt_test_raw_exec (pair.target_raw, "DELETE FROM tutorial_tag WHERE tutorial_id IN"
                             " (SELECT id FROM tutorials WHERE title = 'Intro')");
  tt_store_link (pair.source, 3, 2, &error);
  g_assert_no_error (error);

  copy_ok (pair.source, pair.target, &report);
  assert_report (&report, 0, 8, 0, 4, 3);
  source_rows = dump (pair.source_raw);
  third = dump (pair.target_raw);
  g_assert_cmpstr (third, ==, source_rows);
}

static void
test_cancel_midway (void)
{
  g_auto(Pair) pair = { 0 };
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(TtTag) tag = NULL;
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  Progress progress = { 0 };
  TtCopyReport report;

  if (!pair_open (&pair))
    return;
  fill_seed (pair.target, pair.target_raw);
  fill_large (pair.source, 2500, 0);
  before = dump (pair.target_raw);

  /* Call 1 comes after the tags, call 2 after the first 1000 tutorials
   * and their links have been written. */
  progress.cancel_at = 2;
  progress.cancellable = cancellable;
  g_assert_false (tt_store_copy_into (pair.source, pair.target, cancellable, record_progress,
                                      &progress, &report, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_cmpuint (progress.calls, ==, 2);
  g_assert_cmpuint (progress.done, >, 1000);
  g_assert_cmpuint (progress.done, <, progress.total);
  assert_report (&report, 0, 0, 0, 0, 0);

  after = dump (pair.target_raw);
  g_assert_cmpstr (after, ==, before);

  /* The target is out of the transaction and usable. */
  g_clear_error (&error);
  tag = tt_store_create_tag (pair.target, "after the cancel", &error);
  g_assert_no_error (error);
}

/* The target itself refuses a row on the second page: a trigger on
 * SQLite, a CHECK constraint on MariaDB (its triggers need a compound
 * statement that libgda's parser splits). */
static void
test_target_refuses_row (void)
{
  g_auto(Pair) pair = { 0 };
  g_autoptr(GError) error = NULL;
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  Progress progress = { 0 };
  TtCopyReport report;

  if (!pair_open (&pair))
    return;
  fill_seed (pair.target, pair.target_raw);
  fill_large (pair.source, 2500, 1500);
  if (tt_test_is_mysql ())
    tt_test_raw_exec (pair.target_raw, "ALTER TABLE tutorials ADD CONSTRAINT tt_copy_poison CHECK (title <> 'poison')");
  else
    tt_test_raw_exec (pair.target_raw, "CREATE TRIGGER tt_copy_poison BEFORE INSERT ON tutorials"
                               " WHEN NEW.title = 'poison' BEGIN SELECT RAISE(ABORT, 'poisoned row'); END");
  before = dump (pair.target_raw);

  g_assert_false (tt_store_copy_into (pair.source, pair.target, NULL, record_progress,
                                      &progress, &report, &error));
  g_assert_nonnull (error);
  g_test_message ("%s", error->message);
  g_assert_true (error->domain == TT_STORE_ERROR);
  g_assert_true (strstr (error->message, "poison") != NULL);
  g_assert_cmpuint (progress.calls, ==, 2);  /* the tags and the first page were written */
  assert_report (&report, 0, 0, 0, 0, 0);

  after = dump (pair.target_raw);
  g_assert_cmpstr (after, ==, before);
}

/* A title the target's VARCHAR(255) cannot hold fails the copy on both
 * backends (MariaDB would cut it short, SQLite would keep it). */
static void
test_title_too_long (void)
{
  g_auto(Pair) pair = { 0 };
  g_autoptr(GError) error = NULL;
  g_autofree char *title = g_strnfill (300, 'x');
  g_autofree char *sql = NULL;
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  TtCopyReport report;

  if (!pair_open (&pair))
    return;
  fill_seed (pair.source, pair.source_raw);
  sql = g_strdup_printf ("INSERT INTO tutorials (title, description, createdAt, updatedAt)"
                         " VALUES ('%s', 'long', '2021-01-01 00:00:00', '2021-01-01 00:00:00')", title);
  tt_test_raw_exec (pair.source_raw, sql);
  before = dump (pair.target_raw);

  g_assert_false (tt_store_copy_into (pair.source, pair.target, NULL, NULL, NULL, &report, &error));
  g_assert_error (error, TT_STORE_ERROR, TT_STORE_ERROR_INVALID_INPUT);
  g_assert_nonnull (strstr (error->message, "Tutorial 9 of the source"));

  after = dump (pair.target_raw);
  g_assert_cmpstr (after, ==, before);
}

/* A trigger of the target adds a tag for every tutorial: the counts do
 * not add up, and the copy is undone. */
static void
test_count_check (void)
{
  g_auto(Pair) pair = { 0 };
  g_autoptr(GError) error = NULL;
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  TtCopyReport report;

  if (!pair_open (&pair))
    return;
  fill_seed (pair.source, pair.source_raw);
  if (tt_test_is_mysql ())
    tt_test_raw_exec (pair.target_raw, "CREATE TRIGGER tt_copy_sneaky AFTER INSERT ON tutorials FOR EACH ROW"
                               " INSERT INTO tags (name, createdAt, updatedAt)"
                               " VALUES (CONCAT('sneaky-', NEW.id), NEW.createdAt, NEW.createdAt)");
  else
    tt_test_raw_exec (pair.target_raw, "CREATE TRIGGER tt_copy_sneaky AFTER INSERT ON tutorials BEGIN"
                               " INSERT INTO tags (name, createdAt, updatedAt)"
                               " VALUES ('sneaky-' || NEW.id, NEW.createdAt, NEW.createdAt); END");
  before = dump (pair.target_raw);

  g_assert_false (tt_store_copy_into (pair.source, pair.target, NULL, NULL, NULL, &report, &error));
  g_assert_error (error, TT_STORE_ERROR, TT_STORE_ERROR_FAILED);
  g_test_message ("%s", error->message);
  g_assert_nonnull (strstr (error->message, "12 tags"));

  after = dump (pair.target_raw);
  g_assert_cmpstr (after, ==, before);
}

static void
test_same_catalogue (void)
{
  g_autoptr(TtStore) store = tt_test_open_store ();
  g_autoptr(TtStore) again = NULL;
  g_autoptr(GError) error = NULL;
  TtCopyReport report;

  if (store == NULL)
    return;

  again = tt_test_reopen_store ();
  g_assert_false (tt_store_copy_into (store, again, NULL, NULL, NULL, &report, &error));
  g_assert_error (error, TT_STORE_ERROR, TT_STORE_ERROR_SAME_CATALOGUE);
}

/* Other spellings of the fixture's catalogue: "./" in the path and a
 * symbolic link to the file (SQLite); the server's Unix socket with host
 * localhost instead of TCP on 127.0.0.1 (MySQL). With @hard_link, a hard
 * link to the SQLite file too (which only the CLI test opens: see
 * tt_store_is_file_of()). */
static GPtrArray *
other_spellings (gboolean hard_link)
{
  const TtDbLocation *here = tt_test_location ();
  GPtrArray *uris = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *dir = NULL;
  g_autofree char *base = NULL;
  g_autofree char *soft = NULL;
  g_autofree char *hard = NULL;

  if (tt_test_is_mysql ())
    {
      const char *socket = g_getenv ("TT_TEST_MYSQL_SOCKET");

      g_assert_nonnull (socket);
      g_ptr_array_add (uris, g_strdup_printf ("mysql://%s@localhost/%s?socket=%s",
                                              here->user, here->database, socket));
      return uris;
    }

  dir = g_path_get_dirname (here->path);
  base = g_path_get_basename (here->path);
  soft = g_strdup_printf ("%s/symlink-%u.db", dir, ++n_files);
  hard = g_strdup_printf ("%s/hard-link-%u.db", dir, ++n_files);
  g_assert_no_errno (symlink (here->path, soft));
  g_ptr_array_add (uris, g_strdup_printf ("sqlite:%s/./%s", dir, base));
  g_ptr_array_add (uris, g_strconcat ("sqlite:", soft, NULL));
  if (hard_link)
    {
      g_assert_no_errno (link (here->path, hard));
      g_ptr_array_add (uris, g_strconcat ("sqlite:", hard, NULL));
    }
  return uris;
}

/* Copying into the catalogue itself under another spelling is refused
 * as it is under the same one, and changes nothing. It used to run the
 * copy: only the written-out locations were compared. */
static void
test_same_catalogue_spelt_otherwise (void)
{
  g_autoptr(GPtrArray) uris = NULL;
  g_autofree char *before = NULL;
  OPEN_STORE_OR_SKIP (store);

  tt_test_seed (store);
  before = tt_test_dump_catalogue (store, TRUE);
  uris = other_spellings (FALSE);
  for (guint i = 0; i < uris->len; i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(TtDbLocation) location = tt_db_location_parse (uris->pdata[i], &error);
      g_autoptr(TtStore) other = NULL;
      g_autofree char *after = NULL;
      TtCopyReport report;

      g_assert_no_error (error);
      other = tt_store_open (location, tt_test_password (), &error);
      g_assert_no_error (error);
      g_test_message ("copy into %s", (char *) uris->pdata[i]);
      g_assert_false (tt_store_copy_into (store, other, NULL, NULL, NULL, &report, &error));
      g_assert_error (error, TT_STORE_ERROR, TT_STORE_ERROR_SAME_CATALOGUE);
      after = tt_test_dump_catalogue (store, TRUE);
      g_assert_cmpstr (after, ==, before);
    }
}

/* Another database on the same server is another catalogue. */
static void
test_other_database_same_server_mysql (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TtDbLocation) location = NULL;
  g_autoptr(TtStore) other = NULL;
  g_autoptr(GdaConnection) raw = NULL;
  TtCopyReport report;
  OPEN_STORE_OR_SKIP (store);

  raw = tt_test_raw_open ();
  tt_test_raw_exec (raw, "CREATE DATABASE IF NOT EXISTS tt_copy_other");
  tt_test_raw_exec (raw, "DROP TABLE IF EXISTS tt_copy_other.tutorial_tag");
  tt_test_seed (store);
  location = tt_db_location_copy (tt_test_location ());
  g_free (location->database);
  location->database = g_strdup ("tt_copy_other");
  other = tt_store_open (location, tt_test_password (), &error);
  g_assert_no_error (error);
  g_assert_true (tt_store_reset (other, &error));
  copy_ok (store, other, &report);
  g_assert_cmpuint (report.tutorials_copied, ==, 4);
}

/* MariaDB → SQLite: the fixture's server is the source here. */
static void
test_mysql_to_sqlite (void)
{
  g_autoptr(TtStore) source = NULL;
  g_autoptr(GdaConnection) source_raw = NULL;
  g_autoptr(TtStore) target = NULL;
  g_autoptr(GdaConnection) target_raw = NULL;
  g_autofree char *path = NULL;
  g_autofree char *source_rows = NULL;
  g_autofree char *target_rows = NULL;
  TtCopyReport report;

  if (!tt_test_is_mysql ())
    {
      g_test_skip ("MariaDB → SQLite runs in the MySQL run");
      return;
    }
  if (!(source = tt_test_open_store ()))
    return;

  source_raw = tt_test_raw_open ();
  fill_seed (source, source_raw);
  path = new_sqlite_path ();
  target = open_sqlite (path);
  target_raw = raw_open_sqlite (path);

  copy_ok (source, target, &report);
  assert_report (&report, 8, 0, 4, 0, SEED_LINKS);
  source_rows = dump (source_raw);
  target_rows = dump (target_raw);
  g_assert_cmpstr (target_rows, ==, source_rows);
  g_assert_nonnull (strstr (target_rows, "colour\tRust\tred\n"));

  copy_ok (source, target, &report);
  assert_report (&report, 0, 8, 0, 4, 0);
}

/* ---- asynchronous copy --------------------------------------------------- */

typedef struct
{
  Progress      progress;
  GMainLoop    *loop;
  TtCopyReport  report;
  GError       *error;
} AsyncRun;

static void
copy_done_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      data)
{
  AsyncRun *run = data;

  tt_store_copy_into_finish (TT_STORE (object), result, &run->report, &run->error);
  run->progress.finished = TRUE;
  g_main_loop_quit (run->loop);
}

static void
run_async (TtStore      *source,
           TtStore      *target,
           GCancellable *cancellable,
           AsyncRun     *run)
{
  run->loop = g_main_loop_new (NULL, FALSE);
  run->progress.thread = g_thread_self ();
  tt_store_copy_into_async (source, target, cancellable, record_progress, &run->progress,
                            copy_done_cb, run);
  g_main_loop_run (run->loop);
  g_main_loop_unref (run->loop);
}

static void
test_async (void)
{
  g_auto(Pair) pair = { 0 };
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autofree char *source_rows = NULL;
  g_autofree char *target_rows = NULL;
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  AsyncRun run = { { 0 } };
  AsyncRun cancelled = { { 0 } };

  if (!pair_open (&pair))
    return;
  fill_large (pair.source, 2100, 0);

  /* Progress arrives on this thread, in order, all before the callback. */
  run_async (pair.source, pair.target, NULL, &run);
  g_assert_no_error (run.error);
  g_assert_cmpuint (run.report.tutorials_copied, ==, 2100);
  g_assert_cmpuint (run.report.tags_created, ==, 50);
  g_assert_cmpuint (run.progress.calls, >=, 1);
  g_assert_cmpuint (run.progress.done, ==, run.progress.total);
  source_rows = dump (pair.source_raw);
  target_rows = dump (pair.target_raw);
  g_assert_cmpstr (target_rows, ==, source_rows);

  /* Cancelled from a progress call on the main thread. */
  for (guint i = 0; i < 3; i++)
    {
      g_autoptr(TtTutorial) added = tt_store_create_tutorial (pair.source, "Added", NULL, &cancelled.error);

      g_assert_no_error (cancelled.error);
    }
  before = dump (pair.target_raw);
  cancelled.progress.cancel_at = 1;
  cancelled.progress.cancellable = cancellable;
  run_async (pair.source, pair.target, cancellable, &cancelled);
  g_assert_error (cancelled.error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_clear_error (&cancelled.error);
  after = dump (pair.target_raw);
  g_assert_cmpstr (after, ==, before);
}

/* ---- the command line ---------------------------------------------------- */

static CliRun *
run_cli (const char         *target_password,
         const char * const *args)
{
  g_autoptr(GSubprocessLauncher) launcher = tt_test_cli_launcher ();

  if (target_password != NULL)
    g_subprocess_launcher_setenv (launcher, TARGET_PASSWORD_VARIABLE, target_password, TRUE);
  return tt_test_run_cli (launcher, NULL, NULL, args);
}

/* What `copy` refuses: a source row the target cannot take (exit 5,
 * the target as it was) and, on MySQL, a wrong or missing password for
 * the target. */
static void
check_cli_copy_refusals (Pair       *pair,
                         const char *source_uri,
                         const char *target_uri)
{
  g_autoptr(CliRun) run = NULL;
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  const char *password = tt_test_password ();

  /* A source row the target cannot take: exit 5, the target as it was. */
  {
    const char * const args[] = { "--db", source_uri, "copy", "--to", target_uri, NULL };
    g_autofree char *title = g_strnfill (256, 'y');
    g_autofree char *sql =
      g_strdup_printf ("INSERT INTO tutorials (title, description, createdAt, updatedAt)"
                       " VALUES ('%s', NULL, '2021-01-01 00:00:00', '2021-01-01 00:00:00')", title);

    tt_test_raw_exec (pair->source_raw, sql);
    before = dump (pair->target_raw);
    g_clear_pointer (&run, cli_run_free);
    run = run_cli (password, args);
    g_assert_cmpint (run->status, ==, EXIT_INVALID_INPUT);
    after = dump (pair->target_raw);
    g_assert_cmpstr (after, ==, before);
  }

  if (!tt_test_is_mysql ())
    return;

  /* The target's password: wrong, and missing without a terminal. */
  {
    const char * const args[] = { "--db", source_uri, "copy", "--to", target_uri, NULL };

    g_clear_pointer (&run, cli_run_free);
    run = run_cli ("not the password", args);
    g_assert_cmpint (run->status, ==, EXIT_CONNECTION);

    g_clear_pointer (&run, cli_run_free);
    run = run_cli (NULL, args);
    g_assert_cmpint (run->status, ==, EXIT_CONNECTION);
    g_assert_nonnull (strstr (run->err, TARGET_PASSWORD_VARIABLE));
  }
}

/* The CLI refuses each other spelling with exit status 2 (usage), as
 * it does the same one, and the catalogue is left as it was. */
static void
test_cli_copy_into_itself (void)
{
  g_autoptr(GPtrArray) uris = NULL;
  g_autoptr(GSubprocessLauncher) launcher = tt_test_cli_launcher ();
  g_autofree char *here = NULL;
  g_autofree char *before = NULL;
  OPEN_STORE_OR_SKIP (store);

  tt_test_seed (store);
  before = tt_test_dump_catalogue (store, TRUE);
  tt_store_close (store);
  here = tt_test_location_uri (tt_test_location ());
  if (tt_test_is_mysql ())
    {
      g_subprocess_launcher_setenv (launcher, TT_TEST_DB_PASSWORD_VARIABLE, tt_test_password (), TRUE);
      g_subprocess_launcher_setenv (launcher, TARGET_PASSWORD_VARIABLE, tt_test_password (), TRUE);
    }

  uris = other_spellings (TRUE);
  for (guint i = 0; i < uris->len; i++)
    {
      const char * const args[] = { "copy", "--to", uris->pdata[i], NULL };
      g_autoptr(CliRun) run = tt_test_run_cli (launcher, here, NULL, args);
      g_autoptr(TtStore) again = tt_test_reopen_store ();
      g_autofree char *after = tt_test_dump_catalogue (again, TRUE);

      g_test_message ("copy --to %s: %s", (char *) uris->pdata[i], run->err);
      g_assert_cmpint (run->status, ==, EXIT_USAGE);
      g_assert_nonnull (strstr (run->err, "same catalogue"));
      g_assert_cmpstr (after, ==, before);
    }
}

static void
test_cli_copy (void)
{
  g_auto(Pair) pair = { 0 };
  g_autofree char *source_uri = NULL;
  g_autofree char *target_uri = NULL;
  g_autofree char *source_rows = NULL;
  g_autofree char *target_rows = NULL;
  g_autoptr(CliRun) run = NULL;
  const char *password = tt_test_password ();

  if (!pair_open (&pair))
    return;
  fill_seed (pair.source, pair.source_raw);
  source_uri = g_strconcat ("sqlite:", pair.source_path, NULL);

  {
    const char * const args[] = { "--help", NULL };

    run = run_cli (NULL, args);
    g_assert_cmpint (run->status, ==, EXIT_OK);
    g_assert_nonnull (strstr (run->out, "copy --to URI"));
    g_assert_nonnull (strstr (run->out, TARGET_PASSWORD_VARIABLE));
    g_clear_pointer (&run, cli_run_free);
  }

  target_uri = tt_test_location_uri (tt_test_location ());
  tt_store_close (pair.source);
  tt_store_close (pair.target);

  {
    const char * const args[] = { "--db", source_uri, "copy", "--to", target_uri, NULL };

    run = run_cli (password, args);
    g_assert_cmpint (run->status, ==, EXIT_OK);
    /* Nothing on stdout; one line, no progress: stderr is not a terminal. */
    g_assert_cmpstr (run->out, ==, "");
    g_assert_cmpstr (run->err, ==,
                     "tutorial-tags-cli: copied 8 tutorials, 4 new tags and 8 links"
                     " (0 tutorials already there, 0 tags merged by name)\n");
    source_rows = dump (pair.source_raw);
    target_rows = dump (pair.target_raw);
    g_assert_cmpstr (target_rows, ==, source_rows);

    g_clear_pointer (&run, cli_run_free);
    run = run_cli (password, args);
    g_assert_cmpint (run->status, ==, EXIT_OK);
    g_assert_nonnull (strstr (run->err, "8 tutorials already there, 4 tags merged by name"));
  }

  {
    const char * const args[] = { "--db", source_uri, "copy", NULL };

    g_clear_pointer (&run, cli_run_free);
    run = run_cli (password, args);
    g_assert_cmpint (run->status, ==, EXIT_USAGE);
    g_assert_nonnull (strstr (run->err, "--to"));
  }

  {
    const char * const args[] = { "--db", source_uri, "copy", "--to", source_uri, NULL };

    g_clear_pointer (&run, cli_run_free);
    run = run_cli (password, args);
    g_assert_cmpint (run->status, ==, EXIT_USAGE);
  }

  check_cli_copy_refusals (&pair, source_uri, target_uri);
}

int
main (int   argc,
      char *argv[])
{
  tt_test_init (&argc, &argv);

  g_test_add_func ("/copy/full", test_full_copy);
  g_test_add_func ("/copy/merge-into-existing", test_merge_into_existing);
  g_test_add_func ("/copy/twice", test_copy_twice);
  g_test_add_func ("/copy/cancel-midway", test_cancel_midway);
  g_test_add_func ("/copy/target-refuses-row", test_target_refuses_row);
  g_test_add_func ("/copy/title-too-long", test_title_too_long);
  g_test_add_func ("/copy/count-check", test_count_check);
  g_test_add_func ("/copy/same-catalogue", test_same_catalogue);
  g_test_add_func ("/copy/same-catalogue-spelt-otherwise", test_same_catalogue_spelt_otherwise);
  if (tt_test_is_mysql ())
    g_test_add_func ("/copy/other-database-same-server", test_other_database_same_server_mysql);
  g_test_add_func ("/copy/mysql-to-sqlite", test_mysql_to_sqlite);
  g_test_add_func ("/copy/async", test_async);
  g_test_add_func ("/copy/cli", test_cli_copy);
  g_test_add_func ("/copy/cli-into-itself", test_cli_copy_into_itself);

  return g_test_run ();
}
