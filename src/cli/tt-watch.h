/* tt-watch.h: "tutorial-tags-cli watch", one JSON line per change
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <stdio.h>

#include "tt-store.h"

G_BEGIN_DECLS

/* How often the journal is read; without one, the change stamp (a scan of
 * the tables on MySQL) is read every TT_WATCH_STAMP_INTERVAL_MS. */
#define TT_WATCH_INTERVAL_MS 300
#define TT_WATCH_STAMP_INTERVAL_MS 2000

/* Writes a line to @out for every change other clients make, until
 * SIGINT or SIGTERM (then returns TRUE). Failures to reach the database
 * are said on stderr, once per outage, and reading goes on. */
gboolean tt_watch_run (TtStore  *store,
                       FILE     *out,
                       GError  **error);

G_END_DECLS
