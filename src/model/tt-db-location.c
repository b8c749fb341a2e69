/* tt-db-location.c: where a catalogue lives, and how people write it down
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

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

/* @uri as it may be shown: a password in it (which is refused) becomes
 * "***", so that no message repeats it. Done on the text, because the
 * text may be too malformed for GUri to find the password. */
static char *
redact_password (const char *uri)
{
  const char *authority = strstr (uri, "://");
  const char *authority_end;
  const char *at = NULL;
  const char *colon;

  if (authority == NULL)
    return g_strdup (uri);
  authority += strlen ("://");
  authority_end = authority + strcspn (authority, "/?#");
  for (const char *p = authority; p < authority_end; p++)
    if (*p == '@')
      at = p;
  colon = at != NULL ? memchr (authority, ':', at - authority) : NULL;
  if (colon == NULL)
    return g_strdup (uri);

  return g_strdup_printf ("%.*s***%s", (int) (colon + 1 - uri), uri, at);
}

static gboolean
fail_parse (GError     **error,
            const char  *uri,
            const char  *why)
{
  g_autofree char *shown = redact_password (uri);

  g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
               /* Translators: the first %s is what the person typed */
               _("“%s” is not a database location: %s. Use sqlite:PATH or mysql://USER@HOST:PORT/DATABASE"),
               shown, why);
  return FALSE;
}

/* What GUri found wrong, said in terms of a database location. */
static const char *
describe_uri_error (const GError *uri_error)
{
  switch (uri_error->code)
    {
    case G_URI_ERROR_BAD_PORT:
      return _("the port must be a whole number from 1 to 65535");
    case G_URI_ERROR_BAD_HOST:
      return _("the server name is not valid");
    case G_URI_ERROR_BAD_USER:
    case G_URI_ERROR_BAD_PASSWORD:
    case G_URI_ERROR_BAD_AUTH_PARAMS:
      return _("the user name is not valid: each “%” must be followed by two hexadecimal digits that make UTF-8 text (not %00)");
    case G_URI_ERROR_BAD_PATH:
      return _("the database name is not valid: each “%” must be followed by two hexadecimal digits that make UTF-8 text (not %00)");
    case G_URI_ERROR_BAD_QUERY:
      return _("malformed parameters after “?”");
    case G_URI_ERROR_BAD_FRAGMENT:
      return _("nothing may follow “#”");
    default:
      return _("it is not a valid URI");
    }
}

/* ?tls=required, and with it ca=PATH (a CA file) and verify=yes|no:
 * verify defaults to yes with a CA (that is what a CA is for) and to no
 * without one (encrypted, but any certificate is taken, as MySQL's
 * ssl-mode=REQUIRED does); verify=yes without a CA checks against the
 * system's trusted authorities. */
static gboolean
parse_tls_params (GHashTable    *params,
                  const char    *text,
                  TtDbLocation  *self,
                  GError       **error)
{
  const char *tls = g_hash_table_lookup (params, "tls");
  const char *ca = g_hash_table_lookup (params, "ca");
  const char *verify = g_hash_table_lookup (params, "verify");

  if (tls != NULL && g_strcmp0 (tls, "required") != 0)
    return fail_parse (error, text, _("the only value of “tls” is “required”"));
  self->require_tls = tls != NULL;
  if (tls == NULL && (ca != NULL || verify != NULL))
    return fail_parse (error, text, _("“ca” and “verify” go with “tls=required”"));
  if (ca != NULL && *ca == '\0')
    return fail_parse (error, text, _("“ca” needs the path of a CA certificate file"));
  if (verify != NULL && !g_str_equal (verify, "yes") && !g_str_equal (verify, "no"))
    return fail_parse (error, text, _("the values of “verify” are “yes” and “no”"));

  self->tls_ca = g_strdup (ca);
  self->tls_verify = verify != NULL ? g_str_equal (verify, "yes") : ca != NULL;
  return TRUE;
}

/* What a URI has no other place for comes as query parameters:
 * ?socket=/path for a Unix socket, tls=required (with ca= and verify=)
 * for an encrypted connection. */
static gboolean
parse_query (GUri          *uri,
             const char    *text,
             TtDbLocation  *self,
             GError       **error)
{
  static const char * const known[] = { "socket", "tls", "ca", "verify", NULL };
  const char *query = g_uri_get_query (uri);
  g_autoptr(GHashTable) params = NULL;
  GHashTableIter iter;
  const char *name;

  if (query == NULL)
    return TRUE;

  params = g_uri_parse_params (query, -1, "&", G_URI_PARAMS_NONE, NULL);
  if (params == NULL)
    return fail_parse (error, text, _("malformed parameters after “?”"));

  /* A misspelt parameter must not be ignored: "?tsl=required" would
   * silently give an unencrypted connection. */
  g_hash_table_iter_init (&iter, params);
  while (g_hash_table_iter_next (&iter, (gpointer *) &name, NULL))
    if (!g_strv_contains (known, name))
      {
        g_autofree char *why =
          g_strdup_printf (_("unknown parameter “%s” (there are “socket”, “tls”, “ca” and “verify”)"), name);

        return fail_parse (error, text, why);
      }

  self->socket = g_strdup (g_hash_table_lookup (params, "socket"));
  if (self->socket != NULL && self->socket[0] == '\0')
    return fail_parse (error, text, _("“socket” needs the path of a Unix socket"));

  return parse_tls_params (params, text, self, error);
}

/* Letters, digits, "-", "." and "_", ":" of an IPv6 address, and
 * anything beyond ASCII (an international name); no spaces. */
static gboolean
is_host_name (const char *host)
{
  for (const char *p = host; *p != '\0'; p++)
    if (!g_ascii_isalnum (*p) && strchr ("-._:", *p) == NULL && (guchar) *p < 0x80)
      return FALSE;
  return TRUE;
}

/* Why @uri (parsed by GUri) is no MySQL location, or NULL when it is one. */
static const char *
check_mysql_uri (GUri *uri)
{
  const char *host = g_uri_get_host (uri);
  const char *path = g_uri_get_path (uri);
  const char *user = g_uri_get_user (uri);

  /* First: whatever else is wrong, the password is what matters most. */
  if (g_uri_get_password (uri) != NULL)
    return _("passwords do not belong in a location; use TUTORIAL_TAGS_DB_PASSWORD");
  if (host == NULL || *host == '\0')
    return _("no server name");
  if (!is_host_name (host))
    return _("the server name has characters a server name cannot have");
  /* GUri takes ":0"; no server listens there. */
  if (g_uri_get_port (uri) == 0)
    return _("the port must be a whole number from 1 to 65535");
  if (path == NULL || path[0] != '/' || path[1] == '\0')
    return _("no database name");
  if (strchr (path + 1, '/') != NULL)
    return _("a database name cannot contain “/”");
  if (user == NULL || *user == '\0')
    return _("no user name");
  if (g_uri_get_fragment (uri) != NULL)
    return _("nothing may follow “#”");
  return NULL;
}

static TtDbLocation *
parse_mysql (const char  *text,
             GError     **error)
{
  g_autoptr(GUri) uri = NULL;
  g_autoptr(TtDbLocation) self = NULL;
  g_autoptr(GError) uri_error = NULL;
  const char *why;

  /* HAS_PASSWORD: without it "user:secret" would be taken as the name. */
  uri = g_uri_parse (text, G_URI_FLAGS_HAS_PASSWORD, &uri_error);
  if (uri == NULL)
    return fail_parse (error, text, describe_uri_error (uri_error)), NULL;
  if ((why = check_mysql_uri (uri)) != NULL)
    return fail_parse (error, text, why), NULL;

  self = g_new0 (TtDbLocation, 1);
  self->backend = TT_DB_BACKEND_MYSQL;
  self->host = g_strdup (g_uri_get_host (uri));
  self->port = g_uri_get_port (uri) > 0 ? (guint) g_uri_get_port (uri) : TT_DB_MYSQL_DEFAULT_PORT;
  self->database = g_strdup (g_uri_get_path (uri) + 1);
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
  copy->tls_ca = g_strdup (self->tls_ca);
  copy->tls_verify = self->tls_verify;

  return copy;
}

/* What parse_tls_params() reads back to the same location: verify only
 * when it is not the default. */
static void
append_tls_params (GString            *text,
                   const TtDbLocation *self,
                   char                separator)
{
  g_string_append_printf (text, "%ctls=required", separator);
  if (self->tls_ca != NULL)
    {
      g_string_append (text, "&ca=");
      g_string_append_uri_escaped (text, self->tls_ca, "/", FALSE);
    }
  if (self->tls_verify != (self->tls_ca != NULL))
    g_string_append_printf (text, "&verify=%s", self->tls_verify ? "yes" : "no");
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
    append_tls_params (text, self, separator);

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
  g_free (self->tls_ca);
  g_free (self);
}
