/* tt-db-settings.c: the catalogue's location in GSettings
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The keys of com.example.TutorialTags that say where the catalogue is.
 * The password is never among them: it lives in the keyring (tt-secret.c).
 */

#include "config.h"

#include "tt-db-settings.h"

/* The "backend" key's enum (data/com.example.TutorialTags.gschema.xml). */
enum {
  SETTINGS_BACKEND_SQLITE = 0,
  SETTINGS_BACKEND_MYSQL  = 1,
};

/* NULL when the schema is not installed (a program run from the build
 * folder without GSETTINGS_SCHEMA_DIR): g_settings_new() would abort. */
GSettings *
tt_db_settings_new (void)
{
  GSettingsSchemaSource *source = g_settings_schema_source_get_default ();
  g_autoptr(GSettingsSchema) schema = NULL;

  if (source != NULL)
    schema = g_settings_schema_source_lookup (source, APPLICATION_ID, TRUE);
  if (schema == NULL)
    {
      g_debug ("The settings schema %s is not installed", APPLICATION_ID);
      return NULL;
    }

  return g_settings_new_full (schema, NULL, NULL);
}

static char *
get_string_or_null (GSettings  *settings,
                    const char *key)
{
  g_autofree char *value = g_settings_get_string (settings, key);

  return *value != '\0' ? g_steal_pointer (&value) : NULL;
}

static TtDbLocation *
mysql_from_settings (GSettings *settings)
{
  TtDbLocation *self = g_new0 (TtDbLocation, 1);

  self->backend = TT_DB_BACKEND_MYSQL;
  self->host = g_settings_get_string (settings, "mysql-host");
  self->port = g_settings_get_uint (settings, "mysql-port");
  /* A cluster's servers are kept as "HOST:PORT,HOST:PORT" in mysql-host.
   * A list someone spoilt stays the host's name: opening it says why. */
  if (strchr (self->host, ',') != NULL)
    tt_db_location_set_hosts (self, self->host, self->port, NULL);
  self->database = g_settings_get_string (settings, "mysql-database");
  self->user = g_settings_get_string (settings, "mysql-user");
  self->socket = get_string_or_null (settings, "mysql-socket");
  self->require_tls = g_settings_get_boolean (settings, "mysql-require-tls");
  /* Kept while encryption is off, for turning it on again; but a location
   * has them only with require_tls, as a parsed one does. */
  if (self->require_tls)
    {
      self->tls_ca = get_string_or_null (settings, "mysql-tls-ca");
      self->tls_verify = g_settings_get_boolean (settings, "mysql-tls-verify");
    }
  return self;
}

TtDbLocation *
tt_db_location_new_from_settings (GSettings *settings)
{
  g_autofree char *path = NULL;

  g_return_val_if_fail (G_IS_SETTINGS (settings), NULL);

  if (g_settings_get_enum (settings, "backend") == SETTINGS_BACKEND_MYSQL)
    return mysql_from_settings (settings);

  path = get_string_or_null (settings, "sqlite-path");
  if (path == NULL)
    path = tt_db_location_default_sqlite_path ();
  return tt_db_location_new_sqlite (path);
}

/* The default file is kept as "" so that it follows the data folder. */
static void
save_sqlite (const TtDbLocation *location,
             GSettings          *settings)
{
  g_autofree char *default_path = tt_db_location_default_sqlite_path ();

  g_settings_set_enum (settings, "backend", SETTINGS_BACKEND_SQLITE);
  g_settings_set_string (settings, "sqlite-path",
                         g_strcmp0 (location->path, default_path) == 0 ? "" : location->path);
}

static void
save_mysql (const TtDbLocation *location,
            GSettings          *settings)
{
  g_settings_set_enum (settings, "backend", SETTINGS_BACKEND_MYSQL);
  if (location->n_hosts > 1)
    {
      g_autofree char *hosts = tt_db_location_format_hosts (location);

      g_settings_set_string (settings, "mysql-host", hosts);
    }
  else
    g_settings_set_string (settings, "mysql-host", location->host != NULL ? location->host : "");
  g_settings_set_uint (settings, "mysql-port",
                       location->port != 0 ? location->port : TT_DB_MYSQL_DEFAULT_PORT);
  g_settings_set_string (settings, "mysql-database", location->database != NULL ? location->database : "");
  g_settings_set_string (settings, "mysql-user", location->user != NULL ? location->user : "");
  g_settings_set_string (settings, "mysql-socket", location->socket != NULL ? location->socket : "");
  g_settings_set_boolean (settings, "mysql-require-tls", location->require_tls);
  if (location->require_tls)
    {
      g_settings_set_string (settings, "mysql-tls-ca", location->tls_ca != NULL ? location->tls_ca : "");
      g_settings_set_boolean (settings, "mysql-tls-verify", location->tls_verify);
    }
}

/* All keys change at once, so that a reader never sees the backend of one
 * location with the server of another. Only the chosen backend's keys are
 * written: switching back finds the other one as it was. The changes go
 * through a GSettings object of our own, since g_settings_delay() cannot
 * be undone on the caller's. */
void
tt_db_location_save_to_settings (const TtDbLocation *location,
                                 GSettings          *settings)
{
  g_autoptr(GSettingsSchema) schema = NULL;
  g_autoptr(GSettingsBackend) backend = NULL;
  g_autoptr(GSettings) batch = NULL;
  g_autofree char *path = NULL;

  g_return_if_fail (location != NULL);
  g_return_if_fail (G_IS_SETTINGS (settings));

  g_object_get (settings, "settings-schema", &schema, "backend", &backend,
                "path", &path, NULL);
  batch = g_settings_new_full (schema, backend, path);
  g_settings_delay (batch);

  if (location->backend == TT_DB_BACKEND_MYSQL)
    save_mysql (location, batch);
  else
    save_sqlite (location, batch);

  g_settings_apply (batch);
}

static char *flatpak_info_path;

gboolean
tt_db_settings_in_flatpak (void)
{
  /* Flatpak puts this file at the root of every sandbox it makes. */
  return g_file_test (flatpak_info_path != NULL ? flatpak_info_path : "/.flatpak-info",
                      G_FILE_TEST_EXISTS);
}

void
tt_db_settings_set_flatpak_info_path (const char *path)
{
  g_free (flatpak_info_path);
  flatpak_info_path = g_strdup (path);
}
