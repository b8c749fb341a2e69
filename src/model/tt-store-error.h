/* tt-store-error.h: the catalogue's error codes, for every layer
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * What each one means to a person (toast, hint, exit status) is in
 * tt-error-table.c.
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define TT_STORE_ERROR (tt_store_error_quark ())

typedef enum
{
  TT_STORE_ERROR_FAILED,
  TT_STORE_ERROR_NOT_FOUND,
  TT_STORE_ERROR_DUPLICATE,
  TT_STORE_ERROR_INVALID_INPUT,
  TT_STORE_ERROR_CONNECTION_FAILED,
  TT_STORE_ERROR_ACCESS_DENIED,
  TT_STORE_ERROR_NO_DATABASE,
  /* The server went away during a write: it may or may not have happened. */
  TT_STORE_ERROR_CONNECTION_LOST,
  TT_STORE_ERROR_SCHEMA_TOO_NEW,
  TT_STORE_ERROR_READ_ONLY,
  TT_STORE_ERROR_DISK_FULL,
  TT_STORE_ERROR_CORRUPT,
  /* The server did not answer within TT_STORE_CONNECT_TIMEOUT_SECONDS. */
  TT_STORE_ERROR_TIMED_OUT,
  /* An encrypted connection was required and could not be had: the
   * server offers no TLS, or the handshake failed. */
  TT_STORE_ERROR_TLS_UNAVAILABLE,
  /* Logged in, but not allowed: MySQL 1044/1142, or a file one cannot read. */
  TT_STORE_ERROR_NO_PERMISSION,
  TT_STORE_ERROR_UNKNOWN_HOST,
  /* A copy whose source and target are one catalogue, however spelt. */
  TT_STORE_ERROR_SAME_CATALOGUE,
  /* The server accepts only encrypted connections; none was asked for. */
  TT_STORE_ERROR_TLS_REQUIRED_BY_SERVER,
  /* The server's certificate is not signed by the CA given (or one the
   * system trusts), or does not name the server; or the CA file cannot
   * be read. */
  TT_STORE_ERROR_TLS_CERTIFICATE,
  /* MySQL 1213: a deadlock, or a Galera cluster's certification conflict
   * with another node's commit. The server rolled the whole transaction
   * back, so it is safe to run again (tt_store_run_atomically() does, a
   * few times, before this reaches anyone). */
  TT_STORE_ERROR_CONFLICT,
  /* A table or column of the catalogue is missing: another program made
   * the tables again (the Node.js app's sync({force: true})) or dropped
   * them. The store adopts them again and tries once more before this
   * reaches anyone. */
  TT_STORE_ERROR_TABLES_CHANGED,
} TtStoreError;

GQuark tt_store_error_quark (void);

G_END_DECLS
