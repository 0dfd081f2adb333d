/* okno-text.c
 *
 * SPDX-FileCopyrightText: 2026 Okno contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "OknoText"

#include "config.h"

#include <string.h>

#include "okno-text.h"

/* Rules for text that comes from outside (a client's JSON, form, query or
 * header), in one place so that every entry point applies the same ones:
 *
 * - okno_text_is_clean() is the boundary check: the whole value, by its
 *   length, is valid UTF-8 (so no lone surrogates, which json-glib turns
 *   into the invalid bytes ED A0 80…ED BF BF), with no NUL and no control
 *   character but tab, line feed and carriage return;
 * - the other functions are the finer rules for what a person types (a
 *   name, a note), applied by OknoBookingRequest. */

/**
 * okno_text_is_clean:
 * @text: the bytes, not necessarily NUL-terminated
 * @length: their number, or -1 when @text is NUL-terminated
 *
 * Returns: whether @text can be used at all.
 */
gboolean
okno_text_is_clean (const char *text,
                    gssize      length)
{
  const char *end;

  if (text == NULL)
    return FALSE;
  if (length < 0)
    length = strlen (text);

  /* g_utf8_validate_len() stops at a NUL: an embedded one fails here. */
  if (!g_utf8_validate_len (text, length, &end) || end != text + length)
    return FALSE;

  return !okno_text_has_controls (text, TRUE);
}

/* C0 and C1 controls, DEL, and the Unicode line and paragraph separators;
 * tab, line feed and carriage return only with @allow_newlines. */
gboolean
okno_text_has_controls (const char *text,
                        gboolean    allow_newlines)
{
  for (const char *p = text; *p; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (allow_newlines && (c == '\n' || c == '\r' || c == '\t'))
        continue;
      if (g_unichar_iscntrl (c) || c == 0x2028 || c == 0x2029)
        return TRUE;
    }

  return FALSE;
}

/* Invisible characters that change how the text around them reads: bidi
 * embeddings, overrides, isolates and marks (U+202A–202E, U+2066–2069,
 * U+200E, U+200F, U+061C), zero-width spaces and joiners (U+200B–200D,
 * U+2060, U+FEFF) — all of Unicode's category Cf — and unassigned or
 * private-use code points, which show as nothing or as a box. */
gboolean
okno_text_has_format_chars (const char *text)
{
  for (const char *p = text; *p; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      switch (g_unichar_type (c))
        {
        case G_UNICODE_FORMAT:
        case G_UNICODE_UNASSIGNED:
        case G_UNICODE_PRIVATE_USE:
        case G_UNICODE_SURROGATE:
          return TRUE;
        default:
          break;
        }
    }

  return FALSE;
}

/* At least one letter of any script: a name is not only spaces, marks,
 * digits or symbols. */
gboolean
okno_text_has_letter (const char *text)
{
  for (const char *p = text; *p; p = g_utf8_next_char (p))
    if (g_unichar_isalpha (g_utf8_get_char (p)))
      return TRUE;

  return FALSE;
}

/**
 * okno_text_normalize:
 * @text: clean text (see okno_text_is_clean())
 *
 * NFC, with white space of any kind (no-break spaces too) trimmed at both
 * ends, so that what is stored compares as a person reads it.
 *
 * Returns: (nullable): the text, or %NULL when nothing is left
 */
char *
okno_text_normalize (const char *text)
{
  g_autofree char *nfc = NULL;
  const char *start, *end;

  if (text == NULL)
    return NULL;

  nfc = g_utf8_normalize (text, -1, G_NORMALIZE_NFC);
  if (nfc == NULL)
    return NULL;

  start = nfc;
  while (*start && g_unichar_isspace (g_utf8_get_char (start)))
    start = g_utf8_next_char (start);

  end = start + strlen (start);
  while (end > start)
    {
      const char *prev = g_utf8_prev_char (end);

      if (!g_unichar_isspace (g_utf8_get_char (prev)))
        break;
      end = prev;
    }

  if (end == start)
    return NULL;

  return g_strndup (start, end - start);
}
