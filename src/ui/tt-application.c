/* tt-application.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>

#include "tt-application.h"
#include "tt-db-settings.h"
#include "tt-preferences-window.h"
#include "tt-secret.h"
#include "tt-window.h"

struct _TtApplication
{
  AdwApplication  parent_instance;

  GCancellable   *cancellable;
  GSettings      *settings;     /* NULL when the schema is not installed */
  /* Exactly one of these is set once the catalogue has been opened. */
  TtStore        *store;
  GError         *store_error;
  /* One at a time, until it has ended and the windows were told. */
  TtCatalogueSwitch *catalogue_switch;
  /* A file given on the command line (or by a file manager): open
   * instead of the one in Preferences, until the app quits. */
  TtDbLocation   *opened_file;
  gboolean        open_requested;
};

G_DEFINE_FINAL_TYPE (TtApplication, tt_application, ADW_TYPE_APPLICATION)

enum {
  PROP_0,
  PROP_STORE,
  PROP_CATALOGUE_SWITCH,
  N_PROPS
};

static GParamSpec *properties [N_PROPS];

TtApplication *
tt_application_new (const char        *application_id,
                    GApplicationFlags  flags)
{
  g_return_val_if_fail (application_id != NULL, NULL);

  return g_object_new (TT_TYPE_APPLICATION,
                       "application-id", application_id,
                       "flags", flags,
                       NULL);
}

TtStore *
tt_application_get_store (TtApplication *self)
{
  g_return_val_if_fail (TT_IS_APPLICATION (self), NULL);

  return self->store;
}

/* Hands the catalogue, or the reason it could not be opened, to a window.
 * Until then the window says that it is being opened. Each window gets a
 * controller of its own (its own undo history) on the one store; a window
 * already on this store keeps the one it has.
 */
static void
tt_application_attach_window (TtApplication *self,
                              TtWindow      *window)
{
  TtController *current = tt_window_get_controller (window);
  g_autoptr(TtController) controller = NULL;

  if (self->store == NULL)
    {
      if (self->store_error != NULL)
        tt_window_show_store_error (window, self->store_error);
      return;
    }

  if (current != NULL && tt_controller_get_store (current) == self->store)
    return;

  controller = tt_controller_new (self->store);
  tt_window_set_controller (window, controller);
}

static void
tt_application_attach_all (TtApplication *self)
{
  for (GList *l = gtk_application_get_windows (GTK_APPLICATION (self));
       l != NULL;
       l = l->next)
    {
      if (TT_IS_WINDOW (l->data))
        tt_application_attach_window (self, l->data);
    }
}

/**
 * tt_application_use_store:
 * @store: an open catalogue
 *
 * Switches every window to @store, with no restart: lists, filters and
 * editors start over on it. The previous catalogue is let go once its
 * last pending job is done.
 */
void
tt_application_use_store (TtApplication *self,
                          TtStore       *store)
{
  g_return_if_fail (TT_IS_APPLICATION (self));
  g_return_if_fail (TT_IS_STORE (store));

  g_clear_error (&self->store_error);
  if (!g_set_object (&self->store, store))
    return;

  tt_application_attach_all (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_STORE]);
}

static void
tt_application_store_opened_cb (GObject      *object,
                                GAsyncResult *result,
                                gpointer      user_data)
{
  g_autoptr(TtApplication) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(TtStore) store = tt_store_open_finish (result, &error);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  if (store != NULL)
    {
      tt_application_use_store (self, store);
      return;
    }

  g_debug ("Could not open the catalogue: %s", error->message);
  g_clear_object (&self->store);
  g_clear_error (&self->store_error);
  self->store_error = g_steal_pointer (&error);
  tt_application_attach_all (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_STORE]);
}

GSettings *
tt_application_get_settings (TtApplication *self)
{
  g_return_val_if_fail (TT_IS_APPLICATION (self), NULL);

  return self->settings;
}

/* The catalogue a file manager or the command line opened; else the one
 * Preferences chose; SQLite's default file without settings. */
TtDbLocation *
tt_application_dup_location (TtApplication *self)
{
  g_autofree char *path = NULL;

  g_return_val_if_fail (TT_IS_APPLICATION (self), NULL);

  if (self->opened_file != NULL)
    return tt_db_location_copy (self->opened_file);
  if (self->settings != NULL)
    return tt_db_location_new_from_settings (self->settings);

  path = tt_db_location_default_sqlite_path ();
  return tt_db_location_new_sqlite (path);
}

/* ---- switching catalogues ------------------------------------------------ */

TtCatalogueSwitch *
tt_application_get_catalogue_switch (TtApplication *self)
{
  g_return_val_if_fail (TT_IS_APPLICATION (self), NULL);

  return self->catalogue_switch;
}

static void
tt_application_set_catalogue_switch (TtApplication     *self,
                                     TtCatalogueSwitch *catalogue_switch)
{
  GAction *action = g_action_map_lookup_action (G_ACTION_MAP (self), "switch-catalogue");

  if (!g_set_object (&self->catalogue_switch, catalogue_switch))
    return;

  g_simple_action_set_enabled (G_SIMPLE_ACTION (action), catalogue_switch == NULL);
  g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_CATALOGUE_SWITCH]);
}

static void
tt_application_switched_cb (GObject      *object,
                            GAsyncResult *result,
                            gpointer      user_data)
{
  g_autoptr(TtApplication) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(TtStore) store = NULL;

  /* Whoever follows the switch says what went wrong; without a new
   * store the windows stay on the catalogue they have. */
  store = tt_catalogue_switch_run_finish (TT_CATALOGUE_SWITCH (object), result, &error);
  if (store != NULL)
    tt_application_use_store (self, store);
  else
    g_debug ("The catalogue was not switched: %s", error->message);
  tt_application_set_catalogue_switch (self, NULL);
}

TtCatalogueSwitch *
tt_application_switch_catalogue (TtApplication      *self,
                                 const TtDbLocation *location,
                                 const char         *password)
{
  g_autoptr(TtCatalogueSwitch) catalogue_switch = NULL;
  g_autoptr(TtDbLocation) current = NULL;

  g_return_val_if_fail (TT_IS_APPLICATION (self), NULL);
  g_return_val_if_fail (location != NULL, NULL);

  if (self->catalogue_switch != NULL)
    return NULL;

  current = tt_application_dup_location (self);
  catalogue_switch = tt_catalogue_switch_new (self->store, current, location, password,
                                              self->settings);
  /* Followers hear of it first, then of every step. */
  tt_application_set_catalogue_switch (self, catalogue_switch);
  tt_catalogue_switch_run_async (catalogue_switch, tt_application_switched_cb,
                                 g_object_ref (self));
  return catalogue_switch;
}

/* ---- opening the catalogue ----------------------------------------------- */

static void
tt_application_password_cb (GObject      *object,
                            GAsyncResult *result,
                            gpointer      user_data)
{
  g_autoptr(TtApplication) self = user_data;
  g_autoptr(TtDbLocation) location = tt_application_dup_location (self);
  g_autoptr(GError) error = NULL;
  char *password = tt_secret_lookup_finish (result, &error);

  /* Without a keyring the server may still take no password: try, and
   * let the server's answer be the message. */
  if (error != NULL)
    g_debug ("No password from the keyring: %s", error->message);

  tt_store_open_async (location, password, self->cancellable,
                       tt_application_store_opened_cb, g_object_ref (self));
  tt_secret_password_free (password);
}

/* Opens the catalogue Preferences chose, asking the keyring for the
 * MySQL password first. Windows say it is being opened meanwhile. */
static void
tt_application_open_store (TtApplication *self)
{
  g_autoptr(TtDbLocation) location = tt_application_dup_location (self);

  if (location->backend == TT_DB_BACKEND_MYSQL)
    tt_secret_lookup_async (location, self->cancellable,
                            tt_application_password_cb, g_object_ref (self));
  else
    tt_store_open_async (location, NULL, self->cancellable,
                         tt_application_store_opened_cb, g_object_ref (self));
}

static void
tt_application_startup (GApplication *app)
{
  G_APPLICATION_CLASS (tt_application_parent_class)->startup (app);

  /* For window managers that do not match windows to the desktop file. */
  gtk_window_set_default_icon_name (APPLICATION_ID);
}

/* The catalogue is opened by the first activate or open, not at startup:
 * a file to open arrives after startup, and the one in Preferences must
 * not be opened (or created) on its way. */
static void
tt_application_open_once (TtApplication *self)
{
  if (self->open_requested)
    return;
  self->open_requested = TRUE;
  tt_application_open_store (self);
}

static TtWindow *
tt_application_present_window (TtApplication *self)
{
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (self));

  if (window == NULL)
    {
      window = GTK_WINDOW (tt_window_new (ADW_APPLICATION (self)));
      tt_application_attach_window (self, TT_WINDOW (window));
    }
  gtk_window_present (window);
  return TT_WINDOW (window);
}

static void
tt_application_activate (GApplication *app)
{
  TtApplication *self = TT_APPLICATION (app);

  tt_application_open_once (self);
  tt_application_present_window (self);
}

/* A file that cannot be opened is said in the window, as any catalogue
 * that cannot be opened is; nothing is created in its place. */
static GError *
check_opened_file (GFile *file)
{
  g_autofree char *name = g_file_get_parse_name (file);

  if (!g_file_is_native (file))
    return g_error_new (G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED,
                        _("“%s” is not on this computer. Only catalogue files on this computer can be opened."),
                        name);
  if (!g_file_query_exists (file, NULL))
    return g_error_new (G_IO_ERROR, G_IO_ERROR_NOT_FOUND,
                        _("There is no file “%s”. Nothing was created."), name);
  return NULL;
}

static void
tt_application_show_open_error (TtApplication *self,
                                GError        *error)
{
  g_clear_object (&self->store);
  g_clear_error (&self->store_error);
  self->store_error = error;
  tt_application_attach_all (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_STORE]);
}

/* Opens a SQLite catalogue file from the command line or a file manager,
 * for as long as the app runs; Preferences keeps its own choice. In a
 * running app every window moves to it, as after a switch. */
static void
tt_application_open (GApplication  *app,
                     GFile        **files,
                     int            n_files,
                     const char    *hint)
{
  TtApplication *self = TT_APPLICATION (app);
  g_autoptr(TtDbLocation) location = NULL;
  g_autofree char *path = NULL;
  GError *problem;

  if (n_files > 1)
    g_printerr (_("Tutorial Tags opens one catalogue at a time: opening the first file given.\n"));

  problem = check_opened_file (files[0]);
  path = g_file_get_path (files[0]);
  location = tt_db_location_new_sqlite (path != NULL ? path : "");
  self->open_requested = TRUE;
  if (problem != NULL)
    {
      tt_application_present_window (self);
      tt_application_show_open_error (self, problem);
      return;
    }

  if (self->opened_file == NULL || !tt_db_location_equal (self->opened_file, location) ||
      (self->store == NULL && self->store_error != NULL))
    {
      tt_db_location_free (self->opened_file);
      self->opened_file = g_steal_pointer (&location);
      /* Anything still opening was for the catalogue left behind. */
      g_cancellable_cancel (self->cancellable);
      g_set_object (&self->cancellable, g_cancellable_new ());
      for (GList *l = gtk_application_get_windows (GTK_APPLICATION (self)); l != NULL; l = l->next)
        if (TT_IS_WINDOW (l->data))
          tt_window_show_connecting (l->data);
      tt_application_open_store (self);
    }
  tt_application_present_window (self);
}

static void
tt_application_shutdown (GApplication *app)
{
  TtApplication *self = TT_APPLICATION (app);

  g_cancellable_cancel (self->cancellable);
  /* A switch not finished is a switch not made. */
  if (self->catalogue_switch != NULL)
    tt_catalogue_switch_cancel (self->catalogue_switch);

  G_APPLICATION_CLASS (tt_application_parent_class)->shutdown (app);
}

static void
tt_application_dispose (GObject *object)
{
  TtApplication *self = (TtApplication *)object;

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->settings);
  g_clear_object (&self->store);
  g_clear_error (&self->store_error);
  g_clear_object (&self->catalogue_switch);
  g_clear_pointer (&self->opened_file, tt_db_location_free);

  G_OBJECT_CLASS (tt_application_parent_class)->dispose (object);
}

static void
tt_application_get_property (GObject    *object,
                             guint       prop_id,
                             GValue     *value,
                             GParamSpec *pspec)
{
  TtApplication *self = TT_APPLICATION (object);

  switch (prop_id)
    {
    case PROP_STORE:
      g_value_set_object (value, self->store);
      break;

    case PROP_CATALOGUE_SWITCH:
      g_value_set_object (value, self->catalogue_switch);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

/* --version answers here, in the launching process, without a window. */
static int
tt_application_handle_local_options (GApplication *app,
                                     GVariantDict *options)
{
  if (!g_variant_dict_contains (options, "version"))
    return -1;

  g_print ("tutorial-tags %s\n", PACKAGE_VERSION);
  return 0;
}

static void
tt_application_class_init (TtApplicationClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GApplicationClass *app_class = G_APPLICATION_CLASS (klass);

  object_class->dispose = tt_application_dispose;
  object_class->get_property = tt_application_get_property;

  app_class->handle_local_options = tt_application_handle_local_options;
  app_class->startup = tt_application_startup;
  app_class->activate = tt_application_activate;
  app_class->open = tt_application_open;
  app_class->shutdown = tt_application_shutdown;

  properties [PROP_STORE] =
    g_param_spec_object ("store", NULL, NULL,
                         TT_TYPE_STORE,
                         (G_PARAM_READABLE |
                          G_PARAM_EXPLICIT_NOTIFY |
                          G_PARAM_STATIC_STRINGS));
  /* The switch under way: Preferences follows it. */
  properties [PROP_CATALOGUE_SWITCH] =
    g_param_spec_object ("catalogue-switch", NULL, NULL,
                         TT_TYPE_CATALOGUE_SWITCH,
                         (G_PARAM_READABLE |
                          G_PARAM_EXPLICIT_NOTIFY |
                          G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
tt_application_about_action (GSimpleAction *action,
                             GVariant      *parameter,
                             gpointer       user_data)
{
  static const char *developers[] = { "The Tutorial Tags developers https://example.com/tutorial-tags", NULL };
  TtApplication *self = user_data;
  GtkWindow *window;

  g_assert (TT_IS_APPLICATION (self));

  window = gtk_application_get_active_window (GTK_APPLICATION (self));

  /* The links are the metainfo's (data/com.example.TutorialTags.metainfo.xml.in). */
  adw_show_about_window (window,
                         "application-name", _("Tutorial Tags"),
                         "application-icon", APPLICATION_ID,
                         "developer-name", _("The Tutorial Tags developers"),
                         "version", PACKAGE_VERSION,
                         "comments", _("Keep a catalogue of tutorials and the tags that classify them."),
                         "website", "https://example.com/tutorial-tags",
                         "issue-url", "https://example.com/tutorial-tags/issues",
                         "developers", developers,
                         "copyright", _("© 2026 The Tutorial Tags developers"),
                         "license-type", GTK_LICENSE_GPL_3_0,
                         "translator-credits", _("translator-credits"),
                         NULL);
}

/* Closing each window, rather than quitting at once, lets it send what
 * is still typed and wait until the catalogue has it. */
static void
tt_application_quit_action (GSimpleAction *action,
                            GVariant      *parameter,
                            gpointer       user_data)
{
  TtApplication *self = user_data;
  GList *windows;

  g_assert (TT_IS_APPLICATION (self));

  windows = g_list_copy_deep (gtk_application_get_windows (GTK_APPLICATION (self)),
                              (GCopyFunc) g_object_ref, NULL);
  for (GList *l = windows; l != NULL; l = l->next)
    gtk_window_close (l->data);
  g_list_free_full (windows, g_object_unref);
}

/* The window's "could not open" page offers this. */
static void
tt_application_retry_action (GSimpleAction *action,
                             GVariant      *parameter,
                             gpointer       user_data)
{
  TtApplication *self = user_data;

  g_clear_error (&self->store_error);
  for (GList *l = gtk_application_get_windows (GTK_APPLICATION (self)); l != NULL; l = l->next)
    if (TT_IS_WINDOW (l->data))
      tt_window_show_connecting (l->data);
  tt_application_open_store (self);
}

/* One Preferences window at a time: a second request raises it. */
static void
tt_application_preferences_action (GSimpleAction *action,
                                   GVariant      *parameter,
                                   gpointer       user_data)
{
  TtApplication *self = user_data;
  GtkWindow *window = NULL;

  for (GList *l = gtk_application_get_windows (GTK_APPLICATION (self)); l != NULL; l = l->next)
    if (TT_IS_PREFERENCES_WINDOW (l->data))
      window = l->data;

  if (window == NULL)
    window = GTK_WINDOW (tt_preferences_window_new (self, gtk_application_get_active_window (GTK_APPLICATION (self))));
  gtk_window_present (window);
}

/* A switch the action asked for, waiting for the keyring. */
typedef struct
{
  TtApplication *self;
  TtDbLocation  *location;
} SwitchRequest;

static void
switch_request_free (SwitchRequest *request)
{
  g_object_unref (request->self);
  tt_db_location_free (request->location);
  g_free (request);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SwitchRequest, switch_request_free)

static void
tt_application_start_switch (TtApplication      *self,
                             const TtDbLocation *location,
                             const char         *password)
{
  if (tt_application_switch_catalogue (self, location, password) == NULL)
    {
      g_debug ("Not switching catalogues: another switch is under way");
      return;
    }

  /* Preferences shows the steps and asks whether to copy. */
  g_action_group_activate_action (G_ACTION_GROUP (self), "preferences", NULL);
}

static void
tt_application_switch_password_cb (GObject      *object,
                                   GAsyncResult *result,
                                   gpointer      user_data)
{
  g_autoptr(SwitchRequest) request = user_data;
  g_autoptr(GError) error = NULL;
  char *password = tt_secret_lookup_finish (result, &error);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  /* As at startup: the server may take no password, or say why not. */
  if (error != NULL)
    g_debug ("No password from the keyring: %s", error->message);

  tt_application_start_switch (request->self, request->location, password);
  tt_secret_password_free (password);
}

/* The parameter is a location as tt_db_location_parse() reads it:
 * "sqlite:/path/to/file.db" or "mysql://user@host:port/database". */
static void
tt_application_switch_catalogue_action (GSimpleAction *action,
                                        GVariant      *parameter,
                                        gpointer       user_data)
{
  TtApplication *self = user_data;
  g_autoptr(TtDbLocation) location = NULL;
  g_autoptr(GError) error = NULL;
  SwitchRequest *request;

  location = tt_db_location_parse (g_variant_get_string (parameter, NULL), &error);
  if (location == NULL)
    {
      g_warning ("Cannot switch catalogues: %s", error->message);
      return;
    }
  if (location->backend != TT_DB_BACKEND_MYSQL)
    {
      tt_application_start_switch (self, location, NULL);
      return;
    }

  request = g_new0 (SwitchRequest, 1);
  request->self = g_object_ref (self);
  request->location = g_steal_pointer (&location);
  tt_secret_lookup_async (request->location, self->cancellable,
                          tt_application_switch_password_cb, request);
}

static const GActionEntry app_actions[] = {
  { "quit", tt_application_quit_action },
  { "retry-connection", tt_application_retry_action },
  { "about", tt_application_about_action },
  { "preferences", tt_application_preferences_action },
  { "switch-catalogue", tt_application_switch_catalogue_action, "s" },
};

static void
tt_application_init (TtApplication *self)
{
  static const char *quit_accels[] = { "<primary>q", NULL };
  static const char *preferences_accels[] = { "<primary>comma", NULL };

  self->cancellable = g_cancellable_new ();
  self->settings = tt_db_settings_new ();
  g_application_add_main_option (G_APPLICATION (self), "version", 0, G_OPTION_FLAG_NONE,
                                 G_OPTION_ARG_NONE, _("Show the version and exit"), NULL);

  g_action_map_add_action_entries (G_ACTION_MAP (self),
                                   app_actions,
                                   G_N_ELEMENTS (app_actions),
                                   self);
  gtk_application_set_accels_for_action (GTK_APPLICATION (self),
                                         "app.quit",
                                         quit_accels);
  gtk_application_set_accels_for_action (GTK_APPLICATION (self),
                                         "app.preferences",
                                         preferences_accels);
}
