/* tt-secret.c: the MySQL password in the user's keyring
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Through libsecret, so the password goes to whatever Secret Service the
 * session has (GNOME Keyring, KWallet), or to the Secret portal inside
 * Flatpak; never to GSettings or a file of ours. libsecret's errors are
 * turned into TtSecretError with a message a person can act on.
 */

#include "config.h"

#include <glib/gi18n.h>
#include <libsecret/secret.h>

#include "tt-secret.h"

G_DEFINE_QUARK (tt-secret-error-quark, tt_secret_error)

/* Every attribute is always given (empty or 0 when unused): a lookup
 * matches entries that have at least the attributes asked for, so an
 * entry for a socket must not answer a lookup for a TCP server. */
static const SecretSchema password_schema = {
  "com.example.TutorialTags.Password",
  SECRET_SCHEMA_NONE,
  {
    { "host", SECRET_SCHEMA_ATTRIBUTE_STRING },
    { "port", SECRET_SCHEMA_ATTRIBUTE_INTEGER },
    { "socket", SECRET_SCHEMA_ATTRIBUTE_STRING },
    { "user", SECRET_SCHEMA_ATTRIBUTE_STRING },
    { NULL, 0 },
  }
};

/* Over a socket, host and port play no part in the connection, so they
 * play none in the key either. */
static GHashTable *
attributes_for (const TtDbLocation *location)
{
  GHashTable *attributes = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, g_free);
  gboolean tcp = location->socket == NULL;

  g_hash_table_insert (attributes, (gpointer) "host", g_strdup (tcp && location->host != NULL ? location->host : ""));
  g_hash_table_insert (attributes, (gpointer) "port", g_strdup_printf ("%u", tcp ? location->port : 0));
  g_hash_table_insert (attributes, (gpointer) "socket", g_strdup (tcp ? "" : location->socket));
  g_hash_table_insert (attributes, (gpointer) "user", g_strdup (location->user != NULL ? location->user : ""));
  return attributes;
}

/* What a keyring manager (Seahorse) shows for the entry. */
static char *
label_for (const TtDbLocation *location)
{
  g_autofree char *server = NULL;

  if (location->socket != NULL)
    server = g_strdup (location->socket);
  else if (tt_db_location_get_n_hosts (location) > 1)
    server = tt_db_location_format_hosts (location);
  else if (location->port == TT_DB_MYSQL_DEFAULT_PORT || location->port == 0)
    server = g_strdup (location->host);
  else
    server = g_strdup_printf ("%s:%u", location->host, location->port);

  /* Translators: the name of the password in the keyring; the first %s is
   * a user name, the second a server such as db.example.org:3307 */
  return g_strdup_printf (_("Tutorial Tags: %s on %s"), location->user, server);
}

static gboolean
is_locked (const GError *error)
{
  /* GNOME Keyring answers "Object does not exist" (UnknownMethod from
   * GDBus) for the default collection when there is none and it could not
   * ask for one: no prompt is possible, or it was dismissed. */
  return g_error_matches (error, SECRET_ERROR, SECRET_ERROR_IS_LOCKED) ||
         g_error_matches (error, G_DBUS_ERROR, G_DBUS_ERROR_UNKNOWN_OBJECT) ||
         g_error_matches (error, G_DBUS_ERROR, G_DBUS_ERROR_UNKNOWN_METHOD);
}

static gboolean
is_unavailable (const GError *error)
{
  /* No bus at all, or nothing on it that owns org.freedesktop.secrets. */
  return error->domain == G_DBUS_ERROR ||
         (error->domain == G_IO_ERROR && error->code != G_IO_ERROR_CANCELLED);
}

/* Takes @error. @what says what was being done, for the message. */
static GError *
map_error (GError     *error,
           const char *what)
{
  g_autoptr(GError) owned = error;

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return g_steal_pointer (&owned);

  if (is_locked (error))
    return g_error_new (TT_SECRET_ERROR, TT_SECRET_ERROR_LOCKED,
                        /* Translators: %s is what failed, e.g. “Cannot save the password in the keyring” */
                        _("%s: the keyring is locked, or there is no default keyring. Unlock or create your login keyring (for example in “Passwords and Keys”) and try again."),
                        what);

  if (is_unavailable (error))
    return g_error_new (TT_SECRET_ERROR, TT_SECRET_ERROR_UNAVAILABLE,
                        /* Translators: the first %s is what failed, the second the system's reason */
                        _("%s: no keyring is available (no Secret Service such as GNOME Keyring is running in this session). %s"),
                        what, error->message);

  return g_error_new (TT_SECRET_ERROR, TT_SECRET_ERROR_FAILED,
                      "%s: %s", what, error->message);
}

static gboolean
check_location (const TtDbLocation  *location,
                GError             **error)
{
  if (location->backend == TT_DB_BACKEND_MYSQL)
    return TRUE;

  g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                       _("Only a MySQL or MariaDB server has a password"));
  return FALSE;
}

/* ---- store ----------------------------------------------------------- */

static void
store_cb (GObject      *source,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;

  if (secret_password_store_finish (result, &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, map_error (error, _("Cannot save the password in the keyring")));
}

void
tt_secret_store_async (const TtDbLocation  *location,
                       const char          *password,
                       GCancellable        *cancellable,
                       GAsyncReadyCallback  callback,
                       gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GHashTable) attributes = NULL;
  g_autofree char *label = NULL;
  GError *error = NULL;

  g_return_if_fail (location != NULL);
  g_return_if_fail (password != NULL);

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, tt_secret_store_async);
  if (!check_location (location, &error))
    {
      g_task_return_error (task, error);
      return;
    }

  attributes = attributes_for (location);
  label = label_for (location);
  secret_password_storev (&password_schema, attributes, SECRET_COLLECTION_DEFAULT,
                          label, password, cancellable, store_cb,
                          g_steal_pointer (&task));
}

gboolean
tt_secret_store_finish (GAsyncResult  *result,
                        GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

/* ---- lookup ---------------------------------------------------------- */

static void
lookup_cb (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;
  char *password = secret_password_lookup_finish (result, &error);

  if (error != NULL)
    g_task_return_error (task, map_error (error, _("Cannot read the password from the keyring")));
  else
    g_task_return_pointer (task, password, (GDestroyNotify) tt_secret_password_free);
}

void
tt_secret_lookup_async (const TtDbLocation  *location,
                        GCancellable        *cancellable,
                        GAsyncReadyCallback  callback,
                        gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GHashTable) attributes = NULL;
  GError *error = NULL;

  g_return_if_fail (location != NULL);

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, tt_secret_lookup_async);
  if (!check_location (location, &error))
    {
      g_task_return_error (task, error);
      return;
    }

  attributes = attributes_for (location);
  secret_password_lookupv (&password_schema, attributes, cancellable, lookup_cb,
                           g_steal_pointer (&task));
}

char *
tt_secret_lookup_finish (GAsyncResult  *result,
                         GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

char *
tt_secret_lookup_sync (const TtDbLocation  *location,
                       GCancellable        *cancellable,
                       GError             **error)
{
  g_autoptr(GHashTable) attributes = NULL;
  GError *local_error = NULL;
  char *password;

  g_return_val_if_fail (location != NULL, NULL);

  if (!check_location (location, error))
    return NULL;

  attributes = attributes_for (location);
  password = secret_password_lookupv_sync (&password_schema, attributes, cancellable, &local_error);
  if (local_error != NULL)
    g_propagate_error (error, map_error (local_error, _("Cannot read the password from the keyring")));
  return password;
}

/* ---- clear ----------------------------------------------------------- */

static void
clear_cb (GObject      *source,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;

  /* FALSE without an error: there was nothing to remove. */
  secret_password_clear_finish (result, &error);
  if (error != NULL)
    g_task_return_error (task, map_error (error, _("Cannot remove the password from the keyring")));
  else
    g_task_return_boolean (task, TRUE);
}

void
tt_secret_clear_async (const TtDbLocation  *location,
                       GCancellable        *cancellable,
                       GAsyncReadyCallback  callback,
                       gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GHashTable) attributes = NULL;
  GError *error = NULL;

  g_return_if_fail (location != NULL);

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, tt_secret_clear_async);
  if (!check_location (location, &error))
    {
      g_task_return_error (task, error);
      return;
    }

  attributes = attributes_for (location);
  secret_password_clearv (&password_schema, attributes, cancellable, clear_cb,
                          g_steal_pointer (&task));
}

gboolean
tt_secret_clear_finish (GAsyncResult  *result,
                        GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

void
tt_secret_password_free (char *password)
{
  secret_password_free (password);
}
