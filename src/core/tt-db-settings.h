/* tt-db-settings.h: the catalogue's location in GSettings
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "tt-db-location.h"

G_BEGIN_DECLS

GSettings    *tt_db_settings_new                 (void);
TtDbLocation *tt_db_location_new_from_settings   (GSettings           *settings);
void          tt_db_location_save_to_settings    (const TtDbLocation  *location,
                                                  GSettings           *settings);

/* Whether this runs inside a Flatpak sandbox, where the host's MySQL Unix
 * socket (/run/mysqld) cannot be reached. */
gboolean      tt_db_settings_in_flatpak          (void);
/* For tests: the file whose existence means Flatpak; NULL for the real
 * one, /.flatpak-info. */
void          tt_db_settings_set_flatpak_info_path (const char        *path);

G_END_DECLS
