/* tt-tutorial-results.h: the tutorials a query selects, loaded as shown
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "tt-store.h"

G_BEGIN_DECLS

#define TT_TYPE_TUTORIAL_RESULTS (tt_tutorial_results_get_type ())

G_DECLARE_FINAL_TYPE (TtTutorialResults, tt_tutorial_results, TT, TUTORIAL_RESULTS, GObject)

TtTutorialResults *tt_tutorial_results_new            (TtStore               *store);
void               tt_tutorial_results_refresh_async  (TtTutorialResults     *self,
                                                       const TtTutorialQuery *query,
                                                       gboolean               contents_changed,
                                                       GCancellable          *cancellable,
                                                       GAsyncReadyCallback    callback,
                                                       gpointer               user_data);
gboolean           tt_tutorial_results_refresh_finish (TtTutorialResults     *self,
                                                       GAsyncResult          *result,
                                                       GError               **error);
gint64             tt_tutorial_results_get_id         (TtTutorialResults     *self,
                                                       guint                  position);
gboolean           tt_tutorial_results_find           (TtTutorialResults     *self,
                                                       gint64                 id,
                                                       guint                 *position);
TtTutorial        *tt_tutorial_results_peek           (TtTutorialResults     *self,
                                                       gint64                 id);
void               tt_tutorial_results_update         (TtTutorialResults     *self,
                                                       GPtrArray             *tutorials);
gboolean           tt_tutorial_results_is_loading     (TtTutorialResults     *self);
gboolean           tt_tutorial_results_is_replacing   (TtTutorialResults     *self);
gint64             tt_tutorial_results_get_apply_usec (TtTutorialResults     *self);
guint              tt_tutorial_results_get_n_cached   (TtTutorialResults     *self);

G_END_DECLS
