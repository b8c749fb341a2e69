/* tt-format.h: dates and texts as the window shows them
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

char *tt_format_relative_time (GDateTime  *time,
                               GDateTime  *now);
char *tt_format_full_time     (GDateTime  *time);
char *tt_format_first_line    (const char *text);

G_END_DECLS
