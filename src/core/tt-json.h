/* tt-json.h: tutorials and tags as JSON, in the Node.js tutorial's shapes
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <stdio.h>

#include <json-glib/json-glib.h>

#include "tt-tag.h"
#include "tt-tutorial.h"
#include "tt-store.h"

G_BEGIN_DECLS

/* JavaScript's Date.toJSON(): "2026-11-25T17:46:18.000Z". */
char      *tt_json_format_time   (GDateTime    *time);
/* Takes that form, and also no milliseconds, an offset instead of "Z", or
 * a space instead of "T"; without any zone the time is read as UTC. */
GDateTime *tt_json_parse_time    (const char   *text,
                                  GError      **error);

/* {"id","name","createdAt","updatedAt"[,"colour"][,"tutorials":[{"id","title","description"}]]};
 * "colour" (a palette name) only when the tag has one. */
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
/* Writes what tt_json_export() gives, as tt_json_to_string() lays it
 * out, to @stream, a tutorial at a time: memory holds what the caller
 * holds, not the catalogue. Call add_tutorial for each tutorial, then
 * finish with every tag. A write that fails is G_IO_ERROR. */
typedef struct _TtJsonExportWriter TtJsonExportWriter;

TtJsonExportWriter *tt_json_export_writer_new  (FILE                *stream,
                                                gboolean             pretty);
gboolean   tt_json_export_writer_add_tutorial  (TtJsonExportWriter  *writer,
                                                TtTutorial          *tutorial_with_tags,
                                                GError             **error);
gboolean   tt_json_export_writer_finish        (TtJsonExportWriter  *writer,
                                                GListModel          *tags,
                                                GError             **error);
void       tt_json_export_writer_free          (TtJsonExportWriter  *writer);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (TtJsonExportWriter, tt_json_export_writer_free)

/* Reads an import from @stream (@name says which, in errors): what
 * tt_json_export() writes, a bare array of tutorial objects, or an array
 * of tag objects with their tutorials, and hands it to @sink a batch at a
 * time; memory holds one batch (the tags-with-tutorials shape holds its
 * tutorials until the end: every tag adds to them). The input rules for
 * files (size, nesting, no NUL character in any string, member names
 * included) are TT_STORE_ERROR_INVALID_INPUT, malformed JSON is a
 * JSON_PARSER_ERROR or G_IO_ERROR_INVALID_DATA, both saying on which line;
 * a bad member is G_IO_ERROR_INVALID_DATA naming it and the line its
 * record starts on ("Line 5: tutorials[3].title is missing"); a tag's
 * "colour" must be a palette name (tt_rules_check_tag_colour()).
 * Tags are matched by name regardless of case; ids in the file are not
 * kept. FALSE at the first error: @sink has had the batches before it, so
 * run this inside one transaction (tt_store_import_stream()). */
gboolean   tt_json_stream_import (FILE          *stream,
                                  const char    *name,
                                  TtImportSink   sink,
                                  gpointer       sink_data,
                                  GError       **error);

char      *tt_json_to_string     (JsonNode     *node,
                                  gboolean      pretty);
gboolean   tt_json_write         (FILE         *stream,
                                  const char   *text,
                                  gboolean      flush,
                                  GError      **error);

/* g_set_error() that returns FALSE, for checks that read
 * "return ok || tt_json_fail (…)"; the command line reports that way too. */
gboolean   tt_json_fail          (GError      **error,
                                  GQuark        domain,
                                  int           code,
                                  const char   *format,
                                  ...) G_GNUC_PRINTF (4, 5);

G_END_DECLS
