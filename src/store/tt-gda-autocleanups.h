/* tt-gda-autocleanups.h: g_autoptr() for the libgda types we use
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * libgda 5.2 predates g_autoptr.
 */

#pragma once

#include <libgda/libgda.h>

G_DEFINE_AUTOPTR_CLEANUP_FUNC (GdaConnection, g_object_unref)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (GdaDataModel, g_object_unref)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (GdaDataModelIter, g_object_unref)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (GdaSet, g_object_unref)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (GdaSqlParser, g_object_unref)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (GdaStatement, g_object_unref)
