/* test-controller.c: actions, undo and redo, on SQLite and on MariaDB
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Each test drives the controller through its GActions as the window
 * does, then checks the store (through its synchronous API), the
 * controller's models, undo (exactly the state before) and redo.
 */

#include "config.h"

#include <string.h>

#include "tt-controller.h"
#include "tt-gda-autocleanups.h"
#include "tt-test-fixture.h"

/* The seed every test starts from: the Node.js tutorial's scenario. */
#define SEED_TUTORIALS "1:Tut#1/D1[1,2] 2:Tut#2/D2[1] 3:Tut#3/D3[1,2] 4:Tut#4/D4[2]"
#define SEED_TAGS      "1:Tag#1(3) 2:Tag#2(3)"

typedef struct
{
  TtStore      *store;
  TtController *controller;
  guint         n_changed;
  guint         n_errors;
  guint         n_busy_notifies;
  GError       *error;    /* the last ::error */
  GObject      *created;  /* the last ::created */
} Harness;

/* ---- waiting for the controller -------------------------------------- */

static void
on_changed (TtController *controller,
            Harness      *h)
{
  h->n_changed++;
}

static void
on_error (TtController *controller,
          const GError *error,
          Harness      *h)
{
  g_clear_error (&h->error);
  h->error = g_error_copy (error);
  h->n_errors++;
}

static void
on_created (TtController *controller,
            GObject      *object,
            Harness      *h)
{
  g_set_object (&h->created, object);
}

static void
on_busy (TtController *controller,
         GParamSpec   *pspec,
         Harness      *h)
{
  h->n_busy_notifies++;
}

static gboolean
timed_out_cb (gpointer data)
{
  *(gboolean *) data = TRUE;
  return G_SOURCE_REMOVE;
}

/* Iterates until ::changed or ::error; a hang fails instead. */
static void
wait_done (Harness *h)
{
  guint changed = h->n_changed;
  guint errors = h->n_errors;
  gboolean timed_out = FALSE;
  guint timeout = g_timeout_add_seconds (60, timed_out_cb, &timed_out);

  while (h->n_changed == changed && h->n_errors == errors && !timed_out)
    g_main_context_iteration (NULL, TRUE);

  g_assert_false (timed_out);
  g_source_remove (timeout);
}

static void
wait_idle (Harness *h)
{
  gboolean timed_out = FALSE;
  guint timeout = g_timeout_add_seconds (60, timed_out_cb, &timed_out);

  while (tt_controller_get_busy (h->controller) && !timed_out)
    g_main_context_iteration (NULL, TRUE);

  g_assert_false (timed_out);
  g_source_remove (timeout);
}

static Harness *
harness_new (TtStore *store)
{
  Harness *h = g_new0 (Harness, 1);

  h->store = store;
  h->controller = tt_controller_new (store);
  g_signal_connect (h->controller, "changed", G_CALLBACK (on_changed), h);
  g_signal_connect (h->controller, "error", G_CALLBACK (on_error), h);
  g_signal_connect (h->controller, "created", G_CALLBACK (on_created), h);
  g_signal_connect (h->controller, "notify::busy", G_CALLBACK (on_busy), h);

  /* The first load of both models. */
  g_assert_true (tt_controller_get_busy (h->controller));
  wait_done (h);
  g_assert_cmpuint (h->n_errors, ==, 0);
  g_assert_false (tt_controller_get_busy (h->controller));
  return h;
}

/* Nothing may keep the controller alive: running jobs hold a reference
 * only while they run. */
static void
harness_free (Harness *h)
{
  g_assert_false (tt_controller_get_busy (h->controller));
  g_assert_finalize_object (h->controller);
  g_clear_error (&h->error);
  g_clear_object (&h->created);
  g_free (h);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Harness, harness_free)

static void
activate (Harness    *h,
          const char *prefix,
          const char *name,
          GVariant   *parameter)
{
  GActionGroup *group = tt_controller_get_action_group (h->controller, prefix);

  g_assert_true (g_action_group_get_action_enabled (group, name));
  g_action_group_activate_action (group, name, parameter);
}

#define act_ok(h, prefix, name, parameter) G_STMT_START { \
  guint _errors = (h)->n_errors; \
  activate ((h), (prefix), (name), (parameter)); \
  wait_done (h); \
  if ((h)->n_errors != _errors) \
    g_assert_no_error ((h)->error); \
} G_STMT_END

#define act_fails(h, prefix, name, parameter, code) G_STMT_START { \
  guint _errors = (h)->n_errors; \
  activate ((h), (prefix), (name), (parameter)); \
  wait_done (h); \
  g_assert_cmpuint ((h)->n_errors, ==, _errors + 1); \
  g_assert_error ((h)->error, TT_STORE_ERROR, (code)); \
} G_STMT_END

#define undo(h) act_ok ((h), "edit", "undo", NULL)
#define redo(h) act_ok ((h), "edit", "redo", NULL)

/* ---- describing the state -------------------------------------------- */

/* "id:title/description[tag ids]" for each tutorial. */
static char *
tutorials_state (GListModel *tutorials)
{
  GString *out = g_string_new (NULL);

  for (guint i = 0; i < g_list_model_get_n_items (tutorials); i++)
    {
      g_autoptr(TtTutorial) tutorial = g_list_model_get_item (tutorials, i);
      GListModel *tags = tt_tutorial_get_tags (tutorial);

      g_string_append_printf (out, "%s%" G_GINT64_FORMAT ":%s/%s[", i > 0 ? " " : "",
                              tt_tutorial_get_id (tutorial), tt_tutorial_get_title (tutorial),
                              tt_tutorial_get_description (tutorial));
      for (guint j = 0; j < g_list_model_get_n_items (tags); j++)
        {
          g_autoptr(TtTag) tag = g_list_model_get_item (tags, j);

          g_string_append_printf (out, "%s%" G_GINT64_FORMAT, j > 0 ? "," : "", tt_tag_get_id (tag));
          if (tt_tag_get_colour (tag) != NULL)
            g_string_append_printf (out, "=%s", tt_tag_get_colour (tag));
        }
      g_string_append_c (out, ']');
    }

  return g_string_free (out, FALSE);
}

/* "id:name(count)" for each tag, "=colour" after it when it has one. */
static char *
tags_state (GListModel *tags)
{
  GString *out = g_string_new (NULL);

  for (guint i = 0; i < g_list_model_get_n_items (tags); i++)
    {
      g_autoptr(TtTag) tag = g_list_model_get_item (tags, i);

      g_string_append_printf (out, "%s%" G_GINT64_FORMAT ":%s(%u)", i > 0 ? " " : "",
                              tt_tag_get_id (tag), tt_tag_get_name (tag),
                              tt_tag_get_tutorial_count (tag));
      if (tt_tag_get_colour (tag) != NULL)
        g_string_append_printf (out, "=%s", tt_tag_get_colour (tag));
    }

  return g_string_free (out, FALSE);
}

static void
store_state (TtStore  *store,
             char    **tutorials,
             char    **tags)
{
  TtTutorialQuery q = { .with_tags = TRUE };
  g_autoptr(GError) error = NULL;
  g_autoptr(GListModel) tutorial_list = tt_store_list_tutorials (store, &q, &error);
  g_autoptr(GListModel) tag_list = NULL;

  g_assert_no_error (error);
  tag_list = tt_store_list_tags (store, FALSE, &error);
  g_assert_no_error (error);
  *tutorials = tutorials_state (tutorial_list);
  *tags = tags_state (tag_list);
}

/* The catalogue, and the controller's models of it, are exactly these. */
#define assert_state(h, tutorials, tags) G_STMT_START { \
  g_autofree char *_store_tutorials = NULL; \
  g_autofree char *_store_tags = NULL; \
  g_autofree char *_model_tutorials = tutorials_state (tt_controller_get_tutorials ((h)->controller)); \
  g_autofree char *_model_tags = tags_state (tt_controller_get_tags ((h)->controller)); \
  store_state ((h)->store, &_store_tutorials, &_store_tags); \
  g_assert_cmpstr (_store_tutorials, ==, (tutorials)); \
  g_assert_cmpstr (_store_tags, ==, (tags)); \
  g_assert_cmpstr (_model_tutorials, ==, (tutorials)); \
  g_assert_cmpstr (_model_tags, ==, (tags)); \
} G_STMT_END

#define assert_seed(h) assert_state ((h), SEED_TUTORIALS, SEED_TAGS)

static Harness *
seeded_harness (TtStore *store)
{
  Harness *h;

  tt_test_seed (store);
  h = harness_new (store);
  assert_seed (h);
  g_assert_false (tt_controller_get_can_undo (h->controller));
  return h;
}

/* ---- tutorials ------------------------------------------------------- */

static void
test_actions (void)
{
  static const char * const expected[][3] = {
    { "tutorial", "create", "(ss)" }, { "tutorial", "update", "(xss)" },
    { "tutorial", "delete", "x" }, { "tutorial", "add-tag", "(xs)" },
    { "tutorial", "add-known-tag", "(xxs)" }, { "tutorial", "remove-tag", "(xx)" },
    { "tutorial", "remove-tag-by-name", "(xs)" },
    { "tag", "create", "s" }, { "tag", "rename", "(xs)" }, { "tag", "delete", "x" },
    { "tag", "set-colour", "(xs)" },
    { "tag", "add-to-tutorials", "(axx)" }, { "tag", "remove-from-tutorials", "(axx)" },
    { "edit", "undo", NULL }, { "edit", "redo", NULL },
  };
  OPEN_STORE_OR_SKIP (store);
  g_autoptr(Harness) h = harness_new (store);

  for (guint i = 0; i < G_N_ELEMENTS (expected); i++)
    {
      GActionGroup *group = tt_controller_get_action_group (h->controller, expected[i][0]);
      const GVariantType *type = g_action_group_get_action_parameter_type (group, expected[i][1]);

      g_assert_true (g_action_group_has_action (group, expected[i][1]));
      if (expected[i][2] == NULL)
        g_assert_null (type);
      else
        g_assert_cmpstr (g_variant_type_peek_string (type), ==, expected[i][2]);
    }
}

static void
test_create_tutorial (void)
{
  OPEN_STORE_OR_SKIP (store);
  g_autoptr(Harness) h = seeded_harness (store);

  act_ok (h, "tutorial", "create", g_variant_new ("(ss)", "Tut#5", "D5"));
  assert_state (h, SEED_TUTORIALS " 5:Tut#5/D5[]", SEED_TAGS);
  g_assert_true (TT_IS_TUTORIAL (h->created));
  g_assert_cmpint (tt_tutorial_get_id (TT_TUTORIAL (h->created)), ==, 5);
  g_assert_cmpstr (tt_controller_get_undo_label (h->controller), ==, "Undo Create “Tut#5”");

  g_clear_object (&h->created);
  undo (h);
  assert_seed (h);
  g_assert_cmpstr (tt_controller_get_redo_label (h->controller), ==, "Redo Create “Tut#5”");

  /* The same id again, so that later commands still name it. */
  redo (h);
  assert_state (h, SEED_TUTORIALS " 5:Tut#5/D5[]", SEED_TAGS);
  g_assert_null (h->created);
}

static void
test_update_tutorial (void)
{
  static const char after[] = "1:Tut#1 new/D1 new[1,2] 2:Tut#2/D2[1] 3:Tut#3/D3[1,2] 4:Tut#4/D4[2]";
  OPEN_STORE_OR_SKIP (store);
  g_autoptr(Harness) h = seeded_harness (store);

  act_ok (h, "tutorial", "update", g_variant_new ("(xss)", (gint64) 1, "Tut#1 new", "D1 new"));
  assert_state (h, after, SEED_TAGS);
  g_assert_cmpstr (tt_controller_get_undo_label (h->controller), ==, "Undo Edit “Tut#1”");

  undo (h);
  assert_seed (h);
  redo (h);
  assert_state (h, after, SEED_TAGS);

  /* Saving the same text again changes nothing and adds no undo step:
   * one undo still goes back to the seed. */
  act_ok (h, "tutorial", "update", g_variant_new ("(xss)", (gint64) 1, "Tut#1 new", "D1 new"));
  assert_state (h, after, SEED_TAGS);
  undo (h);
  assert_seed (h);
  g_assert_false (tt_controller_get_can_undo (h->controller));

  act_fails (h, "tutorial", "update", g_variant_new ("(xss)", (gint64) 1, "", "D1"),
             TT_STORE_ERROR_INVALID_INPUT);
  act_fails (h, "tutorial", "update", g_variant_new ("(xss)", (gint64) 99, "T", "D"),
             TT_STORE_ERROR_NOT_FOUND);
  assert_seed (h);
}

static void
test_delete_tutorial (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TtTutorial) before = NULL;
  g_autoptr(TtTutorial) restored = NULL;
  OPEN_STORE_OR_SKIP (store);
  g_autoptr(Harness) h = seeded_harness (store);

  before = tt_store_get_tutorial (store, 1, &error);
  g_assert_no_error (error);

  act_ok (h, "tutorial", "delete", g_variant_new_int64 (1));
  assert_state (h, "2:Tut#2/D2[1] 3:Tut#3/D3[1,2] 4:Tut#4/D4[2]", "1:Tag#1(2) 2:Tag#2(2)");
  g_assert_cmpstr (tt_controller_get_undo_label (h->controller), ==, "Undo Delete “Tut#1”");

  /* The same id, both links and the same times. */
  undo (h);
  assert_seed (h);
  restored = tt_store_get_tutorial (store, 1, &error);
  g_assert_no_error (error);
  g_assert_true (g_date_time_equal (tt_tutorial_get_created_at (before),
                                    tt_tutorial_get_created_at (restored)));
  g_assert_true (g_date_time_equal (tt_tutorial_get_updated_at (before),
                                    tt_tutorial_get_updated_at (restored)));

  redo (h);
  assert_state (h, "2:Tut#2/D2[1] 3:Tut#3/D3[1,2] 4:Tut#4/D4[2]", "1:Tag#1(2) 2:Tag#2(2)");

  act_fails (h, "tutorial", "delete", g_variant_new_int64 (1), TT_STORE_ERROR_NOT_FOUND);
  g_assert_cmpstr (tt_controller_get_undo_label (h->controller), ==, "Undo Delete “Tut#1”");
}

/* Many at once: one command, one Undo; a missing one deletes none. */
static void
test_delete_many (void)
{
  static const gint64 ids[] = { 1, 3 };
  static const gint64 with_missing[] = { 2, 99 };
  OPEN_STORE_OR_SKIP (store);
  g_autoptr(Harness) h = seeded_harness (store);

  act_ok (h, "tutorial", "delete-many",
          g_variant_new_fixed_array (G_VARIANT_TYPE_INT64, ids, G_N_ELEMENTS (ids), sizeof (gint64)));
  assert_state (h, "2:Tut#2/D2[1] 4:Tut#4/D4[2]", "1:Tag#1(1) 2:Tag#2(1)");
  g_assert_cmpstr (tt_controller_get_undo_label (h->controller), ==, "Undo Delete 2 Tutorials");

  undo (h);
  assert_seed (h);
  redo (h);
  assert_state (h, "2:Tut#2/D2[1] 4:Tut#4/D4[2]", "1:Tag#1(1) 2:Tag#2(1)");
  undo (h);

  act_fails (h, "tutorial", "delete-many",
             g_variant_new_fixed_array (G_VARIANT_TYPE_INT64, with_missing, 2, sizeof (gint64)),
             TT_STORE_ERROR_NOT_FOUND);
  assert_seed (h);
}

static void
test_add_tag_creates_tag (void)
{
  static const char after[] = "1:Tut#1/D1[1,2] 2:Tut#2/D2[1] 3:Tut#3/D3[1,2] 4:Tut#4/D4[2,3]";
  g_autoptr(GError) error = NULL;
  g_autoptr(TtTag) gone = NULL;
  OPEN_STORE_OR_SKIP (store);
  g_autoptr(Harness) h = seeded_harness (store);

  act_ok (h, "tutorial", "add-tag", g_variant_new ("(xs)", (gint64) 4, "Rust"));
  assert_state (h, after, SEED_TAGS " 3:Rust(1)");
  g_assert_cmpstr (tt_controller_get_undo_label (h->controller), ==, "Undo Add Tag “Rust”");

  /* The tag this action made goes too. */
  undo (h);
  assert_seed (h);
  gone = tt_store_find_tag_by_name (store, "Rust", &error);
  g_assert_error (error, TT_STORE_ERROR, TT_STORE_ERROR_NOT_FOUND);
  g_assert_null (gone);

  redo (h);
  assert_state (h, after, SEED_TAGS " 3:Rust(1)");
}

static void
test_add_tag_existing_any_case (void)
{
  static const char after[] = "1:Tut#1/D1[1,2] 2:Tut#2/D2[1] 3:Tut#3/D3[1,2] 4:Tut#4/D4[2,3]";
  g_autoptr(GError) error = NULL;
  g_autoptr(TtTag) rust = NULL;
  OPEN_STORE_OR_SKIP (store);

  tt_test_seed (store);
  rust = tt_store_create_tag (store, "Rust", &error);
  g_assert_no_error (error);
  {
    g_autoptr(Harness) h = harness_new (store);

    assert_state (h, SEED_TUTORIALS, SEED_TAGS " 3:Rust(0)");
    act_ok (h, "tutorial", "add-tag", g_variant_new ("(xs)", (gint64) 4, "rust"));
    assert_state (h, after, SEED_TAGS " 3:Rust(1)");
    g_assert_cmpstr (tt_controller_get_undo_label (h->controller), ==, "Undo Add Tag “Rust”");

    /* Undo removes the link only: the tag was there before. */
    undo (h);
    assert_state (h, SEED_TUTORIALS, SEED_TAGS " 3:Rust(0)");
    redo (h);
    assert_state (h, after, SEED_TAGS " 3:Rust(1)");

    /* A tag the tutorial has already: nothing changes, no undo step. */
    act_ok (h, "tutorial", "add-tag", g_variant_new ("(xs)", (gint64) 4, "TAG#2"));
    assert_state (h, after, SEED_TAGS " 3:Rust(1)");
    g_assert_cmpstr (tt_controller_get_undo_label (h->controller), ==, "Undo Add Tag “Rust”");
  }
}

static void
test_remove_tag (void)
{
  OPEN_STORE_OR_SKIP (store);
  g_autoptr(Harness) h = seeded_harness (store);

  act_ok (h, "tutorial", "remove-tag", g_variant_new ("(xx)", (gint64) 1, (gint64) 2));
  assert_state (h, "1:Tut#1/D1[1] 2:Tut#2/D2[1] 3:Tut#3/D3[1,2] 4:Tut#4/D4[2]",
                "1:Tag#1(3) 2:Tag#2(2)");
  g_assert_cmpstr (tt_controller_get_undo_label (h->controller), ==, "Undo Remove Tag “Tag#2”");

  undo (h);
  assert_seed (h);
  redo (h);
  assert_state (h, "1:Tut#1/D1[1] 2:Tut#2/D2[1] 3:Tut#3/D3[1,2] 4:Tut#4/D4[2]",
                "1:Tag#1(3) 2:Tag#2(2)");

  act_fails (h, "tutorial", "remove-tag", g_variant_new ("(xx)", (gint64) 4, (gint64) 1),
             TT_STORE_ERROR_NOT_FOUND);
}

/* ---- tags ------------------------------------------------------------ */

static void
test_create_tag (void)
{
  OPEN_STORE_OR_SKIP (store);
  g_autoptr(Harness) h = seeded_harness (store);

  act_ok (h, "tag", "create", g_variant_new_string ("Go"));
  assert_state (h, SEED_TUTORIALS, SEED_TAGS " 3:Go(0)");
  g_assert_true (TT_IS_TAG (h->created));
  g_assert_cmpint (tt_tag_get_id (TT_TAG (h->created)), ==, 3);
  g_assert_cmpstr (tt_controller_get_undo_label (h->controller), ==, "Undo Create Tag “Go”");

  undo (h);
  assert_seed (h);
  redo (h);
  assert_state (h, SEED_TUTORIALS, SEED_TAGS " 3:Go(0)");

  act_fails (h, "tag", "create", g_variant_new_string ("tag#1"), TT_STORE_ERROR_DUPLICATE);
  assert_state (h, SEED_TUTORIALS, SEED_TAGS " 3:Go(0)");
}

static void
test_rename_tag (void)
{
  OPEN_STORE_OR_SKIP (store);
  g_autoptr(Harness) h = seeded_harness (store);

  act_ok (h, "tag", "rename", g_variant_new ("(xs)", (gint64) 1, "Basics"));
  assert_state (h, SEED_TUTORIALS, "1:Basics(3) 2:Tag#2(3)");
  g_assert_cmpstr (tt_controller_get_undo_label (h->controller), ==,
                   "Undo Rename “Tag#1” to “Basics”");

  undo (h);
  assert_seed (h);
  redo (h);
  assert_state (h, SEED_TUTORIALS, "1:Basics(3) 2:Tag#2(3)");

  /* Only the case changes: the same tag, not a merge with itself. */
  act_ok (h, "tag", "rename", g_variant_new ("(xs)", (gint64) 2, "TAG#2"));
  assert_state (h, SEED_TUTORIALS, "1:Basics(3) 2:TAG#2(3)");
  undo (h);
  assert_state (h, SEED_TUTORIALS, "1:Basics(3) 2:Tag#2(3)");
}

static void
test_rename_merge (void)
{
  static const char merged[] = "1:Tut#1/D1[2] 2:Tut#2/D2[2] 3:Tut#3/D3[2] 4:Tut#4/D4[2]";
  OPEN_STORE_OR_SKIP (store);
  g_autoptr(Harness) h = seeded_harness (store);

  act_ok (h, "tag", "rename", g_variant_new ("(xs)", (gint64) 1, "tag#2"));
  assert_state (h, merged, "2:Tag#2(4)");
  g_assert_cmpstr (tt_controller_get_undo_label (h->controller), ==,
                   "Undo Merge “Tag#1” into “Tag#2”");

  /* Both tags and exactly the old links: Tut#2 loses Tag#2 again,
   * Tut#1 and Tut#3 keep it. */
  undo (h);
  assert_seed (h);
  redo (h);
  assert_state (h, merged, "2:Tag#2(4)");
}

static void
test_delete_tag (void)
{
  static const char after[] = "1:Tut#1/D1[1] 2:Tut#2/D2[1] 3:Tut#3/D3[1] 4:Tut#4/D4[]";
  OPEN_STORE_OR_SKIP (store);
  g_autoptr(Harness) h = seeded_harness (store);

  act_ok (h, "tag", "delete", g_variant_new_int64 (2));
  assert_state (h, after, "1:Tag#1(3)");
  g_assert_cmpstr (tt_controller_get_undo_label (h->controller), ==, "Undo Delete Tag “Tag#2”");

  undo (h);
  assert_seed (h);
  redo (h);
  assert_state (h, after, "1:Tag#1(3)");
}

/* Set Colour: the sidebar and the tutorials' chips show it; undo puts
 * back the colour before (or none), redo the new one. */
static void
test_set_colour_undo_redo (void)
{
  static const char red_tutorials[] = "1:Tut#1/D1[1=red,2] 2:Tut#2/D2[1=red] 3:Tut#3/D3[1=red,2] 4:Tut#4/D4[2]";
  static const char blue_tutorials[] = "1:Tut#1/D1[1=blue,2] 2:Tut#2/D2[1=blue] 3:Tut#3/D3[1=blue,2] 4:Tut#4/D4[2]";
  OPEN_STORE_OR_SKIP (store);
  g_autoptr(Harness) h = seeded_harness (store);

  act_ok (h, "tag", "set-colour", g_variant_new ("(xs)", (gint64) 1, "red"));
  assert_state (h, red_tutorials, "1:Tag#1(3)=red 2:Tag#2(3)");
  g_assert_cmpstr (tt_controller_get_undo_label (h->controller), ==, "Undo Set Colour of “Tag#1”");
  act_ok (h, "tag", "set-colour", g_variant_new ("(xs)", (gint64) 1, "blue"));
  assert_state (h, blue_tutorials, "1:Tag#1(3)=blue 2:Tag#2(3)");

  undo (h);
  assert_state (h, red_tutorials, "1:Tag#1(3)=red 2:Tag#2(3)");
  undo (h);
  assert_seed (h);
  g_assert_false (tt_controller_get_can_undo (h->controller));
  redo (h);
  redo (h);
  assert_state (h, blue_tutorials, "1:Tag#1(3)=blue 2:Tag#2(3)");

  /* "" is none; undo brings blue back. */
  act_ok (h, "tag", "set-colour", g_variant_new ("(xs)", (gint64) 1, ""));
  assert_seed (h);
  undo (h);
  assert_state (h, blue_tutorials, "1:Tag#1(3)=blue 2:Tag#2(3)");
}

/* A link change shown without reading the lists keeps the tag's colour,
 * in the sidebar and on the new chip; a deleted tag comes back with it. */
static void
test_colour_survives_links_and_delete (void)
{
  OPEN_STORE_OR_SKIP (store);
  g_autoptr(Harness) h = seeded_harness (store);

  act_ok (h, "tag", "set-colour", g_variant_new ("(xs)", (gint64) 2, "green"));
  act_ok (h, "tutorial", "add-known-tag", g_variant_new ("(xxs)", (gint64) 2, (gint64) 2, "Tag#2"));
  assert_state (h, "1:Tut#1/D1[1,2=green] 2:Tut#2/D2[1,2=green] 3:Tut#3/D3[1,2=green] 4:Tut#4/D4[2=green]",
                "1:Tag#1(3) 2:Tag#2(4)=green");
  undo (h);
  act_ok (h, "tag", "delete", g_variant_new_int64 (2));
  undo (h);
  assert_state (h, "1:Tut#1/D1[1,2=green] 2:Tut#2/D2[1] 3:Tut#3/D3[1,2=green] 4:Tut#4/D4[2=green]",
                "1:Tag#1(3) 2:Tag#2(3)=green");
}

/* An unknown colour is refused with the rules' sentence; nothing is
 * stored or put on the undo stack. */
static void
test_set_colour_refused (void)
{
  OPEN_STORE_OR_SKIP (store);
  g_autoptr(Harness) h = seeded_harness (store);

  act_fails (h, "tag", "set-colour", g_variant_new ("(xs)", (gint64) 1, "pink"),
             TT_STORE_ERROR_INVALID_INPUT);
  g_assert_nonnull (strstr (h->error->message, "blue, green, yellow, orange, red, purple or brown"));
  act_fails (h, "tag", "set-colour", g_variant_new ("(xs)", (gint64) 99, "red"),
             TT_STORE_ERROR_NOT_FOUND);
  assert_seed (h);
  g_assert_false (tt_controller_get_can_undo (h->controller));
}

/* The bulk Add a Tag… with a name: a new tag is made and given to every
 * tutorial in one command (undo deletes it again, redo puts it back);
 * an existing name in another case is that tag. */
static void
test_add_named_to_tutorials (void)
{
  static const gint64 ids[] = { 1, 2 };
  static const char fresh[] = "1:Tut#1/D1[1,2,3] 2:Tut#2/D2[1,3] 3:Tut#3/D3[1,2] 4:Tut#4/D4[2]";
  OPEN_STORE_OR_SKIP (store);
  g_autoptr(Harness) h = seeded_harness (store);
  GVariant *ids_v = g_variant_new_fixed_array (G_VARIANT_TYPE_INT64, ids, G_N_ELEMENTS (ids), sizeof (gint64));

  act_ok (h, "tag", "add-named-to-tutorials", g_variant_new ("(@axs)", ids_v, "Fresh"));
  assert_state (h, fresh, SEED_TAGS " 3:Fresh(2)");
  g_assert_cmpstr (tt_controller_get_undo_label (h->controller), ==, "Undo Add “Fresh” to 2 Tutorials");
  undo (h);
  assert_seed (h);
  redo (h);
  assert_state (h, fresh, SEED_TAGS " 3:Fresh(2)");

  ids_v = g_variant_new_fixed_array (G_VARIANT_TYPE_INT64, ids, G_N_ELEMENTS (ids), sizeof (gint64));
  act_ok (h, "tag", "add-named-to-tutorials", g_variant_new ("(@axs)", ids_v, "TAG#2"));
  assert_state (h, "1:Tut#1/D1[1,2,3] 2:Tut#2/D2[1,2,3] 3:Tut#3/D3[1,2] 4:Tut#4/D4[2]",
                "1:Tag#1(3) 2:Tag#2(4) 3:Fresh(2)");
  undo (h);
  assert_state (h, fresh, SEED_TAGS " 3:Fresh(2)");
}

/* Three unused tags listed; another client tags a tutorial with one of
 * them before the command runs: that one stays, the other two go, and
 * one Undo brings both back. */
static void
test_delete_unused_tags (void)
{
  g_autoptr(GError) error = NULL;
  gint64 ids[3];
  OPEN_STORE_OR_SKIP (store);

  tt_test_seed (store);
  for (guint i = 0; i < G_N_ELEMENTS (ids); i++)
    {
      g_autofree char *name = g_strdup_printf ("Unused#%u", i + 3);
      g_autoptr(TtTag) tag = tt_store_create_tag (store, name, &error);

      g_assert_no_error (error);
      ids[i] = tt_tag_get_id (tag);
    }
  g_assert_true (tt_store_link (store, 4, ids[1], &error));
  g_assert_no_error (error);
  {
    g_autoptr(Harness) h = harness_new (store);
    GVariant *ids_v = g_variant_new_fixed_array (G_VARIANT_TYPE_INT64, ids, G_N_ELEMENTS (ids), sizeof (gint64));

    act_ok (h, "tag", "delete-unused", ids_v);
    assert_state (h, "1:Tut#1/D1[1,2] 2:Tut#2/D2[1] 3:Tut#3/D3[1,2] 4:Tut#4/D4[2,4]",
                  SEED_TAGS " 4:Unused#4(1)");
    g_assert_cmpstr (tt_controller_get_undo_label (h->controller), ==, "Undo Delete 2 Unused Tags");

    undo (h);
    assert_state (h, "1:Tut#1/D1[1,2] 2:Tut#2/D2[1] 3:Tut#3/D3[1,2] 4:Tut#4/D4[2,4]",
                  SEED_TAGS " 3:Unused#3(0) 4:Unused#4(1) 5:Unused#5(0)");
    redo (h);
    assert_state (h, "1:Tut#1/D1[1,2] 2:Tut#2/D2[1] 3:Tut#3/D3[1,2] 4:Tut#4/D4[2,4]",
                  SEED_TAGS " 4:Unused#4(1)");
  }
}

static void
test_add_to_tutorials (void)
{
  static const gint64 ids[] = { 3, 4, 5 };
  static const char before[] = SEED_TUTORIALS " 5:Tut#5/D5[]";
  static const char after[] = "1:Tut#1/D1[1,2] 2:Tut#2/D2[1] 3:Tut#3/D3[1,2] 4:Tut#4/D4[1,2] 5:Tut#5/D5[1]";
  g_autoptr(GError) error = NULL;
  g_autoptr(TtTutorial) fifth = NULL;
  OPEN_STORE_OR_SKIP (store);

  tt_test_seed (store);
  fifth = tt_store_create_tutorial (store, "Tut#5", "D5", &error);
  g_assert_no_error (error);
  {
    g_autoptr(Harness) h = harness_new (store);
    GVariant *ids_v = g_variant_new_fixed_array (G_VARIANT_TYPE_INT64, ids, G_N_ELEMENTS (ids), sizeof (gint64));

    /* Tut#3 has Tag#1 already. */
    act_ok (h, "tag", "add-to-tutorials", g_variant_new ("(@axx)", ids_v, (gint64) 1));
    assert_state (h, after, "1:Tag#1(5) 2:Tag#2(3)");
    g_assert_cmpstr (tt_controller_get_undo_label (h->controller), ==,
                     "Undo Add “Tag#1” to 2 Tutorials");

    /* Exactly the two that gained it lose it. */
    undo (h);
    assert_state (h, before, SEED_TAGS);
    redo (h);
    assert_state (h, after, "1:Tag#1(5) 2:Tag#2(3)");
  }
}

static void
test_remove_from_tutorials (void)
{
  static const gint64 ids[] = { 1, 2, 3, 3 };
  static const char after[] = "1:Tut#1/D1[1] 2:Tut#2/D2[1] 3:Tut#3/D3[1] 4:Tut#4/D4[2]";
  OPEN_STORE_OR_SKIP (store);
  g_autoptr(Harness) h = seeded_harness (store);
  GVariant *ids_v = g_variant_new_fixed_array (G_VARIANT_TYPE_INT64, ids, G_N_ELEMENTS (ids), sizeof (gint64));

  /* Tut#2 never had Tag#2; Tut#3 is listed twice. */
  act_ok (h, "tag", "remove-from-tutorials", g_variant_new ("(@axx)", ids_v, (gint64) 2));
  assert_state (h, after, "1:Tag#1(3) 2:Tag#2(1)");
  g_assert_cmpstr (tt_controller_get_undo_label (h->controller), ==,
                   "Undo Remove “Tag#2” from 2 Tutorials");

  undo (h);
  assert_seed (h);
  redo (h);
  assert_state (h, after, "1:Tag#1(3) 2:Tag#2(1)");
}

/* ---- history and errors ---------------------------------------------- */

static void
test_errors (void)
{
  static const char after[] = "1:Tut#1/D1[1,2] 2:Tut#2/D2[1] 3:Tut#3/D3[1,2] 4:Tut#4/D4[2,3]";
  GActionGroup *edit;
  OPEN_STORE_OR_SKIP (store);
  g_autoptr(Harness) h = seeded_harness (store);

  edit = tt_controller_get_action_group (h->controller, "edit");
  act_fails (h, "tutorial", "add-tag", g_variant_new ("(xs)", (gint64) 1, ""),
             TT_STORE_ERROR_INVALID_INPUT);
  assert_seed (h);
  g_assert_false (tt_controller_get_can_undo (h->controller));
  g_assert_false (g_action_group_get_action_enabled (edit, "undo"));

  act_ok (h, "tutorial", "add-tag", g_variant_new ("(xs)", (gint64) 4, "Rust"));
  act_fails (h, "tutorial", "add-tag", g_variant_new ("(xs)", (gint64) 4, "   "),
             TT_STORE_ERROR_INVALID_INPUT);
  assert_state (h, after, SEED_TAGS " 3:Rust(1)");
  g_assert_true (tt_controller_get_can_undo (h->controller));
  g_assert_cmpstr (tt_controller_get_undo_label (h->controller), ==, "Undo Add Tag “Rust”");

  /* A tutorial that does not exist: the new tag is not left behind. */
  act_fails (h, "tutorial", "add-tag", g_variant_new ("(xs)", (gint64) 99, "Ghost"),
             TT_STORE_ERROR_NOT_FOUND);
  assert_state (h, after, SEED_TAGS " 3:Rust(1)");

  /* The failed actions left nothing to undo: one undo reaches the seed. */
  undo (h);
  assert_seed (h);
  g_assert_false (tt_controller_get_can_undo (h->controller));
}

/* An undo that can no longer be done changes nothing, says why, and is
 * taken off the history so that the entries below it stay reachable
 * (kept, it would fail at every Ctrl+Z: an undo stuck for ever). */
static void
test_failed_undo (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TtTag) taken = NULL;
  OPEN_STORE_OR_SKIP (store);
  g_autoptr(Harness) h = seeded_harness (store);

  act_ok (h, "tutorial", "remove-tag", g_variant_new ("(xx)", (gint64) 1, (gint64) 2));
  act_ok (h, "tag", "rename", g_variant_new ("(xs)", (gint64) 1, "Basics"));
  /* Someone else takes the old name meanwhile. */
  taken = tt_store_create_tag (store, "tag#1", &error);
  g_assert_no_error (error);

  act_fails (h, "edit", "undo", NULL, TT_STORE_ERROR_DUPLICATE);
  g_assert_nonnull (strstr (h->error->message, "Could not undo Rename “Tag#1” to “Basics”"));
  g_assert_nonnull (strstr (h->error->message, "taken off the undo history"));
  assert_state (h, "1:Tut#1/D1[1] 2:Tut#2/D2[1] 3:Tut#3/D3[1,2] 4:Tut#4/D4[2]",
                "1:Basics(3) 2:Tag#2(2) 3:tag#1(0)");
  g_assert_false (tt_controller_get_can_redo (h->controller));
  g_assert_cmpstr (tt_controller_get_undo_label (h->controller), ==, "Undo Remove Tag “Tag#2”");

  /* The entry below it works. */
  undo (h);
  assert_state (h, SEED_TUTORIALS, "1:Basics(3) 2:Tag#2(3) 3:tag#1(0)");
  g_assert_false (tt_controller_get_can_undo (h->controller));
}

/* Merge Tag#1 into Tag#2; another client deletes Tut#2, which gained
 * Tag#2 by the merge; Undo puts Tag#1 back on the tutorials that are
 * left and takes Tag#2 off the ones that gained it, whole, and the
 * history goes on working. (It used to restore Tag#1, then fail on the
 * deleted tutorial, and fail every retry on Tag#1's id.) */
static void
test_undo_merge_after_other_deletes (void)
{
  g_autoptr(GError) error = NULL;
  OPEN_STORE_OR_SKIP (store);
  g_autoptr(Harness) h = seeded_harness (store);
  g_autoptr(TtStore) other = tt_test_reopen_store ();

  act_ok (h, "tag", "rename", g_variant_new ("(xs)", (gint64) 1, "tag#2"));
  assert_state (h, "1:Tut#1/D1[2] 2:Tut#2/D2[2] 3:Tut#3/D3[2] 4:Tut#4/D4[2]", "2:Tag#2(4)");

  g_assert_true (tt_store_delete_tutorial (other, 2, &error));
  g_assert_no_error (error);

  undo (h);
  assert_state (h, "1:Tut#1/D1[1,2] 3:Tut#3/D3[1,2] 4:Tut#4/D4[2]", "1:Tag#1(2) 2:Tag#2(3)");
  g_assert_cmpstr (tt_controller_get_redo_label (h->controller), ==, "Redo Merge “Tag#1” into “Tag#2”");

  redo (h);
  assert_state (h, "1:Tut#1/D1[2] 3:Tut#3/D3[2] 4:Tut#4/D4[2]", "2:Tag#2(3)");
  undo (h);
  assert_state (h, "1:Tut#1/D1[1,2] 3:Tut#3/D3[1,2] 4:Tut#4/D4[2]", "1:Tag#1(2) 2:Tag#2(3)");
}

/* A chip for a tag the editor knows costs one statement, and its row and
 * the sidebar's count change without the lists being read again (on
 * SQLite; MySQL reads them again, see apply_link_change()). Undo and
 * redo of it too. */
static void
test_chip_round_trips (void)
{
  const char *after = "1:Tut#1/D1[1,2] 2:Tut#2/D2[1] 3:Tut#3/D3[1,2] 4:Tut#4/D4[1,2]";
  OPEN_STORE_OR_SKIP (store);
  g_autoptr(Harness) h = seeded_harness (store);
  guint64 before = tt_store_debug_get_round_trips (store);
  guint64 cost;

  act_ok (h, "tutorial", "add-known-tag", g_variant_new ("(xxs)", (gint64) 4, (gint64) 1, "Tag#1"));
  cost = tt_store_debug_get_round_trips (store) - before;
  g_test_message ("adding a chip: %" G_GUINT64_FORMAT " round trips", cost);
  if (!tt_test_is_mysql ())
    g_assert_cmpuint (cost, <=, 2);
  assert_state (h, after, "1:Tag#1(4) 2:Tag#2(3)");

  before = tt_store_debug_get_round_trips (store);
  undo (h);
  redo (h);
  cost = tt_store_debug_get_round_trips (store) - before;
  g_test_message ("undo and redo of it: %" G_GUINT64_FORMAT " round trips", cost);
  if (!tt_test_is_mysql ())
    g_assert_cmpuint (cost, <=, 2);
  assert_state (h, after, "1:Tag#1(4) 2:Tag#2(3)");
}

static gint64
untagged_count (Harness *h)
{
  gint64 count;

  g_object_get (h->controller, "untagged-count", &count, NULL);
  return count;
}

/* "Untagged" follows every command: new tutorials, chips (counted from
 * the tutorials' tags, without the store), many at once, a deleted tag
 * that was a tutorial's only one, and undo. */
static void
test_untagged_count (void)
{
  OPEN_STORE_OR_SKIP (store);
  g_autoptr(Harness) h = seeded_harness (store);

  g_assert_cmpint (untagged_count (h), ==, 0);
  act_ok (h, "tutorial", "create", g_variant_new ("(ss)", "Tut#5", "D5"));
  g_assert_cmpint (untagged_count (h), ==, 1);
  act_ok (h, "tutorial", "add-known-tag", g_variant_new ("(xxs)", (gint64) 5, (gint64) 1, "Tag#1"));
  g_assert_cmpint (untagged_count (h), ==, 0);
  act_ok (h, "tutorial", "remove-tag", g_variant_new ("(xx)", (gint64) 5, (gint64) 1));
  g_assert_cmpint (untagged_count (h), ==, 1);
  act_ok (h, "tag", "add-to-tutorials",
          g_variant_new ("(@axx)", g_variant_new_fixed_array (G_VARIANT_TYPE_INT64, (gint64[]) { 5, 1 }, 2,
                                                              sizeof (gint64)),
                         (gint64) 2));
  g_assert_cmpint (untagged_count (h), ==, 0);

  /* Tut#2 has Tag#1 only. */
  act_ok (h, "tag", "delete", g_variant_new_int64 (1));
  g_assert_cmpint (untagged_count (h), ==, 1);
  undo (h);
  g_assert_cmpint (untagged_count (h), ==, 0);
}

static void
test_new_action_clears_redo (void)
{
  GActionGroup *edit;
  OPEN_STORE_OR_SKIP (store);
  g_autoptr(Harness) h = seeded_harness (store);

  edit = tt_controller_get_action_group (h->controller, "edit");
  act_ok (h, "tutorial", "remove-tag", g_variant_new ("(xx)", (gint64) 1, (gint64) 1));
  undo (h);
  g_assert_true (tt_controller_get_can_redo (h->controller));
  g_assert_true (g_action_group_get_action_enabled (edit, "redo"));
  g_assert_cmpstr (tt_controller_get_redo_label (h->controller), ==, "Redo Remove Tag “Tag#1”");

  act_ok (h, "tag", "create", g_variant_new_string ("Go"));
  g_assert_false (tt_controller_get_can_redo (h->controller));
  g_assert_false (g_action_group_get_action_enabled (edit, "redo"));
  g_assert_null (tt_controller_get_redo_label (h->controller));
  g_assert_true (g_action_group_get_action_enabled (edit, "undo"));

  /* Undo now takes back the new action, not the old one. */
  undo (h);
  assert_seed (h);
}

static void
test_empty_history (void)
{
  GActionGroup *edit;
  guint changed;
  OPEN_STORE_OR_SKIP (store);
  g_autoptr(Harness) h = seeded_harness (store);

  edit = tt_controller_get_action_group (h->controller, "edit");
  g_assert_false (g_action_group_get_action_enabled (edit, "undo"));
  g_assert_false (g_action_group_get_action_enabled (edit, "redo"));
  g_assert_null (tt_controller_get_undo_label (h->controller));

  /* A disabled action does nothing; neither does the plain call. */
  changed = h->n_changed;
  g_action_group_activate_action (edit, "undo", NULL);
  tt_controller_undo (h->controller);
  tt_controller_redo (h->controller);
  g_assert_false (tt_controller_get_busy (h->controller));
  while (g_main_context_iteration (NULL, FALSE))
    ;
  g_assert_cmpuint (h->n_changed, ==, changed);
  assert_seed (h);
}

/* Actions asked for while others run wait their turn, in order; undo
 * undoes what was asked for last even before it is done. */
static void
test_queue_in_order (void)
{
  guint busy_notifies;
  OPEN_STORE_OR_SKIP (store);
  g_autoptr(Harness) h = seeded_harness (store);

  busy_notifies = h->n_busy_notifies;
  tt_controller_create_tutorial (h->controller, "Tut#5", "D5");
  g_assert_true (tt_controller_get_busy (h->controller));
  tt_controller_add_tag (h->controller, 5, 0, "Queued");
  tt_controller_delete_tag (h->controller, 1);
  tt_controller_undo (h->controller);
  tt_controller_undo (h->controller);
  tt_controller_redo (h->controller);
  wait_idle (h);

  g_assert_cmpuint (h->n_errors, ==, 0);
  g_assert_cmpuint (h->n_busy_notifies, ==, busy_notifies + 2);
  assert_state (h, SEED_TUTORIALS " 5:Tut#5/D5[3]", SEED_TAGS " 3:Queued(1)");
  g_assert_cmpstr (tt_controller_get_undo_label (h->controller), ==, "Undo Add Tag “Queued”");
  g_assert_cmpstr (tt_controller_get_redo_label (h->controller), ==, "Redo Delete Tag “Tag#1”");
}

static void
test_query (void)
{
  TtTutorialQuery q = { 0 };
  g_autofree char *text = g_strdup ("Tut#3");
  g_autofree char *filtered = NULL;
  g_autofree char *all = NULL;
  OPEN_STORE_OR_SKIP (store);
  g_autoptr(Harness) h = seeded_harness (store);

  q.text = text;
  tt_controller_set_query (h->controller, &q);
  text[0] = 'X';  /* the controller copied it */
  wait_done (h);
  filtered = tutorials_state (tt_controller_get_tutorials (h->controller));
  g_assert_cmpstr (filtered, ==, "3:Tut#3/D3[1,2]");

  /* The query stays across actions. */
  act_ok (h, "tutorial", "add-tag", g_variant_new ("(xs)", (gint64) 3, "Rust"));
  g_clear_pointer (&filtered, g_free);
  filtered = tutorials_state (tt_controller_get_tutorials (h->controller));
  g_assert_cmpstr (filtered, ==, "3:Tut#3/D3[1,2,3]");

  tt_controller_set_query (h->controller, NULL);
  wait_done (h);
  all = tutorials_state (tt_controller_get_tutorials (h->controller));
  g_assert_cmpstr (all, ==, "1:Tut#1/D1[1,2] 2:Tut#2/D2[1] 3:Tut#3/D3[1,2,3] 4:Tut#4/D4[2]");
}

/* ---- other clients, lost connections ----------------------------------- */

/* Iterates until @done says so, for at most @seconds; returns the time it took. */
static double
wait_until (gboolean    (*done) (Harness *h, gconstpointer data),
            Harness      *h,
            gconstpointer data,
            int           seconds)
{
  gint64 start = g_get_monotonic_time ();
  gboolean timed_out = FALSE;
  guint timeout = g_timeout_add_seconds (seconds, timed_out_cb, &timed_out);

  while (!done (h, data) && !timed_out)
    g_main_context_iteration (NULL, TRUE);

  g_assert_false (timed_out);
  g_source_remove (timeout);
  return (g_get_monotonic_time () - start) / 1e6;
}

static gboolean
shows_state (Harness      *h,
             gconstpointer expected)
{
  g_autofree char *state = tutorials_state (tt_controller_get_tutorials (h->controller));

  return !tt_controller_get_busy (h->controller) && g_strcmp0 (state, expected) == 0;
}

/* Another client's change shows within 5 s, with nothing asked. */
static void
test_sees_other_clients (void)
{
  OPEN_STORE_OR_SKIP (store);
  g_autoptr(Harness) h = seeded_harness (store);
  g_autoptr(TtStore) other = tt_test_reopen_store ();
  g_autoptr(GError) error = NULL;
  g_autoptr(TtTutorial) updated = NULL;
  double seconds;

  updated = tt_store_update_tutorial (other, 2, "Edited elsewhere", "D2", &error);
  g_assert_no_error (error);
  tt_store_unlink (other, 1, 2, &error);
  g_assert_no_error (error);

  seconds = wait_until (shows_state, h,
                        "1:Tut#1/D1[1] 2:Edited elsewhere/D2[1] 3:Tut#3/D3[1,2] 4:Tut#4/D4[2]", 5);
  g_test_message ("seen after %.1f s", seconds);
}

#define RAW_NOW "'2024-01-01 10:00:00'"

/* The Node.js app starts in development with sync({force: true}) while
 * the window is open: its new tables and rows show within 5 s, and a chip
 * added then is saved, with no restart. */
static void
test_sees_tables_made_again (void)
{
  OPEN_STORE_OR_SKIP (store);
  g_autoptr(Harness) h = seeded_harness (store);
  g_autoptr(GdaConnection) raw = tt_test_raw_open ();
  double seconds;

  tt_test_raw_exec (raw, "DROP TABLE tutorial_tag");
  tt_test_raw_exec (raw, "DROP TABLE tags");
  tt_test_raw_exec (raw, "DROP TABLE tutorials");
  tt_test_create_sequelize_tables (raw);
  tt_test_raw_exec (raw, "INSERT INTO tutorials (id, title, description, createdAt, updatedAt)"
                         " VALUES (1, 'Node', 'N', " RAW_NOW ", " RAW_NOW ")");
  tt_test_raw_exec (raw, "INSERT INTO tags (id, name, createdAt, updatedAt) VALUES (1, 'seed', " RAW_NOW ", " RAW_NOW ")");
  tt_test_raw_exec (raw, "INSERT INTO tutorial_tag (tutorial_id, tag_id, createdAt, updatedAt)"
                         " VALUES (1, 1, " RAW_NOW ", " RAW_NOW ")");

  seconds = wait_until (shows_state, h, "1:Node/N[1]", 5);
  g_test_message ("seen after %.1f s", seconds);

  activate (h, "tutorial", "add-tag", g_variant_new ("(xs)", (gint64) 1, "Seed"));
  activate (h, "tutorial", "add-tag", g_variant_new ("(xs)", (gint64) 1, "after"));
  wait_idle (h);
  g_assert_cmpuint (h->n_errors, ==, 0);
  wait_until (shows_state, h, "1:Node/N[1,2]", 5);
}

/* A adds X while B adds Y to the same tutorial: both links exist, and
 * both controllers show both. */
static void
test_two_clients_add_tags (void)
{
  OPEN_STORE_OR_SKIP (store);
  g_autoptr(Harness) a = seeded_harness (store);
  g_autoptr(TtStore) other = tt_test_reopen_store ();
  g_autoptr(Harness) b = harness_new (other);
  const char *expected = "1:Tut#1/D1[1,2] 2:Tut#2/D2[1] 3:Tut#3/D3[1,2] 4:Tut#4/D4[2,3,4]";
  g_autofree char *state_b = NULL;

  activate (a, "tutorial", "add-tag", g_variant_new ("(xs)", (gint64) 4, "X"));
  activate (b, "tutorial", "add-tag", g_variant_new ("(xs)", (gint64) 4, "Y"));
  wait_idle (a);
  wait_idle (b);
  g_assert_cmpuint (a->n_errors + b->n_errors, ==, 0);

  wait_until (shows_state, a, expected, 5);
  wait_until (shows_state, b, expected, 5);
}

/* The same title edited in two windows: the last write wins (README,
 * "Working together on one server"), and both windows come to show it. */
static void
test_two_clients_edit_title (void)
{
  OPEN_STORE_OR_SKIP (store);
  g_autoptr(Harness) a = seeded_harness (store);
  g_autoptr(TtStore) other = tt_test_reopen_store ();
  g_autoptr(Harness) b = harness_new (other);
  const char *expected = "1:Tut#1/D1[1,2] 2:From B/D2[1] 3:Tut#3/D3[1,2] 4:Tut#4/D4[2]";
  g_autoptr(TtTutorial) stored = NULL;

  activate (a, "tutorial", "update", g_variant_new ("(xss)", (gint64) 2, "From A", "D2"));
  wait_idle (a);
  activate (b, "tutorial", "update", g_variant_new ("(xss)", (gint64) 2, "From B", "D2"));
  wait_idle (b);
  g_assert_cmpuint (a->n_errors + b->n_errors, ==, 0);

  stored = tt_store_get_tutorial (store, 2, NULL);
  g_assert_cmpstr (tt_tutorial_get_title (stored), ==, "From B");
  wait_until (shows_state, a, expected, 5);
  wait_until (shows_state, b, expected, 5);
}

static gboolean
title_saved (Harness      *h,
             gconstpointer title)
{
  g_autoptr(TtStore) fresh = NULL;
  g_autoptr(TtTutorial) tutorial = NULL;

  if (tt_controller_get_busy (h->controller))
    return FALSE;
  fresh = tt_test_reopen_store ();
  tutorial = tt_store_get_tutorial (fresh, 2, NULL);
  return tutorial != NULL && g_strcmp0 (tt_tutorial_get_title (tutorial), title) == 0;
}

/* An edit made while the server is down is kept, said to be unsaved,
 * and saved once the server is back. MySQL only: it stops the server. */
static void
test_unsent_until_back (void)
{
  g_autoptr(TtStore) store = NULL;
  g_autoptr(Harness) h = NULL;

  if (!tt_test_can_stop_server ())
    return;

  store = tt_test_open_store ();
  h = seeded_harness (store);

  g_assert_true (tt_test_server_control ("TT_TEST_MYSQL_STOP"));
  activate (h, "tutorial", "update", g_variant_new ("(xss)", (gint64) 2, "Typed offline", "D2"));
  wait_done (h);
  g_assert_nonnull (h->error);
  g_assert_error (h->error, TT_CONTROLLER_ERROR, TT_CONTROLLER_ERROR_NOT_SAVED_YET);
  g_assert_true (strstr (h->error->message, "saved when the connection is back") != NULL);

  g_assert_true (tt_test_server_control ("TT_TEST_MYSQL_START"));
  wait_until (title_saved, h, "Typed offline", 15);
}

static void
on_unsent_saved (TtController *controller,
                 guint         n_saved,
                 guint        *total)
{
  *total += n_saved;
}

static gboolean
is_offline (Harness      *h,
            gconstpointer data)
{
  return tt_controller_get_offline (h->controller);
}

static gboolean
shows_saved_title (Harness      *h,
                   gconstpointer title)
{
  GListModel *tutorials = tt_controller_get_tutorials (h->controller);
  g_autoptr(TtTutorial) second = g_list_model_get_item (tutorials, 1);

  return !tt_controller_get_offline (h->controller) &&
         tt_controller_get_n_unsent (h->controller) == 0 &&
         g_strcmp0 (tt_tutorial_get_title (second), title) == 0 &&
         title_saved (h, title);
}

/* What the controller says while the server is away is what is true:
 * offline (a state, not a lost change), how many changes wait, and, once
 * the server is back, saved and shown within a few checks. */
static void
test_offline_state (void)
{
  g_autoptr(TtStore) store = NULL;
  g_autoptr(Harness) h = NULL;
  guint n_saved = 0;
  double seconds;

  if (!tt_test_can_stop_server ())
    return;

  store = tt_test_open_store ();
  h = seeded_harness (store);
  g_signal_connect (h->controller, "unsent-saved", G_CALLBACK (on_unsent_saved), &n_saved);

  g_assert_true (tt_test_server_control ("TT_TEST_MYSQL_STOP"));
  wait_until (is_offline, h, NULL, 20);
  /* No change was made, so none is said to be lost. */
  g_assert_cmpuint (h->n_errors, ==, 0);
  g_assert_cmpuint (tt_controller_get_n_unsent (h->controller), ==, 0);

  activate (h, "tutorial", "update", g_variant_new ("(xss)", (gint64) 2, "Typed offline", "D2"));
  wait_done (h);
  g_assert_cmpuint (tt_controller_get_n_unsent (h->controller), ==, 1);
  g_assert_nonnull (h->error);
  g_assert_error (h->error, TT_CONTROLLER_ERROR, TT_CONTROLLER_ERROR_NOT_SAVED_YET);
  g_assert_true (strstr (h->error->message, "saved when the connection is back") != NULL);

  g_assert_true (tt_test_server_control ("TT_TEST_MYSQL_START"));
  seconds = wait_until (shows_saved_title, h, "Typed offline", 20);
  g_test_message ("saved and shown %.1f s after the server was back", seconds);
  /* A few checks (CHECK_SECONDS apart), not a client library's timeout. */
  g_assert_cmpfloat (seconds, <, 10);
  g_assert_cmpuint (n_saved, ==, 1);
}

int
main (int   argc,
      char *argv[])
{
  tt_test_init (&argc, &argv);

  g_test_add_func ("/controller/actions", test_actions);
  g_test_add_func ("/controller/tag/set-colour", test_set_colour_undo_redo);
  g_test_add_func ("/controller/tag/colour-survives-links-and-delete", test_colour_survives_links_and_delete);
  g_test_add_func ("/controller/tag/set-colour-refused", test_set_colour_refused);
  g_test_add_func ("/controller/tutorial/create", test_create_tutorial);
  g_test_add_func ("/controller/tutorial/update", test_update_tutorial);
  g_test_add_func ("/controller/tutorial/delete", test_delete_tutorial);
  g_test_add_func ("/controller/tutorial/delete-many", test_delete_many);
  g_test_add_func ("/controller/tutorial/add-tag-creates-tag", test_add_tag_creates_tag);
  g_test_add_func ("/controller/tutorial/add-tag-existing-any-case", test_add_tag_existing_any_case);
  g_test_add_func ("/controller/tutorial/remove-tag", test_remove_tag);
  g_test_add_func ("/controller/tag/create", test_create_tag);
  g_test_add_func ("/controller/tag/rename", test_rename_tag);
  g_test_add_func ("/controller/tag/rename-merge", test_rename_merge);
  g_test_add_func ("/controller/tag/delete", test_delete_tag);
  g_test_add_func ("/controller/tag/delete-unused", test_delete_unused_tags);
  g_test_add_func ("/controller/tag/add-named-to-tutorials", test_add_named_to_tutorials);
  g_test_add_func ("/controller/tag/add-to-tutorials", test_add_to_tutorials);
  g_test_add_func ("/controller/tag/remove-from-tutorials", test_remove_from_tutorials);
  g_test_add_func ("/controller/errors", test_errors);
  g_test_add_func ("/controller/failed-undo", test_failed_undo);
  g_test_add_func ("/controller/chip-round-trips", test_chip_round_trips);
  g_test_add_func ("/controller/undo-merge-after-other-deletes", test_undo_merge_after_other_deletes);
  g_test_add_func ("/controller/new-action-clears-redo", test_new_action_clears_redo);
  g_test_add_func ("/controller/empty-history", test_empty_history);
  g_test_add_func ("/controller/queue-in-order", test_queue_in_order);
  g_test_add_func ("/controller/query", test_query);
  g_test_add_func ("/controller/sees-other-clients", test_sees_other_clients);
  g_test_add_func ("/controller/sees-tables-made-again", test_sees_tables_made_again);
  g_test_add_func ("/controller/two-clients-add-tags", test_two_clients_add_tags);
  g_test_add_func ("/controller/two-clients-edit-title", test_two_clients_edit_title);
  g_test_add_func ("/controller/untagged-count", test_untagged_count);
  g_test_add_func ("/connection/offline/unsent-until-back", test_unsent_until_back);
  g_test_add_func ("/connection/offline/state", test_offline_state);

  return g_test_run ();
}
