/* tt-store-private.h: what the parts of the store share
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The store is split up: tt-store-sql.c talks to libgda (statement cache,
 * binding, error mapping, reconnecting), tt-store-schema.c creates and
 * migrates the tables, tt-store.c holds the operations, tt-store-import.c
 * and tt-store-copy.c the bulk ones. Only these files know SQL.
 */

#pragma once

#include <libgda/libgda.h>

#include "tt-gda-autocleanups.h"
#include "tt-store.h"

G_BEGIN_DECLS

/* tt-store-order.c */
typedef struct _TtKeptOrder TtKeptOrder;
/* tt-store-search-copy.c */
typedef struct _TtSearchCopy TtSearchCopy;

struct _TtStore
{
  GObject        parent_instance;

  /* Held by every public operation: one user of the connection at a time. */
  GRecMutex      lock;
  GdaConnection *cnc;
  GdaSqlParser  *parser;
  GdaSqlParser  *delimiter;       /* splits statements, does not parse them */
  GHashTable    *control;         /* BEGIN, COMMIT, ROLLBACK → GdaStatement */
  GHashTable    *statements;      /* SQL text → TtPrepared */
  TtDbLocation  *location;
  guint          host_index;      /* the location's server in use */
  char          *password;
  int            schema_version;
  gboolean       in_transaction;
  gboolean       reading;         /* SQLite: in tt_store_begin_reading()'s snapshot */
  gboolean       read_only;       /* a probe: change nothing, create nothing */
  gboolean       file_read_only;  /* SQLite: we may not write the file or its folder */
  gboolean       on_fuse;         /* SQLite: the file is on FUSE (no WAL there) */
  gint64         last_used_usec;  /* when the server last answered */
  gboolean       damaged;         /* SQLite said the file is corrupt */
  gboolean       check_pending;   /* SQLite: the open's integrity check is still to run */

  GThreadPool   *worker;          /* one thread: async jobs, in order */
  GThread       *worker_thread;   /* that thread, once it has run a job */
  /* tt_store_run_atomically(): how deep, and whether a nested call
   * failed (then the whole transaction is rolled back). */
  guint          tx_depth;
  gboolean       tx_doomed;
  /* The change journal (tt-store-journal.c): whether its triggers are
   * there, pruning, and the reader behind the MySQL change stamp. */
  gboolean         journal;
  gboolean         pruning;
  gint64           last_prune_usec;
  TtJournalReader *stamp_reader;
  guint64          stamp_generation;
  /* The search index (tt-store-search.c): whether search may use it
   * (its triggers are there), and whether it is SQLite's FTS5 table. */
  gboolean         search_indexed;
  gboolean         search_fts;
  /* MySQL: the index's rows in memory (tt-store-search-copy.c), and the
   * most bytes of text it may hold (0: the default). */
  TtSearchCopy    *search_copy;
  gsize            search_copy_budget;
  /* SQLite with its JSON functions (tt-store-insert.c). */
  gboolean         sqlite_json;
  /* tt_store_readopt(): running, and how many times it ran. */
  gboolean       readopting;
  guint          adoption_generation;
  /* SQLite's PRAGMA schema_version when the tables were last adopted;
   * -1 for none (MySQL, or read as it is). */
  gint64         adopted_schema_cookie;
  /* Connections opened so far: SQLite counts changes per connection. */
  guint          connection_generation;
  /* Every tutorial's id in the last whole list's order
   * (tt-store-order.c), to sort a search's ids by. */
  TtKeptOrder   *kept_order;
  /* The server rolled the open transaction back (MySQL 1213). */
  gboolean       tx_conflict;
  /* For tests and benchmarks: statements sent, and the one to fail. */
  guint64        n_round_trips;
  guint64        n_conflict_retries;
  guint          fail_countdown;
  guint          large_import;  /* 0: TT_LARGE_IMPORT */
};

/* tt-store-mysql-client.c: what one open of a MySQL connection asks of
 * the client library about TLS, and what the library answered when the
 * open failed (libgda keeps only the message). */
typedef struct
{
  gboolean      require;        /* encrypt, or fail */
  const char   *ca;             /* the CA file to check the server against */
  gboolean      verify;         /* check the server's certificate and name */
  /* Set by the client after a failed connect: */
  unsigned int  native_error;   /* mysql_errno(), 0 when it connected */
  gboolean      server_offers_tls; /* its greeting offered TLS */
} TtMysqlTlsRequest;

/* For the opens on this thread until the next call, NULL for none: without
 * a request (the default) the MySQL provider's connections reach a server
 * without TLS, in plain text, where the client library would refuse it. */
void tt_store_mysql_client_set_request (TtMysqlTlsRequest *request);

/* Ids as hash keys (and values) without allocating: row ids fit in a
 * pointer on the 64-bit platforms we build for. */
G_STATIC_ASSERT (sizeof (gpointer) >= sizeof (gint64));
#define ID_KEY(id) ((gpointer) (gintptr) (id))
#define KEY_ID(key) ((gint64) (gintptr) (key))

/* Columns read as 64-bit integers whatever the backend reports. */
#define TT_COL_AUTO  ((GType) 0)

/* The rows of a select, read by index. (A GdaDataModelIter would set a
 * GdaHolder, with its signals, for every column of every row: most of the
 * time a large list took.) */
typedef struct
{
  GdaDataModel *model;
  int           n_rows;
  int           row;
} TtRows;

/* tt-store-attempt.c: opening and probing on a thread of their own, with
 * an answer on the caller's main context within
 * TT_STORE_CONNECT_TIMEOUT_SECONDS. */
typedef struct _TtAttempt TtAttempt;

typedef gpointer (*TtAttemptFunc) (TtAttempt  *attempt,
                                   gpointer    data,
                                   GError    **error);

void          tt_attempt_start          (GTask            *task,
                                         const TtDbLocation *location,
                                         TtAttemptFunc     func,
                                         gpointer          data,
                                         GDestroyNotify    data_free,
                                         GDestroyNotify    result_free);
gboolean      tt_attempt_connected      (TtAttempt        *attempt);

/* tt-store-sql.c */
void          tt_store_sql_init         (TtStore          *self);
void          tt_store_sql_clear        (TtStore          *self);
gboolean      tt_store_connect          (TtStore          *self,
                                         GError          **error);
void          tt_store_disconnect       (TtStore          *self);
gboolean      tt_store_check_file       (TtStore          *self,
                                         GError          **error);
gboolean      tt_store_refuse_if_damaged (TtStore         *self,
                                         GError          **error);
gboolean      tt_store_prepare_writing  (TtStore          *self,
                                         GError          **error);
GdaStatement *tt_store_prepare          (TtStore          *self,
                                         const char       *sql,
                                         GdaSet          **params,
                                         GError          **error);
void          tt_holder_set_int64       (GdaHolder        *holder,
                                         gint64            value);
void          tt_holder_set_string      (GdaHolder        *holder,
                                         const char       *value);
void          tt_params_set_int64       (GdaSet           *params,
                                         const char       *name,
                                         gint64            value);
void          tt_params_set_string      (GdaSet           *params,
                                         const char       *name,
                                         const char       *value);
GArray       *tt_id_set_to_array        (GHashTable       *set);
gboolean      tt_read_number            (const char      **p,
                                         const char       *end,
                                         guint64          *n);
gboolean      tt_read_counted           (const char      **p,
                                         const char       *end,
                                         const char      **text,
                                         gsize            *length);
void          tt_params_set_id_batch    (GdaSet           *params,
                                         const gint64     *ids,
                                         guint             n,
                                         guint             batch);
GdaDataModel *tt_store_select           (TtStore          *self,
                                         GdaStatement     *stmt,
                                         GdaSet           *params,
                                         const GType      *col_types,
                                         GError          **error);
TtRows       *tt_store_select_rows      (TtStore          *self,
                                         GdaStatement     *stmt,
                                         GdaSet           *params,
                                         const GType      *col_types,
                                         GError          **error);
gboolean      tt_rows_next              (TtRows           *rows);
const GValue *tt_rows_get               (TtRows           *rows,
                                         int               col);
void          tt_rows_free              (TtRows           *rows);
/* How many times something the server rolled back after a conflict is
 * run in all (tt_store_run_atomically(), a single statement). Measured
 * on a 3-node Galera cluster with three clients retitling one tutorial
 * a third of the time (tests/test-galera.c): a quarter of the retries
 * met another conflict; with 5 tries one run in ten surfaced one. */
#define TT_STORE_CONFLICT_TRIES 10
gboolean      tt_store_wait_before_retry (TtStore         *self,
                                         const GError     *error,
                                         guint             attempt);
/* tt-store.c: tt_store_run_atomically() without trying again after a
 * conflict, for bodies that gather what they read as they go (import,
 * copy). */
gboolean      tt_store_run_atomically_once (TtStore          *self,
                                         TtStoreAtomicFunc  func,
                                         gpointer          data,
                                         GError          **error);
gboolean      tt_store_exec             (TtStore          *self,
                                         GdaStatement     *stmt,
                                         GdaSet           *params,
                                         int              *n_rows,
                                         GError          **error);
char         *tt_store_double_quoted    (const char       *text);
gboolean      tt_store_exec_sql         (TtStore          *self,
                                         const char       *sql,
                                         GError          **error);
gint64        tt_store_select_int64     (TtStore          *self,
                                         const char       *sql,
                                         GError          **error);
gint64        tt_store_last_insert_id   (TtStore          *self,
                                         GError          **error);
gboolean      tt_store_begin            (TtStore          *self,
                                         GError          **error);
gboolean      tt_store_commit           (TtStore          *self,
                                         GError          **error);
gboolean      tt_store_begin_reading    (TtStore          *self,
                                         GError          **error);
gboolean      tt_store_end_reading      (TtStore          *self,
                                         GError          **error);
void          tt_store_rollback         (TtStore          *self);
gboolean      tt_store_ensure_alive     (TtStore          *self,
                                         GError          **error);
gboolean      tt_store_is_mysql         (TtStore          *self);
gboolean      tt_store_query_works      (TtStore          *self,
                                         const char       *sql);

gint64        tt_value_get_int64        (const GValue     *value);
const char   *tt_value_get_string       (const GValue     *value);
GDateTime    *tt_value_get_date_time    (const GValue     *value);
char         *tt_format_sql_time        (GDateTime        *time);

TtRows       *tt_store_select_rows_partial (TtStore       *self,
                                         GdaStatement     *stmt,
                                         GdaSet           *params,
                                         const GType      *col_types,
                                         GError          **error);

/* tt-store.c */
TtStore      *tt_store_new_unopened     (const TtDbLocation *location,
                                         const char       *password);
/* TUTORIAL_COLUMNS / TAG_COLUMNS of a row, starting at @col. */
TtTutorial   *tt_store_tutorial_from_row (TtRows          *rows,
                                         int               col);
TtTag        *tt_store_tag_from_row     (TtRows           *rows,
                                         int               col);

char         *tt_now_sql                (void);
/* Sets TT_STORE_ERROR_NOT_FOUND for the tag; returns FALSE. */
gboolean      tt_store_tag_not_found    (GError          **error,
                                         gint64            id);

/* tt-store-colour.c: inside a transaction. Put sets (NULL: clears)
 * without a journal row, for a tag being restored. */
gboolean      tt_store_put_tag_colour   (TtStore          *self,
                                         gint64            tag_id,
                                         const char       *colour,
                                         GError          **error);
gboolean      tt_store_forget_tag_colour (TtStore         *self,
                                         gint64            tag_id,
                                         GError          **error);

/* The colours of tags that import or copy has just created, checked
 * (tt_rules_check_tag_colour()) by the caller: no journal row, the tags'
 * own insert rows tell other windows. */
typedef struct
{
  gint64      tag_id;
  const char *colour;
} TtTagColour;

gboolean      tt_store_insert_tag_colours (TtStore        *self,
                                         GArray           *colours,
                                         GError          **error);

/* tt-store-schema.c */
gboolean      tt_store_migrate          (TtStore          *self,
                                         GError          **error);
gboolean      tt_store_drop_tables      (TtStore          *self,
                                         GError          **error);
gboolean      tt_store_backfill_name_keys (TtStore        *self,
                                         GError          **error);
gboolean      tt_store_readopt          (TtStore          *self,
                                         GError          **error);
void          tt_store_readopt_if_remade (TtStore         *self);

/* tt-store-journal.c */
gboolean      tt_store_journal_ensure_triggers (TtStore   *self,
                                         GError          **error);
gboolean      tt_store_journal_ensure_marker (TtStore     *self,
                                         GError          **error);
void          tt_store_journal_prune_maybe (TtStore       *self);
gboolean      tt_store_journal_prune_all (TtStore         *self,
                                          GError         **error);
char         *tt_store_journal_stamp    (TtStore          *self,
                                         GError          **error);
gboolean      tt_journal_reader_started (const TtJournalReader *reader);

/* tt-store-order.c: every tutorial's id in the order of the last whole
 * list, kept to sort a search's ids by while nothing changed. */
typedef struct
{
  gint64 own_changes;   /* SQLite: total_changes() */
  gint64 others;        /* SQLite: PRAGMA data_version (others' commits);
                         * MySQL: the journal's stamp_generation (all) */
  guint  connection;    /* connection_generation */
  guint  adoption;      /* adoption_generation */
} TtChangeKey;

void          tt_kept_order_free        (TtKeptOrder      *kept);
gboolean      tt_store_read_change_key  (TtStore          *self,
                                         TtChangeKey      *key,
                                         GError          **error);
void          tt_store_keep_order       (TtStore          *self,
                                         const TtTutorialQuery *query,
                                         const TtChangeKey *key,
                                         GArray           *ids);
GArray       *tt_store_kept_order       (TtStore          *self,
                                         const TtTutorialQuery *query,
                                         const TtChangeKey *key,
                                         guint            *n_stale);
GArray       *tt_store_order_found      (const GArray     *order,
                                         GArray           *found);

/* tt-store-search.c: the folded-text search index */
gboolean      tt_store_search_create_tables (TtStore     *self,
                                             GError     **error);
gboolean      tt_store_search_ensure    (TtStore          *self,
                                         GError          **error);
gboolean      tt_store_search_refresh   (TtStore          *self,
                                         GError          **error);
void          tt_store_search_refresh_quietly (TtStore    *self);
/* An import's index rows, written in its transaction (SQLite). */
typedef struct _TtSearchStaging TtSearchStaging;
TtSearchStaging *tt_search_staging_new  (TtStore          *self,
                                         GError          **error);
gboolean      tt_search_staging_add     (TtSearchStaging  *staging,
                                         GListModel       *tutorials,
                                         GArray           *ids,
                                         GError          **error);
gboolean      tt_search_staging_finish  (TtSearchStaging  *staging,
                                         GError          **error);
void          tt_search_staging_free    (TtSearchStaging  *staging);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (TtSearchStaging, tt_search_staging_free)

/* tt-store-search-copy.c: on MySQL, the index's rows in memory */
void          tt_search_copy_free       (TtSearchCopy     *copy);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (TtSearchCopy, tt_search_copy_free)
void          tt_store_search_copy_note_changes (TtStore  *self,
                                         const GArray     *changes,
                                         gboolean          resync);
gboolean      tt_store_search_copy_find (TtStore          *self,
                                         const char       *needle,
                                         GArray           *found,
                                         GError          **error);
gboolean      tt_store_search_copy_kept (TtStore          *self);

/* LIKE patterns (ESCAPE '!') for the names of our triggers, which a
 * large import sets aside (tt-store-import.c). */
#define TT_JOURNAL_TRIGGERS_LIKE "tt!_journal!_%"
#define TT_SEARCH_TRIGGERS_LIKE "tt!_search!_%"

/* Tutorials from which an import counts as large (tt-store-import.c). */
#define TT_LARGE_IMPORT 50000
guint         tt_store_large_import     (TtStore          *self);

/* tt-store-insert.c: many rows at once */

/* 200 rows × 5 values stays under SQLite's oldest limit of 999 variables. */
#define TT_BATCH_ROWS 200

typedef struct _TtRowWriter TtRowWriter;

void          tt_row_writer_add_string  (TtRowWriter      *writer,
                                         const char       *value);
void          tt_row_writer_add_int64   (TtRowWriter      *writer,
                                         gint64            value);

/* Gives row @row of @data to @writer, a value for each placeholder of
 * the row, in the order they first appear in its text. */
typedef void (*TtBindRow) (gpointer data, TtRowWriter *writer, guint row);

gboolean      tt_store_insert_batches   (TtStore          *self,
                                         const char       *head,
                                         const char       *row,
                                         guint             n_rows,
                                         guint             batch,
                                         TtBindRow         bind,
                                         gpointer          data,
                                         GArray           *ids,
                                         GError          **error);
gboolean      tt_store_batch_ids_reliable (TtStore        *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (TtRows, tt_rows_free)

G_END_DECLS
