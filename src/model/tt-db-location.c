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

/* ---- several servers ------------------------------------------------ */

static void
clear_hosts (TtDbLocation *self)
{
  for (guint i = 0; i < self->n_hosts; i++)
    g_free (self->hosts[i].name);
  g_clear_pointer (&self->hosts, g_free);
  self->n_hosts = 0;
}

/* The port of one server in a list: digits only, 1 to 65535. */
static gboolean
parse_port (const char *text,
            guint      *port)
{
  guint64 value;

  if (!g_ascii_string_to_unsigned (text, 10, 1, 65535, &value, NULL))
    return FALSE;
  *port = (guint) value;
  return TRUE;
}

/* Splits "name", "name:port" or "[IPv6]:port" into @host; the reason
 * when it is none of these, NULL when it is. */
static const char *
parse_host_entry (const char *entry,
                  guint       default_port,
                  TtDbHost   *host)
{
  g_autofree char *name = NULL;
  const char *port_text = NULL;
  const char *colon;

  if (*entry == '\0')
    return _("the list of servers has an empty entry");
  if (entry[0] == '[')
    {
      const char *close = strchr (entry, ']');

      if (close == NULL || (close[1] != '\0' && close[1] != ':'))
        return _("the server name is not valid");
      name = g_strndup (entry + 1, close - entry - 1);
      port_text = close[1] == ':' ? close + 2 : NULL;
    }
  else if ((colon = strchr (entry, ':')) != NULL && strchr (colon + 1, ':') == NULL)
    {
      name = g_strndup (entry, colon - entry);
      port_text = colon + 1;
    }
  else
    name = g_strdup (entry);

  if (*name == '\0')
    return _("no server name");
  if (!is_host_name (name))
    return _("the server name has characters a server name cannot have");
  host->port = default_port;
  if (port_text != NULL && !parse_port (port_text, &host->port))
    return _("the port must be a whole number from 1 to 65535");
  host->name = g_steal_pointer (&name);
  return NULL;
}

/* Fills @self's servers from @list; the reason when it is malformed. */
static const char *
parse_host_list (TtDbLocation *self,
                 const char   *list,
                 guint         default_port)
{
  g_auto(GStrv) entries = g_strsplit (list, ",", -1);
  guint n = g_strv_length (entries);
  TtDbHost *hosts = g_new0 (TtDbHost, MAX (n, 1));
  const char *why = n == 0 ? _("no server name") : NULL;
  guint parsed = 0;

  for (; why == NULL && parsed < n; parsed++)
    why = parse_host_entry (g_strstrip (entries[parsed]), default_port, &hosts[parsed]);
  if (why != NULL)
    {
      for (guint i = 0; i < n; i++)
        g_free (hosts[i].name);
      g_free (hosts);
      return why;
    }

  clear_hosts (self);
  self->hosts = hosts;
  self->n_hosts = n;
  g_free (self->host);
  self->host = g_strdup (hosts[0].name);
  self->port = hosts[0].port;
  return NULL;
}

gboolean
tt_db_location_set_hosts (TtDbLocation  *self,
                          const char    *list,
                          guint          default_port,
                          GError       **error)
{
  const char *why;

  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (list != NULL, FALSE);

  why = parse_host_list (self, list, default_port);
  if (why == NULL)
    return TRUE;

  g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
               /* Translators: the first %s is what the person typed */
               _("“%s” is not a list of database servers: %s. Use HOST:PORT,HOST:PORT,…"),
               list, why);
  return FALSE;
}

guint
tt_db_location_get_n_hosts (const TtDbLocation *self)
{
  g_return_val_if_fail (self != NULL, 0);

  return MAX (self->n_hosts, 1);
}

/* Server @index (below tt_db_location_get_n_hosts()) and its port. The
 * first is host and port, so that code (and tests) that change those
 * fields change the server used. */
const char *
tt_db_location_get_host (const TtDbLocation *self,
                         guint               index,
                         guint              *port)
{
  g_return_val_if_fail (self != NULL, NULL);
  g_return_val_if_fail (index < tt_db_location_get_n_hosts (self), NULL);

  if (index == 0)
    {
      *port = self->port;
      return self->host;
    }
  *port = self->hosts[index].port;
  return self->hosts[index].name;
}

/* "name:port,…", an IPv6 address in brackets. */
char *
tt_db_location_format_hosts (const TtDbLocation *self)
{
  GString *text = g_string_new (NULL);

  g_return_val_if_fail (self != NULL, NULL);

  for (guint i = 0; i < tt_db_location_get_n_hosts (self); i++)
    {
      guint port;
      const char *name = tt_db_location_get_host (self, i, &port);

      g_string_append_printf (text, strchr (name, ':') != NULL ? "%s[%s]:%u" : "%s%s:%u",
                              i > 0 ? "," : "", name, port);
    }
  return g_string_free (text, FALSE);
}

/* Where the servers of @text are: after the "@" (the user name may not
 * contain one unescaped), up to the path. */
static void
find_host_part (const char  *text,
                const char **start,
                const char **end)
{
  const char *authority = strstr (text, "://") + strlen ("://");
  const char *authority_end = authority + strcspn (authority, "/?#");

  *start = authority;
  for (const char *p = authority; p < authority_end; p++)
    if (*p == '@')
      *start = p + 1;
  *end = authority_end;
}

/* @text with its list of servers cut down to the first, for GUri, which
 * takes one; NULL when it names one server. */
static char *
first_server_only (const char *text)
{
  const char *start;
  const char *end;
  const char *comma;

  find_host_part (text, &start, &end);
  comma = memchr (start, ',', end - start);
  if (comma == NULL)
    return NULL;

  return g_strdup_printf ("%.*s%s", (int) (comma - text), text, end);
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

/* The servers of a cluster, checked one by one as GUri checked the
 * first. A socket is one server: it cannot go with several. */
static gboolean
parse_mysql_hosts (const char    *text,
                   TtDbLocation  *self,
                   GError       **error)
{
  const char *start;
  const char *end;
  g_autofree char *list = NULL;
  const char *why;

  if (self->socket != NULL)
    return fail_parse (error, text, _("a “socket” is one server; it cannot go with a list of servers"));

  find_host_part (text, &start, &end);
  list = g_strndup (start, end - start);
  why = parse_host_list (self, list, TT_DB_MYSQL_DEFAULT_PORT);
  return why == NULL || fail_parse (error, text, why);
}

static TtDbLocation *
parse_mysql (const char  *text,
             GError     **error)
{
  g_autoptr(GUri) uri = NULL;
  g_autoptr(TtDbLocation) self = NULL;
  g_autoptr(GError) uri_error = NULL;
  g_autofree char *first_only = first_server_only (text);
  const char *why;

  /* HAS_PASSWORD: without it "user:secret" would be taken as the name. */
  uri = g_uri_parse (first_only != NULL ? first_only : text, G_URI_FLAGS_HAS_PASSWORD, &uri_error);
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
  if (first_only != NULL && !parse_mysql_hosts (text, self, error))
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
  copy->n_hosts = self->n_hosts;
  copy->hosts = self->n_hosts > 0 ? g_new0 (TtDbHost, self->n_hosts) : NULL;
  for (guint i = 0; i < self->n_hosts; i++)
    copy->hosts[i] = (TtDbHost) { g_strdup (self->hosts[i].name), self->hosts[i].port };

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
  if (self->n_hosts > 1)
    {
      g_autofree char *hosts = tt_db_location_format_hosts (self);

      g_string_append_printf (text, "mysql://%s@%s/%s", user, hosts, database);
    }
  else
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
  clear_hosts (self);
  g_free (self);
}
