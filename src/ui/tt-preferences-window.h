/* tt-preferences-window.h: where the catalogue lives, and switching to another
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "tt-application.h"

G_BEGIN_DECLS

#define TT_TYPE_PREFERENCES_WINDOW (tt_preferences_window_get_type ())

G_DECLARE_FINAL_TYPE (TtPreferencesWindow, tt_preferences_window, TT, PREFERENCES_WINDOW, AdwPreferencesWindow)

TtPreferencesWindow *tt_preferences_window_new      (TtApplication       *application,
                                                     GtkWindow           *parent);
/* TRUE while a test, an open, a copy or the keyring is being waited for. */
gboolean             tt_preferences_window_get_busy (TtPreferencesWindow *self);

G_END_DECLS
