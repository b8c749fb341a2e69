/* tt-error-table.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>

#include "tt-error-table.h"
#include "tt-store-error.h"

typedef struct
{
  TtStoreError  code;
  const char   *summary;
  /* Why connecting failed, in our words (NULL: the message says it). */
  const char   *connect;
  const char   *hint;
  TtExitStatus  exit_status;
} ErrorRow;

/* Indexed by TtStoreError; the code in each row is checked at first use,
 * so that a new error cannot be added in the wrong place. */
static const ErrorRow rows[] = {
  { TT_STORE_ERROR_FAILED,
    N_("Your change could not be saved"),
    NULL,
    NULL,
    TT_EXIT_FAILED },
  { TT_STORE_ERROR_NOT_FOUND,
    N_("It was deleted in the meantime; the lists are up to date again"),
    NULL,
    N_("It may have been deleted in the meantime; reload the lists."),
    TT_EXIT_NOT_FOUND },
  { TT_STORE_ERROR_DUPLICATE,
    N_("A tag with that name already exists"),
    NULL,
    N_("Choose another name."),
    TT_EXIT_DUPLICATE },
  { TT_STORE_ERROR_INVALID_INPUT,
    NULL,
    NULL,
    N_("Correct the text and try again."),
    TT_EXIT_INVALID_INPUT },
  { TT_STORE_ERROR_CONNECTION_FAILED,
    N_("Could not reach the database; your change was not saved"),
    N_("Could not reach the database server."),
    N_("Check the host and port, and that the server is running."),
    TT_EXIT_CONNECTION },
  { TT_STORE_ERROR_ACCESS_DENIED,
    N_("The database refused access; check the account in Preferences"),
    N_("The server did not accept the user name and password."),
    N_("Check the user name and password."),
    TT_EXIT_CONNECTION },
  { TT_STORE_ERROR_NO_DATABASE,
    N_("The database does not exist any more"),
    N_("The server has no database of that name."),
    N_("Check the database name, or ask the server’s administrator to create the database."),
    TT_EXIT_CONNECTION },
  { TT_STORE_ERROR_CONNECTION_LOST,
    N_("The connection to the database was lost; your change may not have been saved"),
    N_("The connection to the database was lost."),
    N_("Check the network and the server, then try again."),
    TT_EXIT_CONNECTION },
  { TT_STORE_ERROR_SCHEMA_TOO_NEW,
    N_("The catalogue was changed by a newer version of Tutorial Tags"),
    N_("Its catalogue was made by a newer version of Tutorial Tags."),
    N_("Update Tutorial Tags to the newest version, or choose another catalogue."),
    TT_EXIT_SCHEMA_TOO_NEW },
  { TT_STORE_ERROR_READ_ONLY,
    N_("The catalogue is read-only; your change was not saved"),
    N_("The catalogue cannot be written to."),
    N_("Ask for write access, or choose a file in a folder you can write to."),
    TT_EXIT_FAILED },
  { TT_STORE_ERROR_DISK_FULL,
    N_("The disk is full; your change was not saved"),
    N_("The disk is full."),
    N_("Free some disk space, then try again."),
    TT_EXIT_FAILED },
  { TT_STORE_ERROR_CORRUPT,
    N_("The catalogue file is damaged; your change was not saved"),
    N_("This is not a catalogue Tutorial Tags can open."),
    N_("Nothing more is written to it. Export what can still be read and import that into a new catalogue, or restore a backup."),
    TT_EXIT_CORRUPT },
  { TT_STORE_ERROR_TIMED_OUT,
    N_("Could not reach the database; your change was not saved"),
    N_("The database server did not answer within 10 seconds."),
    N_("Check the host and port, and that no firewall blocks the connection."),
    TT_EXIT_CONNECTION },
  { TT_STORE_ERROR_TLS_UNAVAILABLE,
    N_("The server offers no encryption; your change was not saved"),
    N_("The server offers no encryption."),
    N_("Ask the server’s administrator to turn on TLS, connect through a Unix socket or an SSH tunnel, or turn off “Require encryption” on a network you trust."),
    TT_EXIT_CONNECTION },
  { TT_STORE_ERROR_NO_PERMISSION,
    N_("You are not allowed to change the catalogue; your change was not saved"),
    N_("You are not allowed to use this database."),
    N_("Ask the server’s administrator to create the database or grant you access (for a file: ask its owner)."),
    TT_EXIT_CONNECTION },
  { TT_STORE_ERROR_UNKNOWN_HOST,
    N_("Could not reach the database; your change was not saved"),
    N_("No computer of that host name was found."),
    N_("Check the spelling of the host name and the network connection."),
    TT_EXIT_CONNECTION },
  { TT_STORE_ERROR_SAME_CATALOGUE,
    N_("Nothing was copied: the source and the target are one catalogue"),
    NULL,
    N_("Choose another database to copy into; this one is the catalogue itself under another name."),
    TT_EXIT_USAGE },
  { TT_STORE_ERROR_TLS_REQUIRED_BY_SERVER,
    N_("The server requires an encrypted connection; your change was not saved"),
    N_("The server accepts only encrypted connections."),
    N_("Turn on “Require encryption” in Preferences (in a location: ?tls=required), with the CA certificate that signed the server’s certificate."),
    TT_EXIT_CONNECTION },
  { TT_STORE_ERROR_TLS_CERTIFICATE,
    N_("The server’s certificate is not trusted; your change was not saved"),
    N_("The server’s certificate is not trusted."),
    N_("Choose the CA certificate that signed the server’s certificate (the server’s administrator has it), and connect by the name or address the certificate gives."),
    TT_EXIT_CONNECTION },
  { TT_STORE_ERROR_CONFLICT,
    N_("Other changes to the same items kept getting in the way; your change was not saved"),
    NULL,
    N_("Try again; if it keeps happening, many clients are changing the same tags at once."),
    TT_EXIT_FAILED },
  { TT_STORE_ERROR_TABLES_CHANGED,
    N_("Another program is making the catalogue’s tables again; your change was not saved"),
    N_("Another program is making the catalogue’s tables again."),
    N_("Try again in a moment, when that program has finished."),
    TT_EXIT_FAILED },
};

G_DEFINE_QUARK (tt-store-error-quark, tt_store_error)

static const ErrorRow *
find_row (const GError *error)
{
  static gsize checked = 0;

  if (g_once_init_enter (&checked))
    {
      for (guint i = 0; i < G_N_ELEMENTS (rows); i++)
        g_assert ((guint) rows[i].code == i);
      g_once_init_leave (&checked, 1);
    }

  if (error == NULL || error->domain != TT_STORE_ERROR ||
      error->code < 0 || (guint) error->code >= G_N_ELEMENTS (rows))
    return NULL;

  return &rows[error->code];
}

const char *
tt_error_get_summary (const GError *error)
{
  const ErrorRow *row = find_row (error);

  g_return_val_if_fail (error != NULL, NULL);

  if (row == NULL)
    return NULL;
  return row->summary != NULL ? _(row->summary) : NULL;
}

const char *
tt_error_get_hint (const GError *error)
{
  const ErrorRow *row = find_row (error);

  g_return_val_if_fail (error != NULL, NULL);

  if (row == NULL || row->hint == NULL)
    return NULL;
  return _(row->hint);
}

TtExitStatus
tt_error_get_exit_status (const GError *error)
{
  const ErrorRow *row = find_row (error);

  g_return_val_if_fail (error != NULL, TT_EXIT_FAILED);

  return row != NULL ? row->exit_status : TT_EXIT_FAILED;
}

char *
tt_error_describe (const GError *error)
{
  const char *hint;

  g_return_val_if_fail (error != NULL, NULL);

  hint = tt_error_get_hint (error);
  if (hint == NULL)
    return g_strdup (error->message);
  return g_strdup_printf ("%s %s", error->message, hint);
}

/* @text as a sentence: with a full stop unless it has one already. */
static char *
as_sentence (const char *text)
{
  if (g_str_has_suffix (text, ".") || g_str_has_suffix (text, ".”") ||
      g_str_has_suffix (text, "!") || g_str_has_suffix (text, "?"))
    return g_strdup (text);
  return g_strconcat (text, ".", NULL);
}

char *
tt_error_describe_connection (const GError  *error,
                              char         **detail)
{
  const ErrorRow *row = find_row (error);
  const char *hint;
  g_autofree char *sentence = NULL;

  g_return_val_if_fail (error != NULL, NULL);
  g_return_val_if_fail (detail != NULL && *detail == NULL, NULL);

  if (row != NULL && row->connect != NULL)
    {
      sentence = g_strdup (_(row->connect));
      *detail = as_sentence (error->message);
    }
  else
    sentence = as_sentence (error->message);

  hint = tt_error_get_hint (error);
  if (hint == NULL)
    return g_steal_pointer (&sentence);
  return g_strdup_printf ("%s %s", sentence, hint);
}
