/* test-a11y.c: the main window as a screen reader hears it, through AT-SPI
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The window runs in this process; a screen reader's view of it is read
 * the way Orca reads it: with libatspi, over the accessibility bus, from
 * a thread of its own. libatspi's calls are synchronous D-Bus calls that
 * GTK answers on its main loop, so the test's main thread keeps iterating
 * the main context while the client thread asks (client_run()), and the
 * client thread dispatches AT-SPI events on a main context of its own.
 *
 * Nothing here asks GTK's own GtkAccessible API: a screen reader only
 * gets what crosses the bus.
 *
 * Runs on the test command's X display and D-Bus session, whose bus
 * starts the accessibility bus (at-spi2-core) on demand.
 */

#include "config.h"

#include <atspi/atspi.h>
#include <string.h>
#include <unistd.h>

#include "tt-rules.h"
#include "tt-tag-editor-private.h"
#include "tt-test-display.h"
#include "tt-test-window.h"
#include "tt-tutorial-editor.h"

#define WAIT_SECONDS 20

/* ---- the AT-SPI client thread ----------------------------------------- */

typedef struct
{
  GThread            *thread;
  GMainContext       *context;   /* the client thread's; AT-SPI events come here */
  GMainLoop          *loop;
  AtspiEventListener *listener;
  AtspiAccessible    *app;       /* ours on the desktop, once found */

  GMutex              lock;      /* guards what follows */
  GCond               started;
  gboolean            running;
  GPtrArray          *events;    /* each Event seen */
} Client;

typedef gpointer (*ClientJob) (Client  *client,
                               gpointer data);

typedef struct
{
  Client   *client;
  ClientJob job;
  gpointer  data;
  gpointer  result;
  gint      done;
} Job;

/* A widget type name ("GtkImage", "GtkListItemWidget") is what GTK says
 * when it has no name for a widget: a screen reader says nothing useful. */
static gboolean
name_is_missing (const char *name)
{
  return name == NULL || *name == '\0' || g_type_from_name (name) != 0;
}

/* "role: name", as a screen reader announces an object. */
static char *
describe_accessible (AtspiAccessible *accessible)
{
  g_autofree char *role = atspi_accessible_get_role_name (accessible, NULL);
  g_autofree char *name = atspi_accessible_get_name (accessible, NULL);

  return g_strdup_printf ("%s: %s", role, name != NULL ? name : "");
}

/* What an event tells a screen reader. */
typedef struct
{
  char      *type;
  AtspiRole  role;    /* of the object it is about */
  char      *name;    /* of the object it is about */
  char      *text;    /* the new description, the announcement */
} Event;

static void
event_free (Event *event)
{
  g_free (event->type);
  g_free (event->name);
  g_free (event->text);
  g_free (event);
}

static Event *
event_new (AtspiEvent *atspi_event)
{
  Event *event = g_new0 (Event, 1);

  event->type = g_strdup (atspi_event->type);
  event->role = atspi_accessible_get_role (atspi_event->source, NULL);
  event->name = atspi_accessible_get_name (atspi_event->source, NULL);
  if (G_VALUE_HOLDS_STRING (&atspi_event->any_data))
    event->text = g_value_dup_string (&atspi_event->any_data);
  return event;
}

/* Runs in the client thread, from its main context. A state change
 * counts when the state is gained (a focus arriving, not leaving). */
static void
event_cb (AtspiEvent *event,
          gpointer    user_data)
{
  Client *client = user_data;
  gboolean lost = g_str_has_prefix (event->type, "object:state-changed:") && event->detail1 != 1;

  if (!lost && event->source != NULL)
    {
      Event *seen = event_new (event);

      g_mutex_lock (&client->lock);
      g_ptr_array_add (client->events, seen);
      g_mutex_unlock (&client->lock);
      g_main_context_wakeup (NULL);
    }
  g_boxed_free (ATSPI_TYPE_EVENT, event);
}

/* What a screen reader listens to here: focus moves, a field's
 * description (where GTK 4.8 puts an error), announcements (GTK 4.14+). */
static const char * const event_types[] = {
  "object:state-changed:focused",
  "object:property-change:accessible-description",
  "object:announcement",
};

static gpointer
client_thread (gpointer data)
{
  Client *client = data;
  g_autoptr(GError) error = NULL;

  g_main_context_push_thread_default (client->context);
  g_assert_cmpint (atspi_init (), ==, 0);
  atspi_set_main_context (client->context);

  client->listener = atspi_event_listener_new (event_cb, client, NULL);
  for (guint i = 0; i < G_N_ELEMENTS (event_types); i++)
    {
      g_assert_true (atspi_event_listener_register (client->listener, event_types[i], &error));
      g_assert_no_error (error);
    }

  g_mutex_lock (&client->lock);
  client->running = TRUE;
  g_cond_signal (&client->started);
  g_mutex_unlock (&client->lock);

  g_main_loop_run (client->loop);

  for (guint i = 0; i < G_N_ELEMENTS (event_types); i++)
    atspi_event_listener_deregister (client->listener, event_types[i], NULL);
  g_clear_object (&client->listener);
  g_clear_object (&client->app);
  atspi_exit ();
  g_main_context_pop_thread_default (client->context);
  return NULL;
}

static void
client_start (Client *client)
{
  g_mutex_init (&client->lock);
  g_cond_init (&client->started);
  client->events = g_ptr_array_new_with_free_func ((GDestroyNotify) event_free);
  client->context = g_main_context_new ();
  client->loop = g_main_loop_new (client->context, FALSE);
  client->thread = g_thread_new ("atspi-client", client_thread, client);

  g_mutex_lock (&client->lock);
  while (!client->running)
    g_cond_wait (&client->started, &client->lock);
  g_mutex_unlock (&client->lock);
}

static gboolean
quit_client_cb (gpointer data)
{
  g_main_loop_quit (data);
  return G_SOURCE_REMOVE;
}

static void
client_stop (Client *client)
{
  g_main_context_invoke (client->context, quit_client_cb, client->loop);
  g_thread_join (client->thread);
  g_main_loop_unref (client->loop);
  g_main_context_unref (client->context);
  g_ptr_array_unref (client->events);
  g_cond_clear (&client->started);
  g_mutex_clear (&client->lock);
}

static gboolean
run_job_cb (gpointer data)
{
  Job *job = data;

  job->result = job->job (job->client, job->data);
  g_atomic_int_set (&job->done, TRUE);
  g_main_context_wakeup (NULL);
  return G_SOURCE_REMOVE;
}

static gboolean
job_timed_out_cb (gpointer data)
{
  g_error ("The AT-SPI client got no answer within %d s", WAIT_SECONDS * 3);
  return G_SOURCE_REMOVE;
}

/* Runs @job in the client thread while this thread's main loop answers
 * its questions; returns what @job returned. */
static gpointer
client_run (Client   *client,
            ClientJob job,
            gpointer  data)
{
  Job run = { client, job, data, NULL, FALSE };
  guint timeout_id = g_timeout_add_seconds (WAIT_SECONDS * 3, job_timed_out_cb, NULL);

  g_main_context_invoke (client->context, run_job_cb, &run);
  while (!g_atomic_int_get (&run.done))
    g_main_context_iteration (NULL, TRUE);
  g_source_remove (timeout_id);

  return run.result;
}

/* ---- jobs for the client thread ---------------------------------------- */

static AtspiAccessible *
find_application (void)
{
  AtspiAccessible *desktop = atspi_get_desktop (0);
  AtspiAccessible *found = NULL;
  int n = atspi_accessible_get_child_count (desktop, NULL);

  for (int i = 0; found == NULL && i < n; i++)
    {
      AtspiAccessible *app = atspi_accessible_get_child_at_index (desktop, i, NULL);

      if (app != NULL && atspi_accessible_get_process_id (app, NULL) == (guint) getpid ())
        found = g_object_ref (app);
      g_clear_object (&app);
    }

  g_object_unref (desktop);
  return found;
}

/* Our application on the AT-SPI desktop: GTK registers it once the first
 * window is shown, a little later. Nothing cached: each walk asks anew. */
static gpointer
find_application_job (Client  *client,
                      gpointer data)
{
  if (client->app != NULL)
    return NULL;

  for (guint i = 0; client->app == NULL && i < WAIT_SECONDS * 10; i++)
    {
      client->app = find_application ();
      if (client->app == NULL)
        g_usleep (G_USEC_PER_SEC / 10);
    }

  g_assert_nonnull (client->app);
  atspi_accessible_set_cache_mask (client->app, ATSPI_CACHE_NONE);
  return NULL;
}

typedef struct
{
  GString *tree;       /* every object, indented by depth */
  GString *unnamed;    /* the objects a screen reader cannot name */
} Walk;

static gboolean
needs_name (AtspiRole role)
{
  return role == ATSPI_ROLE_PUSH_BUTTON || role == ATSPI_ROLE_TOGGLE_BUTTON ||
         role == ATSPI_ROLE_LIST_ITEM || role == ATSPI_ROLE_ENTRY ||
         role == ATSPI_ROLE_TEXT || role == ATSPI_ROLE_CHECK_BOX ||
         role == ATSPI_ROLE_RADIO_BUTTON || role == ATSPI_ROLE_COMBO_BOX ||
         role == ATSPI_ROLE_TABLE_CELL || role == ATSPI_ROLE_MENU_ITEM;
}

static void
walk_accessible (AtspiAccessible *accessible,
                 guint            depth,
                 Walk            *walk)
{
  AtspiRole role = atspi_accessible_get_role (accessible, NULL);
  g_autofree char *name = atspi_accessible_get_name (accessible, NULL);
  g_autofree char *description = describe_accessible (accessible);
  int n = atspi_accessible_get_child_count (accessible, NULL);

  g_string_append_printf (walk->tree, "%*s%s\n", (int) depth * 2, "", description);
  if (needs_name (role) && name_is_missing (name))
    g_string_append_printf (walk->unnamed, "%s\n", description);

  for (int i = 0; i < n; i++)
    {
      AtspiAccessible *child = atspi_accessible_get_child_at_index (accessible, i, NULL);

      if (child != NULL)
        walk_accessible (child, depth + 1, walk);
      g_clear_object (&child);
    }
}

static gpointer
walk_job (Client  *client,
          gpointer data)
{
  walk_accessible (client->app, 0, data);
  return NULL;
}

/* ---- what the screen reader got --------------------------------------- */

static void
client_forget_events (Client *client)
{
  g_mutex_lock (&client->lock);
  g_ptr_array_set_size (client->events, 0);
  g_mutex_unlock (&client->lock);
}

/* The first event of @type about an object called @name, with @text
 * (any when NULL). */
static const Event *
client_find_event (Client     *client,
                   const char *type,
                   const char *name,
                   const char *text)
{
  const Event *found = NULL;

  g_mutex_lock (&client->lock);
  for (guint i = 0; found == NULL && i < client->events->len; i++)
    {
      const Event *event = g_ptr_array_index (client->events, i);

      if (g_str_equal (event->type, type) && g_strcmp0 (event->name, name) == 0 &&
          (text == NULL || g_strcmp0 (event->text, text) == 0))
        found = event;
    }
  g_mutex_unlock (&client->lock);
  return found;
}

static gboolean
flag_cb (gpointer data)
{
  *(gboolean *) data = TRUE;
  return G_SOURCE_REMOVE;
}

static void
client_print_events (Client *client)
{
  g_mutex_lock (&client->lock);
  for (guint i = 0; i < client->events->len; i++)
    {
      const Event *event = g_ptr_array_index (client->events, i);

      g_printerr ("event: %s %s: %s = %s\n", event->type, atspi_role_get_name (event->role),
                  event->name, event->text);
    }
  g_mutex_unlock (&client->lock);
}

/* Runs the main loop until the screen reader has been told about an
 * object called @name: an event of @type, with @text (any when NULL).
 * Fails with everything it was told instead. */
static const Event *
client_wait_event (Client     *client,
                   const char *type,
                   const char *name,
                   const char *text)
{
  gboolean timed_out = FALSE;
  guint timeout_id = g_timeout_add_seconds (WAIT_SECONDS, flag_cb, &timed_out);
  const Event *event = NULL;

  while (!timed_out && (event = client_find_event (client, type, name, text)) == NULL)
    g_main_context_iteration (NULL, TRUE);
  if (event != NULL)
    {
      g_source_remove (timeout_id);
      return event;
    }

  client_print_events (client);
  g_error ("No AT-SPI event %s about “%s” (%s) within %d s", type, name, text, WAIT_SECONDS);
}

/* The whole tree; fails on any object that needs a name and has none,
 * when no object has one of the names in @expected, and when none is
 * one of the "role: name" of @expected_roles (nullable). */
static void
assert_tree (Client             *client,
             const char         *when,
             const char * const *expected,
             const char * const *expected_roles)
{
  Walk walk = { g_string_new (NULL), g_string_new (NULL) };
  g_autoptr(GString) missing = g_string_new (NULL);

  client_run (client, walk_job, &walk);
  for (guint i = 0; expected[i] != NULL; i++)
    {
      g_autofree char *line = g_strdup_printf (": %s\n", expected[i]);

      if (strstr (walk.tree->str, line) == NULL)
        g_string_append_printf (missing, "%s\n", expected[i]);
    }
  for (guint i = 0; expected_roles != NULL && expected_roles[i] != NULL; i++)
    {
      g_autofree char *line = g_strdup_printf (" %s\n", expected_roles[i]);

      if (strstr (walk.tree->str, line) == NULL)
        g_string_append_printf (missing, "%s\n", expected_roles[i]);
    }
  if (walk.unnamed->len > 0 || missing->len > 0)
    g_printerr ("The window %s, as AT-SPI shows it:\n%s", when, walk.tree->str);

  g_assert_cmpstr (walk.unnamed->str, ==, "");
  g_assert_cmpstr (missing->str, ==, "");
  g_string_free (walk.tree, TRUE);
  g_string_free (walk.unnamed, TRUE);
}

/* ---- the window ------------------------------------------------------- */

/* One for the whole program: libatspi cannot be set up again once it
 * has been shut down. */
static Client client;

/* The window on the tutorial's seed catalogue (Tut#1..4, Tag#1..2) with
 * the first tutorial open, found by the screen reader's client. */
static gboolean
open_seeded (Harness *h)
{
  GtkGridView *tutorial_list;

  h->store = tt_test_open_store ();
  if (h->store == NULL)
    return FALSE;
  tt_test_seed (h->store);
  harness_show (h);

  tutorial_list = template_child (h->window, TT_TYPE_WINDOW, "tutorial_list");
  gtk_widget_activate_action (GTK_WIDGET (tutorial_list), "list.select-item", "(ubb)",
                              0, FALSE, FALSE);
  wait_settled (h);
  wait_frame (h);

  if (client.thread == NULL)
    client_start (&client);
  client_run (&client, find_application_job, NULL);
  client_forget_events (&client);
  return TRUE;
}

/* The text field of the open tutorial's tag editor. */
static GtkEditable *
tag_field (Harness *h)
{
  GtkWidget *editor = adw_bin_get_child (template_child (h->window, TT_TYPE_WINDOW, "editor_slot"));
  AdwBin *slot = template_child (editor, TT_TYPE_TUTORIAL_EDITOR, "tags_slot");

  return GTK_EDITABLE (_tt_tag_editor_get_text (TT_TAG_EDITOR (adw_bin_get_child (slot))));
}

/* ---- the tests ------------------------------------------------------- */

/* Every control has a role and a name a screen reader can say: buttons
 * (icon-only ones too), the tutorial rows by title, the sidebar's rows,
 * the chips and their remove buttons, and the tag suggestions. */
static void
test_a11y_names (void)
{
  Harness h = { 0 };
  const char * const window[] = {
    "New Tutorial", "Main Menu", "Search", "Sort Tags", "Delete", "New Tag",
    "Tut#1", "Tut#4", "All Tutorials", "Untagged", "Tag#1 3",
    "Remove tag Tag#1", "New tag", "Search tutorials", NULL,
  };
  /* The sidebar's rows are list items (of a one-column grid view that
   * says so), as the tag suggestions are. */
  const char * const window_roles[] = {
    "list item: All Tutorials", "list item: Untagged 0", "list item: Tag#1 3", NULL,
  };
  const char * const suggestions[] = { "Tag#1 3 tutorials", "Tag#2 3 tutorials", NULL };
  const char * const suggestion_roles[] = { "list item: Tag#1 3 tutorials", NULL };

  if (!open_seeded (&h))
    return;

  /* The search field too: GTK 4.18 leaves hidden widgets out. */
  gtk_widget_activate_action (GTK_WIDGET (h.window), "win.search", NULL);
  wait_frame (&h);
  assert_tree (&client, "with a tutorial open", window, window_roles);
  gtk_search_bar_set_search_mode (template_child (h.window, TT_TYPE_WINDOW, "search_bar"), FALSE);
  /* Names are for the ear: nothing on screen may have changed. */
  save_screenshot (&h, "a11y-window.png");

  /* Typing opens the suggestions (Tut#1 has both tags: a new tutorial). */
  gtk_widget_activate_action (GTK_WIDGET (h.window), "win.new-tutorial", NULL);
  wait_settled (&h);
  gtk_widget_activate_action (GTK_WIDGET (h.window), "win.focus-tags", NULL);
  gtk_editable_set_text (tag_field (&h), "Tag");
  wait_frame (&h);
  assert_tree (&client, "with the tag suggestions open", suggestions, suggestion_roles);

  gtk_editable_set_text (tag_field (&h), "");
  harness_close (&h);
}

/* Ctrl+L puts the focus into the tag field: the screen reader is told,
 * and hears the field's role and name. */
static void
test_a11y_focus_tag_field (void)
{
  Harness h = { 0 };
  const Event *event;

  if (!open_seeded (&h))
    return;

  client_forget_events (&client);
  press_keys (&h, "<Control>l");
  event = client_wait_event (&client, "object:state-changed:focused", "New tag", NULL);
  /* What GTK calls a text box: "entry" or "text" by version. */
  g_assert_true (event->role == ATSPI_ROLE_ENTRY || event->role == ATSPI_ROLE_TEXT);

  harness_close (&h);
}

/* A name longer than 255 characters is refused; the screen reader is
 * told why, not only the mouse's tooltip. */
static void
test_a11y_error_announced (void)
{
  Harness h = { 0 };
  g_autofree char *long_name = g_strnfill (256, 'x');
  g_autoptr(GError) error = NULL;
  g_autofree char *rule = tt_rules_clean_tag_name (long_name, &error);

  g_assert_null (rule);
  if (!open_seeded (&h))
    return;

  gtk_widget_activate_action (GTK_WIDGET (h.window), "win.focus-tags", NULL);
  gtk_editable_set_text (tag_field (&h), long_name);
  client_forget_events (&client);
  press_keys (&h, "Return");
  /* GTK 4.14 and later announce it; 4.8 makes it the field's
   * description, which a screen reader reads out as it changes. */
  client_wait_event (&client,
                     gtk_get_minor_version () >= 14 ? "object:announcement"
                                                    : "object:property-change:accessible-description",
                     "New tag", error->message);

  gtk_editable_set_text (tag_field (&h), "");
  harness_close (&h);
}

int
main (int   argc,
      char *argv[])
{
  int status;

  tt_test_init_with_display (&argc, &argv);

  g_test_add_func ("/a11y/names", test_a11y_names);
  g_test_add_func ("/a11y/focus-tag-field", test_a11y_focus_tag_field);
  g_test_add_func ("/a11y/error-announced", test_a11y_error_announced);

  status = g_test_run ();
  if (client.thread != NULL)
    client_stop (&client);
  return status;
}
