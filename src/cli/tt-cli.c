/* tt-cli.c: tutorial-tags-cli, the catalogue from a shell or a script
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Every command goes through the store's API, like the application does.
 * Results are JSON on stdout in the shapes of the Node.js/Sequelize
 * tutorial; messages go to stderr; the exit status tells scripts what kind
 * of failure happened (see EXIT_STATUS_HELP).
 */

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <gio/gio.h>

#include "tt-bench.h"
#include "tt-catalogue-switch.h"
#include "tt-db-location.h"
#include "tt-db-settings.h"
#include "tt-json.h"
#include "tt-salvage-export.h"
#include "tt-secret.h"
#include "tt-error-table.h"
#include "tt-i18n.h"
#include "tt-rules.h"
#include "tt-store.h"
#include "tt-store-copy.h"
#include "tt-store-probe.h"
#include "tt-watch.h"

#define PROGRAM_NAME "tutorial-tags-cli"
#define PASSWORD_VARIABLE "TUTORIAL_TAGS_DB_PASSWORD"
#define TARGET_PASSWORD_VARIABLE "TUTORIAL_TAGS_TARGET_PASSWORD"
#define MAX_PASSWORD_BYTES 1024


#define EXIT_STATUS_HELP N_( \
  "Exit status:\n" \
  "  0  success\n" \
  "  1  any other failure (for example: “demo” on a catalogue that is not empty)\n" \
  "  2  usage error: unknown command or option, missing argument, malformed number\n" \
  "     or location (a password in the location is refused too), copy --to the\n" \
  "     source itself (under any name: a link, a socket for TCP)\n" \
  "  3  no tutorial or tag with that id\n" \
  "  4  the name is already taken (tag names are compared regardless of case)\n" \
  "  5  invalid input: empty or too long text, an import file that is not JSON,\n" \
  "     over 16 GiB, with a record over 64 MiB, nested over 64 deep or holding\n" \
  "     a NUL character\n" \
  "  6  cannot connect to the database (unreachable, no answer within 10 seconds,\n" \
  "     wrong password, no permission, no such database; the server requires an\n" \
  "     encrypted connection, offers none, or its certificate is not trusted), or\n" \
  "     the connection was lost\n" \
  "  7  the database was made by a newer version of this program\n" \
  "  8  the catalogue file is damaged: nothing was written to it (“export --salvage”\n" \
  "     writes what can still be read, and also exits with 8)\n" \
  "\n" \
  "The database is given with --db sqlite:PATH or\n" \
  "--db mysql://USER@HOST:PORT/DATABASE (add ?tls=required to encrypt the\n" \
  "connection or fail, &ca=PATH to check the server's certificate against that\n" \
  "CA, &verify=yes|no to say whether it is checked: by default when a CA is\n" \
  "given; the servers of a cluster as HOST1:PORT1,HOST2:PORT2,…, tried in\n" \
  "order); without --db the application's choice in\n" \
  "Preferences is used, by default a SQLite file in your data folder.\n" \
  "The MySQL password is read from the environment variable\n" \
  "TUTORIAL_TAGS_DB_PASSWORD; without --db, from the keyring entry the\n" \
  "application saved; otherwise it is asked for on the terminal. The\n" \
  "password of the target of “copy --to” comes from\n" \
  "TUTORIAL_TAGS_TARGET_PASSWORD or the terminal.\n" \
  "\n" \
  "“--” ends a command's options: what follows it is taken as text even\n" \
  "when it starts with “-”, as in: tutorial add -- \"-5 tips\"")

/* Errors of the command line itself; the store has its own. */
#define CLI_ERROR (cli_error_quark ())

typedef enum
{
  CLI_ERROR_USAGE,
  CLI_ERROR_INVALID_INPUT,
  CLI_ERROR_NOT_EMPTY,
  CLI_ERROR_NO_PASSWORD,
} CliError;

static GQuark cli_error_quark (void);
G_DEFINE_QUARK (tt-cli-error-quark, cli_error)

/* GOptionEntry wants the address of where each value goes. */
typedef struct
{
  char      *db;
  gboolean   compact;
  gboolean   version;
  gboolean   yes;
  gboolean   salvage;
  char     **tag_ids;
  gboolean   all_tags;
  gboolean   untagged;
  char      *search;
  char      *sort;
  gboolean   descending;
  char      *title;
  char      *description;
  char      *n_tutorials;
  char      *to;
  gboolean   tag_names;
  char     **arguments;
} CliOptions;

static CliOptions options;

typedef struct
{
  TtStore *store;
} Cli;

typedef gboolean (*CliCommandFunc) (Cli     *cli,
                                    char   **args,
                                    GError **error);

typedef struct
{
  const char         *group;     /* "tutorial", "tag", or NULL */
  const char         *name;
  const char         *args;      /* what follows the name, for --help */
  const char         *summary;
  guint               min_args;
  guint               max_args;
  const GOptionEntry *entries;
  CliCommandFunc      run;
} CliCommand;

/* Options every command takes, before or after its name. Text options are
 * read as FILENAME, which GOption leaves as given, so that they go through
 * the same decoding as positional arguments (see text_arg()). */
static const GOptionEntry global_entries[] = {
  { "db", 0, 0, G_OPTION_ARG_FILENAME, &options.db,
    N_("The catalogue: sqlite:PATH or mysql://USER@HOST:PORT/DATABASE"), N_("URI") },
  { "compact", 0, 0, G_OPTION_ARG_NONE, &options.compact,
    N_("Print JSON on one line"), NULL },
  { NULL }
};

/* A command's own arguments, read as FILENAME for text_arg(). GOption
 * takes everything after "--" here, so text can start with "-". */
static const GOptionEntry argument_entries[] = {
  { G_OPTION_REMAINING, 0, 0, G_OPTION_ARG_FILENAME_ARRAY, &options.arguments, NULL, NULL },
  { NULL }
};

static const GOptionEntry version_entries[] = {
  { "version", 0, 0, G_OPTION_ARG_NONE, &options.version,
    N_("Print the version and exit"), NULL },
  { NULL }
};

static const GOptionEntry list_entries[] = {
  { "tag", 0, 0, G_OPTION_ARG_STRING_ARRAY, &options.tag_ids,
    N_("Only tutorials with this tag (repeatable: any of them)"), N_("ID") },
  { "all-tags", 0, 0, G_OPTION_ARG_NONE, &options.all_tags,
    N_("Only tutorials with all the --tag tags"), NULL },
  { "untagged", 0, 0, G_OPTION_ARG_NONE, &options.untagged,
    N_("Only tutorials without any tag"), NULL },
  { "search", 0, 0, G_OPTION_ARG_FILENAME, &options.search,
    N_("Only tutorials whose title, description or a tag name contains TEXT, ignoring case and accents"), N_("TEXT") },
  { "sort", 0, 0, G_OPTION_ARG_STRING, &options.sort,
    N_("Order by id (the default), title, created or updated"), N_("KEY") },
  { "descending", 0, 0, G_OPTION_ARG_NONE, &options.descending,
    N_("Reverse the order"), NULL },
  { NULL }
};

static const GOptionEntry edit_entries[] = {
  { "title", 0, 0, G_OPTION_ARG_FILENAME, &options.title,
    N_("The new title"), N_("TITLE") },
  { "description", 0, 0, G_OPTION_ARG_FILENAME, &options.description,
    N_("The new description"), N_("TEXT") },
  { NULL }
};

static const GOptionEntry reset_entries[] = {
  { "yes", 0, 0, G_OPTION_ARG_NONE, &options.yes,
    N_("Really delete every tutorial and tag"), NULL },
  { NULL }
};

static const GOptionEntry bench_entries[] = {
  { "tutorials", 0, 0, G_OPTION_ARG_STRING, &options.n_tutorials,
    N_("How many tutorials to create"), N_("N") },
  { NULL }
};

/* Hidden: for the shell completions in data/completions/, not for people. */
static const GOptionEntry tag_list_entries[] = {
  { "names", 0, G_OPTION_FLAG_HIDDEN, G_OPTION_ARG_NONE, &options.tag_names,
    "One line per tag of an existing catalogue: its id, a tab, its name", NULL },
  { NULL }
};

static const GOptionEntry export_entries[] = {
  { "salvage", 0, 0, G_OPTION_ARG_NONE, &options.salvage,
    N_("From a damaged SQLite file: write what can still be read (exits with 8 when something could not be)"), NULL },
  { NULL }
};

static const GOptionEntry copy_entries[] = {
  { "to", 0, 0, G_OPTION_ARG_FILENAME, &options.to,
    N_("The catalogue to copy into: sqlite:PATH or mysql://USER@HOST:PORT/DATABASE"), N_("URI") },
  { NULL }
};

static void
options_clear (void)
{
  g_clear_pointer (&options.db, g_free);
  g_clear_pointer (&options.tag_ids, g_strfreev);
  g_clear_pointer (&options.search, g_free);
  g_clear_pointer (&options.sort, g_free);
  g_clear_pointer (&options.title, g_free);
  g_clear_pointer (&options.description, g_free);
  g_clear_pointer (&options.n_tutorials, g_free);
  g_clear_pointer (&options.to, g_free);
  g_clear_pointer (&options.arguments, g_strfreev);
}

/* ---- arguments -------------------------------------------------------- */

/* Returns FALSE, so that a check reads "return ok || usage_error (…)". */
#define usage_error(error, ...) \
  tt_json_fail ((error), CLI_ERROR, CLI_ERROR_USAGE, __VA_ARGS__)

/* Ids are whole numbers from 1; "12abc", " 12" and "0x0c" are mistakes. */
static gboolean
parse_id (const char  *arg,
          gint64      *id,
          GError     **error)
{
  if (g_ascii_string_to_signed (arg, 10, 1, G_MAXINT64, id, NULL))
    return TRUE;
  return usage_error (error, _("“%s” is not an id: ids are whole numbers from 1"),
                      arg);
}

/* Arguments come in the locale's encoding, but terminals send UTF-8 even
 * where the locale is plain C, so text that is valid UTF-8 is taken as is. */
static char *
text_arg (const char  *arg,
          GError     **error)
{
  char *text;

  if (g_utf8_validate (arg, -1, NULL))
    return g_strdup (arg);

  text = g_locale_to_utf8 (arg, -1, NULL, NULL, NULL);
  if (text == NULL)
    g_set_error_literal (error, CLI_ERROR, CLI_ERROR_INVALID_INPUT,
                         _("An argument is not text in the locale’s character set"));
  return text;
}

/* ---- output ----------------------------------------------------------- */

static gboolean
write_text (FILE        *stream,
            const char  *text,
            GError     **error)
{
  return tt_json_write (stream, text, TRUE, error);
}

static char *
json_text (JsonNode *node)
{
  g_autofree char *text = tt_json_to_string (node, !options.compact);

  return g_strconcat (text, "\n", NULL);
}

/* Takes @node. */
static gboolean
print_json (JsonNode  *node,
            GError   **error)
{
  g_autoptr(JsonNode) owned = node;
  g_autofree char *text = json_text (owned);

  return write_text (stdout, text, error);
}

/* ---- the store -------------------------------------------------------- */

/* Without --db: the catalogue chosen in the application's Preferences
 * (the default SQLite file when the settings schema is not installed). */
static TtDbLocation *
location_from_settings (void)
{
  g_autoptr(GSettings) settings = tt_db_settings_new ();
  g_autofree char *default_path = NULL;

  if (settings != NULL)
    return tt_db_location_new_from_settings (settings);

  default_path = tt_db_location_default_sqlite_path ();
  return tt_db_location_new_sqlite (default_path);
}

static TtDbLocation *
parse_location (GError **error)
{
  g_autoptr(GError) local_error = NULL;
  TtDbLocation *location;

  if (options.db == NULL)
    return location_from_settings ();

  location = tt_db_location_parse (options.db, &local_error);
  if (location == NULL)
    usage_error (error, "%s", local_error->message);
  return location;
}

static void
secret_free (char *secret)
{
  if (secret != NULL)
    memset (secret, 0, strlen (secret));
  g_free (secret);
}

typedef char Secret;
G_DEFINE_AUTOPTR_CLEANUP_FUNC (Secret, secret_free)

/* While echo is off, a signal that ends the program must not leave the
 * terminal silent. */
static int prompt_fd = -1;
static struct termios prompt_saved;

static void
restore_terminal_and_die (int signum)
{
  tcsetattr (prompt_fd, TCSAFLUSH, &prompt_saved);
  signal (signum, SIG_DFL);
  raise (signum);
}

static const int prompt_signals[] = { SIGINT, SIGTERM, SIGHUP, SIGQUIT };

static void
catch_prompt_signals (gboolean catch)
{
  for (guint i = 0; i < G_N_ELEMENTS (prompt_signals); i++)
    signal (prompt_signals[i], catch ? restore_terminal_and_die : SIG_DFL);
}

static gboolean
write_fd (int         fd,
          const char *text)
{
  gsize length = strlen (text);

  while (length > 0)
    {
      gssize written = write (fd, text, length);

      if (written < 0 && errno == EINTR)
        continue;
      if (written <= 0)
        return FALSE;
      text += written;
      length -= written;
    }
  return TRUE;
}

/* Reads up to the end of the line; the buffer is sized once so that no
 * copy of the password is left behind by a reallocation. */
static char *
read_line (int fd)
{
  char *line = g_malloc0 (MAX_PASSWORD_BYTES + 1);
  gsize length = 0;

  while (length < MAX_PASSWORD_BYTES)
    {
      char c;
      gssize n_read = read (fd, &c, 1);

      if (n_read < 0 && errno == EINTR)
        continue;
      if (n_read <= 0 || c == '\n')
        break;
      line[length++] = c;
    }
  return line;
}

static char *
read_password_quietly (int         fd,
                       const char *prompt)
{
  struct termios quiet = prompt_saved;
  char *password;

  /* ECHONL still shows the newline, so the next output starts on its own
   * line. */
  quiet.c_lflag &= ~(tcflag_t) ECHO;
  quiet.c_lflag |= ECHONL;

  write_fd (fd, prompt);
  prompt_fd = fd;
  catch_prompt_signals (TRUE);
  tcsetattr (fd, TCSAFLUSH, &quiet);
  password = read_line (fd);
  tcsetattr (fd, TCSAFLUSH, &prompt_saved);
  catch_prompt_signals (FALSE);
  prompt_fd = -1;

  return password;
}

/* @variable names where the password could have come from instead. */
static char *
prompt_password (const TtDbLocation  *location,
                 const char          *variable,
                 gboolean             target,
                 GError             **error)
{
  g_autofree char *prompt = NULL;
  const char *user = location->user != NULL ? location->user : "";
  const char *host = location->host != NULL ? location->host : "localhost";
  char *password;
  int fd;

  fd = open ("/dev/tty", O_RDWR | O_NOCTTY | O_CLOEXEC);
  if (fd < 0 || tcgetattr (fd, &prompt_saved) != 0)
    {
      if (fd >= 0)
        close (fd);
      g_set_error (error, CLI_ERROR, CLI_ERROR_NO_PASSWORD,
                   _("No password for the database: set %s or run from a terminal to be asked for it"),
                   variable);
      return NULL;
    }

  if (target)
    prompt = g_strdup_printf (_("Password for %s@%s (the target of the copy): "), user, host);
  else
    prompt = g_strdup_printf (_("Password for %s@%s: "), user, host);
  password = read_password_quietly (fd, prompt);
  close (fd);

  return password;
}

/* What the application saved in the keyring for this server and user.
 * NULL when there is none, or no keyring (then @keyring_error says why). */
static char *
keyring_password (const TtDbLocation  *location,
                  GError             **keyring_error)
{
  char *found = tt_secret_lookup_sync (location, NULL, keyring_error);
  char *password;

  if (found == NULL)
    return NULL;

  /* libsecret's copy is freed its own way. */
  password = g_strdup (found);
  tt_secret_password_free (found);
  return password;
}

/* Never from the command line, where other users can read it: from
 * @variable, else (for the Preferences' catalogue, @use_keyring) from the
 * keyring, else from the terminal. */
static char *
find_password (const TtDbLocation  *location,
               const char          *variable,
               gboolean             target,
               gboolean             use_keyring,
               GError             **error)
{
  g_autoptr(GError) keyring_error = NULL;
  g_autoptr(GError) prompt_error = NULL;
  g_autoptr(GString) message = NULL;
  char *password;

  if (g_getenv (variable) != NULL)
    return g_strdup (g_getenv (variable));

  if (use_keyring && (password = keyring_password (location, &keyring_error)) != NULL)
    return password;

  /* A shell completing a word must never stop to ask. */
  if (options.tag_names)
    g_set_error (&prompt_error, CLI_ERROR, CLI_ERROR_NO_PASSWORD,
                 _("No password for the database: set %s"), variable);
  else if ((password = prompt_password (location, variable, target, &prompt_error)) != NULL)
    return password;

  if (!use_keyring)
    {
      g_propagate_error (error, g_steal_pointer (&prompt_error));
      return NULL;
    }

  message = g_string_new (NULL);
  g_string_printf (message,
                   _("No password for %s on %s: set %s, save the password in the application’s Preferences, or run from a terminal to be asked for it"),
                   location->user, location->socket != NULL ? location->socket : location->host,
                   variable);
  if (keyring_error != NULL)
    g_string_append_printf (message, "\n%s", keyring_error->message);
  g_set_error_literal (error, CLI_ERROR, CLI_ERROR_NO_PASSWORD, message->str);
  return NULL;
}


/* @variable names the environment variable for the password; @target:
 * the store is the target of a copy (never the Preferences' one). */
static TtStore *
open_store (const TtDbLocation  *location,
            const char          *variable,
            gboolean             target,
            GError             **error)
{
  g_autoptr(Secret) password = NULL;

  if (location->backend == TT_DB_BACKEND_MYSQL &&
      (password = find_password (location, variable, target,
                                 !target && options.db == NULL, error)) == NULL)
    return NULL;

  return tt_store_open (location, password, error);
}

static TtStore *
cli_get_store (Cli     *cli,
               GError **error)
{
  g_autoptr(TtDbLocation) location = NULL;

  if (cli->store != NULL)
    return cli->store;

  if ((location = parse_location (error)) == NULL)
    return NULL;

  cli->store = open_store (location, PASSWORD_VARIABLE, FALSE, error);
  return cli->store;
}

/* The id is checked first: a mistyped one must not cost a connection or
 * a password prompt. */
static TtStore *
cli_get_store_for_id (Cli         *cli,
                      const char  *arg,
                      gint64      *id,
                      GError     **error)
{
  if (!parse_id (arg, id, error))
    return NULL;
  return cli_get_store (cli, error);
}

/* ---- looking things up ------------------------------------------------- */

static gint64
item_id (gpointer item)
{
  if (TT_IS_TAG (item))
    return tt_tag_get_id (item);
  return tt_tutorial_get_id (item);
}

static gpointer
find_by_id (GListModel *list,
            gint64      id)
{
  guint n_items = g_list_model_get_n_items (list);

  for (guint i = 0; i < n_items; i++)
    {
      g_autoptr(GObject) item = g_list_model_get_item (list, i);

      if (item_id (item) == id)
        return g_steal_pointer (&item);
    }
  return NULL;
}

static GListModel *
list_all_tutorials (TtStore  *store,
                    GError  **error)
{
  TtTutorialQuery query = { 0 };

  query.with_tags = TRUE;
  return tt_store_list_tutorials (store, &query, error);
}

/* ---- demo ------------------------------------------------------------- */

typedef struct
{
  gint64 tutorials[4];
  gint64 tags[2];
} DemoIds;

/* "3 tutorials and 1 tag" */
static char *
count_text (guint n_tutorials,
            guint n_tags)
{
  g_autofree char *tutorials =
    g_strdup_printf (ngettext ("%u tutorial", "%u tutorials", n_tutorials), n_tutorials);
  g_autofree char *tags =
    g_strdup_printf (ngettext ("%u tag", "%u tags", n_tags), n_tags);

  /* Translators: "3 tutorials and 1 tag" */
  return g_strdup_printf (_("%s and %s"), tutorials, tags);
}

static gboolean
check_empty (TtStore  *store,
             GError  **error)
{
  g_autoptr(GListModel) tutorials = NULL;
  g_autoptr(GListModel) tags = NULL;
  g_autofree char *counts = NULL;

  if ((tutorials = list_all_tutorials (store, error)) == NULL
      || (tags = tt_store_list_tags (store, FALSE, error)) == NULL)
    return FALSE;

  if (g_list_model_get_n_items (tutorials) == 0
      && g_list_model_get_n_items (tags) == 0)
    return TRUE;

  counts = count_text (g_list_model_get_n_items (tutorials),
                       g_list_model_get_n_items (tags));
  g_set_error (error, CLI_ERROR, CLI_ERROR_NOT_EMPTY,
               _("The catalogue already holds %s; the demo needs an empty one. Run “%s reset --yes” first to delete everything."),
               counts, PROGRAM_NAME);
  return FALSE;
}

static gboolean
create_demo_items (TtStore  *store,
                   DemoIds  *ids,
                   GError  **error)
{
  for (guint i = 0; i < G_N_ELEMENTS (ids->tutorials); i++)
    {
      g_autofree char *title = g_strdup_printf ("Tut#%u", i + 1);
      g_autofree char *description = g_strdup_printf ("Tut#%u Description", i + 1);
      g_autoptr(TtTutorial) tutorial = NULL;

      tutorial = tt_store_create_tutorial (store, title, description, error);
      if (tutorial == NULL)
        return FALSE;
      ids->tutorials[i] = tt_tutorial_get_id (tutorial);
    }

  for (guint i = 0; i < G_N_ELEMENTS (ids->tags); i++)
    {
      g_autofree char *name = g_strdup_printf ("Tag#%u", i + 1);
      g_autoptr(TtTag) tag = tt_store_create_tag (store, name, error);

      if (tag == NULL)
        return FALSE;
      ids->tags[i] = tt_tag_get_id (tag);
    }
  return TRUE;
}

static gboolean
link_demo_items (TtStore        *store,
                 const DemoIds  *ids,
                 GError        **error)
{
  /* The tutorial's order: Tag#1 → Tut#1, Tut#2, Tut#3; Tag#2 → Tut#3,
   * Tut#4, Tut#1. */
  static const guint links[2][3] = { { 0, 1, 2 }, { 2, 3, 0 } };

  for (guint tag = 0; tag < G_N_ELEMENTS (links); tag++)
    for (guint i = 0; i < G_N_ELEMENTS (links[tag]); i++)
      if (!tt_store_link (store, ids->tutorials[links[tag][i]], ids->tags[tag],
                          error))
        return FALSE;
  return TRUE;
}

/* The four answers of the tutorial, in one object. */
static gboolean
print_demo (TtStore        *store,
            const DemoIds  *ids,
            GError        **error)
{
  g_autoptr(GListModel) tags = NULL;
  g_autoptr(GListModel) tutorials = NULL;
  g_autoptr(TtTag) tag = NULL;
  g_autoptr(TtTutorial) tutorial = NULL;
  g_autoptr(JsonObject) object = json_object_new ();

  if ((tags = tt_store_list_tags (store, TRUE, error)) == NULL
      || (tutorials = list_all_tutorials (store, error)) == NULL)
    return FALSE;

  tag = find_by_id (tags, ids->tags[0]);
  tutorial = find_by_id (tutorials, ids->tutorials[2]);
  if (tag == NULL || tutorial == NULL)
    {
      g_set_error_literal (error, CLI_ERROR, CLI_ERROR_NOT_EMPTY,
                           _("Someone else changed the catalogue during the demo"));
      return FALSE;
    }

  json_object_set_member (object, "tag", tt_json_tag (tag, TRUE));
  json_object_set_member (object, "tags", tt_json_tags (tags, TRUE));
  json_object_set_member (object, "tutorial", tt_json_tutorial (tutorial, TRUE));
  json_object_set_member (object, "tutorials", tt_json_tutorials (tutorials, TRUE));

  return print_json (json_node_init_object (json_node_alloc (), object), error);
}

static gboolean
cmd_demo (Cli     *cli,
          char   **args,
          GError **error)
{
  TtStore *store = cli_get_store (cli, error);
  DemoIds ids;

  return store != NULL
         && check_empty (store, error)
         && create_demo_items (store, &ids, error)
         && link_demo_items (store, &ids, error)
         && print_demo (store, &ids, error);
}

/* ---- tutorials ---------------------------------------------------------- */

static gboolean
cmd_tutorial_add (Cli     *cli,
                  char   **args,
                  GError **error)
{
  g_autoptr(TtTutorial) tutorial = NULL;
  g_autofree char *title = NULL;
  g_autofree char *description = NULL;
  TtStore *store;

  if ((title = text_arg (args[0], error)) == NULL
      || (args[1] != NULL && (description = text_arg (args[1], error)) == NULL)
      || (store = cli_get_store (cli, error)) == NULL
      || (tutorial = tt_store_create_tutorial (store, title, description, error)) == NULL)
    return FALSE;

  return print_json (tt_json_tutorial (tutorial, FALSE), error);
}

static gboolean
parse_sort (TtSortKey  *sort,
            GError    **error)
{
  if (options.sort == NULL || g_str_equal (options.sort, "id"))
    *sort = TT_SORT_BY_ID;
  else if (g_str_equal (options.sort, "title"))
    *sort = TT_SORT_BY_TITLE;
  else if (g_str_equal (options.sort, "created"))
    *sort = TT_SORT_BY_CREATED;
  else if (g_str_equal (options.sort, "updated"))
    *sort = TT_SORT_BY_UPDATED;
  else
    return usage_error (error, _("“%s” is not a sort order: use id, title, created or updated"),
                        options.sort);
  return TRUE;
}

static gboolean
parse_tag_filter (GArray      *tag_ids,
                  TtTagMatch  *match,
                  GError     **error)
{
  for (guint i = 0; options.tag_ids != NULL && options.tag_ids[i] != NULL; i++)
    {
      gint64 id;

      if (!parse_id (options.tag_ids[i], &id, error))
        return FALSE;
      g_array_append_val (tag_ids, id);
    }

  if (options.untagged && tag_ids->len > 0)
    return usage_error (error, _("--untagged and --tag exclude each other"));
  if (options.all_tags && tag_ids->len == 0)
    return usage_error (error, _("--all-tags needs at least one --tag"));

  *match = options.untagged ? TT_TAG_MATCH_UNTAGGED
         : options.all_tags ? TT_TAG_MATCH_ALL
         : TT_TAG_MATCH_ANY;
  return TRUE;
}

static gboolean
cmd_tutorial_list (Cli     *cli,
                   char   **args,
                   GError **error)
{
  g_autoptr(GArray) tag_ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr(GListModel) tutorials = NULL;
  g_autofree char *search = NULL;
  TtTutorialQuery query = { 0 };
  TtStore *store;

  if (!parse_tag_filter (tag_ids, &query.match, error)
      || !parse_sort (&query.sort, error)
      || (options.search != NULL && (search = text_arg (options.search, error)) == NULL)
      || (search != NULL && !tt_rules_check_search (search, error)))
    return FALSE;

  query.text = search;
  query.tag_ids = (const gint64 *) (gpointer) tag_ids->data;
  query.n_tag_ids = tag_ids->len;
  query.descending = options.descending;
  query.with_tags = TRUE;

  if ((store = cli_get_store (cli, error)) == NULL
      || (tutorials = tt_store_list_tutorials (store, &query, error)) == NULL)
    return FALSE;

  return print_json (tt_json_tutorials (tutorials, TRUE), error);
}

static gboolean
cmd_tutorial_show (Cli     *cli,
                   char   **args,
                   GError **error)
{
  g_autoptr(TtTutorial) tutorial = NULL;
  TtStore *store;
  gint64 id;

  if ((store = cli_get_store_for_id (cli, args[0], &id, error)) == NULL
      || (tutorial = tt_store_get_tutorial (store, id, error)) == NULL)
    return FALSE;

  return print_json (tt_json_tutorial (tutorial, TRUE), error);
}

static gboolean
cmd_tutorial_rm (Cli     *cli,
                 char   **args,
                 GError **error)
{
  TtStore *store;
  gint64 id;

  return (store = cli_get_store_for_id (cli, args[0], &id, error)) != NULL
         && tt_store_delete_tutorial (store, id, error);
}

/* Reads --title and --description; what is not given stays NULL. */
static gboolean
parse_edit_options (char   **title,
                    char   **description,
                    GError **error)
{
  if (options.title == NULL && options.description == NULL)
    return usage_error (error, _("Nothing to change: give --title, --description or both"));

  return (options.title == NULL || (*title = text_arg (options.title, error)) != NULL)
         && (options.description == NULL
             || (*description = text_arg (options.description, error)) != NULL);
}

static gboolean
cmd_tutorial_edit (Cli     *cli,
                   char   **args,
                   GError **error)
{
  g_autoptr(TtTutorial) current = NULL;
  g_autoptr(TtTutorial) updated = NULL;
  g_autofree char *title = NULL;
  g_autofree char *description = NULL;
  TtStore *store;
  gint64 id;

  if (!parse_id (args[0], &id, error)
      || !parse_edit_options (&title, &description, error)
      || (store = cli_get_store (cli, error)) == NULL
      || (current = tt_store_get_tutorial (store, id, error)) == NULL)
    return FALSE;

  /* The store replaces both, so what was not given is passed on as is. */
  if (title == NULL)
    title = g_strdup (tt_tutorial_get_title (current));
  if (options.description == NULL)
    description = g_strdup (tt_tutorial_get_description (current));

  updated = tt_store_update_tutorial (store, id, title, description, error);
  if (updated == NULL)
    return FALSE;

  return print_json (tt_json_tutorial (updated, TRUE), error);
}

static gboolean
cmd_tutorial_tags (Cli     *cli,
                   char   **args,
                   GError **error)
{
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(TtTutorial) tutorial = NULL;
  TtStore *store;
  gint64 id;

  if (!parse_id (args[0], &id, error))
    return FALSE;
  for (guint i = 1; args[i] != NULL; i++)
    {
      char *name = text_arg (args[i], error);

      if (name == NULL)
        return FALSE;
      g_ptr_array_add (names, name);
    }
  g_ptr_array_add (names, NULL);

  if ((store = cli_get_store (cli, error)) == NULL
      || (tutorial = tt_store_set_tutorial_tags (store, id,
                                                 (const char * const *) names->pdata,
                                                 error)) == NULL)
    return FALSE;

  return print_json (tt_json_tutorial (tutorial, TRUE), error);
}

/* ---- tags ------------------------------------------------------------- */

static gboolean
cmd_tag_add (Cli     *cli,
             char   **args,
             GError **error)
{
  g_autoptr(TtTag) tag = NULL;
  g_autofree char *name = NULL;
  TtStore *store;

  if ((name = text_arg (args[0], error)) == NULL
      || (store = cli_get_store (cli, error)) == NULL
      || (tag = tt_store_create_tag (store, name, error)) == NULL)
    return FALSE;

  return print_json (tt_json_tag (tag, FALSE), error);
}

/* For an operation that is asynchronous only: see run_copy(). */
static void
keep_result_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  *(GAsyncResult **) user_data = g_object_ref (result);
}

/* "Test connection"'s look, which changes nothing. */
static TtStoreProbe *
probe_location (const TtDbLocation  *location,
                const char          *password,
                GError             **error)
{
  g_autoptr(GMainContext) context = g_main_context_new ();
  g_autoptr(GAsyncResult) result = NULL;

  g_main_context_push_thread_default (context);
  tt_store_probe_async (location, password, NULL, keep_result_cb, &result);
  while (result == NULL)
    g_main_context_iteration (context, TRUE);
  g_main_context_pop_thread_default (context);

  return tt_store_probe_finish (result, error);
}

static char *
tag_lines (GListModel *tags)
{
  GString *lines = g_string_new (NULL);

  for (guint i = 0; i < g_list_model_get_n_items (tags); i++)
    {
      g_autoptr(TtTag) tag = g_list_model_get_item (tags, i);
      const char *name = tt_tag_get_name (tag);

      /* It would break the lines, and no shell word completes to it. */
      if (strpbrk (name, "\t\n\r") == NULL)
        g_string_append_printf (lines, "%" G_GINT64_FORMAT "\t%s\n",
                                tt_tag_get_id (tag), name);
    }
  return g_string_free (lines, FALSE);
}

/* "tag list --names", for shell completion. Completing a word must not
 * create a catalogue where the user is still typing its name, nor adopt
 * a database, nor migrate one, nor ask for a password: only a catalogue
 * of ours that is already there, at this program's schema version, is read. */
static gboolean
print_tag_names (GError **error)
{
  g_autoptr(TtDbLocation) location = NULL;
  g_autoptr(Secret) password = NULL;
  g_autoptr(TtStoreProbe) probe = NULL;
  g_autoptr(TtStore) store = NULL;
  g_autoptr(GListModel) tags = NULL;
  g_autofree char *lines = NULL;

  if ((location = parse_location (error)) == NULL
      || (location->backend == TT_DB_BACKEND_MYSQL
          && (password = find_password (location, PASSWORD_VARIABLE, FALSE,
                                        options.db == NULL, error)) == NULL)
      || (probe = probe_location (location, password, error)) == NULL)
    return FALSE;
  if (probe->content != TT_STORE_PROBE_CATALOGUE
      || probe->schema_version != TT_SCHEMA_VERSION)
    return TRUE;

  if ((store = tt_store_open (location, password, error)) == NULL
      || (tags = tt_store_list_tags (store, FALSE, error)) == NULL)
    return FALSE;
  tt_store_close (store);
  lines = tag_lines (tags);
  return write_text (stdout, lines, error);
}

static gboolean
cmd_tag_list (Cli     *cli,
              char   **args,
              GError **error)
{
  g_autoptr(GListModel) tags = NULL;
  TtStore *store;

  if (options.tag_names)
    return print_tag_names (error);
  if ((store = cli_get_store (cli, error)) == NULL
      || (tags = tt_store_list_tags (store, TRUE, error)) == NULL)
    return FALSE;

  return print_json (tt_json_tags (tags, TRUE), error);
}

static gboolean
cmd_tag_show (Cli     *cli,
              char   **args,
              GError **error)
{
  g_autoptr(TtTag) tag = NULL;
  TtStore *store;
  gint64 id;

  if ((store = cli_get_store_for_id (cli, args[0], &id, error)) == NULL
      || (tag = tt_store_get_tag (store, id, error)) == NULL)
    return FALSE;

  return print_json (tt_json_tag (tag, TRUE), error);
}

static gboolean
cmd_tag_rename (Cli     *cli,
                char   **args,
                GError **error)
{
  g_autoptr(TtTag) tag = NULL;
  g_autofree char *name = NULL;
  TtStore *store;
  gint64 id;

  if (!parse_id (args[0], &id, error)
      || (name = text_arg (args[1], error)) == NULL
      || (store = cli_get_store (cli, error)) == NULL
      || (tag = tt_store_rename_tag (store, id, name, NULL, error)) == NULL)
    return FALSE;

  /* Renaming onto a name that exists merges the two tags; the result is
   * the tag that was there first. */
  if (tt_tag_get_id (tag) != id)
    {
      /* Numbers formatted first: xgettext cannot read G_GINT64_FORMAT. */
      g_autofree char *old_id = g_strdup_printf ("%" G_GINT64_FORMAT, id);
      g_autofree char *new_id = g_strdup_printf ("%" G_GINT64_FORMAT, tt_tag_get_id (tag));

      g_printerr (_("%s: tag %s was merged into the existing tag “%s” (id %s)\n"),
                  PROGRAM_NAME, old_id, tt_tag_get_name (tag), new_id);
    }

  return print_json (tt_json_tag (tag, TRUE), error);
}

static gboolean
cmd_tag_rm (Cli     *cli,
            char   **args,
            GError **error)
{
  TtStore *store;
  gint64 id;

  return (store = cli_get_store_for_id (cli, args[0], &id, error)) != NULL
         && tt_store_delete_tag (store, id, error);
}

static gboolean
cmd_tag_duplicates (Cli     *cli,
                    char   **args,
                    GError **error)
{
  g_autoptr(GPtrArray) groups = NULL;
  g_autoptr(JsonArray) array = json_array_new ();
  TtStore *store;

  if ((store = cli_get_store (cli, error)) == NULL
      || (groups = tt_store_find_case_duplicates (store, error)) == NULL)
    return FALSE;

  /* One array of tags for each name that is spelt in several cases. */
  for (guint i = 0; i < groups->len; i++)
    json_array_add_element (array, tt_json_tags (g_ptr_array_index (groups, i), FALSE));

  return print_json (json_node_init_array (json_node_alloc (), array), error);
}

/* ---- links ------------------------------------------------------------- */

/* tt_store_link() or tt_store_unlink() */
typedef gboolean (*LinkFunc) (TtStore  *store,
                              gint64    tutorial_id,
                              gint64    tag_id,
                              GError  **error);

/* "link" and "unlink" take the same TUTORIAL_ID TAG_ID. */
static gboolean
run_link_command (Cli       *cli,
                  char     **args,
                  LinkFunc   change,
                  GError   **error)
{
  TtStore *store;
  gint64 tutorial_id;
  gint64 tag_id;

  return parse_id (args[0], &tutorial_id, error)
         && parse_id (args[1], &tag_id, error)
         && (store = cli_get_store (cli, error)) != NULL
         && change (store, tutorial_id, tag_id, error);
}

static gboolean
cmd_link (Cli     *cli,
          char   **args,
          GError **error)
{
  return run_link_command (cli, args, tt_store_link, error);
}

static gboolean
cmd_unlink (Cli     *cli,
            char   **args,
            GError **error)
{
  return run_link_command (cli, args, tt_store_unlink, error);
}

/* ---- export and import -------------------------------------------------- */

static gboolean
is_stdio (const char *path)
{
  return path == NULL || g_str_equal (path, "-");
}

/* "" is no file: checked before anything is opened or written. */
static gboolean
check_file_arg (const char  *path,
                GError     **error)
{
  if (path != NULL && path[0] == '\0')
    return usage_error (error, _("An empty file name; give a file, or “-” for the standard input or output"));
  return TRUE;
}

static gboolean
add_export_page (GPtrArray  *page,
                 gpointer    data,
                 GError    **error)
{
  for (guint i = 0; i < page->len; i++)
    if (!tt_json_export_writer_add_tutorial (data, page->pdata[i], error))
      return FALSE;
  return TRUE;
}

/* A page of tutorials at a time (an export of 1 000 000 tutorials held
 * 4.2 GB as one document); in id order, so that an import recreates
 * them in the same order. */
static gboolean
write_catalogue (FILE      *stream,
                 gpointer   data,
                 GError   **error)
{
  TtStore *store = data;
  g_autoptr(TtJsonExportWriter) writer = tt_json_export_writer_new (stream, !options.compact);
  g_autoptr(GListModel) tags = NULL;
  TtTutorialQuery query = { .sort = TT_SORT_BY_ID, .with_tags = TRUE };

  return tt_store_foreach_tutorial_page (store, &query, add_export_page, writer, error) &&
         (tags = tt_store_list_tags (store, FALSE, error)) != NULL &&
         tt_json_export_writer_finish (writer, tags, error);
}

static gboolean
write_root (FILE      *stream,
            gpointer   data,
            GError   **error)
{
  g_autofree char *text = json_text (data);

  return write_text (stream, text, error);
}

typedef gboolean (*WriteFunc) (FILE *stream, gpointer data, GError **error);

static gboolean
fail_on_file (const char  *path,
              int          saved_errno,
              GError     **error)
{
  g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (saved_errno),
               _("Could not write “%s”: %s"), path, g_strerror (saved_errno));
  return FALSE;
}

/* Into a new file that then replaces @path: an export that fails
 * half-way does not destroy the previous export. */
static gboolean
write_replacing (const char  *path,
                 WriteFunc    write,
                 gpointer     data,
                 GError     **error)
{
  g_autofree char *temp = g_strconcat (path, ".XXXXXX", NULL);
  int fd = g_mkstemp_full (temp, O_WRONLY, 0666);
  FILE *stream;
  gboolean ok;

  if (fd < 0)
    return fail_on_file (path, errno, error);
  if ((stream = fdopen (fd, "w")) == NULL)
    {
      close (fd);
      g_unlink (temp);
      return fail_on_file (path, errno, error);
    }

  ok = write (stream, data, error);
  if (ok && (fflush (stream) != 0 || fsync (fileno (stream)) != 0))
    ok = fail_on_file (path, errno, error);
  if (fclose (stream) != 0 && ok)
    ok = fail_on_file (path, errno, error);
  if (ok && g_rename (temp, path) != 0)
    ok = fail_on_file (path, errno, error);
  if (!ok)
    g_unlink (temp);
  return ok;
}

static gboolean
write_export (const char  *path,
              WriteFunc    write,
              gpointer     data,
              GError     **error)
{
  if (!is_stdio (path))
    return write_replacing (path, write, data, error);
  /* Nothing more to write: write_text() flushes and says if that fails. */
  return write (stdout, data, error) && write_text (stdout, "", error);
}

/* What was read, and (as the error, for exit status 8) that it is not
 * everything when damaged stretches had to be skipped. */
static gboolean
report_salvage (const TtSalvageReport  *report,
                const char             *path,
                GError                **error)
{
  g_autofree char *counts = count_text (report->n_tutorials, report->n_tags);

  if (report->n_damaged == 0)
    {
      g_printerr (_("%s: the whole catalogue could be read: %s\n"), PROGRAM_NAME, counts);
      return TRUE;
    }

  g_set_error (error, TT_STORE_ERROR, TT_STORE_ERROR_CORRUPT,
               ngettext ("The catalogue file “%s” is damaged: wrote what could be read, %s with %u links; %u damaged part of the file could not be read",
                         "The catalogue file “%s” is damaged: wrote what could be read, %s with %u links; %u damaged parts of the file could not be read",
                         report->n_damaged),
               path, counts, report->n_links, report->n_damaged);
  return FALSE;
}

static gboolean
export_salvage (const char  *path,
                GError     **error)
{
  g_autoptr(TtDbLocation) location = NULL;
  g_autoptr(JsonNode) root = NULL;
  TtSalvageReport report;

  if ((location = parse_location (error)) == NULL
      || (root = tt_salvage_export (location, &report, error)) == NULL)
    return FALSE;

  return write_export (path, write_root, root, error) && report_salvage (&report, location->path, error);
}

static gboolean
cmd_export (Cli     *cli,
            char   **args,
            GError **error)
{
  TtStore *store;

  if (!check_file_arg (args[0], error))
    return FALSE;
  if (options.salvage)
    return export_salvage (args[0], error);

  if ((store = cli_get_store (cli, error)) == NULL)
    return FALSE;
  return write_export (args[0], write_catalogue, store, error);
}

typedef struct
{
  FILE       *stream;
  const char *name;
} ImportInput;

static gboolean
read_import_input (gpointer       data,
                   TtImportSink   sink,
                   gpointer       sink_data,
                   GError       **error)
{
  ImportInput *input = data;

  return tt_json_stream_import (input->stream, input->name, sink, sink_data, error);
}

static void
report_import (guint n_tutorials,
               guint n_tags)
{
  g_autofree char *counts = count_text (n_tutorials, n_tags);

  g_printerr (_("%s: imported %s\n"), PROGRAM_NAME, counts);
}

static gboolean
import_stream (TtStore     *store,
               ImportInput *input,
               GError     **error)
{
  guint n_tutorials = 0;
  guint n_tags = 0;

  if (!tt_store_import_stream (store, read_import_input, input, &n_tutorials, &n_tags, error))
    return FALSE;
  report_import (n_tutorials, n_tags);
  return TRUE;
}

/* A writer into a pipe that stops at the first error gets no SIGPIPE
 * from us: the rest is read (up to the size an import may have) and
 * dropped, a buffer at a time, as when the whole input was read first. */
static void
drain_stdin (void)
{
  char buffer[65536];
  guint64 n_read = 0;

  while (n_read <= TT_MAX_IMPORT_BYTES && !feof (stdin) && !ferror (stdin))
    n_read += fread (buffer, 1, sizeof buffer, stdin);
}

static gboolean
cmd_import (Cli     *cli,
            char   **args,
            GError **error)
{
  g_autofree char *name = NULL;
  ImportInput input = { stdin, _("the standard input") };
  TtStore *store;
  gboolean ok;

  if (!check_file_arg (args[0], error))
    return FALSE;
  if (!is_stdio (args[0]))
    {
      /* Translators: a file name in messages, in your language's quotes */
      input.name = name = g_strdup_printf (_("“%s”"), args[0]);
      if ((input.stream = fopen (args[0], "rb")) == NULL)
        {
          int saved_errno = errno;

          g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (saved_errno),
                       _("Could not open %s: %s"), name, g_strerror (saved_errno));
          return FALSE;
        }
    }

  /* Read as it goes in, in one transaction: a bad record anywhere rolls
   * back all of it. */
  ok = (store = cli_get_store (cli, error)) != NULL && import_stream (store, &input, error);
  if (input.stream != stdin)
    fclose (input.stream);
  else if (!ok)
    drain_stdin ();
  return ok;
}

/* ---- copy --------------------------------------------------------------- */

/* On a terminal only: in a log, a line per percent would be noise. */
static void
show_progress (guint64  done,
               guint64  total,
               gpointer data)
{
  int *shown = data;
  int percent = total > 0 ? (int) (done * 100 / total) : 100;

  if (percent == *shown)
    return;

  *shown = percent;
  /* Back to the start of the line, over the last figure. */
  g_printerr ("\r");
  /* Translators: the progress of “copy”; %d is a percentage */
  g_printerr (_("%s: copying… %d%%"), PROGRAM_NAME, percent);
}

static void
report_copy (const TtCopyReport *report)
{
  g_autofree char *tutorials =
    g_strdup_printf (ngettext ("%u tutorial", "%u tutorials", report->tutorials_copied),
                     report->tutorials_copied);
  g_autofree char *tags =
    g_strdup_printf (ngettext ("%u new tag", "%u new tags", report->tags_created),
                     report->tags_created);
  g_autofree char *links =
    g_strdup_printf (ngettext ("%u link", "%u links", report->links_copied),
                     report->links_copied);
  g_autofree char *skipped =
    g_strdup_printf (ngettext ("%u tutorial already there", "%u tutorials already there",
                               report->tutorials_skipped),
                     report->tutorials_skipped);
  g_autofree char *merged =
    g_strdup_printf (ngettext ("%u tag merged by name", "%u tags merged by name",
                               report->tags_merged),
                     report->tags_merged);

  /* Translators: "tutorial-tags-cli: copied 3 tutorials, 2 new tags and
   * 5 links (1 tutorial already there, 1 tag merged by name)" */
  g_printerr (_("%s: copied %s, %s and %s (%s, %s)\n"),
              PROGRAM_NAME, tutorials, tags, links, skipped, merged);
}

/* --to, checked before anything is opened: a mistake must not cost a
 * connection or a password prompt. */
static TtDbLocation *
parse_target (GError **error)
{
  g_autoptr(GError) local_error = NULL;
  g_autoptr(TtDbLocation) source = NULL;
  g_autoptr(TtDbLocation) target = NULL;

  if (options.to == NULL)
    return usage_error (error, _("Say where to copy to with --to URI")), NULL;
  if ((target = tt_db_location_parse (options.to, &local_error)) == NULL)
    return usage_error (error, "%s", local_error->message), NULL;
  if ((source = parse_location (error)) == NULL)
    return NULL;

  if (tt_db_location_equal (source, target))
    {
      g_autofree char *target_text = tt_db_location_to_string (target);

      return usage_error (error, _("“%s” is the catalogue to copy from; --to needs another one"),
                          target_text), NULL;
    }

  return g_steal_pointer (&target);
}

static void
copy_progress_cb (TtCatalogueSwitch *copy,
                  guint64            done,
                  guint64            total,
                  gpointer           shown)
{
  show_progress (done, total, shown);
}

/* The same copy as the application's switch (TtCatalogueSwitch), which
 * is asynchronous: its steps run on a main context of our own, which
 * this thread iterates until the end. */
static TtStore *
run_copy (TtCatalogueSwitch  *copy,
          GError            **error)
{
  g_autoptr(GMainContext) context = g_main_context_new ();
  g_autoptr(GAsyncResult) result = NULL;

  g_main_context_push_thread_default (context);
  tt_catalogue_switch_run_async (copy, keep_result_cb, &result);
  while (result == NULL)
    g_main_context_iteration (context, TRUE);
  g_main_context_pop_thread_default (context);

  return tt_catalogue_switch_run_finish (copy, result, error);
}

static gboolean
cmd_copy (Cli     *cli,
          char   **args,
          GError **error)
{
  g_autoptr(TtDbLocation) location = NULL;
  g_autoptr(Secret) password = NULL;
  g_autoptr(TtCatalogueSwitch) copy = NULL;
  g_autoptr(TtStore) target = NULL;
  TtStore *source;
  int shown = -1;

  if ((location = parse_target (error)) == NULL
      || (source = cli_get_store (cli, error)) == NULL)
    return FALSE;

  /* Never the keyring's: that one belongs to the Preferences' catalogue. */
  if (location->backend == TT_DB_BACKEND_MYSQL &&
      (password = find_password (location, TARGET_PASSWORD_VARIABLE, TRUE, FALSE, error)) == NULL)
    return g_prefix_error (error, _("The target of the copy: ")), FALSE;

  copy = tt_catalogue_switch_new_copy (source, location, password);
  if (isatty (STDERR_FILENO))
    g_signal_connect (copy, "progress", G_CALLBACK (copy_progress_cb), &shown);
  target = run_copy (copy, error);
  if (shown >= 0)
    g_printerr ("\n");

  if (target == NULL)
    {
      /* Opening the target, as opposed to copying into it. */
      if (tt_catalogue_switch_get_last_step (copy) == TT_CATALOGUE_SWITCH_STATE_OPENING)
        g_prefix_error (error, _("The target of the copy: "));
      return FALSE;
    }

  report_copy (tt_catalogue_switch_get_report (copy));
  tt_store_close (target);
  return TRUE;
}

/* ---- the rest ---------------------------------------------------------- */

static gboolean
cmd_reset (Cli     *cli,
           char   **args,
           GError **error)
{
  TtStore *store;

  if (!options.yes)
    return usage_error (error, _("“reset” deletes every tutorial and tag and cannot be undone; run “%s reset --yes” if that is what you want"),
                        PROGRAM_NAME);

  return (store = cli_get_store (cli, error)) != NULL
         && tt_store_reset (store, error);
}

static gboolean
cmd_bench (Cli     *cli,
           char   **args,
           GError **error)
{
  g_autoptr(JsonNode) result = NULL;
  TtStore *store;
  guint64 n_tutorials;

  if (options.n_tutorials == NULL)
    return usage_error (error, _("Say how many tutorials with --tutorials N"));
  if (!g_ascii_string_to_unsigned (options.n_tutorials, 10, 1, G_MAXUINT,
                                   &n_tutorials, NULL))
    return usage_error (error, _("“%s” is not a number of tutorials (a whole number from 1)"),
                        options.n_tutorials);

  if ((store = cli_get_store (cli, error)) == NULL
      || (result = tt_bench_run (store, (guint) n_tutorials, error)) == NULL)
    return FALSE;

  return print_json (g_steal_pointer (&result), error);
}

/* Until SIGINT or SIGTERM: both end it with status 0. */
static gboolean
cmd_watch (Cli     *cli,
           char   **args,
           GError **error)
{
  TtStore *store = cli_get_store (cli, error);

  return store != NULL && tt_watch_run (store, stdout, error);
}

static const CliCommand commands[] = {
  { NULL, "demo", "", N_("Fill an empty catalogue with the tutorial’s example and print it"),
    0, 0, NULL, cmd_demo },
  { "tutorial", "add", N_("TITLE [DESCRIPTION]"), N_("Create a tutorial"),
    1, 2, NULL, cmd_tutorial_add },
  { "tutorial", "list", N_("[OPTION…]"), N_("List tutorials with their tags"),
    0, 0, list_entries, cmd_tutorial_list },
  { "tutorial", "show", N_("ID"), N_("Show a tutorial with its tags"),
    1, 1, NULL, cmd_tutorial_show },
  { "tutorial", "edit", N_("ID [OPTION…]"),
    N_("Change a tutorial’s title or description"), 1, 1, edit_entries, cmd_tutorial_edit },
  { "tutorial", "tags", N_("ID [NAME…]"), N_("Set a tutorial’s tags, creating missing ones"),
    1, G_MAXUINT, NULL, cmd_tutorial_tags },
  { "tutorial", "rm", N_("ID"), N_("Delete a tutorial"),
    1, 1, NULL, cmd_tutorial_rm },
  { "tag", "add", N_("NAME"), N_("Create a tag"),
    1, 1, NULL, cmd_tag_add },
  { "tag", "list", "", N_("List tags with their tutorials"),
    0, 0, tag_list_entries, cmd_tag_list },
  { "tag", "show", N_("ID"), N_("Show a tag with its tutorials"),
    1, 1, NULL, cmd_tag_show },
  { "tag", "rename", N_("ID NEW_NAME"), N_("Rename a tag; onto an existing name, merge them"),
    2, 2, NULL, cmd_tag_rename },
  { "tag", "rm", N_("ID"), N_("Delete a tag"),
    1, 1, NULL, cmd_tag_rm },
  { "tag", "duplicates", "", N_("List tags whose names differ only in case"),
    0, 0, NULL, cmd_tag_duplicates },
  { NULL, "link", N_("TUTORIAL_ID TAG_ID"), N_("Give a tutorial a tag"),
    2, 2, NULL, cmd_link },
  { NULL, "unlink", N_("TUTORIAL_ID TAG_ID"), N_("Take a tag off a tutorial"),
    2, 2, NULL, cmd_unlink },
  { NULL, "export", N_("[--salvage] [FILE]"), N_("Write everything as JSON (to stdout without FILE)"),
    0, 1, export_entries, cmd_export },
  { NULL, "import", N_("FILE"), N_("Add tutorials and tags from an export (“-” reads stdin); all or nothing"),
    1, 1, NULL, cmd_import },
  { NULL, "copy", N_("--to URI"),
    N_("Copy everything into another catalogue (tags merge by name); all or nothing"),
    0, 0, copy_entries, cmd_copy },
  { NULL, "reset", N_("--yes"), N_("Delete every tutorial and tag"),
    0, 0, reset_entries, cmd_reset },
  { NULL, "bench", N_("--tutorials N"), N_("Measure the store and print the timings"),
    0, 0, bench_entries, cmd_bench },
  { NULL, "watch", "", N_("Print a JSON line for each change others make, until Ctrl+C"),
    0, 0, NULL, cmd_watch },
};

/* ---- dispatching --------------------------------------------------------- */

/* "tag add NAME", "demo" */
static char *
command_usage (const CliCommand *command)
{
  const char *args = command->args[0] != '\0' ? _(command->args) : "";

  if (command->group != NULL)
    return g_strjoin (" ", command->group, command->name, args, NULL);
  return g_strjoin (" ", command->name, args, NULL);
}

/* The widest usage, in characters, so that translated usages line up. */
static glong
usage_column_width (void)
{
  glong widest = 0;

  for (guint i = 0; i < G_N_ELEMENTS (commands); i++)
    {
      g_autofree char *usage = command_usage (&commands[i]);

      widest = MAX (widest, g_utf8_strlen (usage, -1));
    }

  return widest;
}

/* The command list for --help; @group limits it to "tag …" or "tutorial …". */
static char *
commands_help (const char *group)
{
  GString *help = g_string_new (_("Commands:"));
  glong column = usage_column_width ();

  for (guint i = 0; i < G_N_ELEMENTS (commands); i++)
    {
      g_autofree char *usage = command_usage (&commands[i]);
      /* Padded by characters, not bytes: the arguments can hold "…". */
      glong width = g_utf8_strlen (usage, -1);

      if (group != NULL && g_strcmp0 (commands[i].group, group) != 0)
        continue;
      g_string_append_printf (help, "\n  %s%*s  %s", usage,
                              (int) (column - width), "",
                              _(commands[i].summary));
    }
  return g_string_free (help, FALSE);
}

static gboolean
is_group (const char *word)
{
  for (guint i = 0; i < G_N_ELEMENTS (commands); i++)
    if (g_strcmp0 (commands[i].group, word) == 0)
      return TRUE;
  return FALSE;
}

static const CliCommand *
lookup_command (const char *group,
                const char *name)
{
  for (guint i = 0; i < G_N_ELEMENTS (commands); i++)
    if (g_strcmp0 (commands[i].group, group) == 0
        && g_strcmp0 (commands[i].name, name) == 0)
      return &commands[i];
  return NULL;
}

static gboolean
is_help (const char *word)
{
  return g_strcmp0 (word, "--help") == 0 || g_strcmp0 (word, "-h") == 0;
}

/* "tag" alone or "tag --help": the list of what "tag" does. */
static gboolean
group_help (const char  *group,
            const char  *word,
            GError     **error)
{
  g_autofree char *help = commands_help (group);

  if (is_help (word))
    {
      g_print ("%s\n", help);
      return TRUE;
    }
  if (word == NULL)
    return usage_error (error, _("“%s” needs a command.\n%s"), group, help);
  return usage_error (error, _("“%s %s” is not a command.\n%s"), group, word, help);
}

/* Finds the command @argv (after the global options) names and how many
 * words its name takes. Without a command, either help was asked for and
 * printed, or @error says what is wrong. */
static gboolean
find_command (char              **argv,
              const CliCommand  **command,
              guint              *n_words,
              GError            **error)
{
  g_autofree char *help = NULL;

  *command = NULL;
  *n_words = 0;

  if (argv[0] == NULL)
    {
      help = commands_help (NULL);
      return usage_error (error, _("Say what to do.\n%s"), help);
    }

  if (is_group (argv[0]))
    {
      *command = lookup_command (argv[0], argv[1]);
      *n_words = 2;
      return *command != NULL || group_help (argv[0], argv[1], error);
    }

  *command = lookup_command (NULL, argv[0]);
  *n_words = 1;
  if (*command == NULL)
    return usage_error (error, _("“%s” is not a command; see “%s --help”"),
                        argv[0], PROGRAM_NAME);
  return TRUE;
}

static GOptionContext *
command_context (const CliCommand *command)
{
  g_autofree char *usage = command_usage (command);
  g_autofree char *description =
    g_strdup_printf (_("Exit statuses and database options: see “%s --help”."), PROGRAM_NAME);
  GOptionContext *context = g_option_context_new (usage);

  g_option_context_set_translation_domain (context, GETTEXT_PACKAGE);
  g_option_context_set_summary (context, _(command->summary));
  g_option_context_set_description (context, description);
  if (command->entries != NULL)
    g_option_context_add_main_entries (context, command->entries, GETTEXT_PACKAGE);
  g_option_context_add_main_entries (context, global_entries, GETTEXT_PACKAGE);
  g_option_context_add_main_entries (context, argument_entries, GETTEXT_PACKAGE);
  return context;
}

/* "-5 tips" looks like an option to GOption: say how to give it as text. */
static void
explain_unknown_option (GError *error)
{
  char *message;

  if (!g_error_matches (error, G_OPTION_ERROR, G_OPTION_ERROR_UNKNOWN_OPTION))
    return;

  message = g_strdup_printf (_("%s (text that starts with “-” goes after “--”, as in: %s tutorial add -- \"-5 tips\")"),
                             error->message, PROGRAM_NAME);
  g_free (error->message);
  error->message = message;
}

static gboolean
check_arg_count (const CliCommand  *command,
                 char             **args,
                 GError           **error)
{
  g_autofree char *usage = command_usage (command);
  guint n_args = g_strv_length (args);

  if (n_args < command->min_args)
    return usage_error (error, _("Missing arguments; usage: %s %s"), PROGRAM_NAME, usage);
  if (n_args > command->max_args)
    return usage_error (error, _("Too many arguments; usage: %s %s"), PROGRAM_NAME, usage);
  return TRUE;
}

/* @args: the program name, then what follows the command's name. */
static gboolean
run_command (const CliCommand  *command,
             char            ***args,
             GError           **error)
{
  g_autoptr(GOptionContext) context = command_context (command);
  static char *no_arguments[] = { NULL };
  char **arguments;
  Cli cli = { NULL };
  gboolean ok;

  if (!g_option_context_parse_strv (context, args, error))
    {
      explain_unknown_option (*error);
      return FALSE;
    }

  arguments = options.arguments != NULL ? options.arguments : no_arguments;
  if (!check_arg_count (command, arguments, error))
    return FALSE;

  ok = command->run (&cli, arguments, error);
  g_clear_object (&cli.store);
  return ok;
}

static GOptionContext *
main_context (void)
{
  g_autofree char *commands_text = commands_help (NULL);
  GOptionContext *context = g_option_context_new (_("COMMAND [ARGUMENT…]"));

  g_option_context_set_translation_domain (context, GETTEXT_PACKAGE);
  g_option_context_set_summary (context, commands_text);
  g_option_context_set_description (context, _(EXIT_STATUS_HELP));
  g_option_context_add_main_entries (context, global_entries, GETTEXT_PACKAGE);
  g_option_context_add_main_entries (context, version_entries, GETTEXT_PACKAGE);
  /* Stop at the command: what follows belongs to it. */
  g_option_context_set_strict_posix (context, TRUE);
  return context;
}

/* Takes @args and leaves what is left of it there. */
static gboolean
run (char   ***args,
     GError  **error)
{
  g_autoptr(GOptionContext) context = main_context ();
  g_auto(GStrv) command_args = NULL;
  const CliCommand *command;
  guint n_words;

  if (!g_option_context_parse_strv (context, args, error))
    return FALSE;
  if (options.version)
    return write_text (stdout, PROGRAM_NAME " " PACKAGE_VERSION "\n", error);

  if (!find_command (*args + 1, &command, &n_words, error))
    return FALSE;
  if (command == NULL)
    return TRUE;

  /* The command sees the program name and then its own arguments. */
  command_args = g_strdupv (*args + n_words);
  g_free (command_args[0]);
  command_args[0] = g_strdup ((*args)[0]);
  return run_command (command, &command_args, error);
}

static int
cli_exit_status (CliError code)
{
  switch (code)
    {
    case CLI_ERROR_USAGE:
      return TT_EXIT_USAGE;
    case CLI_ERROR_INVALID_INPUT:
      return TT_EXIT_INVALID_INPUT;
    case CLI_ERROR_NO_PASSWORD:
      return TT_EXIT_CONNECTION;
    case CLI_ERROR_NOT_EMPTY:
    default:
      return TT_EXIT_FAILED;
    }
}

static int
exit_status (const GError *error)
{
  if (error->domain == CLI_ERROR)
    return cli_exit_status (error->code);
  if (error->domain == G_OPTION_ERROR)
    return TT_EXIT_USAGE;
  if (error->domain == TT_STORE_ERROR)
    return tt_error_get_exit_status (error);
  if (error->domain == JSON_PARSER_ERROR
      || g_error_matches (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA))
    return TT_EXIT_INVALID_INPUT;
  return TT_EXIT_FAILED;
}

int
main (int    argc,
      char **argv)
{
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) args = g_strdupv (argv);
  int status = TT_EXIT_OK;

  tt_i18n_init ();
  g_set_prgname (PROGRAM_NAME);

  if (!run (&args, &error))
    {
      status = error != NULL ? exit_status (error) : TT_EXIT_FAILED;
      g_printerr ("%s: %s\n", PROGRAM_NAME,
                  error != NULL ? error->message : _("Unknown error"));
      if (error != NULL && error->domain == G_OPTION_ERROR)
        g_printerr (_("Try “%s --help”.\n"), PROGRAM_NAME);
      if (g_error_matches (error, TT_STORE_ERROR, TT_STORE_ERROR_CORRUPT) && !options.salvage)
        g_printerr (_("%s (“%s export --salvage FILE” writes what can still be read.)\n"),
                    tt_error_get_hint (error), PROGRAM_NAME);
    }

  options_clear ();
  return status;
}
