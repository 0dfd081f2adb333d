/* okno-web-form-guard.c: a honeypot and a signed form timestamp.
 *
 * SPDX-FileCopyrightText: 2026 Okno contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "OknoWebFormGuard"

#include "config.h"

#include <errno.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <stdlib.h>
#include <string.h>

#include "okno-token.h"
#include "okno-web-form-guard.h"
#include "okno-web-html.h"

/* A stamp reads "SECONDS.MAC": SECONDS the Unix time the form was served,
 * MAC the base64url HMAC-SHA256, under the data folder's key, of
 * "okno-form-v1\nSECONDS\nSCOPE". Nothing is stored per form: a stamp
 * proves itself. The key (32 random bytes, base64, in the data folder's
 * `form-key`, 0600) is made the first time a profile is opened. */

#define KEY_LENGTH 32
#define MAC_PREFIX "okno-form-v1"

struct _OknoWebFormGuard
{
  GObject  parent_instance;

  guint8   key[KEY_LENGTH];
  guint    min_seconds;
};

G_DEFINE_FINAL_TYPE (OknoWebFormGuard, okno_web_form_guard, G_TYPE_OBJECT)

static char *
compute_mac (OknoWebFormGuard *self,
             gint64            served,
             const char       *scope)
{
  g_autoptr(GHmac) hmac = g_hmac_new (G_CHECKSUM_SHA256, self->key, KEY_LENGTH);
  g_autofree char *text = g_strdup_printf (MAC_PREFIX "\n%" G_GINT64_FORMAT "\n%s", served, scope ? scope : "");
  guint8 digest[32];
  gsize length = sizeof digest;

  g_hmac_update (hmac, (const guchar *) text, strlen (text));
  g_hmac_get_digest (hmac, digest, &length);
  return okno_base64url_encode (digest, length);
}

/* Compares without leaving the position of the first difference in the time taken. */
static gboolean
equal_in_constant_time (const char *a,
                        const char *b)
{
  gsize length = strlen (a);
  guint8 diff = 0;

  if (length != strlen (b))
    return FALSE;
  for (gsize i = 0; i < length; i++)
    diff |= (guint8) a[i] ^ (guint8) b[i];
  return diff == 0;
}

static gboolean
read_key (OknoWebFormGuard *self,
          const char       *path,
          GError          **error)
{
  g_autofree char *contents = NULL;
  g_autofree guchar *decoded = NULL;
  gsize length = 0;

  if (!g_file_get_contents (path, &contents, NULL, error))
    return FALSE;

  g_strstrip (contents);
  decoded = g_base64_decode (contents, &length);
  if (length != KEY_LENGTH)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA, "%s does not hold a form key", path);
      return FALSE;
    }

  memcpy (self->key, decoded, KEY_LENGTH);
  /* Only its owner reads it, even when it was copied in from elsewhere. */
  if (g_chmod (path, 0600) != 0)
    g_warning ("Could not make %s private: %s", path, g_strerror (errno));
  return TRUE;
}

static gboolean
write_key (OknoWebFormGuard *self,
           const char       *path,
           GError          **error)
{
  g_autofree char *text = NULL;
  g_autofree char *line = NULL;

  okno_random_bytes (self->key, KEY_LENGTH);
  text = g_base64_encode (self->key, KEY_LENGTH);
  line = g_strconcat (text, "\n", NULL);
  return g_file_set_contents_full (path, line, -1,
                                   G_FILE_SET_CONTENTS_CONSISTENT | G_FILE_SET_CONTENTS_DURABLE,
                                   0600, error);
}

static void
okno_web_form_guard_finalize (GObject *object)
{
  OknoWebFormGuard *self = OKNO_WEB_FORM_GUARD (object);

  memset (self->key, 0, KEY_LENGTH);
  G_OBJECT_CLASS (okno_web_form_guard_parent_class)->finalize (object);
}

static void
okno_web_form_guard_class_init (OknoWebFormGuardClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = okno_web_form_guard_finalize;
}

static void
okno_web_form_guard_init (OknoWebFormGuard *self)
{
  const char *min = g_getenv ("OKNO_FORM_MIN_SECONDS");

  self->min_seconds = OKNO_WEB_FORM_GUARD_DEFAULT_MIN_SECONDS;
  if (min != NULL && min[0] != '\0')
    {
      guint64 value = 0;

      if (g_ascii_string_to_unsigned (min, 10, 0, OKNO_WEB_FORM_GUARD_MAX_AGE_SECONDS, &value, NULL))
        self->min_seconds = (guint) value;
      else
        g_warning ("OKNO_FORM_MIN_SECONDS=%s is not a number of seconds; using %u",
                   min, OKNO_WEB_FORM_GUARD_DEFAULT_MIN_SECONDS);
    }
}

/**
 * okno_web_form_guard_new:
 * @key_path: (nullable): the key's file, `form-key` in the data folder;
 *   %NULL for a key of this process only (a server without a folder)
 * @error: set when the key can be neither read nor written
 *
 * Reads the key, or makes one (0600) when the file is missing or does not
 * hold one. The shortest time a form takes is 3 s, or OKNO_FORM_MIN_SECONDS.
 */
OknoWebFormGuard *
okno_web_form_guard_new (const char  *key_path,
                         GError     **error)
{
  g_autoptr(OknoWebFormGuard) self = g_object_new (OKNO_TYPE_WEB_FORM_GUARD, NULL);
  g_autoptr(GError) local_error = NULL;

  if (key_path == NULL)
    {
      okno_random_bytes (self->key, KEY_LENGTH);
      return g_steal_pointer (&self);
    }

  if (read_key (self, key_path, &local_error))
    return g_steal_pointer (&self);
  if (!g_error_matches (local_error, G_FILE_ERROR, G_FILE_ERROR_NOENT))
    g_warning ("%s; making a new form key", local_error->message);
  if (!write_key (self, key_path, error))
    return NULL;

  return g_steal_pointer (&self);
}

guint
okno_web_form_guard_get_min_seconds (OknoWebFormGuard *self)
{
  g_return_val_if_fail (OKNO_IS_WEB_FORM_GUARD (self), 0);

  return self->min_seconds;
}

/**
 * okno_web_form_guard_dup_stamp:
 *
 * The value of the form's "stamp" field for a form served at @served.
 * append_fields() puts it in the form; tests make old ones with it.
 */
char *
okno_web_form_guard_dup_stamp (OknoWebFormGuard *self,
                               const char       *scope,
                               GDateTime        *served)
{
  gint64 seconds;
  g_autofree char *mac = NULL;

  g_return_val_if_fail (OKNO_IS_WEB_FORM_GUARD (self), NULL);
  g_return_val_if_fail (served != NULL, NULL);

  seconds = g_date_time_to_unix (served);
  mac = compute_mac (self, seconds, scope);
  return g_strdup_printf ("%" G_GINT64_FORMAT ".%s", seconds, mac);
}

/**
 * okno_web_form_guard_append_fields:
 * @out: the page being built, inside the <form>
 * @catalog: the page's language, for the honeypot's label
 * @scope: what the form is for (see the header)
 * @now: when it is served
 *
 * The stamp and the honeypot. The honeypot is off-screen (okno.css's
 * .hp), out of the tab order and hidden from assistive technology, and
 * it comes back empty whatever was sent. It has no id (its label wraps
 * it), so a page may hold several guarded forms.
 */
void
okno_web_form_guard_append_fields (OknoWebFormGuard *self,
                                   GString          *out,
                                   OknoWebCatalog   *catalog,
                                   const char       *scope,
                                   GDateTime        *now)
{
  g_autofree char *stamp = NULL;

  g_return_if_fail (OKNO_IS_WEB_FORM_GUARD (self));
  g_return_if_fail (out != NULL);
  g_return_if_fail (now != NULL);

  stamp = okno_web_form_guard_dup_stamp (self, scope, now);
  okno_html_printf (out,
                    "<input type=\"hidden\" name=\"" OKNO_WEB_FORM_GUARD_STAMP_FIELD "\" value=\"%s\">"
                    "<div class=\"hp\" aria-hidden=\"true\"><label>%s "
                    "<input name=\"" OKNO_WEB_FORM_GUARD_HONEYPOT_FIELD "\""
                    " type=\"text\" value=\"\" tabindex=\"-1\" autocomplete=\"off\" aria-hidden=\"true\"></label></div>",
                    stamp,
                    /* Translators: the label of a field that people never
                     * see (it is off-screen); only robots fill it in. */
                    okno_web_catalog_gettext (catalog, N_("Leave this field empty")));
}

/**
 * okno_web_form_guard_check:
 * @form: (nullable): the POST's fields
 * @scope: what the form is for: as at append_fields()
 * @now: when the POST came
 *
 * Whether the POST may go on: %OKNO_WEB_FORM_GUARD_OK, or why not.
 */
OknoWebFormGuardVerdict
okno_web_form_guard_check (OknoWebFormGuard *self,
                           GHashTable       *form,
                           const char       *scope,
                           GDateTime        *now)
{
  const char *honeypot = form ? g_hash_table_lookup (form, OKNO_WEB_FORM_GUARD_HONEYPOT_FIELD) : NULL;
  const char *stamp = form ? g_hash_table_lookup (form, OKNO_WEB_FORM_GUARD_STAMP_FIELD) : NULL;
  g_autofree char *seconds_text = NULL;
  g_autofree char *expected = NULL;
  const char *dot;
  guint64 served = 0;
  gint64 elapsed;

  g_return_val_if_fail (OKNO_IS_WEB_FORM_GUARD (self), OKNO_WEB_FORM_GUARD_BAD_STAMP);
  g_return_val_if_fail (now != NULL, OKNO_WEB_FORM_GUARD_BAD_STAMP);

  if (honeypot != NULL && honeypot[0] != '\0')
    return OKNO_WEB_FORM_GUARD_HONEYPOT;

  if (stamp == NULL || (dot = strchr (stamp, '.')) == NULL || dot == stamp || dot - stamp > 19)
    return OKNO_WEB_FORM_GUARD_BAD_STAMP;
  seconds_text = g_strndup (stamp, dot - stamp);
  if (!g_ascii_string_to_unsigned (seconds_text, 10, 0, G_MAXINT64, &served, NULL))
    return OKNO_WEB_FORM_GUARD_BAD_STAMP;
  expected = compute_mac (self, (gint64) served, scope);
  if (!equal_in_constant_time (dot + 1, expected))
    return OKNO_WEB_FORM_GUARD_BAD_STAMP;

  /* A stamp from the future (a clock set back) counts as too fast. */
  elapsed = g_date_time_to_unix (now) - (gint64) served;
  if (elapsed < (gint64) self->min_seconds)
    return OKNO_WEB_FORM_GUARD_TOO_FAST;
  if (elapsed > OKNO_WEB_FORM_GUARD_MAX_AGE_SECONDS)
    return OKNO_WEB_FORM_GUARD_TOO_OLD;

  return OKNO_WEB_FORM_GUARD_OK;
}

/**
 * okno_web_form_guard_verdict_message:
 *
 * What the person is told when the form comes back, untranslated: pass it
 * through the page's catalog (W_()). %NULL for %OKNO_WEB_FORM_GUARD_OK.
 */
const char *
okno_web_form_guard_verdict_message (OknoWebFormGuardVerdict verdict)
{
  switch (verdict)
    {
    case OKNO_WEB_FORM_GUARD_OK:
      return NULL;
    case OKNO_WEB_FORM_GUARD_TOO_FAST:
      return N_("That was quicker than we expected. Please check your details and send them again.");
    case OKNO_WEB_FORM_GUARD_TOO_OLD:
      return N_("This form was open for a long time. Please check your details and send them again.");
    case OKNO_WEB_FORM_GUARD_HONEYPOT:
    case OKNO_WEB_FORM_GUARD_BAD_STAMP:
    default:
      return N_("We could not accept this form. Please check your details and send them again.");
    }
}

/* For logs and tests. */
const char *
okno_web_form_guard_verdict_name (OknoWebFormGuardVerdict verdict)
{
  static const char * const names[] = { "ok", "honeypot", "bad-stamp", "too-fast", "too-old" };

  return (guint) verdict < G_N_ELEMENTS (names) ? names[verdict] : "unknown";
}
