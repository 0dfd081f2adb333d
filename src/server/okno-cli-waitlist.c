/* okno-cli-waitlist.c: okno-server waitlist list|rm.
 *
 * SPDX-FileCopyrightText: 2026 Okno contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "OknoCli"

#include "config.h"

#include <glib/gi18n.h>

#include "okno-cli-waitlist.h"

static gboolean opt_json;

const GOptionEntry okno_cli_waitlist_entries[] = {
  { "json", 0, 0, G_OPTION_ARG_NONE, &opt_json, N_("Print JSON"), NULL },
  { NULL }
};

const char *
okno_cli_waitlist_describe_commands (void)
{
  return _("Clients waiting for a time to open (see the README):\n"
           "  waitlist list [--json]                                who waits, since when, what suits them\n"
           "  waitlist rm ID                                        remove an entry");
}

/* Olga's own view: the contacts are shown, the token hash never. */
int
okno_cli_waitlist_list (OknoProfile  *instance,
                        char        **args)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autoptr(GPtrArray) entries = NULL;
  g_autoptr(JsonArray) array = json_array_new ();

  if (args[0] != NULL)
    {
      g_printerr ("okno-server: %s (%s)\n", _("waitlist list takes no arguments"), _("see “okno-server --help”"));
      return 2;
    }

  okno_waitlist_expire (okno_profile_get_waitlist (instance), now);
  entries = okno_waitlist_dup_entries (okno_profile_get_waitlist (instance), now);
  for (guint i = 0; i < entries->len; i++)
    {
      JsonObject *entry = g_ptr_array_index (entries, i);

      if (opt_json)
        {
          JsonObject *copy = json_object_new ();
          static const char * const members[] = { "id", "created", "name", "email", "phone", "telegram" };

          for (guint m = 0; m < G_N_ELEMENTS (members); m++)
            if (json_object_has_member (entry, members[m]))
              json_object_set_string_member (copy, members[m], json_object_get_string_member (entry, members[m]));
          /* "since", as the API's answer names it; "created" as waitlist.json does. */
          json_object_set_string_member (copy, "since", json_object_get_string_member (entry, "created"));
          json_object_set_array_member (copy, "days", json_array_ref (json_object_get_array_member (entry, "days")));
          json_object_set_array_member (copy, "times", json_array_ref (json_object_get_array_member (entry, "times")));
          json_array_add_object_element (array, copy);
        }
      else
        {
          g_autofree char *wishes = okno_waitlist_describe_wishes (entry);
          g_autoptr(GString) contact = g_string_new (NULL);
          static const char * const kinds[] = { "email", "phone", "telegram" };

          for (guint k = 0; k < G_N_ELEMENTS (kinds); k++)
            if (json_object_has_member (entry, kinds[k]))
              g_string_append_printf (contact, "%s%s", contact->len ? ", " : "",
                                      json_object_get_string_member (entry, kinds[k]));
          g_print ("%s\t%s\t%s\t%s\t%s\n",
                   json_object_get_string_member (entry, "id"),
                   json_object_get_string_member (entry, "created"),
                   json_object_get_string_member (entry, "name"),
                   contact->str, wishes);
        }
    }

  if (opt_json)
    {
      g_autoptr(JsonNode) node = json_node_new (JSON_NODE_ARRAY);
      g_autofree char *text = NULL;

      json_node_set_array (node, array);
      text = json_to_string (node, TRUE);
      g_print ("%s\n", text);
    }
  return EXIT_SUCCESS;
}

int
okno_cli_waitlist_rm (OknoProfile  *instance,
                      char        **args)
{
  g_autoptr(GError) error = NULL;

  if (args[0] == NULL || args[1] != NULL)
    {
      g_printerr ("okno-server: %s (%s)\n", _("waitlist rm takes one entry id"), _("see “okno-server --help”"));
      return 2;
    }

  if (!okno_waitlist_remove (okno_profile_get_waitlist (instance), args[0], &error) ||
      !okno_waitlist_flush (okno_profile_get_waitlist (instance), &error))
    {
      g_printerr ("okno-server: %s\n", error->message);
      return EXIT_FAILURE;
    }
  return EXIT_SUCCESS;
}
