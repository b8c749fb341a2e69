/* tt-store-copy.h: copying one catalogue into another
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "tt-store.h"

G_BEGIN_DECLS

/* Copy: every tutorial, tag and link of @source into @target, in one
 * transaction on @target (all or nothing), with their timestamps and the
 * tags' colours. New rows get new ids. A tag whose name (regardless of
 * case) @target has is merged with it (and keeps its own colour, or lack
 * of one); a tutorial @target has with the same title, description
 * and creation time is not copied again, only its missing links are. Rows
 * of @target are never changed or removed, so copying twice adds nothing.
 * The counts of @target are checked before the commit. */
typedef struct
{
  guint tutorials_copied;
  guint tutorials_skipped;  /* already in the target */
  guint tags_created;
  guint tags_merged;        /* an existing tag of the same name was used */
  guint links_copied;
} TtCopyReport;

/* @done of @total rows (tags, tutorials and links of the source) so far;
 * @total can grow when someone adds rows to the source meanwhile. */
typedef void (*TtCopyProgressFunc) (guint64  done,
                                    guint64  total,
                                    gpointer user_data);

/* Blocks until done; @progress is called on the calling thread after each
 * page. Cancelling @cancellable (from any thread, @progress included)
 * rolls back and fails with G_IO_ERROR_CANCELLED. On failure @report is
 * zeroed: nothing was copied. */
gboolean    tt_store_copy_into          (TtStore              *source,
                                         TtStore              *target,
                                         GCancellable         *cancellable,
                                         TtCopyProgressFunc    progress,
                                         gpointer              progress_data,
                                         TtCopyReport         *report,
                                         GError              **error);
/* Runs in a thread of its own; @progress is called on the thread-default
 * main context of the caller, never after @callback, and @progress_data
 * must live until @callback has run (as with g_file_copy_async()). */
void        tt_store_copy_into_async    (TtStore              *source,
                                         TtStore              *target,
                                         GCancellable         *cancellable,
                                         TtCopyProgressFunc    progress,
                                         gpointer              progress_data,
                                         GAsyncReadyCallback   callback,
                                         gpointer              user_data);
gboolean    tt_store_copy_into_finish   (TtStore              *source,
                                         GAsyncResult         *result,
                                         TtCopyReport         *report,
                                         GError              **error);

G_END_DECLS
