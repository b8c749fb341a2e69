/* validate-ui.c: validate GtkBuilder .ui files, libadwaita types included
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * GTK 4.8's `gtk4-builder-tool validate` cannot load libadwaita, so it
 * rejects every template whose parent is an Adw type ("Failed to lookup
 * template parent type AdwApplicationWindow"). This program validates the
 * way the builder tool does, with libadwaita initialized:
 *
 *  - a file holding <template class="X" parent="Y"> is loaded into a fresh
 *    instance of a stand-in type X derived from Y (the real Y), so the
 *    template's properties, children and child types are checked against
 *    the real classes;
 *  - every other object in the file is built for real: an unknown class,
 *    property, property value or child type is an error;
 *  - signal handlers and expression closures get a closure that does
 *    nothing: the handlers live in the app, not here;
 *  - warnings and criticals logged while building count as errors, because
 *    GTK reports some mistakes (an unsupported child type) only that way.
 *
 * The app's own widget types (TtFoo) resolve through tt_foo_get_type() when
 * this program is linked with the app's UI library; see data/meson.build.
 *
 * Exit status: 0 when every file is valid, 1 otherwise, 77 (a skipped test)
 * when there is no display to initialize GTK on, unless $CI is set.
 */

#include <string.h>

#include <adwaita.h>

#define EXIT_SKIP 77

/* ValidateScope: the C scope (types by name or get_type function), with
 * closures that do nothing. */

#define VALIDATE_TYPE_SCOPE (validate_scope_get_type ())
G_DECLARE_FINAL_TYPE (ValidateScope, validate_scope, VALIDATE, SCOPE, GtkBuilderCScope)

struct _ValidateScope
{
  GtkBuilderCScope parent_instance;
};

static void validate_scope_scope_init (GtkBuilderScopeInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (ValidateScope, validate_scope, GTK_TYPE_BUILDER_CSCOPE,
                               G_IMPLEMENT_INTERFACE (GTK_TYPE_BUILDER_SCOPE,
                                                      validate_scope_scope_init))

static void
do_nothing_marshal (GClosure     *closure,
                    GValue       *return_value,
                    guint         n_param_values,
                    const GValue *param_values,
                    gpointer      invocation_hint,
                    gpointer      marshal_data)
{
}

static GClosure *
validate_scope_create_closure (GtkBuilderScope         *scope,
                               GtkBuilder              *builder,
                               const char              *function_name,
                               GtkBuilderClosureFlags   flags,
                               GObject                 *object,
                               GError                 **error)
{
  GClosure *closure = g_closure_new_simple (sizeof (GClosure), NULL);

  g_closure_set_marshal (closure, do_nothing_marshal);

  return closure;
}

static void
validate_scope_scope_init (GtkBuilderScopeInterface *iface)
{
  /* The other methods stay the C scope's, copied from the parent. */
  iface->create_closure = validate_scope_create_closure;
}

static void
validate_scope_class_init (ValidateScopeClass *klass)
{
}

static void
validate_scope_init (ValidateScope *self)
{
}

/* Warnings and criticals logged while a file is built. */

static gboolean collecting;
static GString *logged_problems;

static GLogWriterOutput
collect_problems (GLogLevelFlags   log_level,
                  const GLogField *fields,
                  gsize            n_fields,
                  gpointer         user_data)
{
  if (collecting &&
      (log_level & (G_LOG_LEVEL_ERROR | G_LOG_LEVEL_CRITICAL | G_LOG_LEVEL_WARNING)) != 0)
    {
      const char *message = "(a warning without a message)";

      for (gsize i = 0; i < n_fields; i++)
        {
          if (g_strcmp0 (fields[i].key, "MESSAGE") == 0 && fields[i].length < 0)
            message = fields[i].value;
        }
      g_string_append_printf (logged_problems, "%s\n", message);
    }

  return g_log_writer_default (log_level, fields, n_fields, user_data);
}

/* Finding the <template> element. */

typedef struct
{
  int   depth;
  char *class_name;
  char *parent_name;
} TemplateInfo;

static void
template_start_element (GMarkupParseContext  *context,
                        const char           *element_name,
                        const char          **attribute_names,
                        const char          **attribute_values,
                        gpointer              user_data,
                        GError              **error)
{
  TemplateInfo *info = user_data;

  info->depth++;
  if (info->depth != 2 || strcmp (element_name, "template") != 0)
    return;

  for (guint i = 0; attribute_names[i] != NULL; i++)
    {
      if (strcmp (attribute_names[i], "class") == 0)
        {
          g_free (info->class_name);
          info->class_name = g_strdup (attribute_values[i]);
        }
      else if (strcmp (attribute_names[i], "parent") == 0)
        {
          g_free (info->parent_name);
          info->parent_name = g_strdup (attribute_values[i]);
        }
    }
}

static void
template_end_element (GMarkupParseContext  *context,
                      const char           *element_name,
                      gpointer              user_data,
                      GError              **error)
{
  TemplateInfo *info = user_data;

  info->depth--;
}

/* Fails when the file is not well-formed XML. */
static gboolean
find_template (const char    *contents,
               gsize          length,
               TemplateInfo  *info,
               GError       **error)
{
  static const GMarkupParser parser = {
    template_start_element,
    template_end_element,
    NULL, NULL, NULL,
  };
  g_autoptr(GMarkupParseContext) context = NULL;

  context = g_markup_parse_context_new (&parser, G_MARKUP_PREFIX_ERROR_POSITION, info, NULL);

  return g_markup_parse_context_parse (context, contents, length, error) &&
         g_markup_parse_context_end_parse (context, error);
}

/* Validating. */

static GType
make_stand_in_type (GtkBuilder  *builder,
                    const char  *class_name,
                    const char  *parent_name,
                    GError     **error)
{
  GType parent_type;
  GTypeQuery query;

  parent_type = gtk_builder_get_type_from_name (builder, parent_name);
  if (parent_type == G_TYPE_INVALID)
    {
      g_set_error (error, GTK_BUILDER_ERROR, GTK_BUILDER_ERROR_INVALID_VALUE,
                   "Unknown template parent type ‘%s’", parent_name);
      return G_TYPE_INVALID;
    }

  g_type_query (parent_type, &query);

  return g_type_register_static_simple (parent_type, class_name,
                                        query.class_size, NULL,
                                        query.instance_size, NULL,
                                        0);
}

static void
release_object (GObject *object)
{
  if (GTK_IS_WINDOW (object))
    gtk_window_destroy (GTK_WINDOW (object));
}

static gboolean
validate_template (GtkBuilder    *builder,
                   TemplateInfo  *info,
                   const char    *path,
                   GError       **error)
{
  const char *parent_name = info->parent_name ? info->parent_name : "GtkWidget";
  g_autoptr(GObject) object = NULL;
  GType type;

  /* A type of that name exists when the app's library is linked in and
   * something already asked for it: then, as gtk4-builder-tool does, the
   * real type is used. */
  type = g_type_from_name (info->class_name);
  if (type == G_TYPE_INVALID)
    type = make_stand_in_type (builder, info->class_name, parent_name, error);
  if (type == G_TYPE_INVALID)
    return FALSE;

  /* As gtk4-builder-tool does: an empty template makes the builder expect
   * this type's template, then the file is read as a file, so that error
   * messages name it. The builder holds the object from then on, and
   * validate_file() destroys it with the builder's other windows. */
  object = g_object_ref_sink (g_object_new (type, NULL));

  return gtk_builder_extend_with_template (builder, object, type, " ", 1, error) &&
         gtk_builder_add_from_file (builder, path, error);
}

static gboolean
validate_file (const char  *path,
               GString     *problems)
{
  g_autoptr(GtkBuilder) builder = NULL;
  g_autoptr(GtkBuilderScope) scope = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GSList) objects = NULL;
  g_autofree char *contents = NULL;
  TemplateInfo info = { 0, };
  gsize length;
  gboolean ok;

  if (!g_file_get_contents (path, &contents, &length, &error) ||
      !find_template (contents, length, &info, &error))
    {
      g_string_append_printf (problems, "%s\n", error->message);
      g_free (info.class_name);
      g_free (info.parent_name);
      return FALSE;
    }

  builder = gtk_builder_new ();
  scope = g_object_new (VALIDATE_TYPE_SCOPE, NULL);
  gtk_builder_set_scope (builder, scope);

  g_string_truncate (logged_problems, 0);
  collecting = TRUE;
  if (info.class_name != NULL)
    ok = validate_template (builder, &info, path, &error);
  else
    ok = gtk_builder_add_from_file (builder, path, &error);
  objects = gtk_builder_get_objects (builder);
  g_slist_foreach (objects, (GFunc) release_object, NULL);
  collecting = FALSE;

  if (!ok)
    g_string_append_printf (problems, "%s\n", error->message);
  g_string_append (problems, logged_problems->str);

  g_free (info.class_name);
  g_free (info.parent_name);

  return ok && logged_problems->len == 0;
}

/* Files named .ui under @dir (recursively) that @listed lacks. */
static void
find_unlisted (const char          *dir,
               const char * const  *listed,
               GPtrArray           *unlisted)
{
  g_autoptr(GDir) d = g_dir_open (dir, 0, NULL);
  const char *name;

  if (d == NULL)
    return;

  while ((name = g_dir_read_name (d)) != NULL)
    {
      g_autofree char *path = g_build_filename (dir, name, NULL);

      if (g_file_test (path, G_FILE_TEST_IS_DIR))
        find_unlisted (path, listed, unlisted);
      else if (g_str_has_suffix (name, ".ui") && !g_strv_contains (listed, path))
        g_ptr_array_add (unlisted, g_steal_pointer (&path));
    }
}

static gboolean
check_all_listed (const char  *dir,
                  char       **files)
{
  g_autoptr(GPtrArray) listed = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) unlisted = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *canonical_dir = g_canonicalize_filename (dir, NULL);

  for (guint i = 0; files[i] != NULL; i++)
    g_ptr_array_add (listed, g_canonicalize_filename (files[i], NULL));
  g_ptr_array_add (listed, NULL);

  find_unlisted (canonical_dir, (const char * const *) listed->pdata, unlisted);
  for (guint i = 0; i < unlisted->len; i++)
    g_printerr ("%s: not validated; add it to the list of .ui files in data/meson.build\n",
                (const char *) g_ptr_array_index (unlisted, i));

  return unlisted->len == 0;
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) files = NULL;
  g_autofree char *all_in = NULL;
  g_autofree char *expect_error = NULL;
  gboolean all_valid = TRUE;
  const GOptionEntry entries[] = {
    { "all-in", 0, 0, G_OPTION_ARG_FILENAME, &all_in,
      "Also fail when DIR holds a .ui file that is not named", "DIR" },
    { "expect-error", 0, 0, G_OPTION_ARG_STRING, &expect_error,
      "Succeed only when every FILE is invalid with TEXT in the message", "TEXT" },
    { G_OPTION_REMAINING, 0, 0, G_OPTION_ARG_FILENAME_ARRAY, &files, NULL, "FILE…" },
    { NULL }
  };

  context = g_option_context_new ("- validate GtkBuilder files");
  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error) || files == NULL)
    {
      g_printerr ("%s\n", error ? error->message : "No .ui file given");
      return EXIT_FAILURE;
    }

  logged_problems = g_string_new (NULL);
  g_log_set_writer_func (collect_problems, NULL, NULL);

  if (!gtk_init_check ())
    {
      /* CI runs the tests on Xvfb (build-aux/run-tests.sh), so there a
       * missing display is a failure, as a missing MySQL server is. */
      if (g_getenv ("CI") != NULL)
        {
          g_printerr ("validate-ui: no display to initialize GTK on\n");
          return EXIT_FAILURE;
        }
      g_printerr ("validate-ui: no display to initialize GTK on; skipped\n");
      return EXIT_SKIP;
    }
  adw_init ();

  for (guint i = 0; files[i] != NULL; i++)
    {
      g_autofree char *path = g_canonicalize_filename (files[i], NULL);
      g_autoptr(GString) problems = g_string_new (NULL);
      gboolean valid = validate_file (path, problems);

      if (expect_error != NULL)
        {
          valid = !valid && strstr (problems->str, expect_error) != NULL;
          g_print ("%s: %s “%s”\n%s", path,
                   valid ? "invalid as expected, with" : "NOT invalid with",
                   expect_error, problems->str);
        }
      else if (valid)
        g_print ("%s: valid\n", path);
      else
        g_printerr ("%s: invalid\n%s", path, problems->str);

      all_valid = all_valid && valid;
    }

  if (all_in != NULL && !check_all_listed (all_in, files))
    all_valid = FALSE;

  g_string_free (logged_problems, TRUE);

  return all_valid ? EXIT_SUCCESS : EXIT_FAILURE;
}
