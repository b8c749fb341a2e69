/* tt-test-cli.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>
#include <unistd.h>

#include "tt-test-cli.h"

void
cli_run_free (CliRun *run)
{
  g_free (run->out);
  g_free (run->err);
  g_free (run);
}

static void
detach_from_terminal (gpointer user_data)
{
  setsid ();
}

GSubprocessLauncher *
tt_test_cli_launcher (void)
{
  GSubprocessLauncher *launcher;

  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDIN_PIPE
                                        | G_SUBPROCESS_FLAGS_STDOUT_PIPE
                                        | G_SUBPROCESS_FLAGS_STDERR_PIPE);
  g_subprocess_launcher_set_child_setup (launcher, detach_from_terminal, NULL, NULL);
  g_subprocess_launcher_unsetenv (launcher, TT_TEST_DB_PASSWORD_VARIABLE);
  g_subprocess_launcher_unsetenv (launcher, TT_TEST_TARGET_PASSWORD_VARIABLE);
  return launcher;
}

char *
tt_test_bytes_to_string (GBytes *bytes)
{
  gsize size;
  const char *data = g_bytes_get_data (bytes, &size);

  /* Empty output comes as NULL data. */
  return size > 0 ? g_strndup (data, size) : g_strdup ("");
}

static GPtrArray *
cli_argv (const char         *db,
          const char * const *args)
{
  GPtrArray *argv = g_ptr_array_new ();

  g_ptr_array_add (argv, (gpointer) TT_CLI_PATH);
  if (db != NULL)
    {
      g_ptr_array_add (argv, (gpointer) "--db");
      g_ptr_array_add (argv, (gpointer) db);
    }
  for (guint i = 0; args[i] != NULL; i++)
    g_ptr_array_add (argv, (gpointer) args[i]);
  g_ptr_array_add (argv, NULL);
  return argv;
}

CliRun *
tt_test_run_cli (GSubprocessLauncher *launcher,
                 const char          *db,
                 const char          *input,
                 const char * const  *args)
{
  g_autoptr(GPtrArray) argv = cli_argv (db, args);
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GBytes) in = NULL;
  g_autoptr(GBytes) out = NULL;
  g_autoptr(GBytes) err = NULL;
  g_autoptr(GError) error = NULL;
  CliRun *run = g_new0 (CliRun, 1);

  process = g_subprocess_launcher_spawnv (launcher, (const char * const *) argv->pdata, &error);
  g_assert_no_error (error);
  /* An empty stdin when there is no input: nothing waits for a reader. */
  in = g_bytes_new (input, input != NULL ? strlen (input) : 0);
  g_subprocess_communicate (process, in, NULL, &out, &err, &error);
  g_assert_no_error (error);

  run->out = tt_test_bytes_to_string (out);
  run->err = tt_test_bytes_to_string (err);
  /* A crash is never an acceptable answer; what it printed (a sanitizer's
   * report) says why. */
  if (!g_subprocess_get_if_exited (process))
    g_error ("%s was killed by signal %d:\n%s", args[0],
             g_subprocess_get_term_sig (process), run->err);
  run->status = g_subprocess_get_exit_status (process);
  g_test_message ("%s → %d\n%s%s", args[0], run->status, run->out, run->err);
  return run;
}

/* Starts the CLI with @args (after "--db @db") and leaves it running:
 * its stdout and stderr are pipes. */
GSubprocess *
tt_test_spawn_cli (GSubprocessLauncher *launcher,
                   const char          *db,
                   const char * const  *args)
{
  g_autoptr(GPtrArray) argv = cli_argv (db, args);
  g_autoptr(GError) error = NULL;
  GSubprocess *process;

  process = g_subprocess_launcher_spawnv (launcher, (const char * const *) argv->pdata, &error);
  g_assert_no_error (error);
  return process;
}
