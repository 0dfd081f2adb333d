#!/bin/sh
# check-po.sh SRCDIR: every translatable string has a Russian translation,
# and every file with translatable strings is listed in po/POTFILES.in.
# SPDX-FileCopyrightText: 2026 Okno contributors
# SPDX-License-Identifier: GPL-3.0-or-later
set -u
SRC=$1
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
n=0; failed=0
ok() {
  n=$((n + 1))
  if [ "$1" = 0 ]; then echo "ok $n - $2"; else echo "not ok $n - $2"; failed=1; fi
}

cd "$SRC"
missing=$(grep -rlE '(^|[^a-z_])(_|N_|C_)\("|translatable="yes"' src data --include='*.c' --include='*.ui' --include='*.in' --include='*.xml' \
          | sort | while read -r f; do grep -qxF "$f" po/POTFILES.in || echo "$f"; done)
[ -z "$missing" ]; ok $? "POTFILES.in lists every file with translatable strings${missing:+ (missing: $missing)}"

grep -v '^#' po/POTFILES.in | grep -v '^$' > "$TMP/files"
xgettext --from-code=UTF-8 --add-comments=Translators --keyword=_ --keyword=N_ --keyword=C_:1c,2 \
  --keyword=NC_:1c,2 --keyword=W_ --keyword=WC_:1c,2 --keyword=g_dngettext:2,3 --keyword=g_dpgettext2:2c,3 \
  --flag=g_strdup_printf:1:c-format --directory="$SRC" --files-from="$TMP/files" \
  --output="$TMP/okno.pot" 2>"$TMP/xgettext.err"
ok $? "xgettext reads every listed file"

for po in po/*.po; do
  lang=$(basename "$po" .po)
  msgmerge --quiet --no-fuzzy-matching "$po" "$TMP/okno.pot" -o "$TMP/$lang.po"
  stats=$(msgfmt --check --statistics -o /dev/null "$TMP/$lang.po" 2>&1); rc=$?
  [ $rc = 0 ]; ok $? "$lang.po compiles with msgfmt --check"
  echo "$stats" | grep -Eq 'untranslated|fuzzy'; [ $? = 1 ]
  ok $? "$lang.po translates every string ($stats)"
  if [ $failed = 1 ]; then
    msgattrib --untranslated "$TMP/$lang.po" | grep -E '^msgid ' | head -20 | sed 's/^/# /'
  fi
done

echo "1..$n"
exit $failed
