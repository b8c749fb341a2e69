/* tt-test-damage.h: damaging a SQLite catalogue file as a disk would
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>
#include <sqlite3.h>

G_BEGIN_DECLS

sqlite3 *tt_test_sqlite_open      (const char *path);
gint64   tt_test_sqlite_int       (sqlite3    *db,
                                   const char *sql);
gint64   tt_test_middle_leaf_page (const char *path,
                                   const char *name,
                                   gint64     *n_cells);
void     tt_test_overwrite        (const char *path,
                                   gint64      offset,
                                   gsize       length);
void     tt_test_damage_page      (const char *path,
                                   gint64      pageno);
void     tt_test_damage_leaf_pages (const char *path,
                                    const char *name);

G_END_DECLS
