/* html.c - stage 0 for --input html: the article text of a web page.
 *
 * The page is parsed by gumbo (an HTML5 parser, which also decodes
 * character references). The body is the first itemprop="articleBody",
 * else <main> when it holds several <article>s (a live blog), else the
 * first <article>, else <main>, else the element whose <p> children
 * hold the most text. Inside it, nav, header, footer, aside, script,
 * style, form, noscript (and a few other non-text elements) and hidden
 * elements are skipped; block elements end a paragraph (a blank line),
 * <br> ends a line, and white space runs collapse to one space. The
 * headline, byline, date and canonical URL go into a JSON `meta` object.
 */
#include <gumbo.h>
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "html.h"

/* -- the tree ------------------------------------------------------- */

static const char *attr(const GumboNode *n, const char *name) {
  if (n->type != GUMBO_NODE_ELEMENT) return NULL;
  const GumboAttribute *a = gumbo_get_attribute(&n->v.element.attributes, name);
  return a ? a->value : NULL;
}

static int is_tag(const GumboNode *n, GumboTag t) {
  return n->type == GUMBO_NODE_ELEMENT && n->v.element.tag == t;
}

/* True if the space-separated list `list` contains `word`. */
static int has_word(const char *list, const char *word) {
  size_t n = strlen(word);
  for (const char *p = list; p && *p;) {
    p += strspn(p, " \t\n");
    size_t k = strcspn(p, " \t\n");
    if (k == n && !strncmp(p, word, n)) return 1;
    p += k;
  }
  return 0;
}

/* hidden, aria-hidden="true", or an inline display:none/visibility:hidden. */
static int is_hidden(const GumboNode *n) {
  if (attr(n, "hidden")) return 1;
  const char *aria = attr(n, "aria-hidden");
  if (aria && !strcmp(aria, "true")) return 1;
  const char *style = attr(n, "style");
  if (!style) return 0;
  char s[256];
  size_t k = 0;
  for (const char *p = style; *p && k + 1 < sizeof s; p++)
    if (*p != ' ' && *p != '\t') s[k++] = (char)(*p >= 'A' && *p <= 'Z' ? *p + 32 : *p);
  s[k] = '\0';
  return strstr(s, "display:none") || strstr(s, "visibility:hidden");
}

/* AMP's ads, analytics, sidebars and consent banners. */
static int is_amp_chrome(const GumboNode *n) {
  static const char *names[] = {"amp-ad", "amp-analytics", "amp-sidebar", "amp-embed",
                                "amp-sticky-ad", "amp-consent", "amp-social-share",
                                "amp-auto-ads", "amp-user-notification", "amp-iframe"};
  GumboStringPiece t = n->v.element.original_tag;
  if (t.length < 5 || !t.data) return 0;
  char name[48];
  size_t k = 1;
  for (; k < t.length && t.data[k] != ' ' && t.data[k] != '>' && t.data[k] != '/' && k < 41; k++)
    name[k - 1] = (char)(t.data[k] >= 'A' && t.data[k] <= 'Z' ? t.data[k] + 32 : t.data[k]);
  name[k - 1] = '\0';
  for (size_t i = 0; i < sizeof names / sizeof *names; i++)
    if (!strcmp(name, names[i])) return 1;
  return 0;
}

/* Elements whose content is never article text. */
static int is_dropped(const GumboNode *n) {
  switch (n->v.element.tag) {
  case GUMBO_TAG_UNKNOWN:
    return is_amp_chrome(n) || is_hidden(n);
  case GUMBO_TAG_NAV:
  case GUMBO_TAG_HEADER:
  case GUMBO_TAG_FOOTER:
  case GUMBO_TAG_ASIDE:
  case GUMBO_TAG_SCRIPT:
  case GUMBO_TAG_STYLE:
  case GUMBO_TAG_FORM:
  case GUMBO_TAG_NOSCRIPT:
  case GUMBO_TAG_TEMPLATE:
  case GUMBO_TAG_IFRAME:
  case GUMBO_TAG_SVG:
  case GUMBO_TAG_MATH:
  case GUMBO_TAG_BUTTON:
  case GUMBO_TAG_SELECT:
  case GUMBO_TAG_TEXTAREA:
  case GUMBO_TAG_OBJECT:
  case GUMBO_TAG_HEAD:
  case GUMBO_TAG_TITLE:
    return 1;
  default:
    return is_hidden(n);
  }
}

/* Elements that end a paragraph of text. */
static int is_block(GumboTag t) {
  switch (t) {
  case GUMBO_TAG_P:
  case GUMBO_TAG_DIV:
  case GUMBO_TAG_H1:
  case GUMBO_TAG_H2:
  case GUMBO_TAG_H3:
  case GUMBO_TAG_H4:
  case GUMBO_TAG_H5:
  case GUMBO_TAG_H6:
  case GUMBO_TAG_LI:
  case GUMBO_TAG_UL:
  case GUMBO_TAG_OL:
  case GUMBO_TAG_BLOCKQUOTE:
  case GUMBO_TAG_SECTION:
  case GUMBO_TAG_ARTICLE:
  case GUMBO_TAG_MAIN:
  case GUMBO_TAG_TABLE:
  case GUMBO_TAG_TR:
  case GUMBO_TAG_PRE:
  case GUMBO_TAG_FIGURE:
  case GUMBO_TAG_FIGCAPTION:
  case GUMBO_TAG_DL:
  case GUMBO_TAG_DT:
  case GUMBO_TAG_DD:
  case GUMBO_TAG_HR:
  case GUMBO_TAG_ADDRESS:
  case GUMBO_TAG_BODY:
    return 1;
  default:
    return 0;
  }
}

static const GumboVector *kids(const GumboNode *n) {
  if (n->type == GUMBO_NODE_ELEMENT || n->type == GUMBO_NODE_TEMPLATE) return &n->v.element.children;
  if (n->type == GUMBO_NODE_DOCUMENT) return &n->v.document.children;
  return NULL;
}

#define KID(n, i) ((const GumboNode *)kids(n)->data[i])

/* -- text ----------------------------------------------------------- */

enum { BRK_NONE,
       BRK_SPACE,
       BRK_LINE,
       BRK_PARA };

typedef struct {
  nerq_buf out;
  int pending;              /* BRK_*: what goes before the next text */
  int pre;                  /* inside <pre>: keep white space */
  const GumboNode *skip[2]; /* the headline and byline, which go to meta */
} text_sink;

static void put_break(text_sink *s) {
  static const char *seps[] = {"", " ", "\n", "\n\n"};
  if (s->out.n && s->pending) nerq_buf_put(&s->out, seps[s->pending], strlen(seps[s->pending]));
  s->pending = BRK_NONE;
}

static void want(text_sink *s, int brk) {
  if (brk > s->pending) s->pending = brk;
}

/* Appends a text node, collapsing white space runs. */
static void put_text(text_sink *s, const char *t) {
  while (*t) {
    size_t ws = s->pre ? 0 : strspn(t, " \t\n\r\f");
    if (ws) {
      want(s, BRK_SPACE);
      t += ws;
      continue;
    }
    size_t k = s->pre ? strlen(t) : strcspn(t, " \t\n\r\f");
    put_break(s);
    nerq_buf_put(&s->out, t, k);
    t += k;
  }
}

static void walk_text(text_sink *s, const GumboNode *n, int depth) {
  if (n->type == GUMBO_NODE_TEXT || n->type == GUMBO_NODE_CDATA) {
    put_text(s, n->v.text.text);
    return;
  }
  if (n->type == GUMBO_NODE_WHITESPACE) {
    if (!s->pre) want(s, BRK_SPACE);
    else put_text(s, n->v.text.text);
    return;
  }
  if (n->type != GUMBO_NODE_ELEMENT || depth > 200 || is_dropped(n)) return;
  if (n == s->skip[0] || n == s->skip[1]) {
    want(s, BRK_PARA);
    return;
  }
  GumboTag t = n->v.element.tag;
  if (t == GUMBO_TAG_BR) {
    want(s, BRK_LINE);
    return;
  }
  int block = is_block(t);
  if (block) want(s, BRK_PARA);
  if (t == GUMBO_TAG_PRE) s->pre++;
  for (unsigned i = 0; i < kids(n)->length; i++) walk_text(s, KID(n, i), depth + 1);
  if (t == GUMBO_TAG_PRE) s->pre--;
  if (block) want(s, BRK_PARA);
}

/* Characters of text in n, skipping dropped elements. */
static size_t text_size(const GumboNode *n, int depth) {
  if (n->type == GUMBO_NODE_TEXT) return strlen(n->v.text.text);
  if (n->type != GUMBO_NODE_ELEMENT || depth > 200 || is_dropped(n)) return 0;
  size_t k = 0;
  for (unsigned i = 0; i < kids(n)->length; i++) k += text_size(KID(n, i), depth + 1);
  return k;
}

/* -- finding the body ----------------------------------------------- */

typedef struct {
  const GumboNode *body_prop, *article, *main, *h1;
  const GumboNode *dense; /* the element with the most <p> text */
  size_t dense_size;
  int articles; /* <article> elements inside <main> */
  int in_main;
} finder;

/* The <p> text held by n's own <p> children. */
static size_t p_size(const GumboNode *n) {
  size_t k = 0;
  for (unsigned i = 0; i < kids(n)->length; i++)
    if (is_tag(KID(n, i), GUMBO_TAG_P)) k += text_size(KID(n, i), 0);
  return k;
}

static void find(finder *f, const GumboNode *n, int depth) {
  if ((n->type != GUMBO_NODE_ELEMENT && n->type != GUMBO_NODE_DOCUMENT) || depth > 200) return;
  if (n->type == GUMBO_NODE_ELEMENT) {
    if (is_dropped(n)) return;
    const char *prop = attr(n, "itemprop");
    if (!f->body_prop && prop && has_word(prop, "articleBody")) f->body_prop = n;
    if (is_tag(n, GUMBO_TAG_ARTICLE) && !f->article) f->article = n;
    if (is_tag(n, GUMBO_TAG_ARTICLE) && f->in_main) f->articles++;
    if (is_tag(n, GUMBO_TAG_MAIN) && !f->main) f->main = n;
    size_t k = p_size(n);
    if (k > f->dense_size) {
      f->dense = n;
      f->dense_size = k;
    }
  }
  int main = is_tag(n, GUMBO_TAG_MAIN) && f->main == n;
  f->in_main += main;
  for (unsigned i = 0; i < kids(n)->length; i++) find(f, KID(n, i), depth + 1);
  f->in_main -= main;
}

/* The first <h1> anywhere outside nav and aside (it is often in a
 * <header>, which the body text skips). */
static const GumboNode *first_h1(const GumboNode *n, int depth) {
  if (is_tag(n, GUMBO_TAG_H1)) return n;
  if ((n->type != GUMBO_NODE_ELEMENT && n->type != GUMBO_NODE_DOCUMENT) || depth > 200) return NULL;
  if (is_tag(n, GUMBO_TAG_NAV) || is_tag(n, GUMBO_TAG_ASIDE) || is_tag(n, GUMBO_TAG_SCRIPT)) return NULL;
  for (unsigned i = 0; i < kids(n)->length; i++) {
    const GumboNode *h = first_h1(KID(n, i), depth + 1);
    if (h) return h;
  }
  return NULL;
}

static const GumboNode *body_of(finder *f) {
  if (f->body_prop) return f->body_prop;
  if (f->main && f->articles > 1) return f->main;
  if (f->article) return f->article;
  if (f->main) return f->main;
  return f->dense;
}

/* -- meta ----------------------------------------------------------- */

typedef struct {
  const char *og_title, *title_url, *canonical, *og_url, *author, *date;
  const GumboNode *title, *byline, *time;
} meta_finder;

static void set_once(const char **slot, const char *v) {
  if (!*slot && v && *v) *slot = v;
}

static void meta_tag(meta_finder *m, const GumboNode *n) {
  const char *prop = attr(n, "property"), *name = attr(n, "name"), *c = attr(n, "content");
  const char *key = prop ? prop : name;
  if (!key || !c) return;
  if (!strcmp(key, "og:title")) set_once(&m->og_title, c);
  else if (!strcmp(key, "og:url")) set_once(&m->og_url, c);
  else if (!strcmp(key, "author")) set_once(&m->author, c);
  else if (!strcmp(key, "article:published_time") || !strcmp(key, "date")) set_once(&m->date, c);
}

static void find_meta(meta_finder *m, const GumboNode *n, int depth) {
  if (n->type != GUMBO_NODE_ELEMENT || depth > 200 || is_tag(n, GUMBO_TAG_SCRIPT)) return;
  GumboTag t = n->v.element.tag;
  const char *rel = attr(n, "rel"), *prop = attr(n, "itemprop"), *cls = attr(n, "class");
  if (t == GUMBO_TAG_META) meta_tag(m, n);
  if (t == GUMBO_TAG_LINK && rel && has_word(rel, "canonical")) set_once(&m->canonical, attr(n, "href"));
  if (t == GUMBO_TAG_TITLE && !m->title) m->title = n;
  if (prop && has_word(prop, "datePublished"))
    set_once(&m->date, attr(n, "datetime") ? attr(n, "datetime") : attr(n, "content"));
  if (t == GUMBO_TAG_TIME && !m->time && attr(n, "datetime")) m->time = n;
  if (t != GUMBO_TAG_META && t != GUMBO_TAG_LINK && !m->byline &&
      ((prop && has_word(prop, "author")) || (rel && has_word(rel, "author")) ||
       (cls && (has_word(cls, "byline") || has_word(cls, "author")))))
    m->byline = n;
  for (unsigned i = 0; i < kids(n)->length; i++) find_meta(m, KID(n, i), depth + 1);
}

/* The collapsed text of one element, as a jansson string (or NULL). */
static json_t *node_text(const GumboNode *n) {
  if (!n) return NULL;
  text_sink s = {{0}, 0, 0, {NULL, NULL}};
  for (unsigned i = 0; i < kids(n)->length; i++) walk_text(&s, KID(n, i), 0);
  s.pending = BRK_NONE;
  char *t = nerq_buf_finish(&s.out);
  json_t *j = t && *t ? json_string(t) : NULL;
  free(t);
  return j;
}

static void set_str(json_t *o, const char *key, json_t *v) {
  if (v) json_object_set_new(o, key, v);
}

/* {"headline", "title", "byline", "date", "url"} as a compact string in
 * the arena, with only the fields the page has. */
static const char *page_meta(nerq_arena *a, const GumboNode *root, const GumboNode *h1,
                             const GumboNode **byline) {
  meta_finder m = {0};
  find_meta(&m, root, 0);
  *byline = m.byline;
  json_t *o = json_object();
  if (!o) return NULL;
  json_t *head = node_text(h1);
  set_str(o, "headline", head ? head : m.og_title ? json_string(m.og_title)
                                                  : node_text(m.title));
  if (m.og_title) set_str(o, "og_title", json_string(m.og_title));
  json_t *by = node_text(m.byline);
  set_str(o, "byline", by ? by : m.author ? json_string(m.author)
                                          : NULL);
  const char *date = m.date ? m.date : m.time ? attr(m.time, "datetime")
                                              : NULL;
  if (date) set_str(o, "date", json_string(date));
  const char *url = m.canonical ? m.canonical : m.og_url;
  if (url) set_str(o, "url", json_string(url));
  char *s = json_dumps(o, JSON_COMPACT);
  json_decref(o);
  const char *out = s ? nerq_arena_strndup(a, s, strlen(s)) : NULL;
  free(s);
  return out;
}

/* -- entry point ---------------------------------------------------- */

/* The <article>s of a live blog, each once (not those inside another). */
static void walk_articles(text_sink *s, const GumboNode *n, int depth) {
  if (is_tag(n, GUMBO_TAG_ARTICLE)) {
    walk_text(s, n, depth);
    return;
  }
  if (n->type != GUMBO_NODE_ELEMENT || depth > 200 || is_dropped(n)) return;
  for (unsigned i = 0; i < kids(n)->length; i++) walk_articles(s, KID(n, i), depth + 1);
}

static nerq_status extract(nerq_arena *a, const GumboOutput *g, nerq_page *out,
                           const char **error) {
  finder f = {0};
  find(&f, g->document, 0);
  const GumboNode *body = body_of(&f), *h1 = first_h1(g->document, 0), *byline = NULL;
  out->meta_json = page_meta(a, g->root, h1, &byline);
  for (const GumboNode *p = body; p; p = p->parent)
    if (p == byline || p == h1) byline = h1 = NULL; /* never skip the whole body */
  text_sink s = {{0}, 0, 0, {h1, byline}};
  if (body && body == f.main && f.articles > 1) walk_articles(&s, body, 0);
  else if (body) walk_text(&s, body, 0);
  char *t = nerq_buf_finish(&s.out);
  if (!t) return NERQ_ERR_NOMEM;
  if (!*t) {
    free(t);
    *error = "no article text in the page (no <article>, <main>, articleBody or <p> text)";
    return NERQ_ERR_INPUT;
  }
  out->len = strlen(t);
  out->text = nerq_arena_strndup(a, t, out->len);
  free(t);
  out->markup_errors = (int)g->errors.length;
  return out->text && out->meta_json ? NERQ_OK : NERQ_ERR_NOMEM;
}

nerq_status nerq_html_extract(nerq_arena *a, const char *html, size_t len,
                              nerq_page *out, const char **error) {
  memset(out, 0, sizeof *out);
  *error = NULL;
  GumboOptions opt = kGumboDefaultOptions;
  opt.max_errors = 1000;
  GumboOutput *g = gumbo_parse_with_options(&opt, html, len);
  if (!g) return NERQ_ERR_NOMEM;
  nerq_status st = extract(a, g, out, error);
  gumbo_destroy_output(&opt, g);
  return st;
}
