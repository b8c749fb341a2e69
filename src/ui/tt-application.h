/* tt-application.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "tt-catalogue-switch.h"
#include "tt-store.h"

G_BEGIN_DECLS

#define TT_TYPE_APPLICATION (tt_application_get_type ())

G_DECLARE_FINAL_TYPE (TtApplication, tt_application, TT, APPLICATION, AdwApplication)

TtApplication *tt_application_new       (const char        *application_id,
                                         GApplicationFlags  flags);
TtStore       *tt_application_get_store (TtApplication     *self);
void           tt_application_use_store (TtApplication     *self,
                                         TtStore           *store);
/* NULL when the settings schema is not installed. */
GSettings     *tt_application_get_settings  (TtApplication *self);
/* Where the catalogue is: what Preferences chose. */
TtDbLocation  *tt_application_dup_location  (TtApplication *self);
/* Starts switching every window to @location, with @password (NULL for
 * none), and returns the switch to follow: its question waits for an
 * answer. NULL while another switch runs (one at a time). The
 * "switch-catalogue" action does the same with a location's URI and the
 * password from the keyring. */
TtCatalogueSwitch *tt_application_switch_catalogue     (TtApplication      *self,
                                                        const TtDbLocation *location,
                                                        const char         *password);
/* The switch under way, or NULL. */
TtCatalogueSwitch *tt_application_get_catalogue_switch (TtApplication      *self);

G_END_DECLS
