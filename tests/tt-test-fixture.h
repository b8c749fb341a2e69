/* tt-test-fixture.h: one store per test, on the backend the test runs for
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Each store test program runs twice: with TT_TEST_BACKEND=sqlite on a fresh
 * file in a temporary folder, and with TT_TEST_BACKEND=mysql on the private
 * MariaDB that build-aux/run-tests.sh starts (TT_TEST_MYSQL_URI,
 * TT_TEST_MYSQL_PASSWORD, and TT_TEST_MYSQL_DATABASE from tests/meson.build).
 */

#pragma once

#include <libgda/libgda.h>

#include "tt-store.h"

G_BEGIN_DECLS

void          tt_test_init          (int     *argc,
                                     char  ***argv);
gboolean      tt_test_is_mysql      (void);
/* A location for an empty catalogue, or NULL when the test must skip
 * (MySQL not configured outside CI; in CI that is a failure). */
TtDbLocation *tt_test_location      (void);
const char   *tt_test_password      (void);
/* The location as the CLI's --db takes it. */
char         *tt_test_location_uri  (const TtDbLocation *location);
/* Opens a store on a fresh, empty catalogue; NULL when skipped. */
TtStore      *tt_test_open_store    (void);
/* The first line of a store test: @store on a fresh catalogue, or the
 * test returns (skipped; in CI a missing server has failed already). */
#define OPEN_STORE_OR_SKIP(store) \
  g_autoptr(TtStore) store = tt_test_open_store (); \
  if (store == NULL) \
    return
/* Opens a second connection to the same catalogue as tt_test_open_store's
 * last one. */
TtStore      *tt_test_reopen_store  (void);
/* A plain libgda connection to the same catalogue. */
GdaConnection *tt_test_raw_open     (void);
void           tt_test_drop_mysql_tables (void);
void           tt_test_raw_exec     (GdaConnection *raw,
                                     const char    *sql);
GdaConnection *tt_test_raw_empty_database (void);
gint64         tt_test_raw_int64    (GdaConnection *raw,
                                     const char    *sql);
char          *tt_test_raw_string   (GdaConnection *raw,
                                     const char    *sql);
/* The tables the Node.js tutorial's app makes (Sequelize 6 sync()). */
void           tt_test_create_sequelize_tables (GdaConnection *raw);
/* What Sequelize's sync({force: true}) does: the three tables dropped
 * and made again, empty, ids from 1. */
void           tt_test_make_tables_again (GdaConnection *raw);
gboolean       tt_test_server_control (const char *variable);
/* Whether this test may stop and start the MySQL test server: FALSE on
 * SQLite, or when it was not started by build-aux/run-tests.sh (the test
 * is then skipped; in CI that is a failure). */
gboolean       tt_test_can_stop_server (void);
/* Whether a Secret Service (keyring) answers on the session bus; when not,
 * the test is skipped, or fails in CI. build-aux/run-tests.sh starts one. */
gboolean      tt_test_keyring_available (void);
/* The Node.js tutorial's scenario (tests compare against its ids). */
void          tt_test_seed          (TtStore  *store);
/* @n tutorials without tags ("PREFIX 0000" on), in one import. */
void          tt_test_import_tutorials (TtStore    *store,
                                        const char *prefix,
                                        guint       n);
/* The whole catalogue as text, times included (updatedAt only when
 * @with_updated), for comparing before and after. */
char         *tt_test_dump_catalogue (TtStore *store,
                                      gboolean with_updated);
/* Lets other users (the tests' "nobody") pass through the folders above
 * @path that are ours. */
void          tt_test_make_ancestors_passable (const char *path);
/* A GAsyncReadyCallback that keeps the result in *(GAsyncResult **)
 * @user_data, for tt_test_wait_for(). */
void          tt_test_keep_result   (GObject       *source,
                                     GAsyncResult  *result,
                                     gpointer       user_data);
/* Runs the default main context until *@result is set. */
void          tt_test_wait_for      (GAsyncResult **result);

G_END_DECLS
