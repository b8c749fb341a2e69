/* tt-secret.h: the MySQL password in the user's keyring
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "tt-db-location.h"

G_BEGIN_DECLS

#define TT_SECRET_ERROR (tt_secret_error_quark ())

typedef enum
{
  TT_SECRET_ERROR_FAILED,
  /* No Secret Service (keyring daemon) on the session bus, or no bus. */
  TT_SECRET_ERROR_UNAVAILABLE,
  /* The keyring is locked and was not unlocked. */
  TT_SECRET_ERROR_LOCKED,
} TtSecretError;

GQuark    tt_secret_error_quark    (void);

/* A password belongs to a user on a server, whatever the database: the
 * entry is keyed by host and port (or Unix socket) and user. Only MySQL
 * locations have one. */
void      tt_secret_store_async    (const TtDbLocation   *location,
                                    const char           *password,
                                    GCancellable         *cancellable,
                                    GAsyncReadyCallback   callback,
                                    gpointer              user_data);
gboolean  tt_secret_store_finish   (GAsyncResult         *result,
                                    GError              **error);

/* NULL without an error when there is no entry. Free the password with
 * tt_secret_password_free(). */
void      tt_secret_lookup_async   (const TtDbLocation   *location,
                                    GCancellable         *cancellable,
                                    GAsyncReadyCallback   callback,
                                    gpointer              user_data);
char     *tt_secret_lookup_finish  (GAsyncResult         *result,
                                    GError              **error);
/* For the command-line tool, which has no main loop. */
char     *tt_secret_lookup_sync    (const TtDbLocation   *location,
                                    GCancellable         *cancellable,
                                    GError              **error);

/* TRUE also when there was nothing to remove. */
void      tt_secret_clear_async    (const TtDbLocation   *location,
                                    GCancellable         *cancellable,
                                    GAsyncReadyCallback   callback,
                                    gpointer              user_data);
gboolean  tt_secret_clear_finish   (GAsyncResult         *result,
                                    GError              **error);

/* Overwrites the password before freeing it. */
void      tt_secret_password_free  (char                 *password);

G_END_DECLS
