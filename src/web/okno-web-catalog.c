/* okno-web-catalog.c
 *
 * SPDX-FileCopyrightText: 2026 Okno contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "OknoWebCatalog"

#include "config.h"

#include <string.h>

#include "okno-web-catalog.h"

/* One language's translations for the public page. gettext translates into
 * the process's language; the page speaks the visitor's, per request, so it
 * reads the same compiled catalog (okno.mo) itself. English is the msgids.
 *
 * The .mo format: a header with the count and the offsets of two tables of
 * (length, offset) pairs, originals sorted by strcmp(), translations in the
 * same order. A msgid with a context is "context\004msgid". */
struct _OknoWebCatalog
{
  GObject  parent_instance;

  char    *language;
  GBytes  *data;
  guint32  n_strings;
  guint32  originals;
  guint32  translations;
  gboolean swapped;
};

G_DEFINE_FINAL_TYPE (OknoWebCatalog, okno_web_catalog, G_TYPE_OBJECT)

#define MO_MAGIC 0x950412deU

static const char * const languages[] = { "ru", "en" };

static guint32
read_u32 (OknoWebCatalog *self,
          gsize           offset)
{
  gsize size;
  const guint8 *data = g_bytes_get_data (self->data, &size);
  guint32 value;

  if (offset + 4 > size)
    return 0;
  memcpy (&value, data + offset, 4);
  return self->swapped ? GUINT32_SWAP_LE_BE (value) : value;
}

/* The string at entry @index of the table at @table, or NULL. */
static const char *
read_string (OknoWebCatalog *self,
             guint32         table,
             guint32         index)
{
  gsize size;
  const char *data = g_bytes_get_data (self->data, &size);
  guint32 length = read_u32 (self, table + index * 8);
  guint32 offset = read_u32 (self, table + index * 8 + 4);

  if ((gsize) offset + length >= size || data[offset + length] != '\0')
    return NULL;
  return data + offset;
}

static gboolean
load (OknoWebCatalog *self,
      const char     *path)
{
  g_autofree char *contents = NULL;
  gsize length;
  guint32 magic;

  if (!g_file_get_contents (path, &contents, &length, NULL) || length < 28)
    return FALSE;

  memcpy (&magic, contents, 4);
  if (magic != MO_MAGIC && GUINT32_SWAP_LE_BE (magic) != MO_MAGIC)
    return FALSE;

  self->swapped = magic != MO_MAGIC;
  self->data = g_bytes_new_take (g_steal_pointer (&contents), length);
  self->n_strings = read_u32 (self, 8);
  self->originals = read_u32 (self, 12);
  self->translations = read_u32 (self, 16);

  if ((gsize) self->originals + self->n_strings * 8 > length ||
      (gsize) self->translations + self->n_strings * 8 > length)
    {
      g_clear_pointer (&self->data, g_bytes_unref);
      return FALSE;
    }

  g_debug ("Loaded %u %s strings from %s", self->n_strings, self->language, path);
  return TRUE;
}

static void
okno_web_catalog_finalize (GObject *object)
{
  OknoWebCatalog *self = (OknoWebCatalog *) object;

  g_clear_pointer (&self->language, g_free);
  g_clear_pointer (&self->data, g_bytes_unref);

  G_OBJECT_CLASS (okno_web_catalog_parent_class)->finalize (object);
}

static void
okno_web_catalog_class_init (OknoWebCatalogClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = okno_web_catalog_finalize;
}

static void
okno_web_catalog_init (OknoWebCatalog *self)
{
}

static OknoWebCatalog *
catalog_new (const char *language)
{
  OknoWebCatalog *self = g_object_new (OKNO_TYPE_WEB_CATALOG, NULL);
  const char *dirs[] = { LOCALEDIR, BUILD_LOCALEDIR };

  self->language = g_strdup (language);
  if (g_str_equal (language, "en"))
    return self;

  for (guint i = 0; i < G_N_ELEMENTS (dirs); i++)
    {
      g_autofree char *path = g_build_filename (dirs[i], language, "LC_MESSAGES", GETTEXT_PACKAGE ".mo", NULL);

      if (load (self, path))
        return self;
    }

  g_warning ("No %s translation of the booking page was found; it speaks English", language);
  return self;
}

/**
 * okno_web_catalog_get:
 * @language: "ru" or "en"
 *
 * Returns: (transfer none): the catalog, loaded once and kept
 */
OknoWebCatalog *
okno_web_catalog_get (const char *language)
{
  static OknoWebCatalog *catalogs[G_N_ELEMENTS (languages)];

  for (guint i = 0; i < G_N_ELEMENTS (languages); i++)
    {
      if (g_strcmp0 (language, languages[i]) == 0)
        {
          if (catalogs[i] == NULL)
            catalogs[i] = catalog_new (languages[i]);
          return catalogs[i];
        }
    }

  return okno_web_catalog_get (languages[0]);
}

const char *
okno_web_catalog_get_language (OknoWebCatalog *self)
{
  g_return_val_if_fail (OKNO_IS_WEB_CATALOG (self), NULL);
  return self->language;
}

const char *
okno_web_catalog_gettext (OknoWebCatalog *self,
                          const char     *msgid)
{
  guint32 lo = 0, hi;

  g_return_val_if_fail (OKNO_IS_WEB_CATALOG (self), msgid);

  if (self->data == NULL || msgid == NULL || msgid[0] == '\0')
    return msgid;

  hi = self->n_strings;
  while (lo < hi)
    {
      guint32 mid = lo + (hi - lo) / 2;
      const char *original = read_string (self, self->originals, mid);
      int cmp;

      if (original == NULL)
        return msgid;
      cmp = strcmp (msgid, original);
      if (cmp == 0)
        {
          const char *translation = read_string (self, self->translations, mid);
          return translation && translation[0] ? translation : msgid;
        }
      if (cmp < 0)
        hi = mid;
      else
        lo = mid + 1;
    }

  return msgid;
}

const char *
okno_web_catalog_pgettext (OknoWebCatalog *self,
                           const char     *context,
                           const char     *msgid)
{
  g_autofree char *key = g_strconcat (context, "\004", msgid, NULL);
  const char *translation = okno_web_catalog_gettext (self, key);

  return translation == key ? msgid : translation;
}

/* Russian unless the visitor prefers English to it. */
const char *
okno_web_catalog_negotiate (const char *accept_language)
{
  g_auto(GStrv) ranges = NULL;
  double best_q = -1;
  const char *best = languages[0];

  if (accept_language == NULL)
    return best;

  ranges = g_strsplit (accept_language, ",", 16);
  for (guint i = 0; ranges[i]; i++)
    {
      g_auto(GStrv) parts = g_strsplit (ranges[i], ";", 2);
      char *tag = g_strstrip (parts[0]);
      double q = 1.0;

      if (parts[1] != NULL)
        {
          char *p = g_strstrip (parts[1]);
          if (g_str_has_prefix (p, "q="))
            q = g_ascii_strtod (p + 2, NULL);
        }

      for (guint j = 0; j < G_N_ELEMENTS (languages); j++)
        {
          gsize len = strlen (languages[j]);

          if (g_ascii_strncasecmp (tag, languages[j], len) == 0 && (tag[len] == '\0' || tag[len] == '-') &&
              q > best_q)
            {
              best_q = q;
              best = languages[j];
            }
        }
    }

  return best;
}
