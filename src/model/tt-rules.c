/* tt-rules.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "tt-rules.h"
#include "tt-store-error.h"

static gboolean
invalid (GError     **error,
         const char  *message)
{
  g_set_error_literal (error, TT_STORE_ERROR, TT_STORE_ERROR_INVALID_INPUT, message);
  return FALSE;
}

char *
tt_rules_strip (const char *text)
{
  const char *start = text;
  const char *end;

  g_return_val_if_fail (text != NULL, NULL);

  end = text + strlen (text);
  while (*start != '\0' && g_unichar_isspace (g_utf8_get_char (start)))
    start = g_utf8_next_char (start);

  while (end > start)
    {
      const char *prev = g_utf8_prev_char (end);

      if (!g_unichar_isspace (g_utf8_get_char (prev)))
        break;
      end = prev;
    }

  return g_strndup (start, end - start);
}

char *
tt_rules_clean_tag_name (const char  *name,
                         GError     **error)
{
  g_autofree char *stripped = NULL;

  if (name == NULL || !g_utf8_validate (name, -1, NULL))
    return invalid (error, _("A tag name must be valid UTF-8 text")), NULL;

  stripped = tt_rules_strip (name);
  if (*stripped == '\0')
    return invalid (error, _("A tag name cannot be empty")), NULL;
  if (g_utf8_strlen (stripped, -1) > TT_MAX_NAME_CHARS)
    return invalid (error, _("A tag name can have at most 255 characters")), NULL;

  return g_steal_pointer (&stripped);
}

gboolean
tt_rules_check_stored_title (const char  *title,
                             GError     **error)
{
  if (title == NULL)
    return TRUE;
  if (!g_utf8_validate (title, -1, NULL))
    return invalid (error, _("A title must be valid UTF-8 text"));
  if (g_utf8_strlen (title, -1) > TT_MAX_TITLE_CHARS)
    return invalid (error, _("A title can have at most 255 characters"));

  return TRUE;
}

gboolean
tt_rules_check_title (const char  *title,
                      GError     **error)
{
  g_autofree char *stripped = NULL;

  if (title == NULL)
    return invalid (error, _("A title cannot be empty"));
  if (!tt_rules_check_stored_title (title, error))
    return FALSE;

  stripped = tt_rules_strip (title);
  if (*stripped == '\0')
    return invalid (error, _("A title cannot be empty"));

  return TRUE;
}

gboolean
tt_rules_check_description (const char  *description,
                            GError     **error)
{
  if (description == NULL)
    return TRUE;
  if (!g_utf8_validate (description, -1, NULL))
    return invalid (error, _("A description must be valid UTF-8 text"));
  if (strlen (description) > TT_MAX_DESCRIPTION_BYTES)
    return invalid (error, _("A description can have at most 64 KiB of text"));

  return TRUE;
}

gboolean
tt_rules_check_search (const char  *text,
                       GError     **error)
{
  /* The sentence names the number. */
  G_STATIC_ASSERT (TT_MAX_SEARCH_CHARS == 1000);

  if (!g_utf8_validate (text, -1, NULL))
    return invalid (error, _("Search text must be UTF-8"));
  if (g_utf8_strlen (text, -1) > TT_MAX_SEARCH_CHARS)
    return invalid (error, _("Search text can have at most 1000 characters"));
  return TRUE;
}

gboolean
tt_rules_check_import_size (gsize    n_bytes,
                            GError **error)
{
  /* The sentence names the number. */
  G_STATIC_ASSERT (TT_MAX_IMPORT_BYTES == 256 * 1024 * 1024);

  if (n_bytes > TT_MAX_IMPORT_BYTES)
    return invalid (error, _("An import file can have at most 256 MiB"));
  return TRUE;
}

gboolean
tt_rules_check_import_depth (guint    depth,
                             GError **error)
{
  /* The sentence names the number. */
  G_STATIC_ASSERT (TT_MAX_IMPORT_DEPTH == 64);

  if (depth > TT_MAX_IMPORT_DEPTH)
    return invalid (error, _("An import file can nest arrays and objects at most 64 deep (an export nests 5 deep)"));
  return TRUE;
}

gboolean
tt_rules_refuse_nul (GError **error)
{
  return invalid (error, _("Text cannot hold the NUL character (U+0000)"));
}

/* GDateTime holds years 1 to 9999 in its own time zone; in UTC a time
 * near either end can fall outside, which g_date_time_to_utc() answers
 * with NULL. MariaDB's DATETIME stores years 1 to 999 as well (tried with
 * 10.11), though its documentation starts at 1000, and SQLite keeps the
 * text, so the range is GDateTime's, in UTC, on both backends. */
gboolean
tt_rules_check_time (GDateTime  *time,
                     GError    **error)
{
  g_autoptr(GDateTime) utc = NULL;

  if (time == NULL)
    return TRUE;

  utc = g_date_time_to_utc (time);
  if (utc == NULL)
    return invalid (error, _("A date and time must lie between 0001-01-01 00:00:00 and 9999-12-31 23:59:59 UTC"));

  return TRUE;
}
