/* tt-db-location.c: where a catalogue lives, and how people write it down
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <gio/gio.h>
#include <glib/gi18n.h>

#include "tt-db-location.h"

TtDbLocation *
tt_db_location_new_sqlite (const char *path)
{
  TtDbLocation *self;

  g_return_val_if_fail (path != NULL, NULL);

  self = g_new0 (TtDbLocation, 1);
  self->backend = TT_DB_BACKEND_SQLITE;
  if (g_path_is_absolute (path))
    self->path = g_strdup (path);
  else
    self->path = g_canonicalize_filename (path, NULL);

  return self;
}

char *
tt_db_location_default_sqlite_path (void)
{
  return g_build_filename (g_get_user_data_dir (), "tutorial-tags",
                           "catalogue.db", NULL);
}

static gboolean
fail_parse (GError     **error,
            const char  *uri,
            const char  *why)
{
  g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
               /* Translators: the first %s is what the person typed */
               _("“%s” is not a database location: %s. Use sqlite:PATH or mysql://USER@HOST:PORT/DATABASE"),
               uri, why);
  return FALSE;
}

/* What a URI has no other place for comes as query parameters:
 * ?socket=/path for a Unix socket, tls=required for an encrypted connection. */
static gboolean
parse_query (GUri          *uri,
             const char    *text,
             TtDbLocation  *self,
             GError       **error)
{
  const char *query = g_uri_get_query (uri);
  g_autoptr(GHashTable) params = NULL;
  const char *tls;

  if (query == NULL)
    return TRUE;

  params = g_uri_parse_params (query, -1, "&", G_URI_PARAMS_NONE, NULL);
  if (params == NULL)
    return fail_parse (error, text, _("malformed parameters after “?”"));

  self->socket = g_strdup (g_hash_table_lookup (params, "socket"));
  tls = g_hash_table_lookup (params, "tls");
  if (tls != NULL && g_strcmp0 (tls, "required") != 0)
    return fail_parse (error, text, _("the only value of “tls” is “required”"));
  self->require_tls = tls != NULL;

  return TRUE;
}

static TtDbLocation *
parse_mysql (const char  *text,
             GError     **error)
{
  g_autoptr(GUri) uri = NULL;
  g_autoptr(TtDbLocation) self = NULL;
  const char *path;

  uri = g_uri_parse (text, G_URI_FLAGS_NONE, NULL);
  if (uri == NULL || g_uri_get_host (uri) == NULL || *g_uri_get_host (uri) == '\0')
    return fail_parse (error, text, _("no server name")), NULL;

  path = g_uri_get_path (uri);
  if (path == NULL || path[0] != '/' || path[1] == '\0' || strchr (path + 1, '/'))
    return fail_parse (error, text, _("no database name")), NULL;

  if (g_uri_get_user (uri) == NULL || *g_uri_get_user (uri) == '\0')
    return fail_parse (error, text, _("no user name")), NULL;

  if (g_uri_get_password (uri) != NULL)
    return fail_parse (error, text, _("passwords do not belong in a location; use TUTORIAL_TAGS_DB_PASSWORD")), NULL;

  self = g_new0 (TtDbLocation, 1);
  self->backend = TT_DB_BACKEND_MYSQL;
  self->host = g_strdup (g_uri_get_host (uri));
  self->port = g_uri_get_port (uri) > 0 ? (guint) g_uri_get_port (uri) : TT_DB_MYSQL_DEFAULT_PORT;
  self->database = g_strdup (path + 1);
  self->user = g_strdup (g_uri_get_user (uri));
  if (!parse_query (uri, text, self, error))
    return NULL;

  return g_steal_pointer (&self);
}

TtDbLocation *
tt_db_location_parse (const char  *uri,
                      GError     **error)
{
  g_return_val_if_fail (uri != NULL, NULL);

  if (g_str_has_prefix (uri, "sqlite:"))
    {
      const char *path = uri + strlen ("sqlite:");

      if (*path == '\0')
        return fail_parse (error, uri, _("no file name")), NULL;

      return tt_db_location_new_sqlite (path);
    }

  if (g_str_has_prefix (uri, "mysql://") || g_str_has_prefix (uri, "mariadb://"))
    return parse_mysql (uri, error);

  fail_parse (error, uri, _("unknown kind of database"));
  return NULL;
}

TtDbLocation *
tt_db_location_copy (const TtDbLocation *self)
{
  TtDbLocation *copy;

  g_return_val_if_fail (self != NULL, NULL);

  copy = g_new0 (TtDbLocation, 1);
  copy->backend = self->backend;
  copy->path = g_strdup (self->path);
  copy->host = g_strdup (self->host);
  copy->port = self->port;
  copy->socket = g_strdup (self->socket);
  copy->database = g_strdup (self->database);
  copy->user = g_strdup (self->user);
  copy->require_tls = self->require_tls;

  return copy;
}

char *
tt_db_location_to_string (const TtDbLocation *self)
{
  g_autofree char *user = NULL;
  g_autofree char *database = NULL;
  GString *text;
  char separator = '?';

  g_return_val_if_fail (self != NULL, NULL);

  if (self->backend == TT_DB_BACKEND_SQLITE)
    return g_strconcat ("sqlite:", self->path, NULL);

  user = g_uri_escape_string (self->user, NULL, FALSE);
  database = g_uri_escape_string (self->database, NULL, FALSE);
  text = g_string_new (NULL);
  g_string_append_printf (text, "mysql://%s@%s:%u/%s", user, self->host,
                          self->port, database);
  if (self->socket != NULL)
    {
      g_string_append_printf (text, "%csocket=", separator);
      g_string_append_uri_escaped (text, self->socket, "/", FALSE);
      separator = '&';
    }
  if (self->require_tls)
    g_string_append_printf (text, "%ctls=required", separator);

  return g_string_free (text, FALSE);
}

/**
 * tt_db_location_equal:
 *
 * Whether @a and @b name the same catalogue, as far as their written
 * form tells (one owner for the question "copy into itself?", "is this
 * the catalogue in use?").
 */
gboolean
tt_db_location_equal (const TtDbLocation *a,
                      const TtDbLocation *b)
{
  g_autofree char *a_text = NULL;
  g_autofree char *b_text = NULL;

  if (a == NULL || b == NULL)
    return a == b;

  a_text = tt_db_location_to_string (a);
  b_text = tt_db_location_to_string (b);
  return g_strcmp0 (a_text, b_text) == 0;
}

void
tt_db_location_free (TtDbLocation *self)
{
  if (self == NULL)
    return;

  g_free (self->path);
  g_free (self->host);
  g_free (self->socket);
  g_free (self->database);
  g_free (self->user);
  g_free (self);
}
