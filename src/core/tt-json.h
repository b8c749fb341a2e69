/* tt-json.h: tutorials and tags as JSON, in the Node.js tutorial's shapes
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <json-glib/json-glib.h>

#include "tt-tag.h"
#include "tt-tutorial.h"

G_BEGIN_DECLS

/* JavaScript's Date.toJSON(): "2026-11-25T17:46:18.000Z". */
char      *tt_json_format_time   (GDateTime    *time);
/* Takes that form, and also no milliseconds, an offset instead of "Z", or
 * a space instead of "T"; without any zone the time is read as UTC. */
GDateTime *tt_json_parse_time    (const char   *text,
                                  GError      **error);

/* {"id","name","createdAt","updatedAt"[,"tutorials":[{"id","title","description"}]]} */
JsonNode  *tt_json_tag           (TtTag        *tag,
                                  gboolean      with_tutorials);
/* {"id","title","description","createdAt","updatedAt"[,"tags":[{"id","name"}]]} */
JsonNode  *tt_json_tutorial      (TtTutorial   *tutorial,
                                  gboolean      with_tags);
JsonNode  *tt_json_tags          (GListModel   *tags,
                                  gboolean      with_tutorials);
JsonNode  *tt_json_tutorials     (GListModel   *tutorials,
                                  gboolean      with_tags);

/* {"tutorials":[tutorials with tags], "tags":[tags without tutorials]} */
JsonNode  *tt_json_export        (GListModel   *tutorials_with_tags,
                                  GListModel   *tags);
/* Parses the text of an import file, @length bytes, after checking it
 * against the input rules for files (size, nesting, no NUL character in
 * the file or any string, member names included); those refusals are
 * TT_STORE_ERROR_INVALID_INPUT and say on which line, malformed JSON is
 * a JSON_PARSER_ERROR. NULL when the text holds no value. */
JsonNode  *tt_json_load_import   (const char   *text,
                                  gsize         length,
                                  GError      **error);
/* Reads what tt_json_export() writes, a bare array of tutorial objects, or
 * an array of tag objects with their tutorials. Tags are matched by name
 * regardless of case; ids in the file are not kept. Errors are in the
 * G_IO_ERROR domain (G_IO_ERROR_INVALID_DATA) and name the bad member. */
gboolean   tt_json_parse_import  (JsonNode     *root,
                                  GListStore  **tutorials,
                                  GListStore  **tags,
                                  GError      **error);

char      *tt_json_to_string     (JsonNode     *node,
                                  gboolean      pretty);

/* g_set_error() that returns FALSE, for checks that read
 * "return ok || tt_json_fail (…)"; the command line reports that way too. */
gboolean   tt_json_fail          (GError      **error,
                                  GQuark        domain,
                                  int           code,
                                  const char   *format,
                                  ...) G_GNUC_PRINTF (4, 5);

G_END_DECLS
