/* test-db-settings.c: locations as text and in GSettings
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "tt-db-settings.h"

static TtDbLocation *
parse (const char *uri)
{
  g_autoptr(GError) error = NULL;
  TtDbLocation *location = tt_db_location_parse (uri, &error);

  g_assert_no_error (error);
  return location;
}

static void
assert_same_location (const TtDbLocation *a,
                      const TtDbLocation *b)
{
  g_assert_cmpint (a->backend, ==, b->backend);
  g_assert_cmpstr (a->path, ==, b->path);
  g_assert_cmpstr (a->host, ==, b->host);
  g_assert_cmpuint (a->port, ==, b->port);
  g_assert_cmpstr (a->socket, ==, b->socket);
  g_assert_cmpstr (a->database, ==, b->database);
  g_assert_cmpstr (a->user, ==, b->user);
  g_assert_cmpint (a->require_tls, ==, b->require_tls);
  g_assert_cmpstr (a->tls_ca, ==, b->tls_ca);
  g_assert_cmpint (a->tls_verify, ==, b->tls_verify);
}

static void
test_uri_round_trip (void)
{
  static const char * const uris[] = {
    "sqlite:/tmp/catalogue.db",
    "mysql://tutorials@db.example.org:3306/tutorials",
    "mysql://tutorials@db.example.org:3307/tutorials?tls=required",
    "mysql://me@localhost:3306/tt?socket=/run/mysqld/mysqld.sock",
    "mysql://me@localhost:3306/tt?socket=/run/my%20sql/mysqld.sock&tls=required",
    "mysql://o%27brien@db.example.org:3306/team%3Bdata",
    "mysql://tutorials@db.example.org:3307/tutorials?tls=required&ca=/etc/ssl/team%20ca.pem",
    "mysql://tutorials@db.example.org:3307/tutorials?tls=required&ca=/etc/ssl/ca.pem&verify=no",
    "mysql://tutorials@db.example.org:3307/tutorials?tls=required&verify=yes",
  };

  for (guint i = 0; i < G_N_ELEMENTS (uris); i++)
    {
      g_autoptr(TtDbLocation) location = parse (uris[i]);
      g_autoptr(TtDbLocation) copy = tt_db_location_copy (location);
      g_autofree char *text = tt_db_location_to_string (location);
      g_autoptr(TtDbLocation) again = parse (text);

      g_assert_cmpstr (text, ==, uris[i]);
      assert_same_location (location, copy);
      assert_same_location (location, again);
    }
}

static void
test_uri_parameters (void)
{
  g_autoptr(TtDbLocation) tls = parse ("mysql://me@db.example.org/tt?tls=required");
  g_autoptr(TtDbLocation) plain = parse ("mysql://me@db.example.org/tt");
  g_autoptr(TtDbLocation) both = parse ("mariadb://me@localhost/tt?tls=required&socket=/tmp/my.sock");
  g_autoptr(TtDbLocation) wrong = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_true (tls->require_tls);
  g_assert_cmpuint (tls->port, ==, TT_DB_MYSQL_DEFAULT_PORT);
  g_assert_false (plain->require_tls);
  g_assert_true (both->require_tls);
  g_assert_cmpstr (both->socket, ==, "/tmp/my.sock");

  /* "tls=preferred" would be a promise libgda cannot keep: refused. */
  wrong = tt_db_location_parse ("mysql://me@db.example.org/tt?tls=preferred", &error);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT);
  g_assert_null (wrong);
  g_assert_nonnull (strstr (error->message, "tls"));
}

static void
assert_refused (const char *uri,
                const char *why)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TtDbLocation) location = tt_db_location_parse (uri, &error);

  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT);
  g_assert_null (location);
  g_assert_nonnull (strstr (error->message, why));
}

/* A CA means its certificate is checked, unless verify=no says otherwise;
 * without one, encrypted is all that is asked unless verify=yes. */
static void
test_uri_tls_parameters (void)
{
  g_autoptr(TtDbLocation) with_ca = parse ("mysql://me@db.example.org/tt?tls=required&ca=/etc/ssl/ca.pem");
  g_autoptr(TtDbLocation) without = parse ("mysql://me@db.example.org/tt?tls=required");
  g_autoptr(TtDbLocation) unchecked = parse ("mysql://me@db.example.org/tt?ca=/ca.pem&tls=required&verify=no");
  g_autoptr(TtDbLocation) system = parse ("mysql://me@db.example.org/tt?tls=required&verify=yes");

  g_assert_cmpstr (with_ca->tls_ca, ==, "/etc/ssl/ca.pem");
  g_assert_true (with_ca->tls_verify);
  g_assert_null (without->tls_ca);
  g_assert_false (without->tls_verify);
  g_assert_cmpstr (unchecked->tls_ca, ==, "/ca.pem");
  g_assert_false (unchecked->tls_verify);
  g_assert_null (system->tls_ca);
  g_assert_true (system->tls_verify);

  /* A CA without tls=required would be a promise of encryption not kept. */
  assert_refused ("mysql://me@db.example.org/tt?ca=/etc/ssl/ca.pem", "tls=required");
  assert_refused ("mysql://me@db.example.org/tt?verify=yes", "tls=required");
  assert_refused ("mysql://me@db.example.org/tt?tls=required&verify=maybe", "verify");
  assert_refused ("mysql://me@db.example.org/tt?tls=required&ca=", "ca");
  assert_refused ("mysql://me@db.example.org/tt?tls=required&cafile=/ca.pem", "cafile");
}

/* The memory backend lives as long as the process: each test starts
 * from the defaults. */
static GSettings *
settings_new (void)
{
  static const char * const keys[] = {
    "backend", "sqlite-path", "mysql-host", "mysql-port", "mysql-database",
    "mysql-user", "mysql-socket", "mysql-require-tls", "mysql-tls-ca",
    "mysql-tls-verify",
  };
  g_autoptr(GSettings) settings = tt_db_settings_new ();

  g_assert_nonnull (settings);
  for (guint i = 0; i < G_N_ELEMENTS (keys); i++)
    g_settings_reset (settings, keys[i]);
  return g_steal_pointer (&settings);
}

/* One question, one answer: the same catalogue written the same way is
 * equal, another database, host, user or file is not. */
static void
test_location_equal (void)
{
  g_autoptr(TtDbLocation) a = parse ("mysql://me@db.example.org:3306/tt");
  g_autoptr(TtDbLocation) same = parse ("mysql://me@db.example.org:3306/tt");
  g_autoptr(TtDbLocation) other_db = parse ("mysql://me@db.example.org:3306/other");
  g_autoptr(TtDbLocation) other_user = parse ("mysql://you@db.example.org:3306/tt");
  g_autoptr(TtDbLocation) file = parse ("sqlite:/tmp/a.db");
  g_autoptr(TtDbLocation) other_file = parse ("sqlite:/tmp/b.db");

  g_assert_true (tt_db_location_equal (a, same));
  g_assert_false (tt_db_location_equal (a, other_db));
  g_assert_false (tt_db_location_equal (a, other_user));
  g_assert_false (tt_db_location_equal (a, file));
  g_assert_false (tt_db_location_equal (file, other_file));
  g_assert_true (tt_db_location_equal (NULL, NULL));
  g_assert_false (tt_db_location_equal (a, NULL));
}

static void
test_settings_defaults (void)
{
  g_autoptr(GSettings) settings = settings_new ();
  g_autoptr(TtDbLocation) location = tt_db_location_new_from_settings (settings);
  g_autofree char *default_path = tt_db_location_default_sqlite_path ();

  g_assert_cmpint (location->backend, ==, TT_DB_BACKEND_SQLITE);
  g_assert_cmpstr (location->path, ==, default_path);
}

static void
test_settings_round_trip (void)
{
  g_autoptr(GSettings) settings = settings_new ();
  g_autoptr(TtDbLocation) mysql = parse ("mysql://ana@db.example.org:3307/team?tls=required");
  g_autoptr(TtDbLocation) socket = parse ("mysql://ana@localhost:3306/team?socket=/run/mysqld/mysqld.sock");
  g_autoptr(TtDbLocation) sqlite = parse ("sqlite:/srv/catalogues/team.db");
  g_autoptr(TtDbLocation) read = NULL;
  g_autoptr(TtDbLocation) read_socket = NULL;
  g_autoptr(TtDbLocation) read_sqlite = NULL;
  g_autoptr(TtDbLocation) read_again = NULL;
  g_autoptr(TtDbLocation) with_ca =
    parse ("mysql://ana@db.example.org:3307/team?tls=required&ca=/etc/ssl/team-ca.pem&verify=no");
  g_autoptr(TtDbLocation) read_with_ca = NULL;
  g_autofree char *ca = NULL;
  g_autofree char *sqlite_path = NULL;
  g_autofree char *host = NULL;
  g_autofree char *kept_socket = NULL;

  tt_db_location_save_to_settings (mysql, settings);
  read = tt_db_location_new_from_settings (settings);
  assert_same_location (mysql, read);
  host = g_settings_get_string (settings, "mysql-host");
  g_assert_cmpstr (host, ==, "db.example.org");
  g_assert_cmpuint (g_settings_get_uint (settings, "mysql-port"), ==, 3307);
  g_assert_true (g_settings_get_boolean (settings, "mysql-require-tls"));

  tt_db_location_save_to_settings (with_ca, settings);
  read_with_ca = tt_db_location_new_from_settings (settings);
  assert_same_location (with_ca, read_with_ca);
  ca = g_settings_get_string (settings, "mysql-tls-ca");
  g_assert_cmpstr (ca, ==, "/etc/ssl/team-ca.pem");
  g_assert_false (g_settings_get_boolean (settings, "mysql-tls-verify"));

  tt_db_location_save_to_settings (socket, settings);
  read_socket = tt_db_location_new_from_settings (settings);
  assert_same_location (socket, read_socket);

  /* Choosing SQLite keeps the server's details for switching back. */
  tt_db_location_save_to_settings (sqlite, settings);
  read_sqlite = tt_db_location_new_from_settings (settings);
  assert_same_location (sqlite, read_sqlite);
  kept_socket = g_settings_get_string (settings, "mysql-socket");
  g_assert_cmpstr (kept_socket, ==, "/run/mysqld/mysqld.sock");
  g_settings_set_string (settings, "backend", "mysql");
  read_again = tt_db_location_new_from_settings (settings);
  assert_same_location (socket, read_again);

  /* The caller's object is not left in delay-apply mode. */
  g_assert_false (g_settings_get_has_unapplied (settings));
  g_settings_set_string (settings, "sqlite-path", "/elsewhere.db");
  sqlite_path = g_settings_get_string (settings, "sqlite-path");
  g_assert_cmpstr (sqlite_path, ==, "/elsewhere.db");
}

/* A cluster's servers survive being saved and read back, in order. */
static void
test_settings_host_list (void)
{
  g_autoptr(GSettings) settings = settings_new ();
  g_autoptr(TtDbLocation) cluster = parse ("mysql://ana@db1:3307,db2:3308,db3/team");
  g_autoptr(TtDbLocation) read = NULL;
  g_autofree char *host = NULL;

  tt_db_location_save_to_settings (cluster, settings);
  host = g_settings_get_string (settings, "mysql-host");
  g_assert_cmpstr (host, ==, "db1:3307,db2:3308,db3:3306");
  read = tt_db_location_new_from_settings (settings);
  g_assert_true (tt_db_location_equal (cluster, read));
  g_assert_cmpuint (read->n_hosts, ==, 3);
  g_assert_cmpstr (read->hosts[1].name, ==, "db2");
  g_assert_cmpuint (read->hosts[1].port, ==, 3308);
}

/* The default file is saved as "", so that it follows the data folder. */
static void
test_settings_default_path (void)
{
  g_autoptr(GSettings) settings = settings_new ();
  g_autofree char *default_path = tt_db_location_default_sqlite_path ();
  g_autoptr(TtDbLocation) location = tt_db_location_new_sqlite (default_path);
  g_autofree char *saved = NULL;

  g_settings_set_string (settings, "sqlite-path", "/somewhere/else.db");
  tt_db_location_save_to_settings (location, settings);
  saved = g_settings_get_string (settings, "sqlite-path");
  g_assert_cmpstr (saved, ==, "");
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add_func ("/db-location/uri-round-trip", test_uri_round_trip);
  g_test_add_func ("/db-location/uri-parameters", test_uri_parameters);
  g_test_add_func ("/db-location/uri-tls-parameters", test_uri_tls_parameters);
  g_test_add_func ("/db-location/equal", test_location_equal);
  g_test_add_func ("/db-settings/defaults", test_settings_defaults);
  g_test_add_func ("/db-settings/round-trip", test_settings_round_trip);
  g_test_add_func ("/db-settings/default-path", test_settings_default_path);
  g_test_add_func ("/db-settings/host-list", test_settings_host_list);

  return g_test_run ();
}
