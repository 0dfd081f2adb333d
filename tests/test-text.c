/* test-text.c: the text rules every string from outside passes.
 *
 * SPDX-FileCopyrightText: 2026 Okno contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "okno-text.h"

static void
test_clean (void)
{
  g_assert_true (okno_text_is_clean ("Анна, 10:00\tи\nпотом\r\n", -1));
  g_assert_true (okno_text_is_clean ("", 0));
  /* A NUL inside the given length: not cut there, refused. */
  g_assert_false (okno_text_is_clean ("token\0junk", 10));
  g_assert_true (okno_text_is_clean ("token\0junk", 5));
  /* What json-glib makes of "\ud800" and "\udc00": CESU bytes. */
  g_assert_false (okno_text_is_clean ("A\xed\xa0\x80" "B", -1));
  g_assert_false (okno_text_is_clean ("A\xed\xb0\x80" "B", -1));
  g_assert_false (okno_text_is_clean ("\xff", -1));
  g_assert_false (okno_text_is_clean ("\xc0\x80", -1));
  g_assert_false (okno_text_is_clean ("a\x01" "b", -1));
  g_assert_false (okno_text_is_clean ("a\x7f", -1));
  g_assert_false (okno_text_is_clean ("a\xc2\x85", -1));     /* U+0085 */
  g_assert_false (okno_text_is_clean ("a\xe2\x80\xa8", -1)); /* U+2028 */
  g_assert_false (okno_text_is_clean (NULL, -1));

  g_assert_true (okno_text_has_controls ("a\nb", FALSE));
  g_assert_false (okno_text_has_controls ("a\nb", TRUE));
}

static void
test_format_chars (void)
{
  const char *invisible[] = {
    "\u202a", "\u202b", "\u202c", "\u202d", "\u202e", "\u2066", "\u2067", "\u2068", "\u2069",
    "\u200e", "\u200f", "\u061c", "\u200b", "\u200c", "\u200d", "\u2060", "\ufeff", "\u00ad",
    "\ue000",
  };

  for (guint i = 0; i < G_N_ELEMENTS (invisible); i++)
    {
      g_autofree char *text = g_strconcat ("An", invisible[i], "na", NULL);

      if (!okno_text_has_format_chars (text))
        g_error ("%s (#%u) not seen", text, i);
    }
  g_assert_false (okno_text_has_format_chars ("Анна-Мария O'Neil 李 🌸 café"));
}

static void
test_letter (void)
{
  g_assert_true (okno_text_has_letter ("李"));
  g_assert_true (okno_text_has_letter ("A1"));
  g_assert_false (okno_text_has_letter ("\u00a0"));
  g_assert_false (okno_text_has_letter ("\u0301\u0308"));
  g_assert_false (okno_text_has_letter ("12 345"));
  g_assert_false (okno_text_has_letter ("🌸"));
}

static void
test_normalize (void)
{
  g_autofree char *nfc = okno_text_normalize ("Cafe\u0301");
  g_autofree char *trimmed = okno_text_normalize ("\u00a0 \u2003Anna\u00a0\t");
  g_autofree char *blank = okno_text_normalize ("\u00a0\u00a0 ");

  g_assert_cmpstr (nfc, ==, "Caf\u00e9");
  g_assert_cmpstr (trimmed, ==, "Anna");
  g_assert_null (blank);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/okno/text/clean", test_clean);
  g_test_add_func ("/okno/text/format-chars", test_format_chars);
  g_test_add_func ("/okno/text/letter", test_letter);
  g_test_add_func ("/okno/text/normalize", test_normalize);

  return g_test_run ();
}
