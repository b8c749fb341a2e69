/* tt-test-damage.c: damaging a SQLite catalogue file as a disk would
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * By another program (plain sqlite3 and pwrite): a whole page
 * overwritten, chosen with SQLite's own page map (the dbstat table).
 */

#include "config.h"

#include <fcntl.h>
#include <string.h>
#include <unistd.h>

#include "tt-test-damage.h"

sqlite3 *
tt_test_sqlite_open (const char *path)
{
  sqlite3 *db = NULL;

  g_assert_cmpint (sqlite3_open (path, &db), ==, SQLITE_OK);
  return db;
}

gint64
tt_test_sqlite_int (sqlite3    *db,
                    const char *sql)
{
  sqlite3_stmt *stmt = NULL;
  gint64 value;

  g_assert_cmpint (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  value = sqlite3_column_int64 (stmt, 0);
  sqlite3_finalize (stmt);
  return value;
}

/* The middle one of @name's leaf pages (a table or an index), and how
 * many rows it holds. */
gint64
tt_test_middle_leaf_page (const char *path,
                          const char *name,
                          gint64     *n_cells)
{
  sqlite3 *db = tt_test_sqlite_open (path);
  g_autofree char *count = g_strdup_printf ("SELECT COUNT(*) FROM dbstat WHERE name = '%s' AND pagetype = 'leaf'", name);
  g_autofree char *page = NULL;
  g_autofree char *cells = NULL;
  gint64 n = tt_test_sqlite_int (db, count);
  gint64 pageno;

  g_assert_cmpint (n, >=, 3);
  page = g_strdup_printf ("SELECT pageno FROM dbstat WHERE name = '%s' AND pagetype = 'leaf'"
                          " ORDER BY path LIMIT 1 OFFSET %" G_GINT64_FORMAT, name, n / 2);
  pageno = tt_test_sqlite_int (db, page);
  if (n_cells != NULL)
    {
      cells = g_strdup_printf ("SELECT ncell FROM dbstat WHERE pageno = %" G_GINT64_FORMAT, pageno);
      *n_cells = tt_test_sqlite_int (db, cells);
    }
  sqlite3_close (db);
  return pageno;
}

/* Overwrites @length bytes at @offset with a pattern no page starts with. */
void
tt_test_overwrite (const char *path,
                   gint64      offset,
                   gsize       length)
{
  g_autofree guchar *junk = g_malloc (length);
  int fd = open (path, O_WRONLY);

  memset (junk, 0xA5, length);
  g_assert_cmpint (fd, >=, 0);
  g_assert_cmpint (pwrite (fd, junk, length, offset), ==, (gssize) length);
  close (fd);
}

void
tt_test_damage_page (const char *path,
                     gint64      pageno)
{
  sqlite3 *db = tt_test_sqlite_open (path);
  gint64 page_size = tt_test_sqlite_int (db, "PRAGMA page_size");

  sqlite3_close (db);
  tt_test_overwrite (path, (pageno - 1) * page_size, page_size);
}

/* Damages every leaf page of @name (a table or an index): whatever part
 * of it a read needs is damaged. */
void
tt_test_damage_leaf_pages (const char *path,
                           const char *name)
{
  sqlite3 *db = tt_test_sqlite_open (path);
  g_autofree char *sql = g_strdup_printf ("SELECT pageno FROM dbstat WHERE name = '%s' AND pagetype = 'leaf'", name);
  g_autoptr(GArray) pages = g_array_new (FALSE, FALSE, sizeof (gint64));
  sqlite3_stmt *stmt = NULL;

  g_assert_cmpint (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL), ==, SQLITE_OK);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    {
      gint64 pageno = sqlite3_column_int64 (stmt, 0);

      g_array_append_val (pages, pageno);
    }
  sqlite3_finalize (stmt);
  sqlite3_close (db);

  g_assert_cmpuint (pages->len, >, 0);
  for (guint i = 0; i < pages->len; i++)
    tt_test_damage_page (path, g_array_index (pages, gint64, i));
}
