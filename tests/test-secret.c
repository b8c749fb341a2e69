/* test-secret.c: the MySQL password in the keyring, and nowhere else
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Against a real Secret Service: build-aux/run-tests.sh runs every test in
 * a private D-Bus session with an unlocked throwaway GNOME Keyring whose
 * files are in $TT_TEST_KEYRING_DIR. Without one the tests are skipped,
 * or fail when CI=true.
 */

#include "config.h"

#include <string.h>

#include <libsecret/secret.h>

#include "tt-db-settings.h"
#include "tt-secret.h"
#include "tt-test-fixture.h"

#define PASSWORD "correct horse battery staple 7f3a"

static TtDbLocation *
parse (const char *uri)
{
  g_autoptr(GError) error = NULL;
  TtDbLocation *location = tt_db_location_parse (uri, &error);

  g_assert_no_error (error);
  return location;
}

static void
store (const TtDbLocation *location,
       const char         *password)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;

  tt_secret_store_async (location, password, NULL, tt_test_keep_result, &result);
  tt_test_wait_for (&result);
  g_assert_true (tt_secret_store_finish (result, &error));
  g_assert_no_error (error);
}

static char *
lookup (const TtDbLocation *location)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  char *password;

  tt_secret_lookup_async (location, NULL, tt_test_keep_result, &result);
  tt_test_wait_for (&result);
  password = tt_secret_lookup_finish (result, &error);
  g_assert_no_error (error);
  return password;
}

static void
clear (const TtDbLocation *location)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;

  tt_secret_clear_async (location, NULL, tt_test_keep_result, &result);
  tt_test_wait_for (&result);
  g_assert_true (tt_secret_clear_finish (result, &error));
  g_assert_no_error (error);
}

static void
assert_password (const TtDbLocation *location,
                 const char         *expected)
{
  g_autoptr(GError) error = NULL;
  char *found = lookup (location);
  char *found_sync = tt_secret_lookup_sync (location, NULL, &error);

  g_assert_no_error (error);
  g_assert_cmpstr (found, ==, expected);
  g_assert_cmpstr (found_sync, ==, expected);
  tt_secret_password_free (found);
  tt_secret_password_free (found_sync);
}

/* The label a keyring manager shows for the entry of @location. */
static char *
entry_label (const TtDbLocation *location)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GHashTable) attributes = g_hash_table_new (g_str_hash, g_str_equal);
  g_autofree char *port = g_strdup_printf ("%u", location->port);
  g_autolist(SecretRetrievable) items = NULL;

  g_hash_table_insert (attributes, (gpointer) "user", location->user);
  g_hash_table_insert (attributes, (gpointer) "host", location->host);
  g_hash_table_insert (attributes, (gpointer) "port", port);
  items = secret_password_searchv_sync (NULL, attributes, SECRET_SEARCH_ALL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_list_length (items), ==, 1);
  return secret_retrievable_get_label (items->data);
}

static void
test_round_trip (void)
{
  g_autoptr(TtDbLocation) location = parse ("mysql://ana@db.example.org:3307/team");
  g_autoptr(TtDbLocation) other_database = parse ("mysql://ana@db.example.org:3307/archive?tls=required");
  g_autoptr(TtDbLocation) other_user = parse ("mysql://ben@db.example.org:3307/team");
  g_autoptr(TtDbLocation) other_port = parse ("mysql://ana@db.example.org:3306/team");
  g_autoptr(TtDbLocation) socket = parse ("mysql://ana@db.example.org:3307/team?socket=/run/mysqld/mysqld.sock");
  g_autoptr(TtDbLocation) sqlite = parse ("sqlite:/tmp/x.db");
  g_autoptr(TtDbLocation) servers = parse ("mysql://ana@db1.example.org:3307,db2.example.org:3308/team");
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *label = NULL;

  if (!tt_test_keyring_available ())
    return;

  /* Nothing there yet: NULL, and no error. */
  assert_password (location, NULL);

  store (location, PASSWORD);
  assert_password (location, PASSWORD);
  /* A password belongs to a user on a server, whatever the database. */
  assert_password (other_database, PASSWORD);
  assert_password (other_user, NULL);
  assert_password (other_port, NULL);
  assert_password (socket, NULL);
  label = entry_label (location);
  g_assert_cmpstr (label, ==, "Tutorial Tags: ana on db.example.org:3307");

  /* A new password replaces the old one. */
  store (location, "changed");
  assert_password (location, "changed");

  /* The socket's entry is its own. */
  store (socket, "over the socket");
  assert_password (socket, "over the socket");
  assert_password (location, "changed");

  clear (location);
  assert_password (location, NULL);
  assert_password (socket, "over the socket");
  /* Clearing what is not there is not a failure. */
  clear (location);
  clear (socket);
  assert_password (socket, NULL);

  /* A list of servers: the label names them all, not only the first. */
  store (servers, PASSWORD);
  g_free (label);
  label = entry_label (servers);
  g_assert_cmpstr (label, ==, "Tutorial Tags: ana on db1.example.org:3307,db2.example.org:3308");
  clear (servers);

  /* A SQLite file has no password. */
  tt_secret_store_async (sqlite, PASSWORD, NULL, tt_test_keep_result, &result);
  tt_test_wait_for (&result);
  g_assert_false (tt_secret_store_finish (result, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT);
}

/* The keyring's files are binary: NUL bytes do not end the search. */
static gboolean
contains (const char *data,
          gsize       length,
          const char *needle)
{
  gsize needle_length = strlen (needle);

  for (gsize i = 0; i + needle_length <= length; i++)
    {
      if (memcmp (data + i, needle, needle_length) == 0)
        return TRUE;
    }

  return FALSE;
}

/* Every file under @dir, except under @skip, holds no @needle. Returns
 * the number of files read. */
static guint
assert_not_in_files (const char *dir,
                     const char *skip,
                     const char *needle)
{
  g_autoptr(GDir) entries = g_dir_open (dir, 0, NULL);
  const char *name;
  guint n_files = 0;

  if (entries == NULL || g_strcmp0 (dir, skip) == 0)
    return 0;

  while ((name = g_dir_read_name (entries)) != NULL)
    {
      g_autofree char *path = g_build_filename (dir, name, NULL);
      g_autofree char *contents = NULL;
      gsize length;

      if (g_file_test (path, G_FILE_TEST_IS_SYMLINK))
        continue;
      if (g_file_test (path, G_FILE_TEST_IS_DIR))
        {
          n_files += assert_not_in_files (path, skip, needle);
          continue;
        }

      g_assert_true (g_file_get_contents (path, &contents, &length, NULL));
      g_test_message ("Read %s (%" G_GSIZE_FORMAT " bytes)", path, length);
      g_assert_false (contains (contents, length, needle));
      n_files++;
    }

  return n_files;
}

/* Saved the way the Preferences will save it: the location to GSettings
 * (the keyfile backend here, GSETTINGS_BACKEND=keyfile from
 * tests/meson.build), the password to the keyring. The password must be
 * in no file of the user's configuration or data, and the keyring's own
 * files keep it encrypted. */
static void
test_not_in_settings_files (void)
{
  g_autoptr(TtDbLocation) location = parse ("mysql://ana@db.example.org:3307/team?tls=required");
  g_autoptr(GSettings) settings = NULL;
  g_autoptr(TtDbLocation) read = NULL;
  g_autofree char *keyfile = NULL;
  g_autofree char *keyfile_text = NULL;
  const char *keyring_dir = g_getenv ("TT_TEST_KEYRING_DIR");
  guint n_files;

  g_assert_cmpstr (g_getenv ("GSETTINGS_BACKEND"), ==, "keyfile");
  if (!tt_test_keyring_available ())
    return;

  settings = tt_db_settings_new ();
  g_assert_nonnull (settings);
  tt_db_location_save_to_settings (location, settings);
  store (location, PASSWORD);
  g_settings_sync ();

  /* What was saved is there, and is what the settings give back. */
  read = tt_db_location_new_from_settings (settings);
  g_assert_cmpstr (read->host, ==, "db.example.org");
  g_assert_true (read->require_tls);
  keyfile = g_build_filename (g_get_user_config_dir (), "glib-2.0", "settings", "keyfile", NULL);
  g_assert_true (g_file_get_contents (keyfile, &keyfile_text, NULL, NULL));
  g_assert_true (contains (keyfile_text, strlen (keyfile_text), "db.example.org"));

  n_files = assert_not_in_files (g_get_user_config_dir (), keyring_dir, PASSWORD);
  n_files += assert_not_in_files (g_get_user_data_dir (), keyring_dir, PASSWORD);
  g_assert_cmpuint (n_files, >=, 1);

  /* The keyring's files have it, encrypted. */
  if (keyring_dir != NULL)
    g_assert_cmpuint (assert_not_in_files (keyring_dir, NULL, PASSWORD), >=, 1);
  else
    g_test_message ("TT_TEST_KEYRING_DIR is not set: the keyring's files were not checked");

  clear (location);
}

/* Without a session bus there is no keyring: clear errors, no crash. The
 * bus is chosen once per process, so this runs in a child. */
static void
test_no_secret_service (void)
{
  g_autoptr(TtDbLocation) location = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GError) store_error = NULL;
  char *password;

  if (!g_test_subprocess ())
    {
      g_test_trap_subprocess (NULL, 0, G_TEST_SUBPROCESS_INHERIT_STDERR);
      g_test_trap_assert_passed ();
      return;
    }

  g_setenv ("DBUS_SESSION_BUS_ADDRESS", "unix:path=/nonexistent/tt-test-bus", TRUE);
  location = parse ("mysql://ana@db.example.org:3307/team");

  password = tt_secret_lookup_sync (location, NULL, &error);
  g_assert_null (password);
  g_assert_error (error, TT_SECRET_ERROR, TT_SECRET_ERROR_UNAVAILABLE);
  g_assert_nonnull (strstr (error->message, "keyring"));

  tt_secret_store_async (location, PASSWORD, NULL, tt_test_keep_result, &result);
  tt_test_wait_for (&result);
  g_assert_false (tt_secret_store_finish (result, &store_error));
  g_assert_error (store_error, TT_SECRET_ERROR, TT_SECRET_ERROR_UNAVAILABLE);
}

int
main (int    argc,
      char **argv)
{
  tt_test_init (&argc, &argv);

  g_test_add_func ("/secret/round-trip", test_round_trip);
  g_test_add_func ("/secret/not-in-settings-files", test_not_in_settings_files);
  g_test_add_func ("/secret/no-secret-service", test_no_secret_service);

  return g_test_run ();
}
