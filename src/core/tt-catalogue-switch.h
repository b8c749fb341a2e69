/* tt-catalogue-switch.h: moving to another catalogue, all or nothing
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "tt-store.h"
#include "tt-store-copy.h"

G_BEGIN_DECLS

/* The steps, in order; a switch ends in one of the last three. */
typedef enum
{
  TT_CATALOGUE_SWITCH_STATE_READY,           /* made, not run yet */
  TT_CATALOGUE_SWITCH_STATE_OPENING,         /* opening the new location, counting what it holds */
  TT_CATALOGUE_SWITCH_STATE_COUNTING,        /* counting the current catalogue */
  TT_CATALOGUE_SWITCH_STATE_NEEDS_DECISION,  /* waits for _copy() or _use_as_is() */
  TT_CATALOGUE_SWITCH_STATE_COPYING,
  TT_CATALOGUE_SWITCH_STATE_SAVING,          /* the settings, then the keyring */
  TT_CATALOGUE_SWITCH_STATE_DONE,
  TT_CATALOGUE_SWITCH_STATE_FAILED,
  TT_CATALOGUE_SWITCH_STATE_CANCELLED,
} TtCatalogueSwitchState;

#define TT_TYPE_CATALOGUE_SWITCH_STATE (tt_catalogue_switch_state_get_type ())
GType tt_catalogue_switch_state_get_type (void);

#define TT_TYPE_CATALOGUE_SWITCH (tt_catalogue_switch_get_type ())

G_DECLARE_FINAL_TYPE (TtCatalogueSwitch, tt_catalogue_switch, TT, CATALOGUE_SWITCH, GObject)

/* A switch from @current (whose store is @source, NULL when it could not
 * be opened) to @location: the location goes to @settings (nullable) and
 * a MySQL @password (nullable) to the keyring, once everything else
 * worked. */
TtCatalogueSwitch  *tt_catalogue_switch_new          (TtStore             *source,
                                                      const TtDbLocation  *current,
                                                      const TtDbLocation  *location,
                                                      const char          *password,
                                                      GSettings           *settings);
/* Only the copy of @source into @location (the CLI's "copy"): no
 * question, nothing saved. */
TtCatalogueSwitch  *tt_catalogue_switch_new_copy     (TtStore             *source,
                                                      const TtDbLocation  *location,
                                                      const char          *password);

/* Runs once, from READY. @callback runs when the switch has ended; the
 * state says how along the way. */
void                tt_catalogue_switch_run_async    (TtCatalogueSwitch   *self,
                                                      GAsyncReadyCallback  callback,
                                                      gpointer             user_data);
/* The new catalogue's store; G_IO_ERROR_CANCELLED after a cancel. */
TtStore            *tt_catalogue_switch_run_finish   (TtCatalogueSwitch   *self,
                                                      GAsyncResult        *result,
                                                      GError             **error);
/* The answer NEEDS_DECISION waits for. */
void                tt_catalogue_switch_copy         (TtCatalogueSwitch   *self);
void                tt_catalogue_switch_use_as_is    (TtCatalogueSwitch   *self);
/* Ends the switch with nothing saved and the new database as it was.
 * Too late once SAVING: then nothing happens. A copy that was already
 * committed when the cancel reached it goes on to DONE. */
void                tt_catalogue_switch_cancel       (TtCatalogueSwitch   *self);

TtCatalogueSwitchState tt_catalogue_switch_get_state (TtCatalogueSwitch   *self);
/* FAILED, CANCELLED: the step the switch was at. */
TtCatalogueSwitchState tt_catalogue_switch_get_last_step (TtCatalogueSwitch *self);
/* From READY to SAVING. */
gboolean            tt_catalogue_switch_is_running   (TtCatalogueSwitch   *self);
const TtDbLocation *tt_catalogue_switch_get_location (TtCatalogueSwitch   *self);
/* -1 until counted: the target once opened, the source in COUNTING. */
void                tt_catalogue_switch_get_source_counts (TtCatalogueSwitch *self,
                                                      gint64              *n_tutorials,
                                                      gint64              *n_tags);
void                tt_catalogue_switch_get_target_counts (TtCatalogueSwitch *self,
                                                      gint64              *n_tutorials,
                                                      gint64              *n_tags);
/* The copy's progress, from 0 to 1. */
double              tt_catalogue_switch_get_fraction (TtCatalogueSwitch   *self);
/* DONE: the new catalogue, and what was copied (NULL when nothing was). */
TtStore            *tt_catalogue_switch_get_store    (TtCatalogueSwitch   *self);
const TtCopyReport *tt_catalogue_switch_get_report   (TtCatalogueSwitch   *self);
/* FAILED: why. */
const GError       *tt_catalogue_switch_get_error    (TtCatalogueSwitch   *self);
/* DONE: why the password could not be kept (the switch stands). */
const GError       *tt_catalogue_switch_get_keyring_error (TtCatalogueSwitch *self);

G_END_DECLS
