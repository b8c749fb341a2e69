/* test-commands.c: every command is all or nothing, on SQLite and MariaDB
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Each undoable command is applied, reverted and applied again (redo)
 * with a failure injected at its first statement, then its second, and
 * so on until it gets through: every failed attempt must leave the
 * catalogue exactly as it was (times included), and must not spoil the
 * command, which then succeeds. The store's statement counter also
 * checks the round trips a chip costs.
 */

#include "config.h"

#include "tt-test-fixture.h"
#include "tt-undo-command.h"

/* No command here needs more statements than this. */
#define MAX_STATEMENTS 60

typedef gboolean (*StepFunc) (TtUndoCommand *command, TtStore *store, GError **error);

/* Fails the step at statement 1, 2, … until it gets through; returns how
 * many statements it took. */
static guint
step_through_failures (TtUndoCommand *command,
                       TtStore       *store,
                       StepFunc       step)
{
  g_autofree char *before = tt_test_dump_catalogue (store, TRUE);

  for (guint nth = 1; nth <= MAX_STATEMENTS; nth++)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *after = NULL;
      gboolean ok;

      tt_store_debug_fail_statement (store, nth);
      ok = step (command, store, &error);
      tt_store_debug_fail_statement (store, 0);
      if (ok)
        {
          g_assert_no_error (error);
          return nth;
        }

      g_assert_error (error, TT_STORE_ERROR, TT_STORE_ERROR_FAILED);
      after = tt_test_dump_catalogue (store, TRUE);
      g_assert_cmpstr (after, ==, before);
    }

  g_assert_not_reached ();
}

/* Apply, undo, redo, undo: each through every failure it can meet. The
 * undo brings back the catalogue as it was (updatedAt aside: an undone
 * edit is a new edit), the redo the catalogue as the apply left it. */
static void
check_command (TtStore       *store,
               TtUndoCommand *command)
{
  g_autofree char *before = tt_test_dump_catalogue (store, FALSE);
  g_autofree char *applied = NULL;
  g_autofree char *state = NULL;

  step_through_failures (command, store, tt_undo_command_apply);
  applied = tt_test_dump_catalogue (store, FALSE);
  g_assert_false (tt_undo_command_changed_nothing (command));
  g_assert_cmpstr (applied, !=, before);

  step_through_failures (command, store, tt_undo_command_revert);
  state = tt_test_dump_catalogue (store, FALSE);
  g_assert_cmpstr (state, ==, before);
  g_clear_pointer (&state, g_free);

  step_through_failures (command, store, tt_undo_command_apply);
  state = tt_test_dump_catalogue (store, FALSE);
  g_assert_cmpstr (state, ==, applied);
  g_clear_pointer (&state, g_free);

  step_through_failures (command, store, tt_undo_command_revert);
  state = tt_test_dump_catalogue (store, FALSE);
  g_assert_cmpstr (state, ==, before);
}

typedef TtUndoCommand *(*MakeCommand) (void);

static void
test_command (gconstpointer data)
{
  MakeCommand make = (MakeCommand) data;
  g_autoptr(TtUndoCommand) command = make ();
  OPEN_STORE_OR_SKIP (store);

  tt_test_seed (store);
  check_command (store, command);
}

static TtUndoCommand *
make_create_tutorial (void)
{
  return tt_undo_command_create_tutorial ("Tut#5", "D5");
}

static TtUndoCommand *
make_update_tutorial (void)
{
  return tt_undo_command_update_tutorial (1, "Edited", "Edited description");
}

static TtUndoCommand *
make_delete_tutorials (void)
{
  static const gint64 ids[] = { 1, 3 };

  return tt_undo_command_delete_tutorials (ids, G_N_ELEMENTS (ids));
}

static TtUndoCommand *
make_add_new_tag (void)
{
  g_autoptr(TtTag) tag = tt_tag_new (0, "Fresh");

  return tt_undo_command_add_tag (4, tag);
}

static TtUndoCommand *
make_add_tag_by_name (void)
{
  g_autoptr(TtTag) tag = tt_tag_new (0, "tag#2");

  return tt_undo_command_add_tag (2, tag);
}

static TtUndoCommand *
make_add_tag_by_id (void)
{
  g_autoptr(TtTag) tag = tt_tag_new (1, "Tag#1");

  return tt_undo_command_add_tag (4, tag);
}

static TtUndoCommand *
make_remove_tag_by_id (void)
{
  g_autoptr(TtTag) tag = tt_tag_new (2, NULL);

  return tt_undo_command_remove_tag (1, tag);
}

static TtUndoCommand *
make_remove_tag_by_name (void)
{
  g_autoptr(TtTag) tag = tt_tag_new (0, "TAG#1");

  return tt_undo_command_remove_tag (3, tag);
}

static TtUndoCommand *
make_create_tag (void)
{
  return tt_undo_command_create_tag ("Zed");
}

static TtUndoCommand *
make_rename_tag (void)
{
  return tt_undo_command_rename_tag (1, "Basics");
}

static TtUndoCommand *
make_merge_tags (void)
{
  return tt_undo_command_rename_tag (1, "tag#2");
}

static TtUndoCommand *
make_delete_tag (void)
{
  return tt_undo_command_delete_tag (2);
}

static TtUndoCommand *
make_link_many (void)
{
  static const gint64 ids[] = { 1, 2, 4, 2 };

  return tt_undo_command_link_many (ids, G_N_ELEMENTS (ids), 1, TRUE);
}

static TtUndoCommand *
make_unlink_many (void)
{
  static const gint64 ids[] = { 1, 3, 4 };

  return tt_undo_command_link_many (ids, G_N_ELEMENTS (ids), 2, FALSE);
}

/* Round trips (statements, transaction control included) one apply
 * costs, counted by the store. */
static guint64
round_trips_of (TtStore       *store,
                TtUndoCommand *command)
{
  g_autoptr(GError) error = NULL;
  guint64 before = tt_store_debug_get_round_trips (store);

  g_assert_true (tt_undo_command_apply (command, store, &error));
  g_assert_no_error (error);
  return tt_store_debug_get_round_trips (store) - before;
}

/* A chip for a tag the editor knows (id and name) is one statement;
 * removing it again too. */
static void
test_chip_round_trips (void)
{
  g_autoptr(TtTag) known = tt_tag_new (1, "Tag#1");
  g_autoptr(TtUndoCommand) add = tt_undo_command_add_tag (4, known);
  g_autoptr(TtUndoCommand) remove = tt_undo_command_remove_tag (4, known);
  OPEN_STORE_OR_SKIP (store);

  guint64 adding;
  guint64 removing;

  tt_test_seed (store);
  adding = round_trips_of (store, add);
  removing = round_trips_of (store, remove);
  g_test_message ("chip add: %" G_GUINT64_FORMAT " statements; remove: %" G_GUINT64_FORMAT,
                  adding, removing);
  g_assert_cmpuint (adding, <=, 2);
  g_assert_cmpuint (removing, <=, 2);
}

int
main (int   argc,
      char *argv[])
{
  static const struct { const char *path; MakeCommand make; } commands[] = {
    { "/commands/atomic/create-tutorial", make_create_tutorial },
    { "/commands/atomic/update-tutorial", make_update_tutorial },
    { "/commands/atomic/delete-tutorials", make_delete_tutorials },
    { "/commands/atomic/add-new-tag", make_add_new_tag },
    { "/commands/atomic/add-tag-by-name", make_add_tag_by_name },
    { "/commands/atomic/add-tag-by-id", make_add_tag_by_id },
    { "/commands/atomic/remove-tag-by-id", make_remove_tag_by_id },
    { "/commands/atomic/remove-tag-by-name", make_remove_tag_by_name },
    { "/commands/atomic/create-tag", make_create_tag },
    { "/commands/atomic/rename-tag", make_rename_tag },
    { "/commands/atomic/merge-tags", make_merge_tags },
    { "/commands/atomic/delete-tag", make_delete_tag },
    { "/commands/atomic/add-tag-to-many", make_link_many },
    { "/commands/atomic/remove-tag-from-many", make_unlink_many },
  };

  tt_test_init (&argc, &argv);

  for (guint i = 0; i < G_N_ELEMENTS (commands); i++)
    g_test_add_data_func (commands[i].path, (gconstpointer) commands[i].make, test_command);
  g_test_add_func ("/commands/chip-round-trips", test_chip_round_trips);

  return g_test_run ();
}
