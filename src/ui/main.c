/* main.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>

#include "tt-application.h"
#include "tt-i18n.h"

int
main (int   argc,
      char *argv[])
{
  g_autoptr(TtApplication) app = NULL;

  tt_i18n_init ();

  /* Files: SQLite catalogues to open (tutorial-tags FILE.db). */
  app = tt_application_new (APPLICATION_ID, G_APPLICATION_HANDLES_OPEN);

  return g_application_run (G_APPLICATION (app), argc, argv);
}
