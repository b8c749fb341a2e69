/* tt-store-mysql-client.c: what libgda's MySQL provider does not tell
 * MariaDB Connector/C about TLS.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The provider (libgda 5.2; 6 has the same code) never sets a TLS option
 * on its MYSQL handle and never asks for an option group, so the client
 * library's defaults decide. Connector/C 3.3 (Debian 12) connects in
 * plain text. Connector/C 3.4 as upstream builds it (the Flatpak's)
 * verifies certificates by default, and so turns TLS on and refuses a
 * server without it ("SSL is required, but the server does not support
 * it"), even when nobody asked for TLS. (Debian 13 builds its 3.4 with
 * verification off by default: it connects in plain text, as 3.3 does.)
 * Nothing outside the program changes that:
 * option files are read only when the caller asks for a group (the
 * provider does not), and MARIADB_TLS_DISABLE_PEER_VERIFICATION is read
 * only after a TLS handshake, never for a server that offers none.
 *
 * So the program defines mysql_real_connect() itself and exports it
 * (src/meson.build): the provider's call lands here, the options are set
 * on the provider's handle, and the library's own function does the rest.
 * A location that requires TLS sets them all (encrypt or fail, the CA,
 * whether to verify) the same way on every version, so that 3.3 and 3.4
 * behave alike; check_tls() still checks that the connection it got is
 * encrypted. */

#define _GNU_SOURCE /* RTLD_NEXT */

#include "config.h"

#include <dlfcn.h>
#include <mysql.h>

#include "tt-store-private.h"

typedef MYSQL *(*RealConnect) (MYSQL *, const char *, const char *, const char *,
                               const char *, unsigned int, const char *, unsigned long);

/* Set by the store on its worker thread for the length of one open. Any
 * other connection through libgda (the tests' own) did not ask for TLS. */
static _Thread_local TtMysqlTlsRequest *current_request;

void
tt_store_mysql_client_set_request (TtMysqlTlsRequest *request)
{
  current_request = request;
}

/* Every option is set, none left to the library's default: MYSQL_OPT_SSL_ENFORCE
 * makes the library refuse a server that offers no TLS (3.3 and 3.4);
 * without a CA the system's trusted authorities are what a certificate
 * is checked against when @request->verify says so. */
static void
require_tls (MYSQL                   *mysql,
             const TtMysqlTlsRequest *request)
{
  my_bool enforce = 1;
  my_bool verify = request->verify ? 1 : 0;

  mysql_optionsv (mysql, MYSQL_OPT_SSL_ENFORCE, &enforce);
  mysql_optionsv (mysql, MYSQL_OPT_SSL_VERIFY_SERVER_CERT, &verify);
  if (request->ca != NULL)
    mysql_optionsv (mysql, MYSQL_OPT_SSL_CA, request->ca);
}

/* Not asked for TLS: only a library that verifies by default (and so
 * would refuse a server without TLS) is changed; the handle is fresh from
 * the provider's mysql_init(), so what it holds is the library's default.
 * It still encrypts when the server offers TLS, as it would have, but it
 * does not check the certificate (nobody said which authority to trust),
 * and it goes on in plain text when the server offers none. (Its version
 * number would not tell: Debian's builds report the server's, 11.8.) */
static void
allow_plain_text (MYSQL *mysql)
{
  my_bool verify = 0;
  my_bool enforce = 1;

  if (mysql_get_optionv (mysql, MYSQL_OPT_SSL_VERIFY_SERVER_CERT, &verify) != 0 || !verify)
    return;

  verify = 0;
  mysql_optionsv (mysql, MYSQL_OPT_SSL_VERIFY_SERVER_CERT, &verify);
  mysql_optionsv (mysql, MYSQL_OPT_SSL_ENFORCE, &enforce);
}

MYSQL *
mysql_real_connect (MYSQL        *mysql,
                    const char   *host,
                    const char   *user,
                    const char   *passwd,
                    const char   *db,
                    unsigned int  port,
                    const char   *unix_socket,
                    unsigned long clientflag)
{
  /* The library's function: the next definition after this program's.
   * Looked up on every call, which costs nothing next to a connect. */
  RealConnect real_connect = (RealConnect) dlsym (RTLD_NEXT, "mysql_real_connect");

  TtMysqlTlsRequest *request = current_request;
  MYSQL *connected;

  g_return_val_if_fail (real_connect != NULL, NULL);
  if (mysql == NULL)
    return real_connect (mysql, host, user, passwd, db, port, unix_socket, clientflag);

  if (request != NULL && request->require)
    require_tls (mysql, request);
  else
    allow_plain_text (mysql);

  connected = real_connect (mysql, host, user, passwd, db, port, unix_socket, clientflag);
  if (request != NULL)
    {
      request->native_error = connected != NULL ? 0 : mysql_errno (mysql);
      request->server_offers_tls = (mysql->server_capabilities & CLIENT_SSL) != 0;
    }
  return connected;
}
