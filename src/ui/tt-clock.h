/* tt-clock.h: GNOME's 12/24-hour clock setting, followed live
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "tt-format.h"

G_BEGIN_DECLS

#define TT_TYPE_CLOCK (tt_clock_get_type ())

G_DECLARE_FINAL_TYPE (TtClock, tt_clock, TT, CLOCK, GObject)

/* The one the window's rows and editor follow. */
TtClock       *tt_clock_get_default (void);
/* @portal_bus: the bus to ask org.freedesktop.portal.Settings on when
 * the setting cannot be read from GSettings (in Flatpak); NULL for none. */
TtClock       *tt_clock_new         (GSettings       *interface_settings,
                                     GDBusConnection *portal_bus);
TtClockFormat  tt_clock_get_format  (TtClock         *self);

G_END_DECLS
