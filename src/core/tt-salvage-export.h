/* tt-salvage-export.h: what can still be read of a damaged catalogue,
 * written as an export
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The CLI's "export --salvage" and the window's "Export What Can Be
 * Read…" both write this: the JSON of "export", made from the rows
 * tt_store_salvage() could read, which "import" takes into a new
 * catalogue. The damaged file is opened read-only and never written.
 */

#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

#include "tt-db-location.h"
#include "tt-store.h"

G_BEGIN_DECLS

JsonNode *tt_salvage_export                (const TtDbLocation   *location,
                                            TtSalvageReport      *report,
                                            GError              **error);

/* In a thread; @file is replaced only once everything is written. */
void      tt_salvage_export_to_file_async  (const TtDbLocation   *location,
                                            GFile                *file,
                                            GCancellable         *cancellable,
                                            GAsyncReadyCallback   callback,
                                            gpointer              user_data);
gboolean  tt_salvage_export_to_file_finish (GAsyncResult         *result,
                                            TtSalvageReport      *report,
                                            GError              **error);

G_END_DECLS
