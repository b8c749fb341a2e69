/* tt-format.c: dates and texts as the window shows them
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "tt-format"

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "tt-format.h"

#define MAX_LINE_BYTES 512

static gboolean
same_day (GDateTime *a,
          GDateTime *b)
{
  int ya, ma, da, yb, mb, db;

  g_date_time_get_ymd (a, &ya, &ma, &da);
  g_date_time_get_ymd (b, &yb, &mb, &db);

  return ya == yb && ma == mb && da == db;
}

/**
 * tt_format_relative_time:
 * @time: when something happened
 * @now: the present, in the same time zone
 * @clock: 12 or 24 hours, as GNOME is set
 *
 * Says when @time was the way a list shows it: precisely for the last
 * hour, then ever coarser, as GNOME's own lists do.
 *
 * Returns: (transfer full): the text
 */
char *
tt_format_relative_time (GDateTime     *time,
                         GDateTime     *now,
                         TtClockFormat  clock)
{
  g_autoptr(GDateTime) local = NULL;
  g_autoptr(GDateTime) yesterday = NULL;
  GTimeSpan age;

  g_return_val_if_fail (time != NULL, NULL);
  g_return_val_if_fail (now != NULL, NULL);

  local = g_date_time_to_timezone (time, g_date_time_get_timezone (now));
  age = g_date_time_difference (now, local);
  yesterday = g_date_time_add_days (now, -1);

  if (age < G_TIME_SPAN_MINUTE)
    return g_strdup (_("Just now"));

  if (age < G_TIME_SPAN_HOUR)
    {
      int minutes = (int) (age / G_TIME_SPAN_MINUTE);

      return g_strdup_printf (ngettext ("%d minute ago", "%d minutes ago", minutes),
                              minutes);
    }

  if (same_day (local, now))
    return g_date_time_format (local, clock == TT_CLOCK_FORMAT_12H
                                      /* Translators: a time today on a 12-hour clock, see the GDateTime format codes */
                                      ? _("%-l:%M %p")
                                      /* Translators: a time today, see the GDateTime format codes */
                                      : _("%H:%M"));

  if (same_day (local, yesterday))
    return g_strdup (_("Yesterday"));

  if (g_date_time_get_year (local) == g_date_time_get_year (now))
    /* Translators: a day this year, see the GDateTime format codes */
    return g_date_time_format (local, _("%-d %B"));

  /* Translators: a day in another year, see the GDateTime format codes */
  return g_date_time_format (local, _("%-d %B %Y"));
}

/* Returns: (transfer full): @time in full, in the local time zone */
char *
tt_format_full_time (GDateTime     *time,
                     TtClockFormat  clock)
{
  g_autoptr(GDateTime) local = NULL;

  g_return_val_if_fail (time != NULL, NULL);

  local = g_date_time_to_local (time);
  return g_date_time_format (local, clock == TT_CLOCK_FORMAT_12H
                                    /* Translators: a day and a time on a 12-hour clock, see the GDateTime format codes */
                                    ? _("%-d %B %Y at %-l:%M %p")
                                    /* Translators: a day and a time, see the GDateTime format codes */
                                    : _("%-d %B %Y at %H:%M"));
}

/**
 * tt_format_first_line:
 * @text: (nullable): a description
 *
 * The first line of @text that is not blank, without the blanks around
 * it: what a list row shows of a description.
 *
 * Returns: (transfer full): the line, or an empty string
 */
char *
tt_format_first_line (const char *text)
{
  const char *start = text;

  if (text == NULL)
    return g_strdup ("");

  /* Rows are bound while scrolling: look at the start only, however
   * long the description is. */
  while (*start != '\0')
    {
      const char *end = strchr (start, '\n');
      gsize length = end != NULL ? (gsize) (end - start) : strlen (start);
      g_autofree char *line = NULL;

      /* A label ellipsizes it anyway; laying out a whole line of 64 KiB
       * would only cost time. */
      if (length > MAX_LINE_BYTES)
        length = g_utf8_find_prev_char (start, start + MAX_LINE_BYTES + 1) - start;
      line = g_strndup (start, length);

      g_strstrip (line);
      if (line[0] != '\0')
        return g_steal_pointer (&line);
      if (end == NULL)
        break;
      start = end + 1;
    }

  return g_strdup ("");
}

/**
 * tt_format_shorten:
 * @text: (nullable): a name or title to quote in a label
 * @max_chars: the most characters to keep, the ellipsis included
 *
 * @text cut to @max_chars characters, ending in "…" when it was longer:
 * for labels that cannot ellipsize themselves (menu items) and for the
 * name inside a sentence (a toast, a dialog's heading), where the
 * label's own ellipsis would cut off the rest of the sentence. A base
 * character is not parted from the marks on it.
 *
 * Returns: (transfer full): the text to show
 */
char *
tt_format_shorten (const char *text,
                   guint       max_chars)
{
  const char *cut;

  g_return_val_if_fail (max_chars > 1, NULL);

  if (text == NULL)
    return g_strdup ("");
  if ((guint) g_utf8_strlen (text, -1) <= max_chars)
    return g_strdup (text);

  cut = g_utf8_offset_to_pointer (text, max_chars - 1);
  while (cut > text && g_unichar_ismark (g_utf8_get_char (cut)))
    cut = g_utf8_prev_char (cut);

  return g_strdup_printf ("%.*s…", (int) (cut - text), text);
}

/**
 * tt_format_count:
 * @count: how many tutorials, tags…
 *
 * @count with the thousands separator of the locale (LC_NUMERIC):
 * "100,000" in en_US, "100.000" in de_DE, none in C. A sidebar of 10 000
 * tags and a list of 100 000 tutorials are read at a glance.
 *
 * Returns: (transfer full): the number to show
 */
char *
tt_format_count (guint64 count)
{
  /* POSIX's ' flag groups as the locale says; glibc honours it. */
  return g_strdup_printf ("%'" G_GUINT64_FORMAT, count);
}
