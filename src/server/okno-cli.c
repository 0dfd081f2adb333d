/* okno-cli.c: okno-server's admin commands.
 *
 * SPDX-FileCopyrightText: 2026 Okno contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "OknoCli"

#include "config.h"

#include <glib/gi18n.h>
#include <stdio.h>

#include "okno-cli.h"
#include "okno-cli-notify.h"
#include "okno-cli-google.h"
#include "okno-cli-waitlist.h"
#include "okno-errors.h"
#include "okno-profile.h"
#include "okno-time.h"

/* Each command works on a data folder no server holds, prints one clear
 * line on stderr for any error, and exits non-zero then. */

#define EXIT_USAGE 2

typedef int (*CommandFunc) (OknoProfile *instance,
                            char        **args);

static char *opt_start;
static int opt_minutes;
static char *opt_title;
static gboolean opt_json;

static const GOptionEntry add_entries[] = {
  { "start", 's', 0, G_OPTION_ARG_STRING, &opt_start,
    N_("Start, local time in the configured zone (2026-12-01T17:30) or with an offset"), N_("TIME") },
  { "minutes", 'm', 0, G_OPTION_ARG_INT, &opt_minutes,
    N_("Length in minutes (default: the “slot-minutes” setting, 40)"), N_("N") },
  { "title", 't', 0, G_OPTION_ARG_STRING, &opt_title,
    N_("Session type, shown to clients"), N_("TEXT") },
  { NULL }
};

static const GOptionEntry json_entries[] = {
  { "json", 0, 0, G_OPTION_ARG_NONE, &opt_json, N_("Print JSON"), NULL },
  { NULL }
};

const char *
okno_cli_describe_commands (void)
{
  static char *text;

  if (text == NULL)
    text = g_strconcat (_("Commands (they work while no server uses the data folder):\n"
           "  slots add --start TIME [--minutes N] [--title TEXT]   publish an open slot\n"
           "  slots list [--json]                                   list upcoming slots\n"
           "  slots rm ID                                           remove an open slot\n"
           "  bookings list [--json]                                list bookings\n"
           "  bookings cancel ID                                    cancel a booking\n"
           "  settings list                                         show every setting\n"
           "  settings get KEY                                      show one setting\n"
           "  settings set KEY VALUE                                change a setting\n"
           "\n"
           "Without a command, okno-server serves the booking page until SIGINT or SIGTERM."),
                        "\n\n",
                        _("Moving a booking (Olga’s own move: the cancellation policy does not apply):\n"
                          "  bookings move ID SLOT                                 move a booking to another open slot"),
                        "\n\n",
                        _("What needs Olga’s attention (a calendar change or a notification that failed\n"
                          "for good, a damaged record set aside):\n"
                          "  attention list [--json]                               list the items\n"
                          "  attention dismiss ID                                  dismiss one item"),
                        "\n\n",
                        _("Google Calendar (see the README):\n"
                          "  google connect [--loopback-port N]                    connect a Google account (prints the URL to open)\n"
                          "  google status | calendars                             the account, its calendars and sync state\n"
                          "  google disconnect                                     revoke the account's token and forget it"),
                        NULL);
  return text;
}

static int
fail (const char *format,
      ...) G_GNUC_PRINTF (1, 2);

static int
fail (const char *format,
      ...)
{
  g_autofree char *message = NULL;
  va_list args;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);

  g_printerr ("okno-server: %s\n", message);
  return EXIT_FAILURE;
}

/* One line, like every error: what is wrong, and where to look. */
static int
usage (const char *message)
{
  g_printerr ("okno-server: %s (%s)\n", message, _("see “okno-server --help”"));
  return EXIT_USAGE;
}

/* A command's one asynchronous write, waited for at the top of the
 * process (no other loop runs in a command). */
typedef struct
{
  GMainLoop    *loop;
  GAsyncResult *result;
} Wait;

static void
wait_done_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  Wait *wait = user_data;

  wait->result = g_object_ref (result);
  g_main_loop_quit (wait->loop);
}

static GAsyncResult *
wait_for (Wait *wait)
{
  if (wait->result == NULL)
    g_main_loop_run (wait->loop);
  g_clear_pointer (&wait->loop, g_main_loop_unref);
  return wait->result;
}

static void
print_json_array (JsonArray *array)
{
  g_autoptr(JsonNode) node = json_node_new (JSON_NODE_ARRAY);
  g_autofree char *text = NULL;

  json_node_set_array (node, array);
  text = json_to_string (node, TRUE);
  g_print ("%s\n", text);
}

static char *
format_range (GDateTime *start,
              GDateTime *end,
              GTimeZone *zone)
{
  g_autoptr(GDateTime) local_start = g_date_time_to_timezone (start, zone);
  g_autoptr(GDateTime) local_end = g_date_time_to_timezone (end, zone);
  g_autofree char *a = g_date_time_format (local_start, "%Y-%m-%d %a %H:%M");
  g_autofree char *b = g_date_time_format (local_end, "%H:%M");

  return g_strdup_printf ("%s–%s", a, b);
}

static int
slots_add (OknoProfile  *instance,
           char         **args)
{
  OknoSchedule *schedule = okno_profile_get_schedule (instance);
  OknoSlotService *slots = okno_profile_get_slot_service (instance);
  g_autoptr(GDateTime) start = NULL;
  g_autoptr(GDateTime) end = NULL;
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autoptr(GAsyncResult) result = NULL;
  Wait wait = { NULL, NULL };
  OknoEvent *other = NULL;
  g_autofree char *summary = NULL;
  g_autofree char *when = NULL;
  g_autoptr(OknoEvent) stored = NULL;
  g_autoptr(GError) error = NULL;
  int minutes;

  if (args[0] != NULL)
    return usage (_("slots add takes no arguments besides its options"));
  if (opt_start == NULL)
    return usage (_("slots add needs --start, such as --start 2026-12-01T17:30"));

  start = okno_time_parse_local_full (opt_start, okno_schedule_get_time_zone (schedule), &error);
  if (g_error_matches (error, OKNO_TIME_ERROR, OKNO_TIME_ERROR_INVALID))
    return usage (_("--start must look like 2026-12-01T17:30 or 2026-12-01T17:30+03:00"));
  if (start == NULL)
    return fail ("%s", error->message);

  minutes = opt_minutes > 0 ? opt_minutes : (int) g_settings_get_uint (okno_profile_get_settings (instance), "slot-minutes");
  if (opt_minutes < 0 || minutes < OKNO_SLOT_MIN_MINUTES || minutes > OKNO_SLOT_MAX_MINUTES)
    return usage (_("--minutes must be from 5 to 480"));

  /* The slot service's rule, the one the window follows too. */
  end = g_date_time_add_minutes (start, minutes);
  if (!okno_slot_service_check (slots, start, end, NULL, now, &other, &error))
    {
      if (other != NULL)
        {
          g_autofree char *range = format_range (okno_event_get_start (other), okno_event_get_end (other),
                                                 okno_schedule_get_time_zone (schedule));
          return fail (_("The slot would overlap “%s” (%s)"), okno_event_get_summary (other), range);
        }
      if (g_error_matches (error, OKNO_SLOT_ERROR, OKNO_SLOT_ERROR_PAST))
        return fail (_("%s is in the past"), opt_start);
      return fail ("%s", error->message);
    }

  summary = okno_slot_title_new (okno_schedule_get_slot_marker (schedule), opt_title);
  wait.loop = g_main_loop_new (NULL, FALSE);
  okno_slot_service_publish_async (slots, start, end, summary, NULL, wait_done_cb, &wait);
  result = wait_for (&wait);
  if (!(stored = okno_slot_service_publish_finish (slots, result, &error)))
    return fail ("%s", error->message);

  when = format_range (start, end, okno_schedule_get_time_zone (schedule));
  g_print ("%s\t%s\t%s\n", okno_event_get_id (stored), when, summary);
  return EXIT_SUCCESS;
}

static int
slots_list (OknoProfile  *instance,
            char         **args)
{
  OknoSchedule *schedule = okno_profile_get_schedule (instance);
  GTimeZone *zone = okno_schedule_get_time_zone (schedule);
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autoptr(GDateTime) until = g_date_time_add_years (now, 1);
  g_autoptr(GPtrArray) events = okno_calendar_list_events (okno_profile_get_calendar (instance), now, until);
  g_autoptr(JsonArray) array = json_array_new ();

  if (args[0] != NULL)
    return usage (_("slots list takes no arguments"));

  for (guint i = 0; i < events->len; i++)
    {
      OknoEvent *event = g_ptr_array_index (events, i);
      OknoEventKind kind = okno_schedule_classify (schedule, event);
      g_autoptr(OknoSlot) slot = NULL;
      const char *state = kind == OKNO_EVENT_KIND_BOOKED ? "booked" : "open";

      if (kind != OKNO_EVENT_KIND_SLOT && kind != OKNO_EVENT_KIND_BOOKED)
        continue;
      slot = okno_slot_new_from_event (event, okno_schedule_get_slot_marker (schedule),
                                       okno_schedule_get_booked_marker (schedule));

      if (opt_json)
        {
          JsonObject *object = json_object_new ();
          g_autofree char *start = okno_time_format_rfc3339 (okno_event_get_start (event), zone);
          g_autofree char *end = okno_time_format_rfc3339 (okno_event_get_end (event), zone);

          json_object_set_string_member (object, "id", okno_event_get_id (event));
          json_object_set_string_member (object, "start", start);
          json_object_set_string_member (object, "end", end);
          json_object_set_string_member (object, "state", state);
          json_object_set_string_member (object, "title", okno_slot_get_session_type (slot));
          json_array_add_object_element (array, object);
        }
      else
        {
          g_autofree char *range = format_range (okno_event_get_start (event), okno_event_get_end (event), zone);
          g_print ("%s\t%s\t%s\t%s\n", okno_event_get_id (event), range, state, okno_event_get_summary (event));
        }
    }

  if (opt_json)
    print_json_array (array);

  return EXIT_SUCCESS;
}

static int
slots_rm (OknoProfile  *instance,
          char         **args)
{
  OknoSchedule *schedule = okno_profile_get_schedule (instance);
  OknoCalendar *calendar = okno_profile_get_calendar (instance);
  OknoBooking *booking;
  OknoEvent *event;
  OknoEventKind kind;
  g_autoptr(GAsyncResult) result = NULL;
  Wait wait = { NULL, NULL };
  g_autoptr(GError) error = NULL;

  if (args[0] == NULL || args[1] != NULL)
    return usage (_("slots rm takes one slot id"));

  event = okno_calendar_lookup_event (calendar, args[0]);
  kind = event ? okno_schedule_classify (schedule, event) : OKNO_EVENT_KIND_FREE;
  if (kind != OKNO_EVENT_KIND_SLOT && kind != OKNO_EVENT_KIND_BOOKED)
    return fail (_("There is no slot with the id %s"), args[0]);

  if ((booking = okno_ledger_lookup_active_for_slot (okno_profile_get_ledger (instance), args[0])))
    return fail (_("Slot %s is booked by %s; cancel the booking first with “okno-server bookings cancel %s”"),
                 args[0], okno_booking_get_name (booking), okno_booking_get_id (booking));
  if (kind == OKNO_EVENT_KIND_BOOKED)
    return fail (_("Slot %s is booked (“%s”); change it in the calendar"), args[0], okno_event_get_summary (event));

  wait.loop = g_main_loop_new (NULL, FALSE);
  okno_slot_service_delete_async (okno_profile_get_slot_service (instance), args[0], NULL, wait_done_cb, &wait);
  result = wait_for (&wait);
  if (!okno_slot_service_delete_finish (okno_profile_get_slot_service (instance), result, &error))
    return fail ("%s", error->message);

  return EXIT_SUCCESS;
}

/* What a person may see of a booking: no hashes, salts or keys. */
static JsonObject *
public_booking_json (OknoBooking *booking)
{
  JsonObject *object = okno_booking_to_json (booking);
  const char *secret[] = { "tokenHash", "tokenSalt", "idempotencyKeyHash", "requestHash" };

  for (guint i = 0; i < G_N_ELEMENTS (secret); i++)
    json_object_remove_member (object, secret[i]);
  /* Booked, moved from → to, cancelled: also for bookings stored before
   * they kept one. */
  json_object_set_array_member (object, "history", okno_booking_dup_history (booking));

  return object;
}

static int
bookings_list (OknoProfile  *instance,
               char         **args)
{
  GListModel *bookings = okno_ledger_get_bookings (okno_profile_get_ledger (instance));
  GTimeZone *zone = okno_schedule_get_time_zone (okno_profile_get_schedule (instance));
  g_autoptr(JsonArray) array = json_array_new ();
  guint n = g_list_model_get_n_items (bookings);

  if (args[0] != NULL)
    return usage (_("bookings list takes no arguments"));

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(OknoBooking) booking = g_list_model_get_item (bookings, i);

      if (opt_json)
        json_array_add_object_element (array, public_booking_json (booking));
      else
        {
          g_autofree char *range = format_range (okno_booking_get_start (booking),
                                                 okno_booking_get_end (booking), zone);
          const char *contact = okno_booking_get_field (booking, "email");

          if (contact == NULL)
            contact = okno_booking_get_field (booking, "phone");
          if (contact == NULL)
            contact = okno_booking_get_field (booking, "telegram");

          g_print ("%s\t%s\t%s\t%s\t%s\t%s\n",
                   okno_booking_get_id (booking), range,
                   okno_booking_get_status_string (booking),
                   okno_booking_get_name (booking),
                   contact ? contact : "",
                   okno_booking_get_session_type (booking) ? okno_booking_get_session_type (booking) : "");
        }
    }

  if (opt_json)
    print_json_array (array);

  return EXIT_SUCCESS;
}

static int
bookings_cancel (OknoProfile  *instance,
                 char         **args)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(OknoBooking) cancelled = NULL;
  g_autoptr(GError) error = NULL;
  OknoBookingService *service = okno_profile_get_service (instance);
  Wait wait = { NULL, NULL };

  if (args[0] == NULL || args[1] != NULL)
    return usage (_("bookings cancel takes one booking id"));

  okno_cli_use_email (instance);
  wait.loop = g_main_loop_new (NULL, FALSE);
  okno_booking_service_cancel_as_owner_async (service, args[0], now, NULL, wait_done_cb, &wait);
  result = wait_for (&wait);
  /* Booking errors are msgids, translated where they are shown. */
  if (!(cancelled = okno_booking_service_cancel_finish (service, result, &error)))
    return fail ("%s", _(error->message));
  okno_cli_send_email (instance);

  return EXIT_SUCCESS;
}

/* Olga moves a booking to another open slot: no cancellation policy. */
static int
bookings_move (OknoProfile  *instance,
               char         **args)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autoptr(GError) error = NULL;
  g_autoptr(OknoBooking) booking = NULL;

  if (args[0] == NULL || args[1] == NULL || args[2] != NULL)
    return usage (_("bookings move takes a booking id and a slot id"));

  okno_cli_use_email (instance);
  /* Booking errors are msgids, translated where they are shown. */
  booking = okno_booking_service_reschedule_as_owner (okno_profile_get_service (instance), args[0], args[1],
                                                      now, &error);
  if (booking == NULL)
    return fail ("%s", _(error->message));

  okno_cli_send_email (instance);
  return EXIT_SUCCESS;
}

static int
attention_list (OknoProfile  *instance,
                char         **args)
{
  g_autoptr(GPtrArray) items = okno_attention_dup_items (okno_profile_get_attention (instance));
  g_autoptr(JsonArray) array = json_array_new ();

  if (args[0] != NULL)
    return usage (_("attention list takes no arguments"));

  for (guint i = 0; i < items->len; i++)
    {
      JsonObject *item = g_ptr_array_index (items, i);

      if (opt_json)
        json_array_add_object_element (array, json_object_ref (item));
      else
        g_print ("%s\t%s\t%s\t%s\n",
                 json_object_get_string_member (item, "id"),
                 json_object_get_string_member_with_default (item, "created", ""),
                 json_object_get_string_member (item, "code"),
                 json_object_get_string_member (item, "message"));
    }

  if (opt_json)
    print_json_array (array);

  return EXIT_SUCCESS;
}

static int
attention_dismiss (OknoProfile  *instance,
                   char         **args)
{
  g_autoptr(GError) error = NULL;

  if (args[0] == NULL || args[1] != NULL)
    return usage (_("attention dismiss takes one item id"));

  if (!okno_attention_dismiss (okno_profile_get_attention (instance), args[0], &error))
    return fail ("%s", error->message);

  return EXIT_SUCCESS;
}

static int
settings_command (OknoProfile  *instance,
                  char         **args)
{
  GSettings *settings = okno_profile_get_settings (instance);
  g_autoptr(GSettingsSchema) schema = NULL;
  g_autoptr(GSettingsSchemaKey) key = NULL;
  g_autoptr(GVariant) value = NULL;
  g_autoptr(GError) error = NULL;

  g_object_get (settings, "settings-schema", &schema, NULL);

  if (args[0] == NULL)
    return usage (_("settings needs list, get KEY or set KEY VALUE"));

  if (g_str_equal (args[0], "list") && args[1] == NULL)
    {
      g_auto(GStrv) keys = g_settings_schema_list_keys (schema);

      for (guint i = 0; keys[i]; i++)
        {
          g_autoptr(GVariant) v = g_settings_get_value (settings, keys[i]);
          g_autofree char *text = g_variant_print (v, FALSE);
          g_print ("%s\t%s\n", keys[i], text);
        }
      return EXIT_SUCCESS;
    }

  if (args[1] == NULL || !g_settings_schema_has_key (schema, args[1]))
    return usage (args[1] ? _("No such setting; “okno-server settings list” shows them")
                          : _("settings get and set need a KEY"));
  key = g_settings_schema_get_key (schema, args[1]);

  if (g_str_equal (args[0], "get") && args[2] == NULL)
    {
      g_autoptr(GVariant) v = g_settings_get_value (settings, args[1]);

      if (g_variant_is_of_type (v, G_VARIANT_TYPE_STRING))
        g_print ("%s\n", g_variant_get_string (v, NULL));
      else
        {
          g_autofree char *text = g_variant_print (v, FALSE);
          g_print ("%s\n", text);
        }
      return EXIT_SUCCESS;
    }

  if (g_str_equal (args[0], "set") && args[2] != NULL && args[3] == NULL)
    {
      const GVariantType *type = g_settings_schema_key_get_value_type (key);

      if (g_variant_type_equal (type, G_VARIANT_TYPE_STRING))
        value = g_variant_ref_sink (g_variant_new_string (args[2]));
      else
        value = g_variant_parse (type, args[2], NULL, NULL, &error);

      if (value == NULL)
        return usage (_("That value does not fit this setting"));
      if (!g_settings_schema_key_range_check (key, value))
        return usage (_("That value is out of this setting’s range"));

      /* Written when the profile closes. */
      g_settings_set_value (settings, args[1], value);
      return EXIT_SUCCESS;
    }

  return usage (_("settings needs list, get KEY or set KEY VALUE"));
}

int
okno_cli_run (char               **args,
              const GOptionEntry  *global_entries,
              char               **data_dir)
{
  static const struct {
    const char  *group;
    const char  *verb;
    CommandFunc  func;
    const GOptionEntry *entries;
  } commands[] = {
    { "slots", "add", slots_add, add_entries },
    { "slots", "list", slots_list, json_entries },
    { "slots", "rm", slots_rm, NULL },
    { "bookings", "list", bookings_list, json_entries },
    { "bookings", "cancel", bookings_cancel, NULL },
    { "bookings", "move", bookings_move, NULL },
    { "attention", "list", attention_list, json_entries },
    { "attention", "dismiss", attention_dismiss, NULL },
    { "waitlist", "list", okno_cli_waitlist_list, okno_cli_waitlist_entries },
    { "waitlist", "rm", okno_cli_waitlist_rm, NULL },
    { "settings", NULL, settings_command, NULL },
    { "secret", NULL, okno_cli_secret_command, NULL },
    { "notify", "test", okno_cli_notify_test, NULL },
    { "google", NULL, okno_cli_google, okno_cli_google_entries },
  };
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(OknoProfile) instance = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  Wait wait = { NULL, NULL };
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) argv = NULL;
  guint skip;
  int status;

  for (guint i = 0; i < G_N_ELEMENTS (commands); i++)
    {
      if (!g_str_equal (args[0], commands[i].group))
        continue;
      if (commands[i].verb != NULL && g_strcmp0 (args[1], commands[i].verb) != 0)
        continue;

      /* Parse the command's options (and the global ones, which may come
       * after the command) from a copy whose argv[0] is the command. */
      skip = commands[i].verb ? 2 : 1;
      argv = g_new0 (char *, g_strv_length (args) + 2);
      argv[0] = g_strdup ("okno-server");
      for (guint j = skip; args[j]; j++)
        argv[j - skip + 1] = g_strdup (args[j]);

      context = g_option_context_new (NULL);
      g_option_context_set_help_enabled (context, TRUE);
      g_option_context_add_main_entries (context, global_entries, GETTEXT_PACKAGE);
      if (commands[i].entries)
        g_option_context_add_main_entries (context, commands[i].entries, GETTEXT_PACKAGE);
      if (!g_option_context_parse_strv (context, &argv, &error))
        return usage (error->message);

      wait.loop = g_main_loop_new (NULL, FALSE);
      okno_profile_new_async (*data_dir, NULL, wait_done_cb, &wait);
      result = wait_for (&wait);
      if (!(instance = okno_profile_new_finish (result, &error)))
        return fail ("%s", error->message);

      status = commands[i].func (instance, argv + 1);

      /* Closed on the program's loop, as the programs close: the calendar
       * changes under way land, every record is on disk, the settings are
       * written and the journal folded into bookings.json. */
      g_clear_object (&result);
      wait.result = NULL;
      wait.loop = g_main_loop_new (NULL, FALSE);
      okno_profile_close_async (instance, NULL, wait_done_cb, &wait);
      result = wait_for (&wait);
      if (!okno_profile_close_finish (instance, result, &error))
        {
          g_printerr ("okno-server: %s\n", error->message);
          if (status == EXIT_SUCCESS)
            status = EXIT_FAILURE;
        }
      return status;
    }

  return usage (_("Unknown command"));
}
