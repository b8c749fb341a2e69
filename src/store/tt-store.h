/* tt-store.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "tt-db-location.h"
#include "tt-rules.h"
#include "tt-store-error.h"
#include "tt-store-query.h"
#include "tt-tag.h"
#include "tt-tutorial.h"

G_BEGIN_DECLS

/* How long opening (tt_store_open_async()) and tt_store_probe_async() wait
 * for a server to answer before giving up with TT_STORE_ERROR_TIMED_OUT. */
#define TT_STORE_CONNECT_TIMEOUT_SECONDS 10

/* The newest schema this program knows. */
#define TT_SCHEMA_VERSION 4

#define TT_TYPE_STORE (tt_store_get_type ())

G_DECLARE_FINAL_TYPE (TtStore, tt_store, TT, STORE, GObject)


/* Both give up after TT_STORE_CONNECT_TIMEOUT_SECONDS without an answer. */
TtStore    *tt_store_open               (const TtDbLocation   *location,
                                         const char           *password,
                                         GError              **error);
void        tt_store_open_async         (const TtDbLocation   *location,
                                         const char           *password,
                                         GCancellable         *cancellable,
                                         GAsyncReadyCallback   callback,
                                         gpointer              user_data);
TtStore    *tt_store_open_finish        (GAsyncResult         *result,
                                         GError              **error);
void        tt_store_close              (TtStore              *self);
gboolean    tt_store_finish_check       (TtStore              *self,
                                         GError              **error);

TtDbBackend tt_store_get_backend        (TtStore              *self);
/* Whether the catalogue file was found damaged (TT_STORE_ERROR_CORRUPT):
 * from then on every write fails with that error and nothing more is
 * written to the file. tt_store_salvage() reads what is left. */
gboolean    tt_store_is_damaged         (TtStore              *self);
int         tt_store_get_schema_version (TtStore              *self);

/* What tt_store_salvage() could read, and how many damaged stretches of
 * the file it had to skip. */
typedef struct
{
  guint n_tutorials;
  guint n_tags;
  guint n_links;
  guint n_damaged;
} TtSalvageReport;

gboolean    tt_store_salvage            (const TtDbLocation   *location,
                                         GListModel          **tutorials,
                                         GListModel          **tags,
                                         TtSalvageReport      *report,
                                         GError              **error);

/* Drops the three tables and our own, then creates them again
 * (Sequelize's sync({force: true})). */
gboolean    tt_store_reset              (TtStore              *self,
                                         GError              **error);

/* Tutorials */
TtTutorial *tt_store_create_tutorial    (TtStore              *self,
                                         const char           *title,
                                         const char           *description,
                                         GError              **error);
TtTutorial *tt_store_get_tutorial       (TtStore              *self,
                                         gint64                id,
                                         GError              **error);
GListModel *tt_store_list_tutorials     (TtStore              *self,
                                         const TtTutorialQuery *query,
                                         GError              **error);
/* @page: TtTutorial, in the query's order (tt_store_foreach_tutorial_page()). */
typedef gboolean (*TtTutorialPageFunc) (GPtrArray *page, gpointer data, GError **error);
gboolean    tt_store_foreach_tutorial_page (TtStore           *self,
                                            const TtTutorialQuery *query,
                                            TtTutorialPageFunc func,
                                            gpointer           data,
                                            GError           **error);
gboolean    tt_store_count              (TtStore              *self,
                                         gint64               *n_tutorials,
                                         gint64               *n_tags,
                                         GError              **error);
gint64      tt_store_count_untagged     (TtStore              *self,
                                         GError              **error);
char       *tt_store_get_change_stamp   (TtStore              *self,
                                         GError              **error);

/* The change journal (see tt-store-journal.c). FALSE where the database
 * user may not create triggers: then changes are found by
 * tt_store_get_change_stamp()'s scan, and readers only learn that
 * something changed. */
gboolean    tt_store_has_journal        (TtStore              *self);

/* Journal entries older than this are pruned. */
#define TT_JOURNAL_KEEP_SECONDS 3600

/* One change to one row, by anyone. kind: "tutorial", "tag" or "link";
 * op: "insert", "update" or "delete" (interned strings). */
typedef struct
{
  gint64      journal_id;
  const char *kind;
  const char *op;
  gint64      tutorial_id;  /* 0 for a tag */
  gint64      tag_id;       /* 0 for a tutorial */
} TtChange;

typedef struct _TtJournalReader TtJournalReader;

TtJournalReader *tt_journal_reader_new   (void);
void        tt_journal_reader_free      (TtJournalReader      *reader);
/* A GArray of TtChange: those committed since the last call, oldest
 * first; none at the first call, which marks where reading starts.
 * *@resync: some may have been missed (the reader fell behind the pruned
 * journal; without a journal: something changed), read everything again. */
GArray     *tt_store_read_changes       (TtStore              *self,
                                         TtJournalReader      *reader,
                                         gboolean             *resync,
                                         GError              **error);
/* Deletes up to 1000 journal entries older than @keep_seconds, oldest
 * first (the store does this by itself every minute after a write). */
gboolean    tt_store_journal_prune      (TtStore              *self,
                                         guint                 keep_seconds,
                                         gboolean             *pruned,
                                         GError              **error);
GArray     *tt_store_list_tutorial_ids  (TtStore              *self,
                                         const TtTutorialQuery *query,
                                         GError              **error);
GPtrArray  *tt_store_load_tutorials     (TtStore              *self,
                                         const gint64         *ids,
                                         guint                 n_ids,
                                         GError              **error);
TtTutorial *tt_store_update_tutorial    (TtStore              *self,
                                         gint64                id,
                                         const char           *title,
                                         const char           *description,
                                         GError              **error);
gboolean    tt_store_delete_tutorial    (TtStore              *self,
                                         gint64                id,
                                         GError              **error);

/* Tags */
TtTag      *tt_store_create_tag         (TtStore              *self,
                                         const char           *name,
                                         GError              **error);
/* The tag called @name in any case, made when there is none (then
 * *@created, when given, is TRUE). */
TtTag      *tt_store_ensure_tag         (TtStore              *self,
                                         const char           *name,
                                         gboolean             *created,
                                         GError              **error);
TtTag      *tt_store_get_tag            (TtStore              *self,
                                         gint64                id,
                                         GError              **error);
TtTag      *tt_store_find_tag_by_name   (TtStore              *self,
                                         const char           *name,
                                         GError              **error);
GListModel *tt_store_list_tags          (TtStore              *self,
                                         gboolean              with_tutorials,
                                         GError              **error);
/* What tt_store_rename_tag() did, for taking it back. */
typedef struct
{
  char   *old_name;
  /* A merge (another tag had the name, in any case): the renamed tag as
   * it was, with its tutorials, and the tutorials that gained the tag it
   * went into. NULL for a plain rename. */
  TtTag  *merged;
  GArray *gained;   /* gint64 */
} TtTagRename;

void        tt_tag_rename_clear         (TtTagRename          *rename);

/* Renaming onto another tag's name (in any case) merges into that tag,
 * which is returned. @did (nullable) says what happened. */
TtTag      *tt_store_rename_tag         (TtStore              *self,
                                         gint64                id,
                                         const char           *new_name,
                                         TtTagRename          *did,
                                         GError              **error);
gboolean    tt_store_delete_tag         (TtStore              *self,
                                         gint64                id,
                                         GError              **error);
/* Gives the tag a palette colour (tt_rules_tag_colours()); NULL or ""
 * for none. *@old_colour (nullable) gets the colour it had. */
gboolean    tt_store_set_tag_colour     (TtStore              *self,
                                         gint64                tag_id,
                                         const char           *colour,
                                         char                **old_colour,
                                         GError              **error);
/* Groups of tags whose names differ only in case (a database adopted from
 * the Node.js tutorial can have them): a GPtrArray of GListModel of TtTag,
 * oldest first. Merge one by renaming it onto the other's name. */
GPtrArray  *tt_store_find_case_duplicates (TtStore            *self,
                                         GError              **error);

/* Links */
gboolean    tt_store_link               (TtStore              *self,
                                         gint64                tutorial_id,
                                         gint64                tag_id,
                                         GError              **error);
gboolean    tt_store_unlink             (TtStore              *self,
                                         gint64                tutorial_id,
                                         gint64                tag_id,
                                         GError              **error);

/* What tt_store_tag_tutorial() did. */
typedef struct
{
  gboolean tag_created;  /* no tag had the name: it was made */
  gboolean linked;       /* FALSE: the tutorial had the tag already */
} TtTagging;

/* A chip added: gives the tutorial @tag, a tag with an id, or a name only
 * (id 0: the tag of that name in any case, made when there is none).
 * Returns the tag given. With an id this is one statement; by name, one
 * transaction. */
TtTag      *tt_store_tag_tutorial       (TtStore              *self,
                                         gint64                tutorial_id,
                                         TtTag                *tag,
                                         TtTagging            *did,
                                         GError              **error);
/* A chip removed: takes @tag (by id, or by name when its id is 0) from
 * the tutorial and returns it, with its id and name. NOT_FOUND when the
 * tutorial lacks it. One statement when @tag has both id and name. */
TtTag      *tt_store_untag_tutorial     (TtStore              *self,
                                         gint64                tutorial_id,
                                         TtTag                *tag,
                                         GError              **error);

typedef enum
{
  TT_LINK_DEFAULT      = 0,
  /* Tutorials that do not exist (any more) are passed over instead of
   * failing with NOT_FOUND: what undo wants. */
  TT_LINK_SKIP_MISSING = 1 << 0,
} TtLinkFlags;

/* All or nothing. @changed (nullable) gets the ids of the tutorials that
 * gained (lost) the tag, each once. */
gboolean    tt_store_link_many          (TtStore              *self,
                                         const gint64         *tutorial_ids,
                                         guint                 n_tutorial_ids,
                                         gint64                tag_id,
                                         TtLinkFlags           flags,
                                         GArray               *changed,
                                         GError              **error);
gboolean    tt_store_unlink_many        (TtStore              *self,
                                         const gint64         *tutorial_ids,
                                         guint                 n_tutorial_ids,
                                         gint64                tag_id,
                                         TtLinkFlags           flags,
                                         GArray               *changed,
                                         GError              **error);
TtTutorial *tt_store_set_tutorial_tags  (TtStore              *self,
                                         gint64                tutorial_id,
                                         const char * const   *tag_names,
                                         GError              **error);

/* Undo: put back a deleted tutorial (or tag) with its id, texts, times and
 * the links to whatever of its tags (tutorials) still exist, as it was
 * when tt_store_get_tutorial() (tt_store_get_tag()) took @snapshot.
 * A tag whose name another tag has taken since fails with DUPLICATE. */
TtTutorial *tt_store_restore_tutorial   (TtStore              *self,
                                         TtTutorial           *snapshot,
                                         GError              **error);
TtTag      *tt_store_restore_tag        (TtStore              *self,
                                         TtTag                *snapshot,
                                         GError              **error);

/* Import: every TtTag of @tags (by name) and every TtTutorial of
 * @tutorials (new ids, linked to its tags by name), all or nothing. */
gboolean    tt_store_import             (TtStore              *self,
                                         GListModel           *tutorials,
                                         GListModel           *tags,
                                         GError              **error);

/* A streaming import hands the store one batch at a time: tutorials (with
 * their tags by name) and tags listed on their own. */
typedef gboolean (*TtImportSink)   (gpointer              sink_data,
                                    GListModel           *tutorials,
                                    GListModel           *tags,
                                    GError              **error);
/* Reads its input and calls @sink for each batch; FALSE (with @error)
 * when the input is bad or @sink failed. */
typedef gboolean (*TtImportSource) (gpointer              source_data,
                                    TtImportSink          sink,
                                    gpointer              sink_data,
                                    GError              **error);

/* tt_store_import() for input larger than memory: the batches @source
 * gives go in one transaction, all or nothing; memory holds one batch and
 * an entry per tag. A tag listed on its own gets its spelling and times
 * even when a tutorial named it first. @n_tutorials and @n_tags (the
 * different tags the input named) say what was imported. */
gboolean    tt_store_import_stream      (TtStore              *self,
                                         TtImportSource        source,
                                         gpointer              source_data,
                                         guint                *n_tutorials,
                                         guint                *n_tags,
                                         GError              **error);

/* Several operations as one: see tt_store_run_atomically() in tt-store.c. */
typedef gboolean (*TtStoreAtomicFunc) (TtStore   *self,
                                       gpointer   data,
                                       GError   **error);

gboolean    tt_store_run_atomically     (TtStore              *self,
                                         TtStoreAtomicFunc     func,
                                         gpointer              data,
                                         GError              **error);

/* For tests and benchmarks: statements sent to the database so far
 * (transaction control included), and making the @nth statement from
 * now fail (0: none) as the database would. */
guint64     tt_store_debug_get_round_trips (TtStore           *self);
/* For tests: how many times a conflict (a deadlock, a Galera
 * certification failure) made the store run something again. */
guint64     tt_store_debug_get_conflict_retries (TtStore      *self);
void        tt_store_debug_fail_statement  (TtStore           *self,
                                            guint              nth);
/* For tests: how many tutorials make an import large (see
 * tt-store-import.c); 0 for the default. */
void        tt_store_debug_set_large_import (TtStore          *self,
                                             guint             n_tutorials);
/* For tests: whether many rows go into SQLite as one JSON document
 * (tt-store-insert.c); FALSE: as multi-row INSERTs, as into an SQLite
 * built without JSON functions. Until the next connection. */
void        tt_store_debug_set_json_rows   (TtStore           *self,
                                            gboolean           json_rows);
/* For tests: the most bytes of folded text the store keeps in memory to
 * search on MySQL (tt-store-search-copy.c; 0: the default), and how many
 * tutorials' text it keeps now (-1: no copy). */
void        tt_store_debug_set_search_copy_budget (TtStore    *self,
                                                   gsize       max_bytes);
gint64      tt_store_debug_get_search_copy_records (TtStore   *self);
/* For tests: the second column of the first row that @sql (SHOW STATUS
 * LIKE …, or a select of two columns) gives on the store's own
 * connection; NULL without a row or on error. */
char       *tt_store_debug_show_value      (TtStore           *self,
                                            const char        *sql,
                                            GError           **error);

/* Runs @job on the store's worker thread, in submission order. */
typedef gpointer (*TtStoreJob) (TtStore   *self,
                                gpointer   data,
                                GError   **error);

void        tt_store_run_async          (TtStore              *self,
                                         TtStoreJob            job,
                                         gpointer              data,
                                         GDestroyNotify        data_free,
                                         GDestroyNotify        result_free,
                                         GCancellable         *cancellable,
                                         GAsyncReadyCallback   callback,
                                         gpointer              user_data);
gpointer    tt_store_run_finish         (TtStore              *self,
                                         GAsyncResult         *result,
                                         GError              **error);

void        tt_store_list_tutorials_async  (TtStore              *self,
                                            const TtTutorialQuery *query,
                                            GCancellable         *cancellable,
                                            GAsyncReadyCallback   callback,
                                            gpointer              user_data);
GListModel *tt_store_list_tutorials_finish (TtStore              *self,
                                            GAsyncResult         *result,
                                            GError              **error);
void        tt_store_list_tags_async       (TtStore              *self,
                                            GCancellable         *cancellable,
                                            GAsyncReadyCallback   callback,
                                            gpointer              user_data);
GListModel *tt_store_list_tags_finish      (TtStore              *self,
                                            GAsyncResult         *result,
                                            GError              **error);

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (TtTagRename, tt_tag_rename_clear)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (TtJournalReader, tt_journal_reader_free)

G_END_DECLS
