/* test-fuzz.c: generated imports and command lines through the real CLI
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A bounded fuzz test on the backend the test runs for. Every case runs
 * tutorial-tags-cli and is judged by what must hold for any input: the
 * exit status is a documented one and no signal, a failure says why on
 * stderr and changes nothing (the export before and after is the same,
 * times included), and after a success every stored title, description
 * and tag name keeps the input rules. Imports only ever exit 0 or 5; an
 * import built from valid parts only must succeed, and one broken in a
 * way no reading can mend (a NUL, nesting, not JSON) must exit 5.
 *
 * The seed is printed; TT_FUZZ_SEED=N repeats a run, TT_FUZZ_VERBOSE=1
 * prints every case with its exit status.
 */

#include "config.h"

#include <string.h>

#include <glib/gstdio.h>
#include <json-glib/json-glib.h>

#include "tt-rules.h"
#include "tt-tag.h"
#include "tt-test-cli.h"
#include "tt-test-fixture.h"

#define DEFAULT_SEED      20261204
/* Cases a run, 2 in 5 of them imports; TT_FUZZ_CASES=N changes it (the
 * sanitizer leg of build-aux/run-tests.sh runs fewer, each one slower). */
#define DEFAULT_CASES     500
/* A catalogue that grows past this is reset, so that exports stay cheap. */
#define MAX_TUTORIALS     150

typedef struct
{
  GRand      *rand;
  guint32     seed;
  char       *db;        /* --db of the catalogue under test */
  char       *dir;       /* files the cases read and write */
  char       *state;     /* the catalogue's export, after the last case */
  char       *what;      /* the case running, for messages */
  guint       n_imports;        /* to run */
  guint       n_command_lines;
  guint       n_cases;          /* run */
  guint       n_failed;
  guint       by_status[8];
} Fuzz;

static Fuzz fuzz;

/* ---- running the CLI ---------------------------------------------------- */

static char *
describe_argv (const char * const *argv)
{
  GString *text = g_string_new (NULL);

  for (guint i = 0; argv[i] != NULL; i++)
    {
      g_autofree char *escaped = g_strescape (argv[i], NULL);

      if (strlen (escaped) > 80)
        escaped[80] = '\0';
      g_string_append_printf (text, "%s“%s”", i > 0 ? " " : "", escaped);
    }
  return g_string_free (text, FALSE);
}

static GSubprocessLauncher *
launcher_new (void)
{
  GSubprocessLauncher *launcher = tt_test_cli_launcher ();

  /* Any MySQL location, the test server's or a wrong one, gets this
   * password: no case waits for a prompt. */
  g_subprocess_launcher_setenv (launcher, TT_TEST_DB_PASSWORD_VARIABLE,
                                tt_test_password () != NULL ? tt_test_password () : "none", TRUE);
  g_subprocess_launcher_setenv (launcher, TT_TEST_TARGET_PASSWORD_VARIABLE, "none", TRUE);
  return launcher;
}

/* Runs the CLI with @argv (without the program) and @input on stdin;
 * a signal ends the test with the seed and the case. */
static CliRun *
run_cli (const char * const *argv,
         GBytes             *input)
{
  g_autoptr(GSubprocessLauncher) launcher = launcher_new ();
  g_autoptr(GPtrArray) full = g_ptr_array_new ();
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GBytes) out = NULL;
  g_autoptr(GBytes) err = NULL;
  g_autoptr(GBytes) empty = g_bytes_new (NULL, 0);
  g_autoptr(GError) error = NULL;
  CliRun *run = g_new0 (CliRun, 1);

  g_ptr_array_add (full, (gpointer) TT_CLI_PATH);
  for (guint i = 0; argv[i] != NULL; i++)
    g_ptr_array_add (full, (gpointer) argv[i]);
  g_ptr_array_add (full, NULL);

  process = g_subprocess_launcher_spawnv (launcher, (const char * const *) full->pdata, &error);
  g_assert_no_error (error);
  g_subprocess_communicate (process, input != NULL ? input : empty, NULL, &out, &err, &error);
  g_assert_no_error (error);
  if (!g_subprocess_get_if_exited (process))
    g_error ("%s: killed by signal %d", fuzz.what, g_subprocess_get_term_sig (process));

  run->status = g_subprocess_get_exit_status (process);
  run->out = tt_test_bytes_to_string (out);
  run->err = tt_test_bytes_to_string (err);
  return run;
}

/* ---- what must hold after every case -------------------------------------- */

static void
check_tutorial (JsonObject *tutorial)
{
  g_autoptr(GError) error = NULL;
  const char *title = json_object_get_string_member (tutorial, "title");
  const char *description = json_object_get_string_member (tutorial, "description");

  if (!tt_rules_check_title (title, &error) || !tt_rules_check_description (description, &error))
    g_error ("%s: stored “%s”: %s", fuzz.what, title, error->message);
}

/* Every tag name as the rules make it, and no two equal regardless of
 * case. */
static void
check_tags (JsonArray *tags)
{
  g_autoptr(GHashTable) keys = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);

  for (guint i = 0; i < json_array_get_length (tags); i++)
    {
      const char *name = json_object_get_string_member (json_array_get_object_element (tags, i), "name");
      g_autoptr(GError) error = NULL;
      g_autofree char *clean = tt_rules_clean_tag_name (name, &error);
      char *key = tt_tag_name_key (name);

      if (clean == NULL || g_strcmp0 (clean, name) != 0)
        g_error ("%s: stored tag name “%s” breaks the rules", fuzz.what, name);
      if (!g_hash_table_add (keys, key))
        g_error ("%s: two tags named “%s” regardless of case", fuzz.what, name);
    }
}

static guint
check_rules (const char *export_text)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  JsonObject *root;
  JsonArray *tutorials;

  json_parser_load_from_data (parser, export_text, -1, &error);
  g_assert_no_error (error);
  root = json_node_get_object (json_parser_get_root (parser));
  tutorials = json_object_get_array_member (root, "tutorials");
  for (guint i = 0; i < json_array_get_length (tutorials); i++)
    check_tutorial (json_array_get_object_element (tutorials, i));
  check_tags (json_object_get_array_member (root, "tags"));
  return json_array_get_length (tutorials);
}

static char *
export_catalogue (void)
{
  const char *argv[] = { "--db", fuzz.db, "--compact", "export", NULL };
  g_autoptr(CliRun) run = run_cli (argv, NULL);

  if (run->status != 0)
    g_error ("%s: the export after it failed: %s", fuzz.what, run->err);
  return g_steal_pointer (&run->out);
}

static void
reset_catalogue (void)
{
  const char *argv[] = { "--db", fuzz.db, "reset", "--yes", NULL };
  g_autoptr(CliRun) run = run_cli (argv, NULL);

  g_assert_cmpint (run->status, ==, 0);
  g_free (fuzz.state);
  fuzz.state = export_catalogue ();
}

#define ANY_STATUS (-1)

/* The documented statuses (tutorial-tags-cli --help, TtExitStatus);
 * @expected: the one status this case must have, or ANY_STATUS. */
static void
check_case (const CliRun *run,
            gboolean      is_import,
            int           expected)
{
  g_autofree char *after = NULL;

  fuzz.n_cases++;
  if (g_getenv ("TT_FUZZ_VERBOSE") != NULL)
    g_test_message ("%s -> %d %.300s", fuzz.what, run->status, run->err);
  /* 8 (a damaged file) is documented too, but nothing here damages one:
   * it would be a bug. */
  if (run->status < 0 || run->status > 7)
    g_error ("%s: exit status %d is not documented, or (8) says a sound file is damaged",
             fuzz.what, run->status);
  fuzz.by_status[run->status]++;
  if (is_import && run->status != 0 && run->status != 5)
    g_error ("%s: an import exited with %d: %s", fuzz.what, run->status, run->err);
  if (expected != ANY_STATUS && run->status != expected)
    g_error ("%s: exited with %d instead of %d: %s", fuzz.what, run->status, expected, run->err);

  after = export_catalogue ();
  if (run->status != 0)
    {
      fuzz.n_failed++;
      if (!g_str_has_prefix (run->err, "tutorial-tags-cli: "))
        g_error ("%s: failed (%d) without saying why: “%s”", fuzz.what, run->status, run->err);
      if (g_strcmp0 (after, fuzz.state) != 0)
        g_error ("%s: failed (%d) but changed the catalogue", fuzz.what, run->status);
      return;
    }

  if (check_rules (after) > MAX_TUTORIALS)
    {
      reset_catalogue ();
      return;
    }
  g_free (fuzz.state);
  fuzz.state = g_steal_pointer (&after);
}

/* ---- text ------------------------------------------------------------------ */

static gboolean
chance (double probability)
{
  return g_rand_double (fuzz.rand) < probability;
}

static const char *
pick (const char * const *list,
      guint               n_items)
{
  return list[g_rand_int_range (fuzz.rand, 0, n_items)];
}

#define PICK(list) pick ((list), G_N_ELEMENTS (list))

/* Each valid on its own as a title and a tag name; some the same
 * regardless of case. */
static const char * const valid_words[] = {
  "Rust", "rust", "RUST", "GTK 4", "Tut#1", "Tag#1", "tag#1", "-5 tips", "--", "-", "--help",
  "--db", "'); DROP TABLE tags; --", "🦀", "שלום עולם", "e\xcc\x81", "Straße", "STRASSE", "ǅ",
  "\"quoted\"", "back\\slash", "%s%n", "İstanbul", "i̇stanbul", "a\\u0000b", "[[{{", "日本語",
};

/* Refused or special somewhere: empty, only spaces, control characters,
 * not UTF-8. */
static const char * const odd_words[] = {
  "", " ", "\t", "  padded  ", "a\nb", "\x01", "\xff\xfe", "a\xc3", "\xed\xa0\x80", "\xc0\xaf",
  "\xe2\x80\xae", "\xef\xbb\xbf", "\xc2\xa0",
};

/* 1 to 255 characters, never only spaces. */
static char *
valid_text (void)
{
  GString *text = g_string_new (PICK (valid_words));
  guint n_more = g_rand_int_range (fuzz.rand, 0, 3);

  for (guint i = 0; i < n_more; i++)
    g_string_append_printf (text, " %s", PICK (valid_words));
  if (chance (0.05))
    g_string_assign (text, "");
  while (text->len > 0 && text->len < 255 && chance (0.05))
    g_string_append_c (text, 'x');
  if (text->len == 0)
    while (text->len < 255)
      g_string_append_c (text, 'x');
  return g_string_free (text, FALSE);
}

/* Anything: valid text, odd words, at and over the length limits. */
static char *
any_text (void)
{
  static const guint lengths[] = { 254, 255, 256, 300, 65536, 65537, 70000 };
  double dice = g_rand_double (fuzz.rand);

  if (dice < 0.6)
    return valid_text ();
  if (dice < 0.85)
    return g_strdup (PICK (odd_words));
  if (dice < 0.95)
    return g_strnfill (lengths[g_rand_int_range (fuzz.rand, 0, 4)], chance (0.5) ? 'y' : ' ');
  return g_strnfill (lengths[g_rand_int_range (fuzz.rand, 4, G_N_ELEMENTS (lengths))], 'z');
}

/* ---- imports ----------------------------------------------------------------- */

/* @text as a JSON string; bytes beyond ASCII as they are (so text that is
 * not UTF-8 stays so), or as \u escapes (surrogate pairs included) when
 * @escape_unicode and the text is UTF-8. */
static void
append_json_string (GString    *json,
                    const char *text,
                    gboolean    escape_unicode)
{
  gboolean utf8 = g_utf8_validate (text, -1, NULL);

  g_string_append_c (json, '"');
  for (const char *p = text; *p != '\0'; p = utf8 ? g_utf8_next_char (p) : p + 1)
    {
      gunichar c = utf8 ? g_utf8_get_char (p) : (guchar) *p;

      if (c == '"' || c == '\\')
        g_string_append_printf (json, "\\%c", (char) c);
      else if (c < 0x20)
        g_string_append_printf (json, "\\u%04x", c);
      else if (c < 0x80 || !utf8)
        g_string_append_c (json, *p);
      else if (!escape_unicode)
        g_string_append_len (json, p, g_utf8_next_char (p) - p);
      else if (c < 0x10000)
        g_string_append_printf (json, "\\u%04X", c);
      else
        g_string_append_printf (json, "\\u%04x\\u%04x", 0xd800 + ((c - 0x10000) >> 10),
                                0xdc00 + ((c - 0x10000) & 0x3ff));
    }
  g_string_append_c (json, '"');
}

typedef struct
{
  GString  *json;
  gboolean  valid;           /* only valid parts so far */
  gboolean  escape_unicode;
} ImportText;

static void
append_text_member (ImportText *import,
                    const char *name,
                    gboolean    may_be_odd)
{
  g_autofree char *text = NULL;

  /* any_text() may well be valid too, but only valid_text() is sure. */
  if (may_be_odd && chance (0.3))
    {
      text = any_text ();
      import->valid = FALSE;
    }
  else
    text = valid_text ();

  g_string_append_printf (import->json, "\"%s\": ", name);
  append_json_string (import->json, text, import->escape_unicode);
}

static const char * const valid_times[] = {
  "2020-01-02T03:04:05Z", "2026-11-25T17:46:18.000Z", "2026-11-25 17:46:18",
  "1999-12-31T23:59:59+05:30", "2038-01-19T03:14:08Z",
};
static const char * const odd_times[] = {
  "2026-13-45T25:61:61Z", "0000-00-00 00:00:00", "9999-12-31T23:59:59.999Z", "1970-01-01T00:00:00Z",
  "yesterday", "", "2026-02-30T00:00:00Z", "+275760-09-13T00:00:00Z", "0001-01-01T00:00:00Z",
  "1000-01-01T00:00:00-14:00", "2026-11-25T17:46:18.123456789Z",
};

static void
append_times (ImportText *import)
{
  const char * const members[] = { "createdAt", "updatedAt" };

  for (guint i = 0; i < G_N_ELEMENTS (members); i++)
    {
      gboolean odd = chance (0.1);

      if (chance (0.3))
        continue;
      import->valid = import->valid && !odd;
      g_string_append_printf (import->json, ", \"%s\": ", members[i]);
      append_json_string (import->json, odd ? PICK (odd_times) : PICK (valid_times), FALSE);
    }
}

static void
append_tag (ImportText *import,
            gboolean    as_string)
{
  g_autofree char *name = valid_text ();

  if (as_string)
    {
      append_json_string (import->json, name, import->escape_unicode);
      return;
    }
  g_string_append (import->json, "{ ");
  append_text_member (import, "name", TRUE);
  append_times (import);
  g_string_append (import->json, " }");
}

static void
append_tutorial (ImportText *import)
{
  guint n_tags = g_rand_int_range (fuzz.rand, 0, 4);

  g_string_append (import->json, "{ ");
  append_text_member (import, "title", TRUE);
  if (chance (0.7))
    {
      g_string_append (import->json, ", ");
      append_text_member (import, "description", FALSE);
    }
  append_times (import);
  g_string_append (import->json, ", \"tags\": [ ");
  for (guint i = 0; i < n_tags; i++)
    {
      if (i > 0)
        g_string_append (import->json, ", ");
      append_tag (import, chance (0.5));
    }
  g_string_append (import->json, " ] }");
}

typedef void (*AppendItemFunc) (ImportText *import);

static void
append_list (ImportText     *import,
             AppendItemFunc  append_item,
             guint           max_items)
{
  guint n_items = g_rand_int_range (fuzz.rand, 0, max_items + 1);

  g_string_append (import->json, "[ ");
  for (guint i = 0; i < n_items; i++)
    {
      if (i > 0)
        g_string_append (import->json, ", ");
      append_item (import);
    }
  g_string_append (import->json, " ]");
}

static void
append_listed_tag (ImportText *import)
{
  append_tag (import, FALSE);
}

/* The three shapes import reads: an export, a bare array of tutorials,
 * and (the demo's) tags with their tutorials, here without tutorials. */
static ImportText
generate_import (void)
{
  ImportText import = { g_string_new (NULL), TRUE, chance (0.3) };

  switch (g_rand_int_range (fuzz.rand, 0, 3))
    {
    case 0:
      g_string_append (import.json, "{ \"tutorials\": ");
      append_list (&import, append_tutorial, 4);
      g_string_append (import.json, ", \"tags\": ");
      append_list (&import, append_listed_tag, 4);
      g_string_append (import.json, " }");
      break;
    case 1:
      append_list (&import, append_tutorial, 4);
      break;
    default:
      append_list (&import, append_listed_tag, 4);
      break;
    }
  return import;
}

/* Breaks the text in one of the ways files break; TRUE when no reader
 * may take what is left. */
static gboolean
mutate (GString *json)
{
  static const guint depths[] = { 63, 64, 65, 1000, 100000 };
  static const char * const garbage[] = { " {}", "x", " /* c */", ",", "\xff", "]", "\n[1]" };
  guint at = g_rand_int_range (fuzz.rand, 0, json->len + 1);
  const char *quote = strchr (json->str + at, '"');
  guint depth;

  switch (g_rand_int_range (fuzz.rand, 0, 9))
    {
    case 0:
      g_string_truncate (json, at);
      return FALSE;
    case 1:
      g_string_insert (json, quote != NULL ? quote - json->str + 1 : at, "\\u0000");
      break;
    case 2:
      g_string_insert_c (json, at, '\0');
      break;
    case 3:
      g_string_insert_c (json, quote != NULL ? quote - json->str + 1 : at, '\xff');
      break;
    case 4:
      depth = depths[g_rand_int_range (fuzz.rand, 0, G_N_ELEMENTS (depths))];
      g_string_assign (json, "{ \"tutorials\": ");
      for (guint i = 0; i < depth; i++)
        g_string_append_c (json, '[');
      for (guint i = 0; i < depth; i++)
        g_string_append_c (json, ']');
      g_string_append (json, " }");
      break;
    case 5:
      g_string_replace (json, "\"title\": ", chance (0.5) ? "\"title\": 12, \"x\": " : "\"title\": [], \"x\": ", 1);
      g_string_replace (json, "\"tags\": [", "\"tags\": 5, \"y\": [", 1);
      return FALSE;
    case 6:
      g_string_append (json, PICK (garbage));
      break;
    case 7:
      if (quote == NULL)
        return FALSE;
      json->str[quote - json->str] = '\'';
      break;
    default:
      /* Editors write one; it is skipped. */
      g_string_prepend (json, "\xef\xbb\xbf");
      return FALSE;
    }
  return TRUE;
}

/* Titles and descriptions at and over their limits, and a string far
 * over any. */
static char *
huge_import (void)
{
  static const gsize sizes[] = { 65536, 65537, 1 << 20 };
  gsize size = sizes[g_rand_int_range (fuzz.rand, 0, G_N_ELEMENTS (sizes))];
  g_autofree char *long_text = g_strnfill (size, 'h');
  const char *member = chance (0.5) ? "description" : "title";

  return g_strdup_printf ("[ { \"title\": \"Huge\", \"%s\": \"%s\" } ]", member, long_text);
}

static void
run_import (guint n)
{
  ImportText import = { NULL, FALSE, FALSE };
  int expected = ANY_STATUS;
  g_autoptr(GString) json = NULL;
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(CliRun) run = NULL;
  g_autofree char *path = g_build_filename (fuzz.dir, "import.json", NULL);
  gboolean from_file = chance (0.5);
  const char *argv[] = { "--db", fuzz.db, "import", from_file ? path : "-", NULL };

  if (chance (0.05))
    {
      g_autofree char *huge = huge_import ();

      json = g_string_new (huge);
    }
  else
    {
      import = generate_import ();
      json = g_steal_pointer (&import.json);
      if (chance (0.5))
        expected = mutate (json) ? 5 : ANY_STATUS;
      else if (import.valid)
        expected = 0;
    }

  bytes = g_bytes_new (json->str, json->len);
  if (from_file)
    {
      g_autoptr(GError) error = NULL;

      g_file_set_contents (path, json->str, json->len, &error);
      g_assert_no_error (error);
    }

  g_free (fuzz.what);
  fuzz.what = g_strdup_printf ("seed %u, import %u (%" G_GSIZE_FORMAT " bytes, %.60s…)",
                               fuzz.seed, n, json->len, json->str);
  run = run_cli (argv, from_file ? NULL : bytes);
  check_case (run, TRUE, expected);
}

/* ---- command lines ----------------------------------------------------------- */

typedef struct
{
  const char *words;       /* the command's name */
  const char *arguments;   /* I: id, T: text, N: tag name, *: more names, E: export file, F: import file */
  const char *options;     /* which options it takes, see add_option() */
} Command;

static const Command commands[] = {
  { "demo", "", "" },
  { "tutorial add", "TT", "" },
  { "tutorial list", "", "tasrd" },
  { "tutorial show", "I", "" },
  { "tutorial edit", "I", "ex" },
  { "tutorial tags", "IN*", "" },
  { "tutorial rm", "I", "" },
  { "tag add", "N", "" },
  { "tag list", "", "" },
  { "tag show", "I", "" },
  { "tag rename", "IN", "" },
  { "tag rm", "I", "" },
  { "tag duplicates", "", "" },
  { "link", "II", "" },
  { "unlink", "II", "" },
  { "export", "E", "" },
  { "import", "F", "" },
  { "copy", "", "o" },
  { "reset", "", "y" },
  { "bench", "", "b" },
  { "frobnicate", "T", "" },
  { "tutorial", "", "" },
  { "tag frob", "N", "" },
  { "", "", "" },
};

static const char * const ids[] = {
  "1", "2", "3", "4", "5", "7", "20", "0", "-1", "abc", "", " 1", "1e3", "0x1", "99999999999999999999",
  "9223372036854775807", "1.0", "+1",
};

static const char *
file_for_export (GPtrArray *owned)
{
  static const char * const names[] = { "out.json", "-", "", "missing/out.json", NULL };
  const char *name = names[g_rand_int_range (fuzz.rand, 0, G_N_ELEMENTS (names))];

  if (name == NULL || g_str_equal (name, "-") || g_str_equal (name, ""))
    return name != NULL ? name : "-";
  g_ptr_array_add (owned, g_build_filename (fuzz.dir, name, NULL));
  return g_ptr_array_index (owned, owned->len - 1);
}

static const char *
file_for_import (GPtrArray *owned)
{
  static const char * const names[] = { "import.json", "out.json", "missing.json", "", "-" };
  const char *name = PICK (names);

  if (chance (0.1))
    return fuzz.dir;    /* a folder */
  if (g_str_equal (name, "-") || g_str_equal (name, ""))
    return name;
  g_ptr_array_add (owned, g_build_filename (fuzz.dir, name, NULL));
  return g_ptr_array_index (owned, owned->len - 1);
}

/* Text the case owns, in @owned. */
static const char *
owned_text (GPtrArray *owned,
            char      *text)
{
  g_ptr_array_add (owned, text);
  return text;
}

static void
add_argument (GPtrArray *argv,
              GPtrArray *owned,
              char       kind)
{
  switch (kind)
    {
    case 'I':
      g_ptr_array_add (argv, (gpointer) PICK (ids));
      break;
    case 'E':
      g_ptr_array_add (argv, (gpointer) file_for_export (owned));
      break;
    case 'F':
      g_ptr_array_add (argv, (gpointer) file_for_import (owned));
      break;
    default:
      g_ptr_array_add (argv, (gpointer) owned_text (owned, any_text ()));
      break;
    }
}

static const char *
bad_location (GPtrArray *owned)
{
  static const char * const locations[] = {
    "mysql://tt:secret@127.0.0.1:1/x", "mysql://tt@127.0.0.1:99999/x", "mysql://tt@127.0.0.1:abc/x",
    "mysql://tt@127.0.0.1:1/x", "mysql://@/", "mysql://", "sqlite:", "postgres://x", "",
    "mysql://tt@127.0.0.1/a/b", "mysql://tt@127.0.0.1:1/x?tls=maybe", "mysql://tt@127.0.0.1:1/x?tls=required",
    "mysql://tt@[::1/x", "mysql://t%00t@127.0.0.1/d", "mysql://tt@127.0.0.1:1/d#x", "\xff",
    "mysql://tt@127.0.0.1:1/x?socket=", "mysql://tt@127.0.0.1:1/x?tsl=required",
  };

  if (chance (0.2))
    return owned_text (owned, g_strdup_printf ("sqlite:%s/other.db", fuzz.dir));
  if (chance (0.1))
    return owned_text (owned, g_strdup_printf ("sqlite:%s/missing/deeper/x.db", fuzz.dir));
  if (chance (0.1))
    return owned_text (owned, g_strdup_printf ("sqlite:%s", fuzz.dir));
  return PICK (locations);
}

static void
add_option (GPtrArray *options,
            GPtrArray *owned,
            char       code)
{
  static const char * const sorts[] = { "id", "title", "created", "updated", "size", "", "TITLE" };
  static const char * const counts[] = { "0", "-1", "abc", "", "10x", "99999999999", " 5" };
  static const char * const others[] = {
    "--frobnicate", "-x", "--help", "--compact", "--untagged", "--password", "--yes", "--all-tags",
    "--tag", "--db", "-", "--title=", "--search=--",
  };

  const char *name = NULL;
  const char *value = NULL;

  switch (code)
    {
    case 't': name = "--tag"; value = PICK (ids); break;
    case 'a': name = chance (0.5) ? "--all-tags" : "--untagged"; break;
    case 's': name = "--search"; value = owned_text (owned, any_text ()); break;
    case 'r': name = "--sort"; value = PICK (sorts); break;
    case 'd': name = "--descending"; break;
    case 'e': name = "--title"; value = owned_text (owned, any_text ()); break;
    case 'x': name = "--description"; value = owned_text (owned, any_text ()); break;
    case 'o': name = "--to"; value = bad_location (owned); break;
    case 'y': name = "--yes"; break;
    case 'b': name = "--tutorials"; value = PICK (counts); break;
    default: name = PICK (others); break;
    }

  g_ptr_array_add (options, (gpointer) name);
  if (value != NULL)
    g_ptr_array_add (options, (gpointer) value);
}

/* The command's arguments, sometimes one too many or too few. */
static void
add_arguments (GPtrArray     *argv,
               GPtrArray     *owned,
               const Command *command)
{
  for (const char *kind = command->arguments; *kind != '\0'; kind++)
    {
      if (*kind == '*')
        for (guint n = g_rand_int_range (fuzz.rand, 0, 4); n > 0; n--)
          add_argument (argv, owned, 'N');
      else if (kind != command->arguments && kind[1] == '\0' && chance (0.2))
        continue;
      else
        add_argument (argv, owned, *kind);
    }
  if (chance (0.1))
    add_argument (argv, owned, chance (0.5) ? 'I' : 'T');
}

/* Options at random places after the command's name, and "--" somewhere. */
static void
mix_in (GPtrArray  *argv,
        guint       first,
        GPtrArray  *extra)
{
  for (guint i = 0; i < extra->len; i++)
    {
      guint at = g_rand_int_range (fuzz.rand, first, argv->len + 1);

      g_ptr_array_insert (argv, at, g_ptr_array_index (extra, i));
    }
}

static GPtrArray *
generate_command_line (GPtrArray *owned)
{
  const Command *command = &commands[g_rand_int_range (fuzz.rand, 0, G_N_ELEMENTS (commands))];
  g_auto(GStrv) words = g_strsplit (command->words, " ", -1);
  g_autoptr(GPtrArray) options = g_ptr_array_new ();
  GPtrArray *argv = g_ptr_array_new ();
  guint first;

  g_ptr_array_add (argv, (gpointer) "--db");
  g_ptr_array_add (argv, (gpointer) (chance (0.1) ? bad_location (owned) : fuzz.db));
  for (guint i = 0; words[i] != NULL && words[i][0] != '\0'; i++)
    g_ptr_array_add (argv, (gpointer) owned_text (owned, g_strdup (words[i])));
  first = argv->len;

  add_arguments (argv, owned, command);
  for (const char *code = command->options; *code != '\0'; code++)
    if (chance (0.4))
      add_option (options, owned, *code);
  if (chance (0.15))
    add_option (options, owned, '?');
  mix_in (argv, first, options);
  if (chance (0.3))
    g_ptr_array_insert (argv, g_rand_int_range (fuzz.rand, chance (0.9) ? first : 0, argv->len + 1),
                        (gpointer) "--");
  g_ptr_array_add (argv, NULL);
  return argv;
}

static void
run_command_line (guint n)
{
  g_autoptr(GPtrArray) owned = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) argv = generate_command_line (owned);
  g_autofree char *described = describe_argv ((const char * const *) argv->pdata);
  g_autoptr(CliRun) run = NULL;

  g_free (fuzz.what);
  fuzz.what = g_strdup_printf ("seed %u, command line %u: %s", fuzz.seed, n, described);
  run = run_cli ((const char * const *) argv->pdata, NULL);
  check_case (run, FALSE, ANY_STATUS);
}

/* ---- the test ---------------------------------------------------------------- */

static guint
fuzz_n_cases (void)
{
  const char *text = g_getenv ("TT_FUZZ_CASES");
  guint64 n;

  if (text == NULL)
    return DEFAULT_CASES;
  if (!g_ascii_string_to_unsigned (text, 10, 5, 100000, &n, NULL))
    g_error ("TT_FUZZ_CASES=%s is not a number from 5 to 100000", text);
  return (guint) n;
}

static guint32
fuzz_seed (void)
{
  const char *text = g_getenv ("TT_FUZZ_SEED");
  guint64 seed;

  if (text == NULL)
    return DEFAULT_SEED;
  if (!g_ascii_string_to_unsigned (text, 10, 0, G_MAXUINT32, &seed, NULL))
    g_error ("TT_FUZZ_SEED=%s is not a number from 0 to %u", text, G_MAXUINT32);
  return (guint32) seed;
}

static void
remove_dir (const char *path)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *child = g_build_filename (path, name, NULL);

      if (g_file_test (child, G_FILE_TEST_IS_DIR))
        remove_dir (child);
      else
        g_unlink (child);
    }
  g_rmdir (path);
}

static void
report (gint64 started)
{
  g_autoptr(GString) statuses = g_string_new (NULL);

  for (guint i = 0; i < G_N_ELEMENTS (fuzz.by_status); i++)
    g_string_append_printf (statuses, " %u:%u", i, fuzz.by_status[i]);
  g_test_message ("fuzz seed %u (TT_FUZZ_SEED repeats it): %u cases (%u imports, %u command lines)"
                  " in %.1f s; %u failed as refusals, none crashed or broke a rule;"
                  " exit statuses%s",
                  fuzz.seed, fuzz.n_cases, fuzz.n_imports, fuzz.n_command_lines,
                  (g_get_monotonic_time () - started) / 1e6, fuzz.n_failed, statuses->str);
}

static void
test_fuzz (void)
{
  g_autoptr(TtStore) store = tt_test_open_store ();
  g_autoptr(GError) error = NULL;
  gint64 started = g_get_monotonic_time ();
  guint n_imports = 0;
  guint n_command_lines = 0;

  if (store == NULL)
    return;
  /* The CLI opens the catalogue on its own. */
  fuzz.db = tt_test_location_uri (tt_test_location ());
  tt_store_close (store);

  fuzz.seed = fuzz_seed ();
  fuzz.n_imports = fuzz_n_cases () * 2 / 5;
  fuzz.n_command_lines = fuzz_n_cases () - fuzz.n_imports;
  g_test_message ("fuzz seed %u", fuzz.seed);
  fuzz.rand = g_rand_new_with_seed (fuzz.seed);
  fuzz.dir = g_dir_make_tmp ("test-fuzz-XXXXXX", &error);
  g_assert_no_error (error);
  fuzz.what = g_strdup ("before the first case");
  fuzz.state = export_catalogue ();

  /* Interleaved, so that command lines meet what imports made. */
  while (n_imports < fuzz.n_imports || n_command_lines < fuzz.n_command_lines)
    if (n_command_lines == fuzz.n_command_lines || (n_imports < fuzz.n_imports && chance (0.4)))
      run_import (n_imports++);
    else
      run_command_line (n_command_lines++);

  report (started);
  remove_dir (fuzz.dir);
  g_clear_pointer (&fuzz.rand, g_rand_free);
  g_clear_pointer (&fuzz.dir, g_free);
  g_clear_pointer (&fuzz.db, g_free);
  g_clear_pointer (&fuzz.state, g_free);
  g_clear_pointer (&fuzz.what, g_free);
}

int
main (int    argc,
      char **argv)
{
  tt_test_init (&argc, &argv);

  g_test_add_func ("/fuzz/imports-and-command-lines", test_fuzz);

  return g_test_run ();
}
