#!/usr/bin/env python3
# bench-search-data.py: a catalogue to search, as an import file
#
# SPDX-License-Identifier: GPL-3.0-or-later
#
#   bench-search-data.py N_TUTORIALS > catalogue.json
#
# Titles of 3-7 words and descriptions of 10-30, drawn (seeded, so every
# run makes the same file) from words of programming tutorials in several
# spellings: accents, capitals, ß, ligatures. 10 000 tags "tag-N", up to
# three a tutorial. For tests/bench-search.c.
import json
import random
import sys

WORDS = ("python gtk rust gnome tutorial guide intro advanced basics widget list view store "
         "sqlite mariadb galera tag chip editor search index folded accent café Zürich München "
         "Straße naïve résumé fiancé déjà vu kernel shell bash meson ninja flatpak portal dbus "
         "glib gobject signal property binding template builder layout grid box overlay popover "
         "dialog toast banner navigation split header menu action shortcut accessibility screen "
         "reader orca keyboard focus theme dark light contrast colour palette icon symbolic "
         "ﬁle ÉCOLE Ørsted Łódź").split()
WORDS += [w + s for w in WORDS[:60] for s in ("s", "ing", "ed", "er")]


def main():
    n = int(sys.argv[1])
    rng = random.Random(4)
    out = sys.stdout
    out.write("[")
    for i in range(n):
        title = " ".join(rng.choice(WORDS) for _ in range(rng.randint(3, 7)))
        description = " ".join(rng.choice(WORDS) for _ in range(rng.randint(10, 30)))
        tags = sorted({"tag-%d" % rng.randrange(10000) for _ in range(rng.randint(0, 3))})
        record = {"title": title[:255], "description": description, "tags": tags}
        out.write(("," if i else "") + json.dumps(record, ensure_ascii=False))
    out.write("]\n")


main()
