/* tt-bench.h: how fast the store is on this backend
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <json-glib/json-glib.h>

#include "tt-store.h"

G_BEGIN_DECLS

JsonNode *tt_bench_run (TtStore  *store,
                        guint     n_tutorials,
                        GError  **error);

G_END_DECLS
