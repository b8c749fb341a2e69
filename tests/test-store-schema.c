/* test-store-schema.c: versions, adopting a Node.js/Sequelize database,
 * and a MariaDB that goes away mid-session
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "tt-gda-autocleanups.h"
#include "tt-test-fixture.h"

/* ---- a second client that speaks plain SQL, as the Node.js app does ---- */

static char *
raw_string (GdaConnection *connection,
            const char    *sql)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GdaDataModel) model = gda_connection_execute_select_command (connection, sql, &error);
  const GValue *value;

  g_assert_no_error (error);
  value = gda_data_model_get_value_at (model, 0, 0, &error);
  g_assert_no_error (error);
  return gda_value_stringify (value);
}

static gint64
raw_count (GdaConnection *connection,
           const char    *sql)
{
  g_autofree char *text = raw_string (connection, sql);

  return g_ascii_strtoll (text, NULL, 10);
}

/* ---- tests ------------------------------------------------------------ */

static void
test_fresh_database_has_version (void)
{
  g_autoptr(GdaConnection) raw = NULL;
  g_autoptr(TtStore) store = tt_test_open_store ();

  if (store == NULL)
    return;

  g_assert_cmpint (tt_store_get_schema_version (store), ==, TT_SCHEMA_VERSION);
  raw = tt_test_raw_open ();
  g_assert_cmpint (raw_count (raw, "SELECT MAX(version) FROM tt_schema_version"), ==, TT_SCHEMA_VERSION);
  /* The junction has no id column and its primary key is the pair. */
  tt_test_raw_exec (raw, "SELECT createdAt, updatedAt, tutorial_id, tag_id FROM tutorial_tag");
}

static void
test_newer_schema_is_refused (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TtStore) store = tt_test_open_store ();
  g_autoptr(TtStore) refused = NULL;
  g_autoptr(TtTutorial) tutorial = NULL;
  g_autoptr(GdaConnection) raw = NULL;

  if (store == NULL)
    return;

  tutorial = tt_store_create_tutorial (store, "Keep me", NULL, &error);
  g_assert_no_error (error);
  tt_store_close (store);

  raw = tt_test_raw_open ();
  tt_test_raw_exec (raw, "UPDATE tt_schema_version SET version = 99");
  tt_test_raw_exec (raw, "CREATE TABLE future_thing (x INTEGER)");

  refused = tt_store_open (tt_test_location (), tt_test_password (), &error);
  g_assert_error (error, TT_STORE_ERROR, TT_STORE_ERROR_SCHEMA_TOO_NEW);
  g_assert_null (refused);
  g_assert_nonnull (strstr (error->message, "99"));

  /* Nothing was touched. */
  g_assert_cmpint (raw_count (raw, "SELECT MAX(version) FROM tt_schema_version"), ==, 99);
  g_assert_cmpint (raw_count (raw, "SELECT COUNT(*) FROM tutorials"), ==, 1);
  tt_test_raw_exec (raw, "SELECT x FROM future_thing");

  /* Back to a version the next test (same MySQL database) can open. */
  tt_test_raw_exec (raw, "DROP TABLE future_thing");
  tt_test_raw_exec (raw, "UPDATE tt_schema_version SET version = 1");
}


/* Rows as the Node.js app writes them: Sequelize's own timestamp text on
 * SQLite, and tag names that differ only in case. */
static void
fill_like_node (GdaConnection *raw)
{
  const char *ts = tt_test_is_mysql () ? "'2020-04-24 03:27:52'" : "'2020-04-24 03:27:52.123 +00:00'";
  const char * const rows[] = {
    "INSERT INTO tutorials (title, description, createdAt, updatedAt) VALUES ('Tut#1', 'Tut#1 Description', TS, TS)",
    "INSERT INTO tutorials (title, description, createdAt, updatedAt) VALUES ('Tut#2', 'Tut#2 Description', TS, TS)",
    "INSERT INTO tags (name, createdAt, updatedAt) VALUES ('Rust', TS, TS)",
    "INSERT INTO tags (name, createdAt, updatedAt) VALUES ('rust', TS, TS)",
    "INSERT INTO tags (name, createdAt, updatedAt) VALUES ('Go', TS, TS)",
    "INSERT INTO tutorial_tag (createdAt, updatedAt, tutorial_id, tag_id) VALUES (TS, TS, 1, 1)",
    "INSERT INTO tutorial_tag (createdAt, updatedAt, tutorial_id, tag_id) VALUES (TS, TS, 1, 2)",
    "INSERT INTO tutorial_tag (createdAt, updatedAt, tutorial_id, tag_id) VALUES (TS, TS, 2, 2)",
    "INSERT INTO tutorial_tag (createdAt, updatedAt, tutorial_id, tag_id) VALUES (TS, TS, 2, 3)",
  };

  for (guint i = 0; i < G_N_ELEMENTS (rows); i++)
    {
      g_auto(GStrv) parts = g_strsplit (rows[i], "TS", -1);
      g_autofree char *sql = g_strjoinv (ts, parts);

      tt_test_raw_exec (raw, sql);
    }
}

static void
assert_adopted_content (TtStore *store)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TtTutorial) tut1 = tt_store_get_tutorial (store, 1, &error);
  g_autoptr(GPtrArray) duplicates = NULL;
  g_autoptr(GDateTime) expected = g_date_time_new_utc (2020, 4, 24, 3, 27, 52);
  GListModel *group;

  g_assert_no_error (error);
  g_assert_cmpstr (tt_tutorial_get_title (tut1), ==, "Tut#1");
  g_assert_cmpuint (g_list_model_get_n_items (tt_tutorial_get_tags (tut1)), ==, 2);
  g_assert_cmpint (g_date_time_to_unix (tt_tutorial_get_created_at (tut1)), ==,
                   g_date_time_to_unix (expected));

  duplicates = tt_store_find_case_duplicates (store, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (duplicates->len, ==, 1);
  group = duplicates->pdata[0];
  g_assert_cmpuint (g_list_model_get_n_items (group), ==, 2);
}

/* A catalogue whose junction table went (dropped by hand, or a
 * sync({force: true}) cut short) opens: the table is made again, and
 * what the other two hold is kept. */
static void
test_missing_table_made_again (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TtStore) again = NULL;
  g_autoptr(GdaConnection) raw = NULL;
  OPEN_STORE_OR_SKIP (store);

  tt_test_seed (store);
  tt_store_close (store);
  raw = tt_test_raw_open ();
  tt_test_raw_exec (raw, "DROP TABLE tutorial_tag");

  again = tt_store_open (tt_test_location (), tt_test_password (), &error);
  g_assert_no_error (error);
  g_assert_true (tt_store_link (again, 1, 1, &error));
  g_assert_no_error (error);
  g_assert_cmpint (raw_count (raw, "SELECT COUNT(*) FROM tutorials"), ==, 4);
  g_assert_cmpint (raw_count (raw, "SELECT COUNT(*) FROM tutorial_tag"), ==, 1);
}

static void
test_adopt_sequelize_database (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GdaConnection) raw = tt_test_raw_empty_database ();
  g_autoptr(TtStore) store = NULL;
  g_autoptr(TtTag) merged = NULL;
  g_autoptr(TtTag) emoji = NULL;
  g_autoptr(TtTag) go = NULL;
  g_autofree char *node_names = NULL;

  if (raw == NULL)
    return;

  tt_test_create_sequelize_tables (raw);
  fill_like_node (raw);

  store = tt_store_open (tt_test_location (), tt_test_password (), &error);
  g_assert_no_error (error);
  assert_adopted_content (store);

  /* Nothing lost: every row is still there, the duplicate too. */
  g_assert_cmpint (raw_count (raw, "SELECT COUNT(*) FROM tags"), ==, 3);
  g_assert_cmpint (raw_count (raw, "SELECT COUNT(*) FROM tutorial_tag"), ==, 4);

  /* Merging the duplicate through the store keeps every link once. */
  merged = tt_store_rename_tag (store, 2, "Rust", NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (tt_tag_get_id (merged), ==, 1);
  g_assert_cmpuint (tt_tag_get_tutorial_count (merged), ==, 2);

  /* Emoji fit after the 3-byte table was converted; descriptions are long. */
  emoji = tt_store_create_tag (store, "🦀 crab", &error);
  g_assert_no_error (error);

  /* The Node.js app still reads and writes with the columns it knows. */
  tt_test_raw_exec (raw, "INSERT INTO tags (name, createdAt, updatedAt) VALUES ('node-made', '2021-01-01 00:00:00', '2021-01-01 00:00:00')");
  tt_test_raw_exec (raw, "INSERT INTO tutorial_tag (createdAt, updatedAt, tutorial_id, tag_id) VALUES ('2021-01-01 00:00:00', '2021-01-01 00:00:00', 1, 3)");
  node_names = raw_string (raw, "SELECT name FROM tags WHERE id = 4");
  g_assert_cmpstr (node_names, ==, "🦀 crab");
  tt_test_raw_exec (raw, "SELECT `tutorials`.`id`, `tutorials`.`title`, `tutorials`.`description`, `tutorials`.`createdAt`,"
                 " `tutorials`.`updatedAt`, `tags`.`id` AS `tags.id`, `tags`.`name` AS `tags.name`"
                 " FROM `tutorials` AS `tutorials` LEFT OUTER JOIN ( `tutorial_tag` AS `tags->tutorial_tag`"
                 " INNER JOIN `tags` AS `tags` ON `tags`.`id` = `tags->tutorial_tag`.`tag_id`)"
                 " ON `tutorials`.`id` = `tags->tutorial_tag`.`tutorial_id`");

  /* …and a tag it made is found whatever the case. */
  go = tt_store_ensure_tag (store, "NODE-MADE", NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (tt_tag_get_name (go), ==, "node-made");
}

/* ---- a server that goes away (MariaDB only) -------------------------- */

static guint
count_tutorials (TtStore *store)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GListModel) all = tt_store_list_tutorials (store, NULL, &error);

  g_assert_no_error (error);
  return g_list_model_get_n_items (all);
}

static void
test_server_restart (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TtStore) store = NULL;
  g_autoptr(TtTutorial) a = NULL;
  g_autoptr(TtTutorial) b = NULL;
  g_autoptr(TtTutorial) c = NULL;

  if (!tt_test_is_mysql ())
    {
      g_test_skip ("a server restart only concerns MySQL");
      return;
    }
  if (!(store = tt_test_open_store ()))
    return;

  a = tt_store_create_tutorial (store, "Before", NULL, &error);
  g_assert_no_error (error);

  if (!tt_test_server_control ("TT_TEST_MYSQL_RESTART"))
    return;

  /* A read after the restart reconnects and is retried. */
  g_assert_cmpuint (count_tutorials (store), ==, 1);
  b = tt_store_create_tutorial (store, "After", NULL, &error);
  g_assert_no_error (error);

  /* With the server down a write fails plainly and is not kept for later. */
  tt_test_server_control ("TT_TEST_MYSQL_STOP");
  c = tt_store_create_tutorial (store, "While down", NULL, &error);
  g_assert_null (c);
  g_assert_true (g_error_matches (error, TT_STORE_ERROR, TT_STORE_ERROR_CONNECTION_FAILED) ||
                 g_error_matches (error, TT_STORE_ERROR, TT_STORE_ERROR_CONNECTION_LOST));
  g_clear_error (&error);
  tt_test_server_control ("TT_TEST_MYSQL_START");

  g_assert_cmpuint (count_tutorials (store), ==, 2);
  c = tt_store_create_tutorial (store, "Back", NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (count_tutorials (store), ==, 3);
}

/* The server drops our connection between two quick writes (no idle
 * check then): the write is reported as maybe not saved, never repeated,
 * and the next one works. */
static void
test_connection_killed_mid_session (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TtStore) store = NULL;
  g_autoptr(GdaConnection) raw = NULL;
  g_autoptr(TtTutorial) first = NULL;
  g_autoptr(TtTutorial) lost = NULL;
  g_autoptr(TtTutorial) next = NULL;
  g_autoptr(GdaDataModel) ids = NULL;

  if (!tt_test_is_mysql ())
    {
      g_test_skip ("a dropped connection only concerns MySQL");
      return;
    }
  if (!(store = tt_test_open_store ()))
    return;

  first = tt_store_create_tutorial (store, "First", NULL, &error);
  g_assert_no_error (error);

  raw = tt_test_raw_open ();
  ids = gda_connection_execute_select_command (raw, "SELECT ID FROM information_schema.PROCESSLIST"
                                                    " WHERE DB = DATABASE() AND ID <> CONNECTION_ID()", &error);
  g_assert_no_error (error);
  for (int row = 0; row < gda_data_model_get_n_rows (ids); row++)
    {
      g_autofree char *id = gda_value_stringify (gda_data_model_get_value_at (ids, 0, row, NULL));
      g_autofree char *kill = g_strdup_printf ("KILL %s", id);
      tt_test_raw_exec (raw, kill);
    }

  lost = tt_store_create_tutorial (store, "Maybe", NULL, &error);
  g_assert_null (lost);
  g_assert_error (error, TT_STORE_ERROR, TT_STORE_ERROR_CONNECTION_LOST);
  g_assert_nonnull (strstr (error->message, "may not have been saved"));
  g_clear_error (&error);

  next = tt_store_create_tutorial (store, "Next", NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (raw_count (raw, "SELECT COUNT(*) FROM tutorials WHERE title = 'Maybe'"), ==, 0);
  g_assert_cmpint (raw_count (raw, "SELECT COUNT(*) FROM tutorials"), ==, 2);
}

/* A schema 2 catalogue (no colour table) opens as schema 3 with every
 * row kept, and takes colours; opening it again changes nothing. */
static void
test_migration_from_2_keeps_everything (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GdaConnection) raw = NULL;
  g_autoptr(TtStore) again = NULL;
  g_autoptr(TtStore) third = NULL;
  g_autoptr(TtTag) tag = NULL;
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  g_autofree char *coloured = NULL;
  OPEN_STORE_OR_SKIP (store);

  tt_test_seed (store);
  before = tt_test_dump_catalogue (store, TRUE);
  tt_store_close (store);
  raw = tt_test_raw_open ();
  tt_test_raw_exec (raw, "DROP TABLE tt_tag_colour");
  tt_test_raw_exec (raw, "UPDATE tt_schema_version SET version = 2");

  again = tt_test_reopen_store ();
  g_assert_cmpint (tt_store_get_schema_version (again), ==, TT_SCHEMA_VERSION);
  g_assert_cmpint (raw_count (raw, "SELECT MAX(version) FROM tt_schema_version"), ==, TT_SCHEMA_VERSION);
  g_assert_cmpint (raw_count (raw, "SELECT COUNT(*) FROM tt_schema_version"), ==, 1);
  after = tt_test_dump_catalogue (again, TRUE);
  g_assert_cmpstr (after, ==, before);

  tag = tt_store_find_tag_by_name (again, "Tag#1", &error);
  g_assert_no_error (error);
  g_assert_true (tt_store_set_tag_colour (again, tt_tag_get_id (tag), "blue", NULL, &error));
  g_assert_no_error (error);
  coloured = tt_test_dump_catalogue (again, TRUE);
  tt_store_close (again);

  /* Every step runs again harmlessly: the colour stays. */
  tt_test_raw_exec (raw, "UPDATE tt_schema_version SET version = 2");
  third = tt_test_reopen_store ();
  g_assert_cmpint (tt_store_get_schema_version (third), ==, TT_SCHEMA_VERSION);
  g_clear_pointer (&after, g_free);
  after = tt_test_dump_catalogue (third, TRUE);
  g_assert_cmpstr (after, ==, coloured);
  g_assert_nonnull (strstr (after, "colour blue"));
}

/* Sequelize's sync({force: true}) makes tags anew, ids from 1 again: the
 * colours of the old tags must not land on the new ones. */
static void
test_tags_made_anew_forget_colours (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GdaConnection) raw = NULL;
  g_autoptr(TtStore) again = NULL;
  g_autoptr(TtTag) tag = NULL;
  g_autofree char *dump = NULL;
  OPEN_STORE_OR_SKIP (store);

  tt_test_seed (store);
  tag = tt_store_find_tag_by_name (store, "Tag#1", &error);
  g_assert_no_error (error);
  g_assert_true (tt_store_set_tag_colour (store, tt_tag_get_id (tag), "green", NULL, &error));
  tt_store_close (store);

  raw = tt_test_raw_open ();
  tt_test_make_tables_again (raw);
  fill_like_node (raw);

  again = tt_test_reopen_store ();
  g_assert_cmpint (raw_count (raw, "SELECT COUNT(*) FROM tt_tag_colour"), ==, 0);
  dump = tt_test_dump_catalogue (again, FALSE);
  g_assert_null (strstr (dump, "colour"));
}

int
main (int   argc,
      char *argv[])
{
  tt_test_init (&argc, &argv);

  g_test_add_func ("/schema/fresh-database-has-version", test_fresh_database_has_version);
  g_test_add_func ("/schema/newer-schema-is-refused", test_newer_schema_is_refused);
  g_test_add_func ("/schema/adopt-sequelize-database", test_adopt_sequelize_database);
  g_test_add_func ("/schema/missing-table-made-again", test_missing_table_made_again);
  g_test_add_func ("/schema/migration-from-2-keeps-everything", test_migration_from_2_keeps_everything);
  g_test_add_func ("/schema/tags-made-anew-forget-colours", test_tags_made_anew_forget_colours);
  g_test_add_func ("/connection/server-restart", test_server_restart);
  g_test_add_func ("/connection/killed-mid-session", test_connection_killed_mid_session);

  return g_test_run ();
}
