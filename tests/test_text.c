/*
 * test_text.c: HTML and plain text to clean excerpts, UTF-8 repair, HTML
 * named entities.
 */
#include <dirent.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <libxml/HTMLparser.h>

#include "text.h"
#include "test.h"

/* text_from_html() of a C string, compared and freed. */
static void
check_html(const char *file, int line, const char *in, size_t max,
    const char *want)
{
	char	*out = text_from_html(in, strlen(in), max);

	test_assert_str(file, line, "text_from_html", "want", out, want, 1);
	free(out);
}

static void
check_plain(const char *file, int line, const char *in, size_t max,
    const char *want)
{
	char	*out = text_from_plain(in, strlen(in), max);

	test_assert_str(file, line, "text_from_plain", "want", out, want, 1);
	free(out);
}

static void
check_fix(const char *file, int line, const char *in, size_t len,
    const char *want)
{
	char	*out = text_utf8_fix(in, len);

	test_assert_str(file, line, "text_utf8_fix", "want", out, want, 1);
	free(out);
}

#define HTML(in, max, want)	check_html(__FILE__, __LINE__, in, max, want)
#define PLAIN(in, max, want)	check_plain(__FILE__, __LINE__, in, max, want)
#define FIX(in, want)	check_fix(__FILE__, __LINE__, in, sizeof in - 1, want)

/* Code points in a valid UTF-8 string. */
static size_t
utf8_chars(const char *s)
{
	size_t	n = 0;

	for (; *s != '\0'; s++)
		if (((unsigned char)*s & 0xc0) != 0x80)
			n++;
	return (n);
}

/* The UTF-8 of cp, written independently of text.c. */
static size_t
utf8_put(unsigned int cp, char *out)
{
	if (cp < 0x80) {
		out[0] = (char)cp;
		return (1);
	}
	if (cp < 0x800) {
		out[0] = (char)(0xc0 | (cp >> 6));
		out[1] = (char)(0x80 | (cp & 0x3f));
		return (2);
	}
	out[0] = (char)(0xe0 | (cp >> 12));
	out[1] = (char)(0x80 | ((cp >> 6) & 0x3f));
	out[2] = (char)(0x80 | (cp & 0x3f));
	return (3);
}

static void
test_text_entities(void)
{
	HTML("Tom &amp; Jerry &lt;3 &gt; &quot;x&quot;", 0,
	    "Tom & Jerry <3 > \"x\"");
	HTML("caf&eacute; &Atilde; &rsquo;s &hellip; &copy; &euro;", 0,
	    "café Ã ’s … © €");
	HTML("&#39;&#x27;&#8220;q&#8221; &#x1F600;", 0, "''“q” 😀");
	/* Not in libxml2's HTML 4 table: text.c's HTML5 rows. */
	HTML("Tom&apos;s &check; &Hat; &ZeroWidthSpace;z &mldr;", 0,
	    "Tom's ✓ ^ z …");
	/* An unknown name stays as written. */
	HTML("&bogus; AT&amp;T a & b", 0, "&bogus; AT&T a & b");
	/* &nbsp; is a plain space and collapses with its neighbours. */
	HTML("a&nbsp;b &nbsp; c&nbsp;&nbsp;", 0, "a b c");
	/* &#150; means windows-1252's en dash, as in a browser. */
	HTML("1&#150;2 &#147;q&#148;", 0, "1–2 “q”");
	/* References to nothing are dropped, not turned into U+FFFD text. */
	HTML("a&#0;b", 0, "ab");
}

static void
test_text_tags(void)
{
	HTML("<p>Hello <b>bold <i>and italic</i></b> world</p>", 0,
	    "Hello bold and italic world");
	/* Inline elements do not separate letters. */
	HTML("un<b>believ</b><i>able</i>", 0, "unbelievable");
	HTML("<a href=\"https://x.example/?a=1&b=2\">link</a> text", 0,
	    "link text");
	HTML("<img src=x alt=\"picture\">caption", 0, "caption");
	HTML("<p>unclosed <b>bold <i>deep", 0, "unclosed bold deep");
	HTML("</p></div>stray end tags</b>", 0, "stray end tags");
	/*
	 * A '<' that starts no tag is text, and stays joined to what follows
	 * it even first in the fragment (libxml2 hands it over before the
	 * paragraph it implies for the rest).
	 */
	HTML("<3 love, <- see", 0, "<3 love, <- see");
	HTML("<!' <a href=\"foo\">", 0, "<!'");
	HTML("text</p>more", 0, "text more");
	HTML("<!-- a comment --> text <!-- another -->", 0, "text");
	/* Markup wrapped twice: the markers go, what they wrapped stays. */
	HTML("<![CDATA[<p>Double <b>wrapped</b></p>]]> after", 0,
	    "Double wrapped after");
	HTML("a ]] b ]> c <![ d", 0, "a ]] b ]> c <![ d");
	HTML("a < b and c > d", 0, "a < b and c > d");
	HTML("<html><head><title>Page</title></head><body>Body</body></html>",
	    0, "Body");
}

static void
test_text_dropped_elements(void)
{
	HTML("<script>var x = \"<p>no</p>\";</script>Visible"
	    "<style>p { color: red }</style> text"
	    "<noscript>enable JS</noscript><template>tpl</template>!", 0,
	    "Visible text!");
	HTML("a<script>if (a < b && c > d) document.write('x')</script>b", 0,
	    "ab");
	HTML("<SCRIPT>upper</SCRIPT>case", 0, "case");
	HTML("before<iframe src=x>fallback</iframe> after", 0,
	    "before after");
	/* An object's content is its fallback: what a reader gets. */
	HTML("safe<object classid=\"clsid:C932BA85\"><param name=a value=b>"
	    " description</object>", 0, "safe description");
	HTML("safe<object data=x.swf> description", 0, "safe description");
}

static void
test_text_blocks(void)
{
	HTML("a<br>b<br/>c<div>d</div>e<li>f</li>g", 0, "a b c d e f g");
	HTML("<p>one</p><p>two</p><h2>three</h2><blockquote>four"
	    "</blockquote>", 0, "one two three four");
	HTML("<table><tr><td>1</td><td>2</td></tr><tr><td>3</td></tr></table>",
	    0, "1 2 3");
	HTML("<ul><li>x</li><li>y</li></ul>", 0, "x y");
	/* Atom xhtml content serialised with its namespace prefix. */
	HTML("<xhtml:div><xhtml:p>one</xhtml:p><xhtml:p>two</xhtml:p>"
	    "<xhtml:script>no</xhtml:script></xhtml:div>", 0, "one two");
}

static void
test_text_whitespace(void)
{
	PLAIN("  lots   of\t\ttabs\r\nand\n\nlines  ", 0,
	    "lots of tabs and lines");
	/* U+00A0, U+2003, U+3000, U+2009, U+202F are spaces too. */
	PLAIN("a\xc2\xa0" "b\xe2\x80\x83" "c\xe3\x80\x80" "d\xe2\x80\x89"
	    "e\xe2\x80\xaf" "f", 0, "a b c d e f");
	HTML("<p>  a  </p>  <p>  b  </p>", 0, "a b");
	PLAIN("", 0, "");
	PLAIN(" \t\n ", 0, "");
	HTML("<p> </p>", 0, "");
}

static void
test_text_controls(void)
{
	PLAIN("a\x01" "b\x1b" "c\x7f" "d", 0, "abcd");
	/* Zero-width space, BOM, soft hyphen, word joiner go. */
	PLAIN("zero\xe2\x80\x8bwidth \xef\xbb\xbf" "bom soft\xc2\xad" "hy"
	    "\xe2\x81\xa0" "x", 0, "zerowidth bom softhyx");
	/* ZWJ keeps an emoji sequence whole; bidi marks stay. */
	PLAIN("\xf0\x9f\x91\xa9\xe2\x80\x8d\xf0\x9f\x92\xbb", 0,
	    "\xf0\x9f\x91\xa9\xe2\x80\x8d\xf0\x9f\x92\xbb");
	PLAIN("a\xe2\x80\x8f" "b", 0, "a\xe2\x80\x8f" "b");
	/* A C1 control is windows-1252 misread as Latin-1. */
	PLAIN("\xc2\x93quoted\xc2\x94 \xc2\x81", 0, "“quoted”");
}

static void
test_text_emoji_rtl(void)
{
	HTML("<p>Launch \xf0\x9f\x9a\x80 day \xf0\x9f\x8e\x89</p>", 0,
	    "Launch 🚀 day 🎉");
	/* Hebrew and Arabic pass through in logical order. */
	HTML("<p dir=\"rtl\">\xd7\xa9\xd7\x9c\xd7\x95\xd7\x9d "
	    "<b>\xd8\xb9\xd8\xa7\xd9\x84\xd9\x85</b></p>", 0,
	    "שלום عالم");
	/* Emoji count one character each. */
	PLAIN("\xf0\x9f\x98\x80\xf0\x9f\x98\x81\xf0\x9f\x98\x82"
	    "\xf0\x9f\x98\x83", 3, "\xf0\x9f\x98\x80\xf0\x9f\x98\x81"
	    "\xf0\x9f\x98\x82");
}

static void
test_text_cut_word_boundary(void)
{
	const char	*s = "The quick brown fox jumps over the lazy dog";

	/* "The quick brown fox " is 20: the cut lands after "fox". */
	PLAIN(s, 20, "The quick brown fox");
	PLAIN(s, 19, "The quick brown fox");
	/* Inside "jumps": back to the boundary before it. */
	PLAIN(s, 22, "The quick brown fox");
	PLAIN(s, 43, s);
	PLAIN(s, 44, s);
	PLAIN(s, 0, s);
	/* No ellipsis is added. */
	HTML("<p>The quick</p><p>brown fox</p>", 12, "The quick");
}

static void
test_text_cut_counts_characters(void)
{
	char	*out;

	/* Ten two-byte characters fit in ten, not in five bytes' worth. */
	PLAIN("éééééééééé", 10, "éééééééééé");
	PLAIN("ééééééé éééé", 9, "ééééééé");
	out = text_from_plain("ŁŁŁŁŁŁŁŁŁŁŁŁŁŁŁŁŁŁŁŁ", 20, 7);
	/* One word with no boundary: a hard cut, on a character. */
	ASSERT_STR_EQ(out, "ŁŁŁŁŁŁŁ");
	ASSERT_INT_EQ(strlen(out), 14);
	free(out);
}

static void
test_text_cut_cjk(void)
{
	/* Chinese and Japanese break between any two characters. */
	PLAIN("日本語のテキストは単語の間にスペースがありません", 10,
	    "日本語のテキストは単");
	HTML("<p>中文没有空格，也能在字符之间截断。</p>", 6,
	    "中文没有空格");
	/* A Latin word after CJK text may not be split. */
	PLAIN("日本語のテキストは単語の間に feedfold", 17,
	    "日本語のテキストは単語の間に");
}

static void
test_text_cut_long_word(void)
{
	const char	*url =
	    "see https://example.com/a/very/long/path/without/spaces";

	/* The last boundary would lose over a quarter: hard cut instead. */
	PLAIN(url, 30, "see https://example.com/a/very");
	/* Within a quarter, the boundary wins. */
	PLAIN("abcdefghijklmnopqrstuvwxyz abcdefg", 30,
	    "abcdefghijklmnopqrstuvwxyz");
}

/* Every cut of a mixed text is valid UTF-8 and within the limit. */
static void
test_text_cut_never_splits(void)
{
	const char	*s = "Zoë’s café 😀 naïve 中文字 résumé — ok";
	size_t		 max;
	char		*out;

	for (max = 1; max <= 40; max++) {
		out = text_from_html(s, strlen(s), max);
		ASSERT(utf8_chars(out) <= max);
		ASSERT(out[0] != ' ');
		if (out[0] != '\0')
			ASSERT(out[strlen(out) - 1] != ' ');
		free(out);
		out = text_utf8_fix(s, strlen(s));
		ASSERT_STR_EQ(out, s);
		free(out);
	}
}

/* A 1 MB body, 300 characters wanted: the parser is stopped early. */
static void
test_text_early_stop(void)
{
	size_t	 len = 1 << 20, off = 0, fed = 0;
	char	*html = malloc(len + 1), *out;

	ASSERT_NOT_NULL(html);
	while (off + 64 < len)
		off += (size_t)snprintf(html + off, len - off,
		    "<p>Paragraph %zu with <b>some</b> words.</p>\n", off);
	len = off;
	out = text_from_html_fed(html, len, 300, &fed);
	ASSERT(utf8_chars(out) <= 300);
	ASSERT(utf8_chars(out) >= 250);
	ASSERT(strncmp(out, "Paragraph 0 with some words. Paragraph ", 39) ==
	    0);
	/* Two chunks at most, never the megabyte. */
	ASSERT(fed > 0);
	ASSERT(fed <= 8192);
	free(out);

	/* Without a limit the whole body is fed. */
	out = text_from_html_fed(html, len, 0, &fed);
	ASSERT_INT_EQ(fed, len);
	ASSERT(strstr(out, "words. Paragraph ") != NULL);
	free(out);
	free(html);
}

static void
test_text_plain_keeps_markup(void)
{
	/* A plain title may hold '<' and '&': they are text. */
	PLAIN("if a < b && c > d <b>not a tag</b> &amp;", 0,
	    "if a < b && c > d <b>not a tag</b> &amp;");
	/* Text with neither goes the fast path, same rules. */
	HTML("  plain\ttext  only ", 0, "plain text only");
}

static void
test_text_utf8_fix(void)
{
	FIX("valid ascii", "valid ascii");
	FIX("caf\xc3\xa9 \xe2\x80\x9c\xf0\x9f\x98\x80", "café “😀");
	/* windows-1252 bytes in a "UTF-8" feed. */
	FIX("caf\xe9", "café");
	FIX("\x93quoted\x94", "“quoted”");
	FIX("\x80 \x85 \x99 \xa0", "€ … ™ \xc2\xa0");
	/* The five bytes windows-1252 leaves undefined: their C1 control. */
	FIX("\x81", "\xc2\x81");
	/* A truncated sequence: each byte read alone. */
	FIX("\xe2\x80", "â€");
	FIX("\xc3", "Ã");
	/* Overlong forms are not decoded (an overlong '<' stays harmless). */
	FIX("\xc0\xbc", "À¼");
	FIX("\xe0\x80\xbc", "à€¼");
	/* Above U+10FFFF and 0xf5..0xff. */
	FIX("\xf4\x90\x80\x80", "ô\xc2\x90€€");
	FIX("\xff\xfe", "ÿþ");
	/* CESU-8 surrogate pair: the code point it means. */
	FIX("\xed\xa0\xbd\xed\xb8\x80", "😀");
	/* A lone surrogate, high or low, is dropped. */
	FIX("a\xed\xa0\xbd" "b\xed\xb8\x80" "c", "abc");
	/* NULs are dropped. */
	FIX("a\0b", "ab");
}

/* The same repair inside HTML, also across the parser's 4 KB chunks. */
static void
test_text_html_invalid_utf8(void)
{
	char	*html, *want, *out;
	size_t	 len = 9000, i, w = 0;

	HTML("<p>caf\xe9 \x93quoted\x94 \xc3\xa9</p>", 0, "café “quoted” é");
	html = malloc(len + 1);
	want = malloc(2 * len);
	ASSERT_NOT_NULL(html);
	ASSERT_NOT_NULL(want);
	memcpy(html, "<p>", 3);
	for (i = 3; i + 2 <= len; i += 2) {
		/* é, but Latin-1 (one byte) where the first chunk ends. */
		if (i == 4095) {
			memcpy(html + i, "\xe9x", 2);
			memcpy(want + w, "\xc3\xa9x", 3);
			w += 3;
		} else {
			memcpy(html + i, "\xc3\xa9", 2);
			memcpy(want + w, "\xc3\xa9", 2);
			w += 2;
		}
	}
	want[w] = '\0';
	out = text_from_html(html, i, 0);
	ASSERT_STR_EQ(out, want);
	free(out);
	free(want);
	free(html);
}

/*
 * A reference, a CDATA marker or a multi-byte character cut by the end of
 * the parser's first chunk (512 bytes) comes out whole.
 */
static void
test_text_chunk_boundaries(void)
{
	static const char *const pieces[] = {
		"&mdash;", "&ZeroWidthSpace;", "<![CDATA[x]]>", "]]>",
		"\xe2\x80\x9c", "&#8212;",
	};
	static const char *const wants[] = {
		"\xe2\x80\x94", "", "x", "", "\xe2\x80\x9c", "\xe2\x80\x94",
	};
	char	 html[1200], want[1200], *out;
	size_t	 i, at, pad;

	for (i = 0; i < sizeof pieces / sizeof pieces[0]; i++) {
		for (at = 495; at < 515; at++) {
			/* "<p>" then at - 3 bytes of "aaa ", the piece, "z". */
			memcpy(html, "<p>", 3);
			for (pad = 3; pad < at; pad++)
				html[pad] = (pad % 4 == 3) ? ' ' : 'a';
			snprintf(html + at, sizeof html - at, "%sz</p>",
			    pieces[i]);
			memcpy(want, html + 3, at - 3);
			snprintf(want + at - 3, sizeof want - (at - 3), "%sz",
			    wants[i]);
			out = text_from_html(html, strlen(html), 0);
			if (strcmp(out, want + 1) != 0)
				test_fail(__FILE__, __LINE__,
				    "piece %zu at %zu: \"...%s\"", i, at,
				    out + (at > 40 ? at - 40 : 0));
			free(out);
		}
	}
}

static void
test_text_entity_utf8(void)
{
	char	out[8];

	ASSERT_INT_EQ(text_entity_utf8("nbsp", 4, out), 2);
	ASSERT_MEM_EQ(out, 2, "\xc2\xa0", 2);
	ASSERT_INT_EQ(text_entity_utf8("eacute", 6, out), 2);
	ASSERT_MEM_EQ(out, 2, "é", 2);
	ASSERT_INT_EQ(text_entity_utf8("Atilde", 6, out), 2);
	ASSERT_MEM_EQ(out, 2, "Ã", 2);
	ASSERT_INT_EQ(text_entity_utf8("rsquo", 5, out), 3);
	ASSERT_MEM_EQ(out, 3, "’", 3);
	ASSERT_INT_EQ(text_entity_utf8("hellip", 6, out), 3);
	ASSERT_MEM_EQ(out, 3, "…", 3);
	ASSERT_INT_EQ(text_entity_utf8("apos", 4, out), 1);
	ASSERT_MEM_EQ(out, 1, "'", 1);
	ASSERT_INT_EQ(text_entity_utf8("amp", 3, out), 1);
	ASSERT_MEM_EQ(out, 1, "&", 1);
	/* The name is len bytes, not a C string. */
	ASSERT_INT_EQ(text_entity_utf8("eacute;more", 6, out), 2);
	/* Case matters, as in HTML. */
	ASSERT_INT_EQ(text_entity_utf8("EACUTE", 6, out), 0);
	ASSERT_INT_EQ(text_entity_utf8("bogus", 5, out), 0);
	ASSERT_INT_EQ(text_entity_utf8("", 0, out), 0);
	ASSERT_INT_EQ(text_entity_utf8("a\0b", 3, out), 0);
	ASSERT_INT_EQ(text_entity_utf8(
	    "averyveryveryveryverylongentitynamethatisnotreal", 48, out), 0);
}

/*
 * text.c's tables are sorted for bsearch (every row is found), and the
 * entity table holds every name libxml2's HTML parser knows, with the same
 * character.
 */
static void
test_text_tables_sorted(void)
{
	const htmlEntityDesc	*d;
	size_t			 i, n = text_entity_count();
	unsigned int		 cp;
	char			 out[8], want[8];
	int			 len, known = 0;

	ASSERT(n > 300);
	for (i = 0; i < n; i++) {
		const char	*name = text_entity_name(i);

		if (i > 0)
			ASSERT(strcmp(text_entity_name(i - 1), name) < 0);
		ASSERT(text_entity_utf8(name, strlen(name), out) > 0);
	}
	ASSERT_NULL(text_entity_name(n));
	for (cp = 1; cp < 0x10000; cp++) {
		if ((d = htmlEntityValueLookup(cp)) == NULL)
			continue;
		known++;
		len = text_entity_utf8(d->name, strlen(d->name), out);
		ASSERT_MEM_EQ(out, (size_t)len, want, utf8_put(d->value, want));
	}
	ASSERT(known >= 250);

	n = text_element_count();
	for (i = 1; i < n; i++)
		ASSERT(strcmp(text_element_name(i - 1), text_element_name(i)) <
		    0);
	ASSERT_NULL(text_element_name(n));
}

/* libxml2 must not write its complaints about tag soup to stderr. */
static void
test_text_html_is_quiet(void)
{
	char	*dir, *path, *out, *log;
	size_t	 len;
	FILE	*f;
	int	 saved;

	dir = test_tmpdir();
	path = malloc(strlen(dir) + 16);
	ASSERT_NOT_NULL(path);
	sprintf(path, "%s/stderr", dir);
	fflush(stderr);
	saved = dup(2);
	ASSERT(saved >= 0);
	f = freopen(path, "w", stderr);
	ASSERT_NOT_NULL(f);
	out = text_from_html("<p><b><i>bad</b></i> &bogus; <x:y a=>"
	    "</div></p>\x01<", 41, 0);
	fflush(stderr);
	dup2(saved, 2);
	close(saved);
	log = test_read_file(path, &len);
	ASSERT_NOT_NULL(log);
	ASSERT_STR_EQ(log, "");
	ASSERT_STR_EQ(out, "bad &bogus;");
	free(log);
	free(out);
	test_rmtree(dir);
	free(path);
	free(dir);
}

/*
 * Fixtures: every tests/data/text/NAME.html converts to NAME.txt (at most
 * 300 characters, the default excerpt_length), the last newline aside.
 * Fixtures named bug-* pin a bug found and fixed.
 */
static void
test_text_fixtures(void)
{
	char		 dir[1024], rel[300], *html, *want, *out;
	size_t		 hlen, wlen, n, count = 0;
	DIR		*d;
	struct dirent	*de;

	snprintf(dir, sizeof dir, "%s", test_data("text"));
	d = opendir(dir);
	ASSERT_NOT_NULL(d);
	while ((de = readdir(d)) != NULL) {
		n = strlen(de->d_name);
		if (n < 6 || n > 200 ||
		    strcmp(de->d_name + n - 5, ".html") != 0)
			continue;
		snprintf(rel, sizeof rel, "text/%s", de->d_name);
		html = test_read_file(test_data(rel), &hlen);
		ASSERT_NOT_NULL(html);
		snprintf(rel, sizeof rel, "text/%.*s.txt", (int)(n - 5),
		    de->d_name);
		want = test_read_file(test_data(rel), &wlen);
		ASSERT_NOT_NULL(want);
		if (wlen > 0 && want[wlen - 1] == '\n')
			want[wlen - 1] = '\0';
		out = text_from_html(html, hlen, 300);
		if (strcmp(out, want) != 0)
			test_fail(__FILE__, __LINE__, "%s:\n#  got  \"%s\"\n"
			    "#  want \"%s\"", de->d_name, out, want);
		free(out);
		free(want);
		free(html);
		count++;
	}
	closedir(d);
	ASSERT(count >= 10);
}

static const struct test_case cases[] = {
	TEST(test_text_entities),
	TEST(test_text_tags),
	TEST(test_text_dropped_elements),
	TEST(test_text_blocks),
	TEST(test_text_whitespace),
	TEST(test_text_controls),
	TEST(test_text_emoji_rtl),
	TEST(test_text_cut_word_boundary),
	TEST(test_text_cut_counts_characters),
	TEST(test_text_cut_cjk),
	TEST(test_text_cut_long_word),
	TEST(test_text_cut_never_splits),
	TEST(test_text_early_stop),
	TEST(test_text_plain_keeps_markup),
	TEST(test_text_utf8_fix),
	TEST(test_text_html_invalid_utf8),
	TEST(test_text_chunk_boundaries),
	TEST(test_text_entity_utf8),
	TEST(test_text_tables_sorted),
	TEST(test_text_html_is_quiet),
	TEST(test_text_fixtures),
};

int
main(void)
{
	return (TEST_MAIN(cases));
}
