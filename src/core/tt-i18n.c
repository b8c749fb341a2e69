/* tt-i18n.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The translations are installed under the prefix (LOCALEDIR); run from
 * the build folder, nothing is there yet: build-aux/app-env.sh names the
 * build folder's compiled translations in TT_LOCALEDIR, read only when
 * set, so an installed app is not changed.
 */

#include "config.h"

#include <locale.h>
#include <glib/gi18n.h>

#include "tt-i18n.h"

/* The user's locale, and our translation domain: first, before any
 * translated text (the app's option descriptions are made before GTK
 * sets the locale). */
void
tt_i18n_init (void)
{
  const char *dir = g_getenv ("TT_LOCALEDIR");

  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, dir != NULL && *dir != '\0' ? dir : LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);
}
