/* tt-tutorial.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "tt-tag.h"

G_BEGIN_DECLS

#define TT_TYPE_TUTORIAL (tt_tutorial_get_type ())

G_DECLARE_FINAL_TYPE (TtTutorial, tt_tutorial, TT, TUTORIAL, GObject)

TtTutorial *tt_tutorial_new             (gint64      id,
                                         const char *title,
                                         const char *description);
TtTutorial *tt_tutorial_new_placeholder (gint64      id);
gboolean    tt_tutorial_is_placeholder  (TtTutorial *self);
TtTutorial *tt_tutorial_dup             (TtTutorial *self);
gint64      tt_tutorial_get_id          (TtTutorial *self);
const char *tt_tutorial_get_title       (TtTutorial *self);
void        tt_tutorial_set_title       (TtTutorial *self,
                                         const char *title);
const char *tt_tutorial_get_description (TtTutorial *self);
void        tt_tutorial_set_description (TtTutorial *self,
                                         const char *description);
GDateTime  *tt_tutorial_get_created_at  (TtTutorial *self);
void        tt_tutorial_set_created_at  (TtTutorial *self,
                                         GDateTime  *created_at);
GDateTime  *tt_tutorial_get_updated_at  (TtTutorial *self);
void        tt_tutorial_set_updated_at  (TtTutorial *self,
                                         GDateTime  *updated_at);
GListModel *tt_tutorial_get_tags        (TtTutorial *self);
void        tt_tutorial_set_tags        (TtTutorial *self,
                                         GListModel *tags);

gboolean    tt_tutorial_equal           (TtTutorial *a,
                                         TtTutorial *b);

G_END_DECLS
