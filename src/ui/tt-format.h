/* tt-format.h: dates and texts as the window shows them
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* GNOME's clock setting (org.gnome.desktop.interface clock-format). */
typedef enum
{
  TT_CLOCK_FORMAT_24H,
  TT_CLOCK_FORMAT_12H,
} TtClockFormat;

char *tt_format_relative_time (GDateTime     *time,
                               GDateTime     *now,
                               TtClockFormat  clock);
char *tt_format_full_time     (GDateTime     *time,
                               TtClockFormat  clock);
char *tt_format_first_line    (const char *text);
char *tt_format_shorten       (const char *text,
                               guint       max_chars);
char *tt_format_count         (guint64     count);

/* How much of a name or title a sentence quotes, and how long a menu
 * item that quotes one may be. */
#define TT_FORMAT_QUOTED_CHARS 40
#define TT_FORMAT_MENU_ITEM_CHARS 60
/* How much of a name a header bar's title shows: its natural width counts
 * when the window decides whether its panes fit side by side. */
#define TT_FORMAT_TITLE_CHARS 20

G_END_DECLS
