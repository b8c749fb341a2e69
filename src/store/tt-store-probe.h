/* tt-store-probe.h: "Test connection", read-only
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "tt-store.h"

G_BEGIN_DECLS

/* What tt_store_probe_async() found in a database. */
typedef enum
{
  TT_STORE_PROBE_EMPTY,      /* nothing yet: opening creates the catalogue */
  TT_STORE_PROBE_CATALOGUE,  /* ours, at a schema version this program knows */
  TT_STORE_PROBE_ADOPTABLE,  /* the Node.js/Sequelize tutorial's tables, without ours */
  TT_STORE_PROBE_TOO_NEW,    /* ours, from a newer version: opening refuses it */
  TT_STORE_PROBE_FOREIGN,    /* tables we do not know, and not ours */
} TtStoreProbeContent;

/* How changes made by others will be found (see tt-store-journal.c). */
typedef enum
{
  TT_STORE_PROBE_JOURNAL,       /* the change journal: triggers are there or may be made */
  TT_STORE_PROBE_SCAN,          /* no TRIGGER privilege (or binary logging without SUPER) */
} TtStoreProbeChangeCheck;

typedef struct
{
  TtStoreProbeContent content;
  TtStoreProbeChangeCheck change_check;
  char               *change_check_text;  /* a sentence for people; NULL for SQLite */
  int                 schema_version;  /* CATALOGUE, TOO_NEW; else 0 */
  gint64              n_tutorials;     /* CATALOGUE, ADOPTABLE; else 0 */
  gint64              n_tags;
  char              **other_tables;    /* tables that are not ours, sorted; never NULL */
  char               *server_version;  /* "10.11.6-MariaDB", or SQLite's version */
  gboolean            exists;          /* SQLite: FALSE when the file is yet to be created */
} TtStoreProbe;

/* "Test connection": connects as opening would and says what the
 * database holds, without creating or changing anything. */
void          tt_store_probe_async      (const TtDbLocation   *location,
                                         const char           *password,
                                         GCancellable         *cancellable,
                                         GAsyncReadyCallback   callback,
                                         gpointer              user_data);
TtStoreProbe *tt_store_probe_finish     (GAsyncResult         *result,
                                         GError              **error);
void          tt_store_probe_free       (TtStoreProbe         *probe);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (TtStoreProbe, tt_store_probe_free)

G_END_DECLS
