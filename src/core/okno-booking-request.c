/* okno-booking-request.c
 *
 * SPDX-FileCopyrightText: 2026 Okno contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "OknoBookingRequest"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "okno-booking-request.h"
#include "okno-text.h"
#include "okno-time.h"

G_DEFINE_BOXED_TYPE (OknoBookingRequest, okno_booking_request,
                     okno_booking_request_copy, okno_booking_request_free)

#define NAME_MAX_CHARS  100
#define NOTE_MAX_CHARS  1000
#define EMAIL_MAX_CHARS 254

OknoBookingRequest *
okno_booking_request_new (void)
{
  return g_new0 (OknoBookingRequest, 1);
}

OknoBookingRequest *
okno_booking_request_copy (const OknoBookingRequest *self)
{
  OknoBookingRequest *copy = okno_booking_request_new ();

  copy->slot_id = g_strdup (self->slot_id);
  copy->name = g_strdup (self->name);
  copy->email = g_strdup (self->email);
  copy->phone = g_strdup (self->phone);
  copy->telegram = g_strdup (self->telegram);
  copy->note = g_strdup (self->note);
  copy->time_zone = g_strdup (self->time_zone);
  copy->language = g_strdup (self->language);

  return copy;
}

void
okno_booking_request_free (OknoBookingRequest *self)
{
  if (self == NULL)
    return;

  g_free (self->slot_id);
  g_free (self->name);
  g_free (self->email);
  g_free (self->phone);
  g_free (self->telegram);
  g_free (self->note);
  g_free (self->time_zone);
  g_free (self->language);
  g_free (self);
}

static gboolean
is_blank (const char *text)
{
  return text == NULL || text[0] == '\0';
}

/* NFC, trimmed of white space of any kind; an all-blank field becomes
 * NULL. A field that is not clean text (invalid UTF-8, NUL, controls) is
 * kept as it is, for validate() to refuse: no caller's slip can hand the
 * booking core bytes it would store. */
static void
normalize (char **field)
{
  char *normalized;

  if (*field == NULL || !okno_text_is_clean (*field, -1))
    return;

  normalized = okno_text_normalize (*field);
  g_free (*field);
  *field = normalized;
}

/* What no field may hold: bytes that are not clean text, control
 * characters (line breaks only where @allow_newlines), and invisible
 * format characters such as bidi overrides and zero-width spaces. */
static gboolean
is_unusable (const char *text,
             gboolean    allow_newlines)
{
  return !okno_text_is_clean (text, -1) ||
         okno_text_has_controls (text, allow_newlines) ||
         okno_text_has_format_chars (text);
}

static gboolean
is_valid_email (const char *text)
{
  const char *at = strchr (text, '@');
  const char *dot;

  if (strlen (text) > EMAIL_MAX_CHARS || at == NULL || at == text || strchr (at + 1, '@'))
    return FALSE;

  for (const char *p = text; *p; p++)
    if ((guchar) *p <= ' ' || strchr ("<>()[]\\,;:\"", *p))
      return FALSE;

  dot = strrchr (at + 1, '.');
  return dot != NULL && dot > at + 1 && dot[1] != '\0' && strlen (dot + 1) >= 2;
}

/* E.164-ish: an optional +, then 7 to 15 digits; spaces, dashes, dots and
 * parentheses between them are allowed and ignored. */
static gboolean
is_valid_phone (const char *text)
{
  guint digits = 0;

  for (const char *p = text; *p; p++)
    {
      if (g_ascii_isdigit (*p))
        digits++;
      else if (*p == '+' && p == text)
        continue;
      else if (!strchr (" -.()", *p))
        return FALSE;
    }

  return digits >= 7 && digits <= 15;
}

/* @handle: 5–32 of A–Z, a–z, 0–9 and _, as Telegram allows. */
static gboolean
is_valid_telegram (const char *text)
{
  gsize len;

  if (text[0] == '@')
    text++;
  len = strlen (text);
  if (len < 5 || len > 32)
    return FALSE;

  for (const char *p = text; *p; p++)
    if (!g_ascii_isalnum (*p) && *p != '_')
      return FALSE;

  return TRUE;
}

static void
add_error (GHashTable *errors,
           const char *field,
           const char *message)
{
  if (!g_hash_table_contains (errors, field))
    g_hash_table_insert (errors, g_strdup (field), g_strdup (message));
}

/**
 * okno_booking_request_validate:
 * @field_errors: (out) (optional): field name (as in the JSON API) → a
 *   message for the client, or %NULL when valid
 *
 * Normalizes the fields (NFC, white space trimmed) and checks them. Text
 * that is not valid UTF-8, or holds control or invisible format characters,
 * is refused by field; a name needs a letter.
 */
gboolean
okno_booking_request_validate (OknoBookingRequest  *self,
                               GHashTable         **field_errors)
{
  g_autoptr(GHashTable) errors = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);

  g_return_val_if_fail (self != NULL, FALSE);

  normalize (&self->slot_id);
  normalize (&self->name);
  normalize (&self->email);
  normalize (&self->phone);
  normalize (&self->telegram);
  normalize (&self->note);
  normalize (&self->time_zone);

  if (is_blank (self->slot_id))
    add_error (errors, "slotId", N_("Choose a time."));
  else if (strlen (self->slot_id) > 1024 || is_unusable (self->slot_id, FALSE))
    add_error (errors, "slotId", N_("This time is not known."));

  if (is_blank (self->name))
    add_error (errors, "name", N_("Please enter your name."));
  else if (is_unusable (self->name, FALSE))
    add_error (errors, "name", N_("The name contains characters that cannot be used."));
  else if (g_utf8_strlen (self->name, -1) > NAME_MAX_CHARS)
    add_error (errors, "name", N_("The name is too long (at most 100 characters)."));
  else if (!okno_text_has_letter (self->name))
    add_error (errors, "name", N_("A name needs at least one letter."));

  if (self->email && (is_unusable (self->email, FALSE) || !is_valid_email (self->email)))
    add_error (errors, "email", N_("This does not look like an email address."));
  if (self->phone && !is_valid_phone (self->phone))
    add_error (errors, "phone", N_("Enter a phone number with its country code, such as +7 900 123-45-67."));
  if (self->telegram && !is_valid_telegram (self->telegram))
    add_error (errors, "telegram", N_("Enter a Telegram username such as @anna_k (5–32 letters, digits or _)."));
  if (!self->email && !self->phone && !self->telegram)
    add_error (errors, "contact", N_("Leave an email, a phone number or a Telegram username so that you can be reached."));

  if (self->note && is_unusable (self->note, TRUE))
    add_error (errors, "note", N_("The note contains characters that cannot be used."));
  else if (self->note && g_utf8_strlen (self->note, -1) > NOTE_MAX_CHARS)
    add_error (errors, "note", N_("The note is too long (at most 1000 characters)."));

  if (self->time_zone && is_unusable (self->time_zone, FALSE))
    add_error (errors, "timeZone", N_("Unknown time zone."));
  else if (self->time_zone)
    {
      g_autoptr(GTimeZone) zone = okno_time_zone_new (self->time_zone);
      if (zone == NULL)
        add_error (errors, "timeZone", N_("Unknown time zone."));
    }

  if (self->telegram && self->telegram[0] != '@' && !g_hash_table_contains (errors, "telegram"))
    {
      char *with_at = g_strconcat ("@", self->telegram, NULL);
      g_free (self->telegram);
      self->telegram = with_at;
    }

  if (g_hash_table_size (errors) == 0)
    {
      if (field_errors)
        *field_errors = NULL;
      return TRUE;
    }

  if (field_errors)
    *field_errors = g_steal_pointer (&errors);
  return FALSE;
}

/* Equal for equal requests: tells a retry from a different booking that
 * reuses an Idempotency-Key. */
char *
okno_booking_request_hash (const OknoBookingRequest *self)
{
  g_autoptr(GChecksum) checksum = g_checksum_new (G_CHECKSUM_SHA256);
  const char *fields[] = { self->slot_id, self->name, self->email, self->phone,
                           self->telegram, self->note };

  for (guint i = 0; i < G_N_ELEMENTS (fields); i++)
    {
      const char *value = fields[i] ? fields[i] : "";

      /* Length-prefixed, so that no two requests serialize alike. */
      g_autofree char *prefix = g_strdup_printf ("%zu:", strlen (value));
      g_checksum_update (checksum, (const guchar *) prefix, -1);
      g_checksum_update (checksum, (const guchar *) value, -1);
    }

  return g_strdup (g_checksum_get_string (checksum));
}

/* The client's contact lines, for the calendar event's description. */
char *
okno_booking_request_contact (const OknoBookingRequest *self)
{
  GString *text = g_string_new (NULL);

  if (self->email)
    g_string_append_printf (text, "Email: %s\n", self->email);
  if (self->phone)
    g_string_append_printf (text, "Phone: %s\n", self->phone);
  if (self->telegram)
    g_string_append_printf (text, "Telegram: %s\n", self->telegram);
  if (self->note)
    g_string_append_printf (text, "\n%s\n", self->note);

  return g_string_free (text, FALSE);
}
