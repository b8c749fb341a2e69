/* test-store-tls.c: encrypted connections to a MariaDB server that
 * accepts nothing else
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The server is the one `build-aux/mariadb-private.sh start DIR --tls`
 * makes (TT_TEST_TLS_*: a private CA, require_secure_transport=ON), next
 * to the plain test server (TT_TEST_MYSQL_*). It is reached over
 * 127.0.0.1 and over a veth pair from a network namespace this test makes
 * itself: Connector/C 3.4 treats local addresses differently. Without the
 * servers or the namespace the tests skip; with CI=true they fail.
 */

#define _GNU_SOURCE /* setns() */

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <unistd.h>

#include "tt-error-table.h"
#include "tt-test-cli.h"
#include "tt-test-fixture.h"

#define TLS_DATABASE "tt_tls"

static gboolean
in_ci (void)
{
  return g_strcmp0 (g_getenv ("CI"), "true") == 0;
}

/* Skips the test (fails it in CI) and returns FALSE without @variable. */
static gboolean
require_env (const char *variable)
{
  if (g_getenv (variable) != NULL)
    return TRUE;
  if (in_ci ())
    g_error ("CI=true but %s is not set: the TLS tests must run in CI (build-aux/run-tests.sh)", variable);
  g_test_skip_printf ("%s is not set (run build-aux/run-tests.sh)", variable);
  return FALSE;
}

/* The TLS server at @host, with the URI parameters @query. */
static TtDbLocation *
tls_location (const char *host,
              const char *query)
{
  g_autofree char *uri = NULL;
  g_autoptr(GError) error = NULL;
  TtDbLocation *location;

  if (!require_env ("TT_TEST_TLS_PORT"))
    return NULL;
  uri = g_strdup_printf ("mysql://%s@%s:%s/%s%s", g_getenv ("TT_TEST_TLS_USER"), host,
                         g_getenv ("TT_TEST_TLS_PORT"), TLS_DATABASE, query);
  location = tt_db_location_parse (uri, &error);
  g_assert_no_error (error);
  return location;
}

/* "?tls=required&ca=" and the CA file named by @variable. */
static char *
ca_query (const char *variable)
{
  g_autofree char *escaped = g_uri_escape_string (g_getenv (variable), "/", FALSE);

  return g_strconcat ("?tls=required&ca=", escaped, NULL);
}

static const char *
tls_password (void)
{
  return g_getenv ("TT_TEST_TLS_PASSWORD");
}

/* Opening @location fails with @code and a message holding @sentence. */
static void
assert_open_fails (const TtDbLocation *location,
                   const char         *password,
                   TtStoreError        code,
                   const char         *sentence)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TtStore) store = tt_store_open (location, password, &error);

  g_assert_null (store);
  g_assert_error (error, TT_STORE_ERROR, code);
  g_test_message ("%s — %s", error->message, tt_error_get_hint (error));
  g_assert_nonnull (strstr (error->message, sentence));
  /* A TLS problem is never taken for a wrong password. */
  if (code != TT_STORE_ERROR_ACCESS_DENIED)
    g_assert_null (strstr (tt_error_get_summary (error), "account"));
}

/* The store's own connection is encrypted; returns the address the server
 * sees the store connect from. */
static char *
assert_encrypted (TtStore *store)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *cipher = tt_store_debug_show_value (store, "SHOW STATUS LIKE 'Ssl_cipher'", &error);
  char *peer;

  g_assert_no_error (error);
  g_assert_nonnull (cipher);
  g_assert_cmpstr (cipher, !=, "");
  g_test_message ("cipher %s", cipher);
  peer = tt_store_debug_show_value (store,
                                    "SELECT 'host', HOST FROM information_schema.PROCESSLIST WHERE ID = CONNECTION_ID()",
                                    &error);
  g_assert_no_error (error);
  g_assert_nonnull (peer);
  return peer;
}

/* ---- over 127.0.0.1 -------------------------------------------------- */

static void
test_loopback_with_ca (void)
{
  g_autofree char *query = ca_query ("TT_TEST_TLS_CA");
  g_autoptr(TtDbLocation) location = tls_location ("127.0.0.1", query);
  g_autoptr(TtStore) store = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *peer = NULL;

  if (location == NULL)
    return;

  g_assert_true (location->tls_verify);
  store = tt_store_open (location, tls_password (), &error);
  g_assert_no_error (error);
  peer = assert_encrypted (store);
  g_assert_true (g_str_has_prefix (peer, "127.0.0.1:"));
}

/* Encrypted without a CA: any certificate is taken (verify=no). */
static void
test_loopback_without_ca (void)
{
  g_autoptr(TtDbLocation) location = tls_location ("127.0.0.1", "?tls=required");
  g_autoptr(TtStore) store = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *peer = NULL;

  if (location == NULL)
    return;

  store = tt_store_open (location, tls_password (), &error);
  g_assert_no_error (error);
  peer = assert_encrypted (store);
}

static void
test_loopback_wrong_ca (void)
{
  g_autofree char *query = ca_query ("TT_TEST_TLS_OTHER_CA");
  g_autoptr(TtDbLocation) location = tls_location ("127.0.0.1", query);

  if (location == NULL)
    return;

  assert_open_fails (location, tls_password (), TT_STORE_ERROR_TLS_CERTIFICATE,
                     "certificate is not signed by this CA");
}

/* The certificate names 127.0.0.1, not 127.0.0.2 (also this machine). */
static void
test_loopback_wrong_name (void)
{
  g_autofree char *query = ca_query ("TT_TEST_TLS_CA");
  g_autoptr(TtDbLocation) location = tls_location ("127.0.0.2", query);

  if (location == NULL)
    return;

  assert_open_fails (location, tls_password (), TT_STORE_ERROR_TLS_CERTIFICATE,
                     "certificate does not name 127.0.0.2");
}

static void
test_loopback_missing_ca_file (void)
{
  g_autoptr(TtDbLocation) location = tls_location ("127.0.0.1", "?tls=required&ca=/nonexistent/ca.pem");

  if (location == NULL)
    return;

  assert_open_fails (location, tls_password (), TT_STORE_ERROR_TLS_CERTIFICATE,
                     "/nonexistent/ca.pem");
}

/* With a list of servers whose first does not answer, the message names
 * the server that asked for TLS, not the first of the list. */
static void
test_loopback_not_asked_second_server (void)
{
  g_autoptr(TtDbLocation) location = tls_location ("127.0.0.2:1,127.0.0.1", "");

  if (location == NULL)
    return;

  assert_open_fails (location, tls_password (), TT_STORE_ERROR_TLS_REQUIRED_BY_SERVER,
                     "The server 127.0.0.1 requires an encrypted connection");
}

/* MariaDB 10.11 answers "Access denied" to a connection without TLS: not
 * a wrong password. */
static void
test_loopback_not_asked (void)
{
  g_autoptr(TtDbLocation) location = tls_location ("127.0.0.1", "");
  g_autoptr(TtStore) store = NULL;
  g_autoptr(GError) error = NULL;

  if (location == NULL)
    return;

  assert_open_fails (location, tls_password (), TT_STORE_ERROR_TLS_REQUIRED_BY_SERVER,
                     "requires an encrypted connection");

  /* A wrong password is still one where the server says so (10.11, the
   * retry over TLS is refused too); 11.8 refuses the transport before it
   * looks at the password, and says that. */
  store = tt_store_open (location, "not-the-password", &error);
  g_assert_null (store);
  g_test_message ("wrong password: %s", error->message);
  if (strstr (error->message, "insecure transport") != NULL)
    g_assert_error (error, TT_STORE_ERROR, TT_STORE_ERROR_TLS_REQUIRED_BY_SERVER);
  else
    g_assert_error (error, TT_STORE_ERROR, TT_STORE_ERROR_ACCESS_DENIED);
}

/* The plain test server: encryption required there is refused, nothing
 * is sent in plain text. */
static void
test_plain_server_refused (void)
{
  g_autofree char *query = ca_query ("TT_TEST_TLS_CA");
  g_autofree char *uri = NULL;
  g_autoptr(TtDbLocation) location = NULL;
  g_autoptr(GError) error = NULL;

  if (!require_env ("TT_TEST_MYSQL_URI") || !require_env ("TT_TEST_TLS_CA"))
    return;

  uri = g_strdup_printf ("%s/tt_store_probe%s", g_getenv ("TT_TEST_MYSQL_URI"), query);
  location = tt_db_location_parse (uri, &error);
  g_assert_no_error (error);
  assert_open_fails (location, g_getenv ("TT_TEST_MYSQL_PASSWORD"), TT_STORE_ERROR_TLS_UNAVAILABLE,
                     "offers no encryption");
}

/* The command-line tool says the same, with the connection exit status. */
static void
test_cli_wrong_ca (void)
{
  static const char * const args[] = { "tutorial", "list", NULL };
  g_autofree char *query = ca_query ("TT_TEST_TLS_OTHER_CA");
  g_autoptr(TtDbLocation) location = tls_location ("127.0.0.1", query);
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(CliRun) run = NULL;
  g_autofree char *db = NULL;

  if (location == NULL)
    return;

  launcher = tt_test_cli_launcher ();
  g_subprocess_launcher_setenv (launcher, TT_TEST_DB_PASSWORD_VARIABLE, tls_password (), TRUE);
  db = tt_db_location_to_string (location);
  run = tt_test_run_cli (launcher, db, NULL, args);
  g_assert_cmpint (run->status, ==, TT_EXIT_CONNECTION);
  g_assert_nonnull (strstr (run->err, "not signed by this CA"));
  g_assert_null (strstr (run->err, "password"));
}

/* ---- over a veth pair from a network namespace ------------------------ */

typedef struct
{
  char *name;       /* the namespace */
  char *host_link;  /* the pair's end on the host: the server's side */
  int   home;       /* this thread's own namespace, to go back to */
} Netns;

/* Runs `ip ARGS…`; FALSE (with the reason in @error) when it fails. */
static gboolean
run_ip (GError     **error,
        const char  *first,
        ...)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autofree char *err = NULL;
  int status = 0;
  va_list args;

  g_ptr_array_add (argv, (char *) "ip");
  va_start (args, first);
  for (const char *arg = first; arg != NULL; arg = va_arg (args, const char *))
    g_ptr_array_add (argv, (char *) arg);
  va_end (args);
  g_ptr_array_add (argv, NULL);

  if (!g_spawn_sync (NULL, (char **) argv->pdata, NULL, G_SPAWN_SEARCH_PATH | G_SPAWN_STDOUT_TO_DEV_NULL,
                     NULL, NULL, NULL, &err, &status, error))
    return FALSE;
  if (g_spawn_check_wait_status (status, NULL))
    return TRUE;
  g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "ip %s: %s", first, err);
  return FALSE;
}

static void
netns_free (Netns *netns)
{
  if (netns->home >= 0)
    close (netns->home);
  /* The pair first: deleting the namespace deletes its end too, but the
   * kernel tears a namespace down later, in the background, and the next
   * test's pair then met this one's name ("ip link: RTNETLINK answers:
   * File exists", one run in a few). Deleting a link is done when it
   * returns. */
  run_ip (NULL, "link", "del", netns->host_link, NULL);
  run_ip (NULL, "netns", "del", netns->name, NULL);
  g_free (netns->name);
  g_free (netns->host_link);
  g_free (netns);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Netns, netns_free)

/* The namespace with 10.231.0.2 (TT_TEST_TLS_PEER_ADDRESS), joined to the
 * host's 10.231.0.1 (TT_TEST_TLS_HOST_ADDRESS, which the server's
 * certificate names) by a veth pair. */
static gboolean
netns_setup (Netns   *netns,
             GError **error)
{
  g_autofree char *host_cidr = g_strconcat (g_getenv ("TT_TEST_TLS_HOST_ADDRESS"), "/30", NULL);
  g_autofree char *peer_cidr = g_strconcat (g_getenv ("TT_TEST_TLS_PEER_ADDRESS"), "/30", NULL);

  return run_ip (error, "netns", "add", netns->name, NULL) &&
         run_ip (error, "link", "add", netns->host_link, "type", "veth", "peer", "name", "tt-tls-peer",
                 "netns", netns->name, NULL) &&
         run_ip (error, "addr", "add", host_cidr, "dev", netns->host_link, NULL) &&
         run_ip (error, "link", "set", netns->host_link, "up", NULL) &&
         run_ip (error, "-n", netns->name, "addr", "add", peer_cidr, "dev", "tt-tls-peer", NULL) &&
         run_ip (error, "-n", netns->name, "link", "set", "tt-tls-peer", "up", NULL);
}

/* NULL (skipped, or failed in CI) when this machine cannot make one. */
static Netns *
netns_new (void)
{
  static guint made;
  g_autoptr(Netns) netns = g_new0 (Netns, 1);
  g_autoptr(GError) error = NULL;

  /* Each its own names as well (within IFNAMSIZ: 15 characters). */
  made++;
  netns->name = g_strdup_printf ("tt-tls-%d-%u", (int) getpid (), made);
  netns->host_link = g_strdup_printf ("tt%d.%u", (int) getpid (), made);
  netns->home = open ("/proc/thread-self/ns/net", O_RDONLY | O_CLOEXEC);
  if (netns->home >= 0 && netns_setup (netns, &error))
    return g_steal_pointer (&netns);

  if (error == NULL)
    error = g_error_new (G_IO_ERROR, g_io_error_from_errno (errno), "%s", g_strerror (errno));
  if (in_ci ())
    g_error ("CI=true but no network namespace could be made: %s", error->message);
  g_test_skip_printf ("No network namespace (needs root and iproute2): %s", error->message);
  return NULL;
}

/* Moves this thread into @netns (@enter) or back home. Threads it starts
 * meanwhile (the store's connection attempt) start there too. */
static void
netns_switch (Netns    *netns,
              gboolean  enter)
{
  g_autofree char *path = g_strconcat ("/run/netns/", netns->name, NULL);
  int fd = enter ? open (path, O_RDONLY | O_CLOEXEC) : netns->home;

  g_assert_cmpint (fd, >=, 0);
  g_assert_cmpint (setns (fd, CLONE_NEWNET), ==, 0);
  if (enter)
    close (fd);
}

/* Opens @location from inside @netns: NULL with @error when refused. */
static TtStore *
open_from_netns (Netns              *netns,
                 const TtDbLocation *location,
                 const char         *password,
                 GError            **error)
{
  TtStore *store;

  netns_switch (netns, TRUE);
  store = tt_store_open (location, password, error);
  netns_switch (netns, FALSE);
  return store;
}

static void
test_netns_with_ca (void)
{
  g_autofree char *query = ca_query ("TT_TEST_TLS_CA");
  g_autoptr(TtDbLocation) location = NULL;
  g_autoptr(Netns) netns = NULL;
  g_autoptr(TtStore) store = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *peer = NULL;
  g_autofree char *peer_prefix = NULL;

  if (!require_env ("TT_TEST_TLS_HOST_ADDRESS") ||
      (location = tls_location (g_getenv ("TT_TEST_TLS_HOST_ADDRESS"), query)) == NULL ||
      (netns = netns_new ()) == NULL)
    return;

  store = open_from_netns (netns, location, tls_password (), &error);
  g_assert_no_error (error);
  peer = assert_encrypted (store);
  /* Over the veth pair, not through the loopback device. */
  peer_prefix = g_strconcat (g_getenv ("TT_TEST_TLS_PEER_ADDRESS"), ":", NULL);
  g_assert_true (g_str_has_prefix (peer, peer_prefix));
}

static void
test_netns_refusals (void)
{
  g_autofree char *query = ca_query ("TT_TEST_TLS_OTHER_CA");
  g_autoptr(TtDbLocation) wrong_ca = NULL;
  g_autoptr(TtDbLocation) not_asked = NULL;
  g_autoptr(Netns) netns = NULL;
  g_autoptr(TtStore) store = NULL;
  g_autoptr(GError) ca_error = NULL;
  g_autoptr(GError) plain_error = NULL;

  if (!require_env ("TT_TEST_TLS_HOST_ADDRESS") ||
      (wrong_ca = tls_location (g_getenv ("TT_TEST_TLS_HOST_ADDRESS"), query)) == NULL ||
      (netns = netns_new ()) == NULL)
    return;
  not_asked = tls_location (g_getenv ("TT_TEST_TLS_HOST_ADDRESS"), "");

  store = open_from_netns (netns, wrong_ca, tls_password (), &ca_error);
  g_assert_null (store);
  g_assert_error (ca_error, TT_STORE_ERROR, TT_STORE_ERROR_TLS_CERTIFICATE);
  g_assert_nonnull (strstr (ca_error->message, "not signed by this CA"));

  store = open_from_netns (netns, not_asked, tls_password (), &plain_error);
  g_assert_null (store);
  g_assert_error (plain_error, TT_STORE_ERROR, TT_STORE_ERROR_TLS_REQUIRED_BY_SERVER);
  g_assert_nonnull (strstr (plain_error->message, "requires an encrypted connection"));
}

int
main (int    argc,
      char **argv)
{
  tt_test_init (&argc, &argv);

  g_test_add_func ("/tls/loopback/with-ca", test_loopback_with_ca);
  g_test_add_func ("/tls/loopback/without-ca", test_loopback_without_ca);
  g_test_add_func ("/tls/loopback/wrong-ca", test_loopback_wrong_ca);
  g_test_add_func ("/tls/loopback/wrong-name", test_loopback_wrong_name);
  g_test_add_func ("/tls/loopback/missing-ca-file", test_loopback_missing_ca_file);
  g_test_add_func ("/tls/loopback/not-asked", test_loopback_not_asked);
  g_test_add_func ("/tls/loopback/not-asked-second-server", test_loopback_not_asked_second_server);
  g_test_add_func ("/tls/plain-server-refused", test_plain_server_refused);
  g_test_add_func ("/tls/cli/wrong-ca", test_cli_wrong_ca);
  g_test_add_func ("/tls/netns/with-ca", test_netns_with_ca);
  g_test_add_func ("/tls/netns/refusals", test_netns_refusals);

  return g_test_run ();
}
