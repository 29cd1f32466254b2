# nerq - rule-driven extraction of entities and quotes from news.
#   make run      install missing dependencies, build, extract the sample
#   make test     install missing dependencies, build, run every test
#   make asan     the whole suite under AddressSanitizer + UBSan
#   make bench    throughput and rule-loading benchmarks
#   make fuzz     a short libFuzzer run (needs clang)
#   make test-kg  loads a corpus run into Virtuoso on loopback and asks SPARQL questions
#   make browser-test  the --format html view in headless Chromium (installs chromium)
#   make python   the Python binding (cffi over libnerq.so) and its pytest suite
#   make test-scale  GNU parallel (one host, and two over a local sshd) and Dask, vs one run
#   make install PREFIX=/usr/local   (libnerq.so/.a, nerq.h, libnerq.pc, rules)
#   make rules        regenerate rules/gazetteer and the generated lists from GAZ_SOURCES
#   make check-rules  regenerate into a scratch copy and diff with rules/ (skips without GAZ_SOURCES)
#   make eval-dev     score the development sets (the shared ones only when present)
#   make format-check the C sources against .clang-format (installs clang-format)

CC      ?= cc
PREFIX  ?= /usr/local
DATADIR ?= $(PREFIX)/share/nerq
LIBDIR  ?= $(PREFIX)/lib
INCDIR  ?= $(PREFIX)/include
PKGS     = libpcre2-8 libutf8proc jansson gumbo
TESTPKGS = cmocka
TESTPYDEBS = python3-rdflib python3-pyld
DEBS     = libpcre2-dev libutf8proc-dev libjansson-dev libgumbo-dev pkg-config libcmocka-dev
CFLAGS  ?= -O2 -g
WARN     = -std=c11 -Wall -Wextra -Werror
PKG_CFLAGS := $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
PKG_LIBS   := $(shell pkg-config --libs $(PKGS) 2>/dev/null)
ALL_CFLAGS = $(WARN) $(CFLAGS) -Iinclude -Isrc $(PKG_CFLAGS) -DNERQ_DATADIR='"$(DATADIR)"'
BUILD   ?= build

LIB_SRC = src/arena.c src/decode.c src/tokenize.c src/segment.c src/lexicon.c \
          src/pattern.c src/pattern_match.c src/pattern_words.c src/regex_words.c src/rules.c src/match.c src/resolve.c src/keys.c src/quotes.c src/attribute.c src/quote_explain.c \
          src/relate.c src/jsonw.c src/output.c src/output_rdf.c src/document.c src/explain.c src/eval.c src/eval_input.c src/eval_entities.c src/eval_quotes.c src/eval_report.c \
          src/html.c src/boilerplate.c src/output_conll.c src/output_html.c
LIB_SRC += src/access.c src/warn.c src/dispatch.c
LIB_SRC += src/rules_parse.c
LIB_SRC += src/lexicon_image.c src/image.c
LIB_SRC += src/reported.c src/reported_keep.c src/reported_index.c src/eval_indirect.c
LIB_SRC += src/regex.c src/rules_image.c
CLI_SRC = src/main.c src/cli_common.c src/cli_pool.c src/cli_eval.c src/cli_test.c src/cli_explain.c src/cli_conll.c
CLI_SRC += src/cli_run.c src/cli_out.c src/cli_jsonl.c
CLI_SRC += src/cli_progress.c src/cli_compile.c
LIB_OBJ = $(LIB_SRC:src/%.c=$(BUILD)/%.o)
CLI_OBJ = $(CLI_SRC:src/%.c=$(BUILD)/%.o)
UNIT    = tests/test_unit.c tests/test_eval.c tests/test_access.c tests/test_api.c tests/test_docs.c
UNIT    += tests/test_dispatch.c tests/test_regex_words.c
UNIT_BIN = $(UNIT:tests/%.c=$(BUILD)/%)
NERQ_BIN ?= ./nerq
# The shared library: libnerq.so -> libnerq.so.0 (soname) -> libnerq.so.0.1.0.
VERSION := $(shell sed -n 's/^\#define NERQ_VERSION "\(.*\)"/\1/p' include/nerq.h)
SOMAJOR := $(firstword $(subst ., ,$(VERSION)))
SONAME   = libnerq.so.$(SOMAJOR)
SO       = $(BUILD)/libnerq.so.$(VERSION)

.PHONY: all deps run test check unit corpus asan bench fuzz install shared clean rules check-rules eval-dev
.PHONY: fuzz-deps valgrind
.PHONY: python python-deps test-kg browser-deps browser-test format-deps format-check

all: $(NERQ_BIN) $(SO) rules/rules.nqi

# The compiled rule image (nerq compile; docs/speed.md), which start-up maps
# instead of reading the rules as text (10 ms, not 100). Written through a
# temporary file and a rename, so that parallel builds and runs never see
# half of it; rebuilt here when a rule file or the binary changes (the
# loader also rewrites an image older than a rule file, and refuses to map
# one made by another build: NERQ_BUILD_ID, a checksum of the sources).
RULE_FILES := $(shell find rules -type f ! -name '*.nqi' ! -name '*.tmp' 2>/dev/null)
SRC_ID := $(shell cat $(sort $(wildcard src/*.c src/*.h include/*.h)) | cksum | awk '{ printf "%08x", $$1 }')
$(BUILD)/image.o: ALL_CFLAGS += -DNERQ_BUILD_ID='"$(SRC_ID)"'
$(BUILD)/image.o: $(wildcard src/*.c src/*.h include/*.h)
rules/rules.nqi: $(NERQ_BIN) $(RULE_FILES)
	$(NERQ_BIN) compile --rules rules

deps:
	@missing=""; for p in $(PKGS) $(TESTPKGS); do \
	  pkg-config --exists $$p 2>/dev/null || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ] || ! command -v pkg-config >/dev/null; then \
	  echo "nerq: missing:$$missing; installing $(DEBS)"; \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && apt-get install -y -qq $(DEBS); \
	  elif command -v sudo >/dev/null; then sudo apt-get update -qq && sudo apt-get install -y -qq $(DEBS); \
	  else echo "nerq: run: sudo apt-get install -y $(DEBS)"; exit 1; fi; \
	fi
	@sh tools/need-debs.sh "/usr/bin/python3 -c 'import rdflib, pyld'" $(TESTPYDEBS)

# Header dependencies: each object's .d file, written by the compiler (-MMD),
# lists the headers it includes; -MP adds a target per header so a deleted
# header does not stop the build. An object without its .d file (a build
# from before) is rebuilt once, through the empty rule for .d files.
$(BUILD)/%.o: src/%.c $(BUILD)/%.d | $(BUILD)
	$(CC) $(ALL_CFLAGS) -MMD -MP -c $< -o $@

$(BUILD)/%.d: ;
.PRECIOUS: $(BUILD)/%.d
-include $(LIB_OBJ:.o=.d) $(CLI_OBJ:.o=.d)

$(BUILD):
	mkdir -p $(BUILD)

$(BUILD)/libnerq.a: $(LIB_OBJ)
	rm -f $@ && ar rcs $@ $^

# Library objects are position-independent, for the shared library.
$(LIB_OBJ): ALL_CFLAGS += -fPIC

# Only the functions declared in the public headers are exported from the .so.
PUBLIC_H = include/nerq.h include/nerq_eval.h
$(BUILD)/libnerq.map: $(PUBLIC_H) | $(BUILD)
	{ echo '{ global:'; cat $(PUBLIC_H) | grep -o 'nerq_[a-z0-9_]*(' | tr -d '(' | sort -u | sed 's/$$/;/'; \
	  echo 'local: *; };'; } > $@

$(SO): $(LIB_OBJ) $(BUILD)/libnerq.map
	$(CC) -shared $(LDFLAGS) -Wl,-soname,$(SONAME) -Wl,--version-script,$(BUILD)/libnerq.map \
	  -o $@ $(LIB_OBJ) $(PKG_LIBS) -lm
	ln -sf libnerq.so.$(VERSION) $(BUILD)/$(SONAME)
	ln -sf $(SONAME) $(BUILD)/libnerq.so

shared: $(SO)

# libnerq.pc for the PREFIX of this install (written by `make install`).
PC_TEXT = 'prefix=$(PREFIX)' 'libdir=$(LIBDIR)' 'includedir=$(INCDIR)' '' \
  'Name: libnerq' 'Description: rule-driven extraction of entities and quotes from news' \
  'Version: $(VERSION)' 'Requires.private: $(PKGS)' 'Cflags: -I$${includedir}' \
  'Libs: -L$${libdir} -lnerq' 'Libs.private: -lm'

$(NERQ_BIN): $(CLI_OBJ) $(BUILD)/libnerq.a
	$(CC) $(ALL_CFLAGS) $(LDFLAGS) -o $@ $(CLI_OBJ) $(BUILD)/libnerq.a $(PKG_LIBS) -lm -pthread

$(BUILD)/jsonl_check: tests/jsonl_check.c | $(BUILD)
	$(CC) $(ALL_CFLAGS) $(LDFLAGS) -o $@ $< $(PKG_LIBS)

$(BUILD)/test_%: tests/test_%.c $(BUILD)/libnerq.a
	$(CC) $(ALL_CFLAGS) $(LDFLAGS) -o $@ $< $(BUILD)/libnerq.a $(PKG_LIBS) \
	  $$(pkg-config --cflags --libs $(TESTPKGS)) -lm

run: deps
	@$(MAKE) --no-print-directory all
	$(NERQ_BIN) --pretty corpus/articles/alibaba-london.txt

test: deps
	@$(MAKE) --no-print-directory all
	@$(MAKE) --no-print-directory check

check: $(NERQ_BIN) $(UNIT_BIN) $(BUILD)/jsonl_check rules/rules.nqi
	@NERQ_BIN=$(NERQ_BIN) BUILD=$(BUILD) CC="$(CC)" CFLAGS="$(CFLAGS)" LDFLAGS="$(LDFLAGS)" NERQ_BIG_MB=$(NERQ_BIG_MB) sh tests/run.sh $(UNIT_BIN)

asan: deps
	@$(MAKE) --no-print-directory BUILD=build/asan NERQ_BIN=build/asan/nerq \
	  CFLAGS="-O1 -g -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer" \
	  LDFLAGS="-fsanitize=address,undefined" NERQ_BIG_MB=10 check

# Loads a corpus run into Virtuoso on loopback and queries it (tests/kg.sh).
KGDEBS = virtuoso-opensource
test-kg: deps
	@command -v virtuoso-t >/dev/null && command -v isql-vt >/dev/null || { \
	  echo "nerq: test-kg needs $(KGDEBS); installing"; \
	  if [ "$$(id -u)" = 0 ]; then DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $(KGDEBS) || \
	    { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $(KGDEBS); }; \
	  elif command -v sudo >/dev/null; then sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $(KGDEBS); \
	  else echo "nerq: run: sudo apt-get install -y $(KGDEBS)"; exit 1; fi; }
	@$(MAKE) --no-print-directory all
	@NERQ_BIN=$(NERQ_BIN) sh tests/kg.sh

# The HTML view in headless Chromium (tests/browser.sh); SCREENSHOT=FILE
# also saves a screenshot (docs/view-alibaba-london.png was made so).
BROWSERDEBS = chromium python3
browser-deps:
	@sh tools/need-debs.sh "command -v chromium && test -x /usr/bin/python3" $(BROWSERDEBS)

browser-test: deps browser-deps
	@$(MAKE) --no-print-directory all
	@NERQ_BIN=$(NERQ_BIN) SCREENSHOT=$(SCREENSHOT) sh tests/browser.sh

bench: deps
	@$(MAKE) --no-print-directory all
	PKGS="$(PKGS)" BUILD=$(BUILD) sh bench/run.sh

# memcheck over the corpus (tests/valgrind.sh), exit 1 on any error
valgrind: deps
	@command -v valgrind >/dev/null || { [ "$$(id -u)" = 0 ] && apt-get install -y -qq valgrind; } || sudo apt-get install -y -qq valgrind
	@$(MAKE) --no-print-directory all
	@NERQ_BIN=$(NERQ_BIN) sh tests/valgrind.sh

# libFuzzer harnesses (tests/fuzz/): kept corpora replayed, then each
# fuzzed FUZZ_SECONDS (default 30) under ASan and UBSan.
# House style (.clang-format): every C file of src/, include/ and tests/.
FORMAT_FILES = $(wildcard src/*.c src/*.h include/*.h tests/*.c)
format-deps:
	@sh tools/need-debs.sh "command -v clang-format" clang-format

format-check: format-deps
	clang-format --dry-run --Werror $(FORMAT_FILES)

fuzz: deps fuzz-deps
	@LIB_SRC="$(LIB_SRC)" PKGS="$(PKGS)" sh tests/fuzz/run.sh

fuzz-deps:
	@if ! command -v clang >/dev/null || ! ls /usr/lib/llvm-*/lib/clang/*/lib/linux/libclang_rt.fuzzer-x86_64.a >/dev/null 2>&1; then \
	  echo "nerq: installing clang and libFuzzer"; \
	  if [ "$$(id -u)" = 0 ]; then apt-get install -y -qq clang libclang-rt-14-dev; \
	  else sudo apt-get install -y -qq clang libclang-rt-14-dev; fi; \
	fi

# The Python binding: Debian's python3-cffi and python3-pytest belong to
# /usr/bin/python3 (the python3 first on PATH may be another).
PYTHON ?= /usr/bin/python3
FFIDEBS = python3-cffi python3-pytest
python-deps:
	@sh tools/need-debs.sh "$(PYTHON) -c 'import cffi, pytest'" $(FFIDEBS)

PYMOD = python/nerq/_nerq_ffi.py
$(PYMOD): python/build_ffi.py include/nerq.h
	cd python && PYTHONDONTWRITEBYTECODE=1 $(PYTHON) build_ffi.py

python: deps python-deps
	@$(MAKE) --no-print-directory all $(PYMOD)
	NERQ_BIN=$(NERQ_BIN) NERQ_LIB=$(BUILD)/$(SONAME) PYTHONDONTWRITEBYTECODE=1 \
	  $(PYTHON) -m pytest -q -p no:cacheprovider python/tests

# make test-scale: GNU parallel on one host and over ssh (a test-started
# sshd on 127.0.0.1), Dask distributed on 2 local worker processes; each
# output compared byte for byte with one run (tests/scale.sh, docs/scale.md).
SCALEDEBS = parallel openssh-server openssh-client rsync python3-distributed
scale-deps:
	@sh tools/need-debs.sh "command -v parallel && test -x /usr/sbin/sshd && command -v ssh-keygen && command -v rsync && $(PYTHON) -c 'import distributed, dask.bag'" $(SCALEDEBS)

test-scale: deps python-deps scale-deps
	@$(MAKE) --no-print-directory all $(PYMOD)
	@NERQ_BIN=$(NERQ_BIN) PYTHON=$(PYTHON) NERQ_LIB=$(CURDIR)/$(BUILD)/$(SONAME) \
	  PYTHONDONTWRITEBYTECODE=1 sh tests/scale.sh

install: all $(SO)
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(LIBDIR)/pkgconfig $(DESTDIR)$(INCDIR) $(DESTDIR)$(DATADIR)
	install -m 755 $(NERQ_BIN) $(DESTDIR)$(PREFIX)/bin/nerq
	install -m 644 $(BUILD)/libnerq.a $(DESTDIR)$(LIBDIR)/libnerq.a
	install -m 755 $(SO) $(DESTDIR)$(LIBDIR)/libnerq.so.$(VERSION)
	ln -sf libnerq.so.$(VERSION) $(DESTDIR)$(LIBDIR)/$(SONAME)
	ln -sf $(SONAME) $(DESTDIR)$(LIBDIR)/libnerq.so
	printf '%s\n' $(PC_TEXT) > $(DESTDIR)$(LIBDIR)/pkgconfig/libnerq.pc
	install -m 644 $(PUBLIC_H) $(DESTDIR)$(INCDIR)/
	rm -rf $(DESTDIR)$(DATADIR)/rules && cp -R -p rules $(DESTDIR)$(DATADIR)/rules

clean:
	rm -rf build nerq

# Generated data (tools/build_rules.py, standard-library Python 3). The sources
# are not needed to build or test: rules/ holds the generated files.
GAZ_SOURCES ?= ../shared/gazetteer-sources
DEV_DATA    ?= ../shared/data

rules:
	$(PYTHON) tools/build_rules.py $(GAZ_SOURCES) rules

check-rules:
	@if [ ! -d "$(GAZ_SOURCES)" ]; then echo "check-rules: skipped ($(GAZ_SOURCES) not found)"; exit 0; fi; \
	tmp=$$(mktemp -d) && cp -R rules/. "$$tmp" && \
	$(PYTHON) tools/build_rules.py $(GAZ_SOURCES) "$$tmp" 2>"$$tmp/build.log" || \
	  { cat "$$tmp/build.log"; rm -rf "$$tmp"; exit 1; }; rm -f "$$tmp/build.log"; \
	if diff -r rules "$$tmp" > "$$tmp.diff"; then echo "check-rules: rules/ is what tools/build_rules.py writes"; \
	  rm -rf "$$tmp" "$$tmp.diff"; \
	else head -50 "$$tmp.diff"; echo "check-rules: rules/ differs from a fresh build (run make rules)"; \
	  rm -rf "$$tmp" "$$tmp.diff"; exit 1; fi

eval-dev: all
	@for f in corpus/gold/gum_dev.jsonl $(DEV_DATA)/conll2003-train/train.jsonl $(DEV_DATA)/polnear/dev.jsonl; do \
	  if [ -f "$$f" ]; then echo "== $$f"; $(NERQ_BIN) eval "$$f" || exit 1; \
	  else echo "== $$f: skipped (not found)"; fi; done
