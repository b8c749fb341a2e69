/* tt-rules.h: what a title, a description and a tag name may be
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The one owner of the input rules: the editor, the tag editor, the
 * store, import, copy and the command-line tool all ask here, so that
 * they cannot drift apart. A refusal is TT_STORE_ERROR_INVALID_INPUT
 * with a sentence saying what is wrong.
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* The same on every backend. */
#define TT_MAX_NAME_CHARS         255
#define TT_MAX_TITLE_CHARS        255
#define TT_MAX_DESCRIPTION_BYTES  (64 * 1024)

/* An import is read a record at a time (a tutorial, or a tag with what
 * it lists): each is cut out whole and parsed into a tree by a parser
 * that recurses once per level of nesting. The record's size bounds the
 * memory (a tutorial's longest description, escaped, is under 400 KiB;
 * 64 MiB also holds a tag of the demo's shape listing ~400 000
 * tutorials), the depth the stack (100 000 levels overflowed it; an
 * export nests 5 deep). The file's size bounds nothing in memory any
 * more: it only stops an endless stream from filling the disk inside
 * one transaction (an export of 1 000 000 tutorials is about 270 MB). */
#define TT_MAX_IMPORT_BYTES        ((guint64) 16 * 1024 * 1024 * 1024)
#define TT_MAX_IMPORT_RECORD_BYTES (64 * 1024 * 1024)
#define TT_MAX_IMPORT_DEPTH        64
/* Longer search text could match nothing a title or tag could, and a
 * pattern over 50 000 bytes is refused by SQLite ("LIKE or GLOB pattern
 * too complex"). */
#define TT_MAX_SEARCH_CHARS       1000

char     *tt_rules_search_key           (const char  *text);

/* @text without Unicode white space at either end (g_strstrip() only
 * knows ASCII). */
char     *tt_rules_strip                (const char  *text);
/* The name as it is stored (trimmed), or NULL when it is empty, too
 * long or not UTF-8. */
char     *tt_rules_clean_tag_name       (const char  *name,
                                         GError     **error);
/* A title we write: UTF-8, not empty once trimmed, at most 255
 * characters. */
gboolean  tt_rules_check_title          (const char  *title,
                                         GError     **error);
/* A title as a column can hold it: UTF-8 and at most 255 characters, but
 * possibly empty or NULL (the Node.js app writes such rows; copy keeps
 * them). */
gboolean  tt_rules_check_stored_title   (const char  *title,
                                         GError     **error);
/* NULL, or UTF-8 of at most 64 KiB. */
gboolean  tt_rules_check_description    (const char  *description,
                                         GError     **error);
/* Search text: UTF-8, at most TT_MAX_SEARCH_CHARS characters. */
gboolean  tt_rules_check_search         (const char  *text,
                                         GError     **error);
/* The size of an import file, and of one of its records, in bytes. */
gboolean  tt_rules_check_import_size    (guint64      n_bytes,
                                         GError     **error);
gboolean  tt_rules_check_import_record_size (gsize    n_bytes,
                                         GError     **error);
/* How deep an import file nests arrays and objects. */
gboolean  tt_rules_check_import_depth   (guint        depth,
                                         GError     **error);
/* Refuses text that holds U+0000: a C string ends there, so the rest
 * would be lost without a word. Always returns FALSE. */
gboolean  tt_rules_refuse_nul           (GError     **error);

/* NULL (no time given), or a time that is within 0001-01-01 00:00:00 and
 * 9999-12-31 23:59:59 once in UTC: what both backends store and give back
 * exactly (to the second). */
gboolean  tt_rules_check_time           (GDateTime   *time,
                                         GError     **error);

/* A tag's colour: one of GNOME's palette names ("blue", "green",
 * "yellow", "orange", "red", "purple", "brown"), or NULL for none. The
 * names are what is stored and what the UI's CSS classes end in. */
#define TT_N_TAG_COLOURS 7

const char * const *tt_rules_tag_colours        (void);
gboolean  tt_rules_check_tag_colour     (const char  *colour,
                                         GError     **error);
/* The colour's name as people read it ("Red"), translated; NULL for an
 * unknown name. */
const char *tt_rules_tag_colour_label   (const char  *colour);
/* Where the colour comes in the palette (0 for blue), or -1 when
 * @colour is NULL or unknown. */
int       tt_rules_tag_colour_index     (const char  *colour);

G_END_DECLS
