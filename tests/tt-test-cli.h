/* tt-test-cli.h: running tutorial-tags-cli from a test
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define TT_TEST_DB_PASSWORD_VARIABLE     "TUTORIAL_TAGS_DB_PASSWORD"
#define TT_TEST_TARGET_PASSWORD_VARIABLE "TUTORIAL_TAGS_TARGET_PASSWORD"

typedef struct
{
  int   status;
  char *out;
  char *err;
} CliRun;

void     cli_run_free          (CliRun              *run);

/* A launcher for the CLI with no controlling terminal (it can never wait
 * for someone to type a password) and neither password variable set. */
GSubprocessLauncher *tt_test_cli_launcher (void);

/* Runs the CLI with @args, after "--db @db" unless @db is NULL; @input,
 * when given, is its stdin. A crash fails the test. */
CliRun  *tt_test_run_cli       (GSubprocessLauncher *launcher,
                                const char          *db,
                                const char          *input,
                                const char * const  *args);

GSubprocess *tt_test_spawn_cli (GSubprocessLauncher *launcher,
                                const char          *db,
                                const char * const  *args);

/* What a process wrote, as a string ("" for nothing). */
char    *tt_test_bytes_to_string (GBytes             *bytes);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CliRun, cli_run_free)

G_END_DECLS
