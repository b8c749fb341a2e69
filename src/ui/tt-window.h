/* tt-window.h: the main window
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "tt-controller.h"

G_BEGIN_DECLS

#define TT_TYPE_WINDOW (tt_window_get_type ())

G_DECLARE_FINAL_TYPE (TtWindow, tt_window, TT, WINDOW, AdwApplicationWindow)

TtWindow     *tt_window_new              (AdwApplication *application);
TtController *tt_window_get_controller   (TtWindow       *self);
void          tt_window_set_controller   (TtWindow       *self,
                                          TtController   *controller);
void          tt_window_show_connecting  (TtWindow       *self);
void          tt_window_show_store_error (TtWindow       *self,
                                          const GError   *error);

G_END_DECLS
