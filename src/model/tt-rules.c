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
tt_rules_check_import_size (guint64  n_bytes,
                            GError **error)
{
  /* The sentence names the number. */
  G_STATIC_ASSERT (TT_MAX_IMPORT_BYTES == (guint64) 16 << 30);

  if (n_bytes > TT_MAX_IMPORT_BYTES)
    return invalid (error, _("An import file can have at most 16 GiB"));
  return TRUE;
}

gboolean
tt_rules_check_import_record_size (gsize    n_bytes,
                                   GError **error)
{
  /* The sentence names the number. */
  G_STATIC_ASSERT (TT_MAX_IMPORT_RECORD_BYTES == 64 << 20);

  if (n_bytes > TT_MAX_IMPORT_RECORD_BYTES)
    return invalid (error, _("A record of an import file (a tutorial, or a tag with what it lists) can have at most 64 MiB"));
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

/* GNOME's palette (the HIG's colour names, libadwaita's @blue_3 …), in
 * its own order: the order of the Colour menu. */
static const char * const tag_colours[TT_N_TAG_COLOURS + 1] = {
  "blue", "green", "yellow", "orange", "red", "purple", "brown", NULL,
};

static const char * const tag_colour_labels[TT_N_TAG_COLOURS] = {
  N_("Blue"), N_("Green"), N_("Yellow"), N_("Orange"), N_("Red"), N_("Purple"), N_("Brown"),
};

const char * const *
tt_rules_tag_colours (void)
{
  return tag_colours;
}

int
tt_rules_tag_colour_index (const char *colour)
{
  for (int i = 0; colour != NULL && i < TT_N_TAG_COLOURS; i++)
    {
      if (strcmp (colour, tag_colours[i]) == 0)
        return i;
    }
  return -1;
}

gboolean
tt_rules_check_tag_colour (const char  *colour,
                           GError     **error)
{
  if (colour == NULL || tt_rules_tag_colour_index (colour) >= 0)
    return TRUE;

  /* The list is spelled out, so the sentence says what would do. */
  G_STATIC_ASSERT (TT_N_TAG_COLOURS == 7);
  return invalid (error, _("A tag colour must be one of blue, green, yellow, orange, red, purple or brown"));
}

const char *
tt_rules_tag_colour_label (const char *colour)
{
  int i = tt_rules_tag_colour_index (colour);

  return i >= 0 ? _(tag_colour_labels[i]) : NULL;
}

/* The search key of one non-ASCII character (see tt_rules_search_key()),
 * folded the long way. */
static char *
fold_char (gunichar c)
{
  char utf8[8] = { 0 };
  g_autofree char *decomposed = NULL;
  g_autofree char *folded = NULL;
  g_autofree char *refolded = NULL;
  GString *key = g_string_new (NULL);

  g_unichar_to_utf8 (c, utf8);
  decomposed = g_utf8_normalize (utf8, -1, G_NORMALIZE_NFKD);
  /* Case folding can itself produce marks ("İ" becomes "i̇"), so the
   * folded text is decomposed again before the marks are dropped. */
  folded = g_utf8_casefold (decomposed, -1);
  refolded = g_utf8_normalize (folded, -1, G_NORMALIZE_NFKD);
  for (const char *p = refolded; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar d = g_utf8_get_char (p);

      if (!g_unichar_ismark (d))
        g_string_append_unichar (key, d);
    }

  return g_string_free (key, FALSE);
}

G_LOCK_DEFINE_STATIC (folded_chars);

/* Returns: (transfer none): fold_char() of @c, worked out once: search
 * folds every non-ASCII character of the texts it looks at. */
static const char *
lookup_folded_char (gunichar c)
{
  static GHashTable *folded_chars;
  const char *key;

  G_LOCK (folded_chars);
  if (folded_chars == NULL)
    folded_chars = g_hash_table_new_full (NULL, NULL, NULL, g_free);
  key = g_hash_table_lookup (folded_chars, GUINT_TO_POINTER (c));
  if (key == NULL)
    {
      key = fold_char (c);
      g_hash_table_insert (folded_chars, GUINT_TO_POINTER (c), (char *) key);
    }
  G_UNLOCK (folded_chars);

  return key;
}

/**
 * tt_rules_search_key:
 * @text: a title, description or tag name, or what was typed to find one
 *
 * What searching and the tag suggestions match against, on every
 * backend alike: case and accents do not count, so "cafe" and "CAFÉ"
 * find "Café"; compatibility forms are folded too (NFKD), so "ﬁ" finds
 * "fi" and "ß" finds "ss". Unlike tt_tag_name_key(), which says which
 * names are the same tag ("café" and "cafe" are two).
 *
 * Returns: (transfer full) (nullable): the key, or %NULL for invalid UTF-8
 */
char *
tt_rules_search_key (const char *text)
{
  GString *key;

  g_return_val_if_fail (text != NULL, NULL);

  if (!g_utf8_validate (text, -1, NULL))
    return NULL;

  /* One character at a time: decomposition and case folding are, but for
   * the order of marks, which are dropped (the tests compare with the
   * whole text folded at once). */
  key = g_string_sized_new (strlen (text));
  for (const char *p = text; *p != '\0'; )
    {
      const char *run = p;
      gsize start = key->len;

      /* A run of ASCII at once: search folds whole catalogues. */
      while ((guchar) *p - 1u < 0x7fu)
        p++;
      g_string_append_len (key, run, p - run);
      for (char *c = key->str + start; c < key->str + key->len; c++)
        if (*c >= 'A' && *c <= 'Z')
          *c += 'a' - 'A';

      if (*p == '\0')
        break;
      g_string_append (key, lookup_folded_char (g_utf8_get_char (p)));
      p = g_utf8_next_char (p);
    }

  return g_string_free (key, FALSE);
}
