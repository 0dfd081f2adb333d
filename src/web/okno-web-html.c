/* okno-web-html.c: building HTML that is escaped by default.
 *
 * SPDX-FileCopyrightText: 2026 Okno contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "OknoWebHtml"

#include "config.h"

#include <stdarg.h>

#include "okno-web-html.h"

/* Safe in text and in double- or single-quoted attributes. */
void
okno_html_escape (GString    *out,
                  const char *text)
{
  if (text == NULL)
    return;

  for (const char *p = text; *p; p++)
    {
      switch (*p)
        {
        case '&': g_string_append (out, "&amp;"); break;
        case '<': g_string_append (out, "&lt;"); break;
        case '>': g_string_append (out, "&gt;"); break;
        case '"': g_string_append (out, "&quot;"); break;
        case '\'': g_string_append (out, "&#39;"); break;
        default: g_string_append_c (out, *p);
        }
    }
}

/**
 * okno_html_printf:
 * @format: the HTML around the values; `%s` is a string to escape, `%H` a
 *   string of HTML already built, `%d` an int, `%%` a percent sign
 *
 * Every `%s` is escaped, so nothing a client typed can become markup.
 */
void
okno_html_printf (GString    *out,
                  const char *format,
                  ...)
{
  va_list args;

  va_start (args, format);
  for (const char *p = format; *p; p++)
    {
      if (*p != '%')
        {
          g_string_append_c (out, *p);
          continue;
        }

      switch (*++p)
        {
        case 's':
          okno_html_escape (out, va_arg (args, const char *));
          break;
        case 'H':
          g_string_append (out, va_arg (args, const char *));
          break;
        case 'd':
          g_string_append_printf (out, "%d", va_arg (args, int));
          break;
        case '%':
          g_string_append_c (out, '%');
          break;
        default:
          g_assert_not_reached ();
        }
    }
  va_end (args);
}
