"""Builders of tools/build_rules.py for the organisation and place lists
added with the second batch of sources: sports teams, political parties,
news outlets, international bodies (CC-BY-SA, own file), aid agencies,
government bodies, stock exchanges, listed companies, GeoNames towns and
US state abbreviations.  Each returns a Gazetteer; main() resolves names
across files and writes them.  Standard library only."""

import os
import re
from collections import defaultdict

from rules_lib import AMB, Gazetteer, clean, col, fold, hw_set, read_rows, slug

# a name in Latin script (with diacritics), digits and the usual punctuation
LATIN = re.compile(r"^[A-Za-z0-9\u00C0-\u024F\u1E00-\u1EFF .,&'()/+-]+$")
SMALL_WORDS = {"of", "and", "the", "for", "de", "du", "des", "la", "le", "les", "del", "di", "da", "do",
               "dos", "das", "y", "e", "et", "und", "für", "in", "on", "at", "to", "a", "an", "van", "von"}


def filt(name):
    return hw_set("filters/" + name)


def latin(n):
    return bool(LATIN.match(n)) and any(c.isalpha() for c in n)


def titlecase(n):
    """'LONDON STOCK EXCHANGE' -> 'London Stock Exchange'; small words lower
    case except first; words with a digit or a period kept."""
    out = []
    for i, w in enumerate(n.split(" ")):
        lw = w.lower()
        if i and lw in SMALL_WORDS:
            out.append(lw)
        elif re.search(r"[\d.]", w) or (len(w) <= 3 and lw not in ("new", "one", "two", "bay", "san", "old")):
            out.append(w)              # acronyms and codes stay as written
        else:
            out.append("-".join(p[:1].upper() + p[1:].lower() for p in w.split("-")))
    return " ".join(out)


class OrgFlags:
    """Whether a new name needs context: a common word, a first name or
    surname, a place, or a word of the hand-written lists that are no names."""

    def __init__(self, src, lex, place_names, first_names, surnames):
        self.generic_acronyms = {clean(r[0]) for r in read_rows(os.path.join(src, "scowl/abbreviations_50.txt"))}
        self.generic_acronyms |= filt("generic_acronyms.txt")
        # every GeoNames place of 1,000+ people: a team named like one (Galway, Inverness) needs context
        self.towns = set()
        for r in read_rows(os.path.join(src, "geonames-cities1000/cities1000.tsv")):
            self.towns.add(clean(col(r, 1)))
            self.towns.add(clean(col(r, 2)))
            if int(col(r, 7) or 0) >= 50000:   # and the exonyms of larger places (Galway for Gaillimh)
                self.towns.update(a for a in (clean(a) for a in col(r, 9).split("|")) if a.isascii())
        for r in read_rows(os.path.join(src, "geonames-cities1000/admin2.tsv")):   # County Galway -> Galway
            self.towns.add(re.sub(r"^(County|City of|Borough of) | (County|City|District|Municipality)$", "",
                                  clean(col(r, 4))))
        self.lex = lex
        self.place_names = place_names
        self.first_names = first_names
        self.surnames = surnames

    def name_like(self, name):
        """A common word, or one word that is a first name or surname."""
        if self.lex.is_common_word(name):
            return True
        if " " in name:
            return False
        # an acronym matches in any case ("TIM" matches "Tim"): test its capitalised form too
        forms = {name, name.capitalize()} if name.isupper() else {name}
        return any(f in self.first_names or f in self.surnames for f in forms)

    def ambiguous(self, name):
        return self.name_like(name) or name in self.place_names or name in self.towns

    def flags(self, name):
        return AMB if self.ambiguous(name) else ""


def ok_name(n, demonyms, min_len=2):
    """Long enough, Latin script, starting with a capital or a digit, with a
    letter, and no demonym ("Chinese" is never an organisation)."""
    return (len(n) >= min_len and latin(n) and (n[0].isupper() or n[0].isdigit())
            and any(c.isalpha() for c in n) and n not in demonyms)


def acronym_ok(a, flags):
    """An abbreviation worth matching: 3+ capitals (BaFin-style allowed), no
    digits, not a common word in capitals (THE, PAY), not a general
    abbreviation (scowl abbreviations_50, hand-written generic acronyms)."""
    return (3 <= len(a) <= 8 and a[0].isupper() and a.isalpha()
            and sum(c.isupper() for c in a) >= 2 and a.lower() not in flags.lex.common35
            and a not in flags.generic_acronyms)


def proper_words(n):
    """Every word capitalised (or a digit) except small words: no "It is time"."""
    ws = n.split(" ")
    return all(w[:1].isupper() or w[:1].isdigit() or w.lower() in SMALL_WORDS for w in ws)


# ---------------------------------------------------------------- sport

def sport_name_ok(n, fl, demonyms):
    """A team name worth listing: no common word, and no place name (Brno,
    Galway): the place reading needs no second entry, and sport context
    rules type a place as the team where the document says so."""
    return (ok_name(n, demonyms, 3) and "(" not in n and not fl.lex.is_common_word(n)
            and n not in fl.place_names and n not in fl.towns)


def build_sport(src, fl, demonyms):
    """Returns the gazetteer; its .place_named set holds the team names left
    out because they are places (the town list flags those: Ajax)."""
    g = Gazetteer("orgs_sport.tsv", "Sports teams: openfootball clubs (CC0-1.0), NBA/NHL/MLB teams (MIT), football "
                  "and rugby teams of the faker.js fork (MIT). See rules/SOURCES.md")
    place_named = set()
    for r in read_rows(os.path.join(src, "openfootball-clubs/club_names.tsv")):
        name, kind, cid, canon = clean(r[0]), col(r, 1), col(r, 3), clean(col(r, 4))
        if kind not in ("canonical", "alias"):
            continue
        name = re.sub(r"\s*\([^)]*\)$", "", name).strip()
        canon = re.sub(r"\s*\([^)]*\)$", "", canon).strip()
        canon = re.sub(r" (A\.?F\.?C\.?|F\.?C\.?)$", "", canon)   # display name as news writes it: Leeds United
        if name in fl.place_names or name in fl.towns:
            place_named.add(name)
        if sport_name_ok(name, fl, demonyms):
            g.add(name, "ORG", "openfootball:" + cid, canon, fl.flags(name))
    for r in read_rows(os.path.join(src, "na-pro-teams/teams.tsv")):
        league, name, nick = col(r, 0), clean(col(r, 2)), clean(col(r, 4))
        key = "team:%s-%s" % (league.lower(), slug(name))
        g.add(name, "ORG", key, name, fl.flags(name))
        if nick and sport_name_ok(nick, fl, demonyms):   # NBA/MLB nicknames; NHL fan nicknames mix in insults
            g.add(nick, "ORG", key, name, fl.flags(nick))
    for r in read_rows(os.path.join(src, "faker-sports/teams.tsv")):
        sport, name, short = col(r, 0), clean(col(r, 1)), clean(col(r, 2))
        key = "team:%s-%s" % (sport.replace(" ", "-"), slug(name))
        for n in (name, short):   # one-word short names of this source are too often places
            if n and (n == name or " " in n) and sport_name_ok(n, fl, demonyms):
                g.add(n, "ORG", key, name, fl.flags(n))
    g.place_named = place_named
    return g


# ---------------------------------------------------------------- parties

PARTY_MIN_SHARE = 3.0       # % of the vote at its best election: minor parties left out
PARTY_ACRONYM_SHARE = 5.0   # % of the vote: only major parties' acronyms (SPD, ANC, BJP) are listed

def build_parties(src, fl, demonyms):
    g = Gazetteer("orgs_parties.tsv", "Political parties: Party Facts core parties (MIT; Wikidata labels CC0). "
                  "See rules/SOURCES.md")
    share = {}
    for r in read_rows(os.path.join(src, "partyfacts/parties.tsv")):
        try:
            share[col(r, 0)] = float(col(r, 8) or 0)
        except ValueError:
            share[col(r, 0)] = 0.0
    cands = defaultdict(list)     # name -> [(-share, id, canonical)]
    for r in read_rows(os.path.join(src, "partyfacts/party_names.tsv")):
        name, kind, pid, eng, tech = clean(r[0]), col(r, 1), col(r, 2), clean(col(r, 4)), col(r, 7)
        if tech or not name or kind.startswith("other") or share.get(pid, 0.0) < PARTY_MIN_SHARE:
            continue
        canon = eng.split(" / ")[0].strip() or name
        if kind.startswith("short") or kind == "wikidata_short":
            if not (name.isupper() and acronym_ok(name, fl)) or share.get(pid, 0.0) < PARTY_ACRONYM_SHARE:
                continue
        elif (" " not in name or not ok_name(name, demonyms, 4) or len(name) > 80 or " / " in name
              or not proper_words(name)):
            continue
        cands[name].append((-share.get(pid, 0.0), int(pid) if pid.isdigit() else 0, pid, canon))
    for n in sorted(cands):
        best = min(cands[n])
        flags = fl.flags(n)
        if len(cands[n]) > 1 and n.isupper():
            flags = AMB                    # an abbreviation of parties in several countries
        g.add(n, "ORG", "partyfacts:" + best[2], best[3], flags)
    return g


# ---------------------------------------------------------------- media

def build_media(src, fl, demonyms):
    g = Gazetteer("orgs_media.tsv", "News outlets and wire services: savkov/freebie and flairNLP/fundus (MIT). "
                  "See rules/SOURCES.md")
    rows = []
    for r in read_rows(os.path.join(src, "news-outlets/freebie_websources.tsv")):
        rows.append(clean(col(r, 1)))
    for r in read_rows(os.path.join(src, "news-outlets/fundus_publishers.tsv")):
        rows.append(clean(col(r, 1)))
    for n in rows:
        if not ok_name(n, demonyms, 3) or len(n) > 60:
            continue
        canon = n
        g.add(n, "ORG", "media:" + slug(n), canon, fl.flags(n))
        if n.startswith("The ") and " " in n[4:]:
            g.add(n[4:], "ORG", "media:" + slug(n), canon, fl.flags(n[4:]))
    return g


# ---------------------------------------------------------------- international bodies (CC-BY-SA)

def build_intl(src, fl, demonyms):
    g = Gazetteer("orgs_intl_ccbysa.tsv", "International organisations: SupraVerden, (c) Confirmordeny 2025-2026, "
                  "CC-BY-SA-4.0; this derived list is licensed CC-BY-SA-4.0. See rules/SOURCES.md")
    for r in read_rows(os.path.join(src, "supraverden/organisation_names.tsv")):
        name, kind, sid, canon, qid = clean(r[0]), col(r, 1), col(r, 2), clean(col(r, 3)), col(r, 5)
        key = "wikidata:" + qid if re.fullmatch(r"Q\d+", qid) else "supraverden:" + sid
        if kind.endswith("abbreviation"):
            if not acronym_ok(name.replace("-", ""), fl) or not name.replace("-", "").isalpha():
                continue
        elif not ok_name(name, demonyms, 4) or " " not in name:
            continue
        g.add(name, "ORG", key, canon or name, fl.flags(name))
    return g


# ---------------------------------------------------------------- aid agencies

def build_aid(src, fl, demonyms):
    g = Gazetteer("orgs_aid.tsv", "Aid channels and donor agencies: OECD DAC/CRS code lists (ODC-PDDL-1.0). "
                  "See rules/SOURCES.md")
    generic = filt("aid_generic_names.txt")

    def add(name, acr, key):
        name = clean(name)
        if (ok_name(name, demonyms, 4) and " " in name and not name.isupper() and " - " not in name
                and "(" not in name and name not in generic and len(name) <= 90):
            g.add(name, "ORG", key, name, fl.flags(name))
            acr = clean(acr)
            if acr and acr.isupper() and acronym_ok(acr, fl):
                g.add(acr, "ORG", key, name, AMB if fl.ambiguous(acr) else "")
    for r in read_rows(os.path.join(src, "oecd-dac-crs/channel_codes.tsv")):
        if col(r, 2) != "yes":
            add(col(r, 3), col(r, 4), "oecd-channel:" + col(r, 0))
    for r in read_rows(os.path.join(src, "oecd-dac-crs/agencies.tsv")):
        add(col(r, 3), col(r, 5), "oecd-agency:%s-%s" % (col(r, 0), col(r, 2)))
    return g


# ---------------------------------------------------------------- government bodies

def build_government(src, fl, demonyms):
    g = Gazetteer("orgs_government.tsv", "Government bodies of GB, US, EU, NP, NZ (English names): "
                  "publicbodies.org (ODC-PDDL-1.0). See rules/SOURCES.md")
    for r in read_rows(os.path.join(src, "publicbodies/public_bodies.tsv")):
        bid, name, abbr, other = col(r, 0), clean(col(r, 1)), clean(col(r, 2)), col(r, 3)
        if LOCAL_BODY.search(name) or bid.split("/")[0] not in ENGLISH_JURISDICTIONS:
            continue
        key = "publicbody:" + bid
        del other                      # other_names also hold people and informal labels
        if (ok_name(name, demonyms, 4) and " " in name and " - " not in name and len(name) <= 80
                and not name.isupper() and proper_words(name) and not TITLE_START.match(name)):
            g.add(name, "ORG", key, name, fl.flags(name))
        if abbr and acronym_ok(abbr, fl):
            g.add(abbr, "ORG", key, name, AMB if fl.ambiguous(abbr) else "")
    return g


# local councils and arm's-length companies: thousands of names, rare in national and wire news
LOCAL_BODY = re.compile(r"\b(Council|Borough|District|Parish|Limited|Ltd|LLP|CIC|Trust|School|Academy|College|"
                        r"Hospital|Gemeinde|Kommun|Kanton|Landkreis|Stadt)\b")


# bodies named in English (the others are in German, Swedish, Greek, Portuguese)
ENGLISH_JURISDICTIONS = {"gb", "us", "eu", "nz", "np"}


# a body named by its office holder's title is the title in news ("Prime Minister")
TITLE_START = re.compile(r"^(Deputy |Vice |Prime |First |Chief )*(Minister|President|Secretary|Chancellor|"
                         r"Governor|Mayor|Commissioner|Attorney|Premier|Speaker)\b")


# ---------------------------------------------------------------- stock exchanges

EXCHANGE_WORD = re.compile(r"\b(EXCHANGE|BOURSE|BÖRSE|BORSE|BORS|BØRS|BOLSA|BORSA|BURSA|STOCK MARKET)\b")


def build_exchanges(src, fl, demonyms):
    g = Gazetteer("orgs_exchanges.tsv", "Stock exchanges: ISO 10383 MIC list via w3stling/mic (MIT; list published "
                  "free by the registration authority), operating MICs named as exchanges. See rules/SOURCES.md")
    for r in read_rows(os.path.join(src, "iso10383-mic/mic.tsv")):
        mic, level, name, acr = col(r, 0), col(r, 2), clean(col(r, 3)), clean(col(r, 5))
        if level != "OPRT" or not EXCHANGE_WORD.search(name) or " - " in name or "(" in name:
            continue
        name = re.sub(r",? (INC|LTD|LIMITED|S\.A\.|AG|PLC|LLC|ASA|AB)\.?$", "", name)
        t = titlecase(name)
        if not ok_name(t, demonyms, 4):
            continue
        g.add(t, "ORG", "mic:" + mic, t, fl.flags(t))
        if acr and acr.isalpha() and acr.isupper() and acronym_ok(acr, fl):
            g.add(acr, "ORG", "mic:" + mic, t, AMB if fl.ambiguous(acr) else "")
    return g


# ---------------------------------------------------------------- listed companies

FUND_WORDS = re.compile(r"\b(ETF|ETN|Fund|Trust|Index|Acquisition|Warrants?|Units?|Notes?|Preferred|SPAC|"
                        r"Depositary|Shares|Bond|Portfolio|iShares|ProShares|Direxion)\b", re.I)
JUNK = re.compile(r"\d/|/O\.N|\bO\.N\.?$|\bDL-|\bSP\.ADR|\bADR\b|\bNEW$|\bREG\b|\bBR\b|\.(?=[A-Z]{2})|,\d")


class LegalForms:
    """cleanco's legal-form terms (plus the hand-written ones), stripped
    from the end of a company name, longest first."""

    def __init__(self, src):
        terms = {clean(r[0]).lower() for r in read_rows(os.path.join(src, "cleanco/legal_suffixes_by_type.tsv"))}
        terms |= {clean(r[0]).lower() for r in read_rows(os.path.join(src, "cleanco/legal_suffixes_by_country.tsv"))}
        terms |= {t.lower() for t in filt("company_name_endings.txt")}
        alts = sorted((re.escape(t) for t in terms if t), key=len, reverse=True)
        self.re = re.compile(r"(?:,?\s+|\s*,\s*)(?:" + "|".join(alts) + r")\.?$", re.I)

    def strip(self, n):
        prev = None
        n = re.sub(r"\s*\((publ|The)\)$", "", n, flags=re.I)
        while prev != n:
            prev = n
            n = self.re.sub("", n).strip().rstrip(",").strip()
        return n


def company_forms(raw, forms):
    n = clean(raw)
    if n.isupper():
        n = titlecase(n)
    full = n
    short = forms.strip(n[4:] if n.startswith("The ") else n)
    return full, short


def build_companies(src, fl, demonyms, forms, max_sec_rank):
    g = Gazetteer("orgs_companies.tsv", "Listed companies, legal forms stripped with cleanco (MIT): FinanceDatabase "
                  "(MIT) mega and large caps; SEC EDGAR company tickers (public domain), the largest issuers. "
                  "See rules/SOURCES.md")
    caps = {"Mega Cap": 0, "Large Cap": 1}
    by_key = {}
    for r in read_rows(os.path.join(src, "financedatabase/equities.tsv")):
        name, cap, isin, delisted = clean(col(r, 1)), col(r, 10), col(r, 11), col(r, 13)
        if cap not in caps or delisted == "True" or not name:
            continue
        key = isin or slug(name)
        good = not name.isupper() and not JUNK.search(name)
        prev = by_key.get(key)
        if prev is None or (good and not prev[0]):
            by_key[key] = (good, caps[cap], name)
    rows = [(cap, name, "") for key, (good, cap, name) in by_key.items() if good]
    for r in read_rows(os.path.join(src, "sec-edgar-tickers/company_tickers.tsv")):
        rank, name = int(col(r, 0) or 0), clean(col(r, 2))
        if rank and rank <= max_sec_rank and not JUNK.search(name):
            rows.append((3, name, ""))
    for _cap, name, key in sorted(rows):
        if FUND_WORDS.search(name) or len(name) > 70:
            continue
        full, short = company_forms(name, forms)
        key = key or "org:" + slug(short or full)   # keyed like the other lists' companies (org:danone)
        for n in (full, short):
            if ok_name(n, demonyms, 3) and not re.fullmatch(r"[A-Z]{1,3}", n):
                g.add(n, "ORG", key, short or full, fl.flags(n))
    return g


# ---------------------------------------------------------------- places

def words_of_lists(outdir, names):
    """Entries of rules/lists/NAME.txt files, for filters (stop words, head words)."""
    out = set()
    for name in names:
        for r in read_rows(os.path.join(outdir, "lists", name)):
            out.add(clean(r[0]))
    return out


def build_towns(src, outdir, lex, fl, place_names, org_names, demonyms, min_pop, safe_pop, alt_pop):
    """GeoNames places not in the other place files.  Names that are common
    words, stop words, head words, titles, first names or surnames are left
    out; one-word names of places under safe_pop people are flagged
    ambiguous (context rules may claim them: "Levico, Trento")."""
    g = Gazetteer("places_geonames.tsv", "Towns and cities of GeoNames cities1000 (CC-BY, GeoNames) with population "
                  ">= %d not in the other place files (one-word names under %d people flagged ambiguous); alternate "
                  "names of places >= %d people. See rules/SOURCES.md" % (min_pop, safe_pop, alt_pop))
    nonames = words_of_lists(outdir, ["stop.txt", "org_heads.txt", "place_heads.txt", "facility_heads.txt",
                                      "event_heads.txt", "titles.txt"])
    nonames = {w.lower() for w in nonames}
    skip_fc = {"PPLX", "PPLH", "PPLQ", "PPLW", "PPLCH"}
    for r in read_rows(os.path.join(src, "geonames-cities1000/cities1000.tsv")):
        gid, name, ascii_, fc, pop, alts = (col(r, 0), clean(col(r, 1)), clean(col(r, 2)),
                                            col(r, 6), int(col(r, 7) or 0), col(r, 9))
        if pop < min_pop or fc in skip_fc:
            continue
        names = [name, ascii_]
        if pop >= alt_pop:   # ASCII alternate names of 5+ letters (Bombay, Peking; not "Usi" for Wuxi)
            names += [a for a in (clean(a) for a in alts.split("|")) if len(a) >= 5 and a.isascii()]
        for n in names:
            if not n or n in place_names or n in demonyms or not latin(n) or not n[0].isupper():
                continue
            if "(" in n or re.search(r"\d", n) or len(n) < 4 or n.isupper() or n.lower() in nonames:
                continue
            if fl.name_like(n) or lex.is_person_name(n, 1000) or any(w.lower() in nonames for w in n.split()[-1:]):
                continue
            flags = AMB if (n in org_names or (" " not in n and pop < safe_pop)) else ""
            g.add(n, "PLACE", "geonames:" + gid, name, flags)
    return g


def build_us_states(src):
    """AP and other written abbreviations of US states (Okla., Calif.) as
    places keyed like admin1.tsv; abbreviations that are also words or
    names (Ind., Miss., Wash.) are flagged."""
    g = Gazetteer("us_states.tsv", "US state abbreviations, AP style and others: us-states-normalize (MIT). "
                  "See rules/SOURCES.md")
    amb = filt("us_state_abbr_ambiguous.txt")
    for r in read_rows(os.path.join(src, "us-states-ap/us_states.tsv")):
        usps, name, ap, other = col(r, 0), clean(col(r, 1)).replace(" Of ", " of "), clean(col(r, 2)), col(r, 3)
        key = "admin1:US." + usps
        forms = [ap] + [clean(o) for o in other.split("|")]
        for f in forms:
            if f and f.endswith(".") and f != name and len(f) >= 3 and f[0].isupper():
                g.add(f, "PLACE", key, name, AMB if f in amb else "")
    return g


def link_keys(g, registry):
    """Rows whose display name an earlier ORG file lists take that file's
    key and display name (Microsoft Corporation -> Microsoft, wikidata:Q2283)."""
    for row in g.rows.values():
        hit = registry.get(row[3])
        if hit:
            row[2], row[3] = hit
