/* tt-error-table.h: what each store error means to a person, in one place
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The window's toasts, Preferences and the command-line tool all say
 * what went wrong from this one table: a short sentence about a change
 * that failed, the way forward, and the CLI's exit status.
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* The command-line tool's exit statuses (documented in its --help). */
typedef enum
{
  TT_EXIT_OK             = 0,
  TT_EXIT_FAILED         = 1,
  TT_EXIT_USAGE          = 2,
  TT_EXIT_NOT_FOUND      = 3,
  TT_EXIT_DUPLICATE      = 4,
  TT_EXIT_INVALID_INPUT  = 5,
  TT_EXIT_CONNECTION     = 6,
  TT_EXIT_SCHEMA_TOO_NEW = 7,
  /* The catalogue file is damaged: scripts that make backups must not
   * take a partial answer for the whole. */
  TT_EXIT_CORRUPT        = 8,
} TtExitStatus;

/* What a failed change did to the catalogue, in a sentence for a toast
 * (translated); NULL when the error's own message says it best (invalid
 * input names what is wrong with the text). */
const char   *tt_error_get_summary     (const GError *error);
/* The way forward, one translated sentence to show next to the message;
 * NULL when there is nothing more to say. */
const char   *tt_error_get_hint        (const GError *error);
/* The CLI's exit status for a store error; TT_EXIT_FAILED for errors of
 * other domains (the CLI maps its own). */
TtExitStatus  tt_error_get_exit_status (const GError *error);
/* The message followed by the hint, if any. */
char         *tt_error_describe        (const GError *error);
/* Why connecting failed (Preferences' Test and Switch), in sentences of
 * ours that end in a full stop, with the way forward; the error's own
 * text (often the server's) in @detail, made a sentence, or NULL when
 * the sentence is that text. */
char         *tt_error_describe_connection (const GError  *error,
                                            char         **detail);

G_END_DECLS
