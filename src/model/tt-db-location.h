/* tt-db-location.h: where a catalogue lives
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define TT_DB_MYSQL_DEFAULT_PORT 3306

typedef enum
{
  TT_DB_BACKEND_SQLITE,
  TT_DB_BACKEND_MYSQL,
} TtDbBackend;

/* One server of a MySQL location. */
typedef struct
{
  char  *name;
  guint  port;
} TtDbHost;

typedef struct
{
  TtDbBackend backend;
  char       *path;      /* SQLite: the database file */
  char       *host;      /* MySQL */
  guint       port;      /* MySQL, 0 for the default */
  char       *socket;    /* MySQL: Unix socket instead of TCP, or NULL */
  char       *database;  /* MySQL */
  char       *user;      /* MySQL */
  gboolean    require_tls; /* MySQL: refuse a connection that is not encrypted */
  char       *tls_ca;    /* MySQL, with require_tls: the CA file, or NULL */
  gboolean    tls_verify; /* MySQL, with require_tls: check the server's
                           * certificate (by default: when there is a CA) */
  /* MySQL: the servers of a cluster, in the order they are tried, or
   * none (n_hosts 0) for one server: host and port. With a list, host and
   * port are its first (tt_db_location_get_host() reads them for it). */
  TtDbHost   *hosts;
  guint       n_hosts;
} TtDbLocation;

TtDbLocation *tt_db_location_new_sqlite  (const char          *path);
TtDbLocation *tt_db_location_parse       (const char          *uri,
                                          GError             **error);
TtDbLocation *tt_db_location_copy        (const TtDbLocation  *self);
char         *tt_db_location_to_string   (const TtDbLocation  *self);
gboolean      tt_db_location_equal       (const TtDbLocation  *a,
                                          const TtDbLocation  *b);
char         *tt_db_location_default_sqlite_path (void);
/* "HOST[:PORT],HOST[:PORT],…" ("[IPv6]:PORT"), as in a URI and in
 * Preferences; a server without a port has @default_port. */
gboolean      tt_db_location_set_hosts   (TtDbLocation        *self,
                                          const char          *list,
                                          guint                default_port,
                                          GError             **error);
char         *tt_db_location_format_hosts (const TtDbLocation *self);
guint         tt_db_location_get_n_hosts (const TtDbLocation  *self);
const char   *tt_db_location_get_host    (const TtDbLocation  *self,
                                          guint                index,
                                          guint               *port);
void          tt_db_location_free        (TtDbLocation        *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (TtDbLocation, tt_db_location_free)

G_END_DECLS
