/* test-store-fuse.c: a SQLite catalogue on a FUSE file system
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Inside Flatpak, a file chosen through the file chooser portal is opened
 * on the document portal's FUSE file system, which cannot map a file
 * shared (flatpak/xdg-desktop-portal#1117). SQLite's WAL mode maps its
 * -shm file shared, so there it fails with "disk I/O error".
 *
 * The portal cannot run here; bindfs with -o direct_io has the same
 * property (a MAP_SHARED mmap fails with ENODEV, checked first), so the
 * catalogue is opened through such a mount of a temporary folder. Needs
 * bindfs and /dev/fuse (build-aux/install-deps.sh test); without them the
 * test is skipped, and fails when CI=true.
 */

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/vfs.h>
#include <sys/wait.h>
#include <glib/gstdio.h>
#include <unistd.h>

#include "tt-store.h"
#include "tt-store-probe.h"
#include "tt-test-fixture.h"

/* statfs(2): f_type of a FUSE file system. */
#define FUSE_SUPER_MAGIC 0x65735546

static char *mount_point;  /* the FUSE view of source_dir */
static char *source_dir;   /* the same files, on the local file system */
static GPid bindfs;

static gboolean
in_ci (void)
{
  return g_strcmp0 (g_getenv ("CI"), "true") == 0;
}

static gboolean
is_fuse (const char *path)
{
  struct statfs info;

  return statfs (path, &info) == 0 && info.f_type == FUSE_SUPER_MAGIC;
}

/* bindfs dies with this process, even when an assertion aborts it, and
 * unmounts on the way out: no mount is left behind. */
static void
die_with_parent (gpointer user_data)
{
  prctl (PR_SET_PDEATHSIG, SIGTERM);
}

static gboolean
start_bindfs (GError **error)
{
  const char *argv[] = { "bindfs", "-f", "-o", "direct_io", source_dir, mount_point, NULL };

  if (!g_spawn_async (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH | G_SPAWN_DO_NOT_REAP_CHILD,
                      die_with_parent, NULL, &bindfs, error))
    return FALSE;

  for (int waited_ms = 0; waited_ms < 5000; waited_ms += 20)
    {
      if (is_fuse (mount_point))
        return TRUE;
      if (waitpid (bindfs, NULL, WNOHANG) == bindfs)
        break;
      g_usleep (20 * 1000);
    }
  g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "bindfs did not mount %s", mount_point);
  return FALSE;
}

/* TRUE when the FUSE mount is there; else the test is skipped (outside
 * CI) or has failed. */
static gboolean
mount_fuse (void)
{
  g_autoptr(GError) error = NULL;

  if (start_bindfs (&error))
    return TRUE;

  if (in_ci ())
    g_error ("CI=true but no FUSE mount (bindfs -o direct_io): %s", error->message);
  g_printerr ("# no FUSE mount: %s\n", error->message);
  return FALSE;
}

static void
skipped (void)
{
  g_test_skip ("no FUSE mount (install bindfs)");
}

/* Unmounts (bindfs does on SIGTERM), then removes both folders and the
 * files in the source. */
static void
unmount_fuse (void)
{
  g_autoptr(GDir) dir = NULL;
  const char *name;

  if (bindfs > 0)
    {
      kill (bindfs, SIGTERM);
      waitpid (bindfs, NULL, 0);
    }
  g_rmdir (mount_point);
  dir = g_dir_open (source_dir, 0, NULL);
  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *path = g_build_filename (source_dir, name, NULL);
      g_unlink (path);
    }
  g_rmdir (source_dir);
}

/* What makes the portal's file system hard for SQLite must be true of
 * this one too, or the test proves nothing. */
static void
assert_no_shared_mmap (void)
{
  g_autofree char *path = g_build_filename (mount_point, "mmap-check", NULL);
  int fd = g_open (path, O_RDWR | O_CREAT, 0600);
  void *map;

  g_assert_cmpint (fd, >=, 0);
  g_assert_cmpint (ftruncate (fd, 4096), ==, 0);
  map = mmap (NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
  g_assert_true (map == MAP_FAILED);
  g_assert_cmpint (errno, ==, ENODEV);
  close (fd);
  g_unlink (path);
}

static TtStore *
open_at (const char *path)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TtDbLocation) location = tt_db_location_new_sqlite (path);
  TtStore *store = tt_store_open (location, NULL, &error);

  g_assert_no_error (error);
  g_assert_nonnull (store);
  return store;
}

static char *
dump_at (const char *path)
{
  g_autoptr(TtStore) store = open_at (path);
  char *dump = tt_test_dump_catalogue (store, TRUE);

  tt_store_close (store);
  return dump;
}

/* Bytes 18 and 19 of the header: 1 for a rollback journal, 2 for WAL. */
static int
journal_version (const char *path)
{
  g_autofree char *contents = NULL;
  gsize length = 0;

  g_assert_true (g_file_get_contents (path, &contents, &length, NULL));
  g_assert_cmpuint (length, >=, 20);
  g_assert_cmpint (contents[18], ==, contents[19]);
  return contents[18];
}

static void
add_tutorial (const char *path,
              const char *title)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TtStore) store = open_at (path);
  g_autoptr(TtTutorial) tutorial = tt_store_create_tutorial (store, title, "written on FUSE", &error);

  g_assert_no_error (error);
  tt_store_close (store);
}

/* A new catalogue made on the mount: written, closed, read back. */
static void
test_new_catalogue (void)
{
  g_autofree char *path = g_build_filename (mount_point, "new.db", NULL);
  g_autofree char *local = g_build_filename (source_dir, "new.db", NULL);
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  g_autofree char *seen_locally = NULL;
  g_autoptr(TtStore) store = NULL;

  store = open_at (path);
  tt_test_seed (store);
  before = tt_test_dump_catalogue (store, TRUE);
  tt_store_close (store);

  add_tutorial (path, "Tut#5");
  after = dump_at (path);
  g_assert_nonnull (strstr (after, "Tut#5"));
  g_assert_nonnull (strstr (before, "Tut#4"));
  g_assert_nonnull (strstr (after, "Tag#2"));
  /* A rollback journal, and the same catalogue seen without FUSE. */
  g_assert_cmpint (journal_version (local), ==, 1);
  seen_locally = dump_at (local);
  g_assert_cmpstr (seen_locally, ==, after);
}

static void
probe_finds_catalogue (const char *path,
                       gint64      n_tutorials)
{
  g_autoptr(TtDbLocation) location = tt_db_location_new_sqlite (path);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(TtStoreProbe) probe = NULL;

  tt_store_probe_async (location, NULL, NULL, tt_test_keep_result, &result);
  tt_test_wait_for (&result);
  probe = tt_store_probe_finish (result, &error);
  g_assert_no_error (error);
  g_assert_cmpint (probe->content, ==, TT_STORE_PROBE_CATALOGUE);
  g_assert_cmpint (probe->n_tutorials, ==, n_tutorials);
}

/* A catalogue the app made on a local disk (in WAL mode), then chosen
 * through the portal: looked at, opened, written, read back. */
static void
test_wal_catalogue_from_local_disk (void)
{
  g_autofree char *local = g_build_filename (source_dir, "local.db", NULL);
  g_autofree char *path = g_build_filename (mount_point, "local.db", NULL);
  g_autofree char *made = NULL;
  g_autofree char *again = NULL;
  g_autofree char *written = NULL;
  g_autoptr(TtStore) store = open_at (local);

  tt_test_seed (store);
  made = tt_test_dump_catalogue (store, TRUE);
  tt_store_close (store);
  g_clear_object (&store);
  g_assert_cmpint (journal_version (local), ==, 2);

  probe_finds_catalogue (path, 4);
  again = dump_at (path);
  g_assert_cmpstr (again, ==, made);
  add_tutorial (path, "Tut#5");
  written = dump_at (path);
  g_assert_nonnull (strstr (written, "Tut#5"));
  g_assert_cmpint (journal_version (local), ==, 1);
}

int
main (int    argc,
      char **argv)
{
  int status;

  tt_test_init (&argc, &argv);
  source_dir = g_dir_make_tmp ("tt-fuse-source-XXXXXX", NULL);
  mount_point = g_dir_make_tmp ("tt-fuse-mount-XXXXXX", NULL);
  g_assert_nonnull (source_dir);
  g_assert_nonnull (mount_point);

  if (!mount_fuse ())
    {
      g_test_add_func ("/fuse/skipped", skipped);
      status = g_test_run ();
      unmount_fuse ();
      return status;
    }

  assert_no_shared_mmap ();
  g_test_add_func ("/fuse/new-catalogue", test_new_catalogue);
  g_test_add_func ("/fuse/wal-catalogue-from-local-disk", test_wal_catalogue_from_local_disk);
  status = g_test_run ();
  unmount_fuse ();
  return status;
}
