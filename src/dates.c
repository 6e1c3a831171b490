/*
 * dates.c: feed dates to Unix seconds (UTC) and back.
 *
 * This module owns the date grammar feedfold accepts (docs/dates-and-text.md
 * lists it). No library parses what feeds publish: strptime() and
 * getdate() depend on the locale and accept one layout per call, and
 * timegm()/mktime() depend on TZ and on time_t's range. So the parser is a
 * small tokenizer in plain C: it reads the string once, left to right,
 * classifying each token (a number, a time "h:mm[:ss]", a word from a
 * sorted table, a numeric offset, a parenthesised comment) and filling the
 * fields of one struct; then it checks the fields and converts with
 * days-from-civil arithmetic on int64. No allocation, no locale, no TZ.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "dates.h"

#define DATES_NONE	(-1)	/* field not seen */
#define DATES_WORDMAX	12	/* longest word we look up, in bytes */
#define DATES_DIGITMAX	14	/* longest digit run (YYYYMMDDhhmmss) */

enum dates_kind {
	DATES_DAY,		/* weekday name: ignored, never checked */
	DATES_MONTH,		/* value 1..12 */
	DATES_ZONE,		/* value: minutes east of UTC */
	DATES_AMPM,		/* value 0 (am) or 12 (pm) */
	DATES_ORDINAL,		/* "st", "nd", "rd", "th" after a day */
	DATES_NOISE,		/* "at", "of", "on", "the": ignored */
};

struct dates_word {
	const char	*name;
	enum dates_kind	 kind;
	int		 value;
};

/*
 * Every word the parser knows. Sorted by name in strcmp() order (byte
 * order: lower-case ASCII, and UTF-8 for "märz", "février", which sorts
 * after every ASCII letter), because dates_word_find() searches it in
 * that order: a new row goes where strcmp puts it, and test_dates checks
 * the order and that every row is found.
 *
 * English names come first in importance; month and day names of German,
 * French, Spanish, Italian, Dutch, Portuguese and Hungarian are here too
 * where they do not clash with an English word ("mar" stays March, never
 * Spanish martes), and Greek abbreviations ("Κυρ, 11 Ιούλ 2004") and the
 * Korean 오전/오후 (a.m., p.m.). Words are matched after lower-casing of
 * ASCII and of Greek capitals (dates_lower).
 *
 * Zone abbreviations are ambiguous in the world; where they are, the
 * reading a feed most likely means wins (CST is US Central, IST is India,
 * BST is British Summer Time). Single letters are RFC 822's military zones,
 * handled by dates_military() rather than this table. "at" is Atlantic
 * time only after a time of day; before it, it is the word "at".
 */
static const struct dates_word dates_words[] = {
	{ "abr",	DATES_MONTH,	4 },
	{ "abril",	DATES_MONTH,	4 },
	{ "acdt",	DATES_ZONE,	630 },
	{ "acst",	DATES_ZONE,	570 },
	{ "adt",	DATES_ZONE,	-180 },
	{ "aedt",	DATES_ZONE,	660 },
	{ "aest",	DATES_ZONE,	600 },
	{ "ago",	DATES_MONTH,	8 },
	{ "agosto",	DATES_MONTH,	8 },
	{ "akdt",	DATES_ZONE,	-480 },
	{ "akst",	DATES_ZONE,	-540 },
	{ "am",		DATES_AMPM,	0 },
	{ "aout",	DATES_MONTH,	8 },
	{ "août",	DATES_MONTH,	8 },
	{ "apr",	DATES_MONTH,	4 },
	{ "april",	DATES_MONTH,	4 },
	{ "aprile",	DATES_MONTH,	4 },
	{ "art",	DATES_ZONE,	-180 },
	{ "ast",	DATES_ZONE,	-240 },
	{ "at",		DATES_NOISE,	0 },
	{ "aug",	DATES_MONTH,	8 },
	{ "august",	DATES_MONTH,	8 },
	{ "augustus",	DATES_MONTH,	8 },
	{ "augusztus",	DATES_MONTH,	8 },
	{ "avr",	DATES_MONTH,	4 },
	{ "avril",	DATES_MONTH,	4 },
	{ "awst",	DATES_ZONE,	480 },
	{ "brt",	DATES_ZONE,	-180 },
	{ "bst",	DATES_ZONE,	60 },
	{ "cat",	DATES_ZONE,	120 },
	{ "cdt",	DATES_ZONE,	-300 },
	{ "cest",	DATES_ZONE,	120 },
	{ "cet",	DATES_ZONE,	60 },
	{ "chst",	DATES_ZONE,	600 },
	{ "cst",	DATES_ZONE,	-360 },
	{ "ct",		DATES_ZONE,	-360 },
	{ "de",		DATES_NOISE,	0 },
	{ "dec",	DATES_MONTH,	12 },
	{ "december",	DATES_MONTH,	12 },
	{ "decembre",	DATES_MONTH,	12 },
	{ "del",	DATES_NOISE,	0 },
	{ "dez",	DATES_MONTH,	12 },
	{ "dezember",	DATES_MONTH,	12 },
	{ "dezembro",	DATES_MONTH,	12 },
	{ "di",		DATES_DAY,	2 },
	{ "dic",	DATES_MONTH,	12 },
	{ "dicembre",	DATES_MONTH,	12 },
	{ "diciembre",	DATES_MONTH,	12 },
	{ "dienstag",	DATES_DAY,	2 },
	{ "dim",	DATES_DAY,	0 },
	{ "dimanche",	DATES_DAY,	0 },
	{ "do",		DATES_DAY,	4 },
	{ "dom",	DATES_DAY,	0 },
	{ "domingo",	DATES_DAY,	0 },
	{ "donnerstag",	DATES_DAY,	4 },
	{ "décembre",	DATES_MONTH,	12 },
	{ "eat",	DATES_ZONE,	180 },
	{ "edt",	DATES_ZONE,	-240 },
	{ "eest",	DATES_ZONE,	180 },
	{ "eet",	DATES_ZONE,	120 },
	{ "ene",	DATES_MONTH,	1 },
	{ "enero",	DATES_MONTH,	1 },
	{ "est",	DATES_ZONE,	-300 },
	{ "et",		DATES_ZONE,	-300 },
	{ "feb",	DATES_MONTH,	2 },
	{ "febbraio",	DATES_MONTH,	2 },
	{ "febr",	DATES_MONTH,	2 },
	{ "febrero",	DATES_MONTH,	2 },
	{ "februar",	DATES_MONTH,	2 },
	{ "februari",	DATES_MONTH,	2 },
	{ "february",	DATES_MONTH,	2 },
	{ "február",	DATES_MONTH,	2 },
	{ "fev",	DATES_MONTH,	2 },
	{ "fevereiro",	DATES_MONTH,	2 },
	{ "fevr",	DATES_MONTH,	2 },
	{ "fevrier",	DATES_MONTH,	2 },
	{ "fr",		DATES_DAY,	5 },
	{ "freitag",	DATES_DAY,	5 },
	{ "fri",	DATES_DAY,	5 },
	{ "friday",	DATES_DAY,	5 },
	{ "févr",	DATES_MONTH,	2 },
	{ "février",	DATES_MONTH,	2 },
	{ "gen",	DATES_MONTH,	1 },
	{ "gennaio",	DATES_MONTH,	1 },
	{ "giu",	DATES_MONTH,	6 },
	{ "giugno",	DATES_MONTH,	6 },
	{ "gmt",	DATES_ZONE,	0 },
	{ "hdt",	DATES_ZONE,	-540 },
	{ "hkt",	DATES_ZONE,	480 },
	{ "hst",	DATES_ZONE,	-600 },
	{ "idt",	DATES_ZONE,	180 },
	{ "ist",	DATES_ZONE,	330 },
	{ "jan",	DATES_MONTH,	1 },
	{ "janeiro",	DATES_MONTH,	1 },
	{ "januar",	DATES_MONTH,	1 },
	{ "januari",	DATES_MONTH,	1 },
	{ "january",	DATES_MONTH,	1 },
	{ "január",	DATES_MONTH,	1 },
	{ "janv",	DATES_MONTH,	1 },
	{ "janvier",	DATES_MONTH,	1 },
	{ "jeu",	DATES_DAY,	4 },
	{ "jeudi",	DATES_DAY,	4 },
	{ "jst",	DATES_ZONE,	540 },
	{ "jue",	DATES_DAY,	4 },
	{ "jueves",	DATES_DAY,	4 },
	{ "juil",	DATES_MONTH,	7 },
	{ "juillet",	DATES_MONTH,	7 },
	{ "juin",	DATES_MONTH,	6 },
	{ "jul",	DATES_MONTH,	7 },
	{ "julho",	DATES_MONTH,	7 },
	{ "juli",	DATES_MONTH,	7 },
	{ "julio",	DATES_MONTH,	7 },
	{ "july",	DATES_MONTH,	7 },
	{ "jun",	DATES_MONTH,	6 },
	{ "june",	DATES_MONTH,	6 },
	{ "junho",	DATES_MONTH,	6 },
	{ "juni",	DATES_MONTH,	6 },
	{ "junio",	DATES_MONTH,	6 },
	{ "jänner",	DATES_MONTH,	1 },
	{ "júl",	DATES_MONTH,	7 },
	{ "július",	DATES_MONTH,	7 },
	{ "jún",	DATES_MONTH,	6 },
	{ "június",	DATES_MONTH,	6 },
	{ "kst",	DATES_ZONE,	540 },
	{ "le",		DATES_NOISE,	0 },
	{ "lug",	DATES_MONTH,	7 },
	{ "luglio",	DATES_MONTH,	7 },
	{ "lun",	DATES_DAY,	1 },
	{ "lundi",	DATES_DAY,	1 },
	{ "lunes",	DATES_DAY,	1 },
	{ "maart",	DATES_MONTH,	3 },
	{ "maerz",	DATES_MONTH,	3 },
	{ "mag",	DATES_MONTH,	5 },
	{ "maggio",	DATES_MONTH,	5 },
	{ "mai",	DATES_MONTH,	5 },
	{ "maio",	DATES_MONTH,	5 },
	{ "mar",	DATES_MONTH,	3 },
	{ "march",	DATES_MONTH,	3 },
	{ "marco",	DATES_MONTH,	3 },
	{ "mardi",	DATES_DAY,	2 },
	{ "mars",	DATES_MONTH,	3 },
	{ "martes",	DATES_DAY,	2 },
	{ "marzo",	DATES_MONTH,	3 },
	{ "março",	DATES_MONTH,	3 },
	{ "may",	DATES_MONTH,	5 },
	{ "mayo",	DATES_MONTH,	5 },
	{ "mdt",	DATES_ZONE,	-360 },
	{ "mei",	DATES_MONTH,	5 },
	{ "mer",	DATES_DAY,	3 },
	{ "mercredi",	DATES_DAY,	3 },
	{ "mest",	DATES_ZONE,	120 },
	{ "mesz",	DATES_ZONE,	120 },
	{ "met",	DATES_ZONE,	60 },
	{ "mez",	DATES_ZONE,	60 },
	{ "mi",		DATES_DAY,	3 },
	{ "miercoles",	DATES_DAY,	3 },
	{ "mittwoch",	DATES_DAY,	3 },
	{ "mié",		DATES_DAY,	3 },
	{ "miércoles",	DATES_DAY,	3 },
	{ "mo",		DATES_DAY,	1 },
	{ "mon",	DATES_DAY,	1 },
	{ "monday",	DATES_DAY,	1 },
	{ "montag",	DATES_DAY,	1 },
	{ "mrt",	DATES_MONTH,	3 },
	{ "msk",	DATES_ZONE,	180 },
	{ "mst",	DATES_ZONE,	-420 },
	{ "mt",		DATES_ZONE,	-420 },
	{ "máj",	DATES_MONTH,	5 },
	{ "május",	DATES_MONTH,	5 },
	{ "márc",	DATES_MONTH,	3 },
	{ "március",	DATES_MONTH,	3 },
	{ "mär",		DATES_MONTH,	3 },
	{ "märz",	DATES_MONTH,	3 },
	{ "nd",		DATES_ORDINAL,	0 },
	{ "ndt",	DATES_ZONE,	-150 },
	{ "nov",	DATES_MONTH,	11 },
	{ "november",	DATES_MONTH,	11 },
	{ "novembro",	DATES_MONTH,	11 },
	{ "noviembre",	DATES_MONTH,	11 },
	{ "nst",	DATES_ZONE,	-210 },
	{ "nzdt",	DATES_ZONE,	780 },
	{ "nzst",	DATES_ZONE,	720 },
	{ "oct",	DATES_MONTH,	10 },
	{ "october",	DATES_MONTH,	10 },
	{ "octobre",	DATES_MONTH,	10 },
	{ "octubre",	DATES_MONTH,	10 },
	{ "of",		DATES_NOISE,	0 },
	{ "okt",	DATES_MONTH,	10 },
	{ "oktober",	DATES_MONTH,	10 },
	{ "október",	DATES_MONTH,	10 },
	{ "on",		DATES_NOISE,	0 },
	{ "ott",	DATES_MONTH,	10 },
	{ "ottobre",	DATES_MONTH,	10 },
	{ "out",	DATES_MONTH,	10 },
	{ "outubro",	DATES_MONTH,	10 },
	{ "pdt",	DATES_ZONE,	-420 },
	{ "pht",	DATES_ZONE,	480 },
	{ "pkt",	DATES_ZONE,	300 },
	{ "pm",		DATES_AMPM,	12 },
	{ "pst",	DATES_ZONE,	-480 },
	{ "pt",		DATES_ZONE,	-480 },
	{ "rd",		DATES_ORDINAL,	0 },
	{ "sa",		DATES_DAY,	6 },
	{ "sabado",	DATES_DAY,	6 },
	{ "sam",	DATES_DAY,	6 },
	{ "samedi",	DATES_DAY,	6 },
	{ "samstag",	DATES_DAY,	6 },
	{ "sast",	DATES_ZONE,	120 },
	{ "sat",	DATES_DAY,	6 },
	{ "saturday",	DATES_DAY,	6 },
	{ "sep",	DATES_MONTH,	9 },
	{ "sept",	DATES_MONTH,	9 },
	{ "september",	DATES_MONTH,	9 },
	{ "septembre",	DATES_MONTH,	9 },
	{ "septiembre",	DATES_MONTH,	9 },
	{ "set",	DATES_MONTH,	9 },
	{ "setembro",	DATES_MONTH,	9 },
	{ "setiembre",	DATES_MONTH,	9 },
	{ "settembre",	DATES_MONTH,	9 },
	{ "sgt",	DATES_ZONE,	480 },
	{ "so",		DATES_DAY,	0 },
	{ "sonnabend",	DATES_DAY,	6 },
	{ "sonntag",	DATES_DAY,	0 },
	{ "st",		DATES_ORDINAL,	0 },
	{ "sun",	DATES_DAY,	0 },
	{ "sunday",	DATES_DAY,	0 },
	{ "szept",	DATES_MONTH,	9 },
	{ "szeptember",	DATES_MONTH,	9 },
	{ "sáb",		DATES_DAY,	6 },
	{ "sábado",	DATES_DAY,	6 },
	{ "th",		DATES_ORDINAL,	0 },
	{ "the",	DATES_NOISE,	0 },
	{ "thu",	DATES_DAY,	4 },
	{ "thur",	DATES_DAY,	4 },
	{ "thurs",	DATES_DAY,	4 },
	{ "thursday",	DATES_DAY,	4 },
	{ "tue",	DATES_DAY,	2 },
	{ "tues",	DATES_DAY,	2 },
	{ "tuesday",	DATES_DAY,	2 },
	{ "uhr",	DATES_NOISE,	0 },
	{ "um",		DATES_NOISE,	0 },
	{ "ut",		DATES_ZONE,	0 },
	{ "utc",	DATES_ZONE,	0 },
	{ "ven",	DATES_DAY,	5 },
	{ "vendredi",	DATES_DAY,	5 },
	{ "vie",	DATES_DAY,	5 },
	{ "viernes",	DATES_DAY,	5 },
	{ "wat",	DATES_ZONE,	60 },
	{ "wed",	DATES_DAY,	3 },
	{ "wednesday",	DATES_DAY,	3 },
	{ "weds",	DATES_DAY,	3 },
	{ "west",	DATES_ZONE,	60 },
	{ "wet",	DATES_ZONE,	0 },
	{ "wib",	DATES_ZONE,	420 },
	{ "à",		DATES_NOISE,	0 },
	{ "ápr",	DATES_MONTH,	4 },
	{ "április",	DATES_MONTH,	4 },
	{ "απρ",	DATES_MONTH,	4 },
	{ "αυγ",	DATES_MONTH,	8 },
	{ "αύγ",	DATES_MONTH,	8 },
	{ "δεκ",	DATES_MONTH,	12 },
	{ "δευ",	DATES_DAY,	1 },
	{ "ιαν",	DATES_MONTH,	1 },
	{ "ιουλ",	DATES_MONTH,	7 },
	{ "ιουν",	DATES_MONTH,	6 },
	{ "ιούλ",	DATES_MONTH,	7 },
	{ "ιούν",	DATES_MONTH,	6 },
	{ "κυρ",	DATES_DAY,	0 },
	{ "μάι",	DATES_MONTH,	5 },
	{ "μάρ",	DATES_MONTH,	3 },
	{ "μαΐ",	DATES_MONTH,	5 },
	{ "μαι",	DATES_MONTH,	5 },
	{ "μαρ",	DATES_MONTH,	3 },
	{ "νοέ",	DATES_MONTH,	11 },
	{ "νοε",	DATES_MONTH,	11 },
	{ "οκτ",	DATES_MONTH,	10 },
	{ "πέμ",	DATES_DAY,	4 },
	{ "παρ",	DATES_DAY,	5 },
	{ "πεμ",	DATES_DAY,	4 },
	{ "σάβ",	DATES_DAY,	6 },
	{ "σαβ",	DATES_DAY,	6 },
	{ "σεπ",	DATES_MONTH,	9 },
	{ "τετ",	DATES_DAY,	3 },
	{ "τρι",	DATES_DAY,	2 },
	{ "φεβ",	DATES_MONTH,	2 },
	{ "오전",	DATES_AMPM,	0 },
	{ "오후",	DATES_AMPM,	12 },
};

/* The fields of one date as the tokens fill them. */
struct dates_fields {
	int	year;		/* as written; ydigits says how */
	int	ydigits;
	int	month;
	int	day;
	int	yday;		/* ordinal date "2024-019" */
	int	hour;
	int	min;
	int	sec;
	int	ampm;		/* DATES_NONE, 0 or 12 */
	int	zone;		/* minutes east of UTC, or DATES_NONE */
	int	after_t;	/* the last token was the ISO 'T' */
	int	etc;		/* "Etc/GMT+5": POSIX sign, west positive */
	int	korean;		/* Korean words: no zone means KST */
};

/*
 * A binary search written out rather than bsearch(): the first byte
 * decides most steps, compared in place of a call through a pointer
 * and a call to strcmp (a date has three words or so, every entry a
 * date or more).
 */
static const struct dates_word *
dates_word_find(const char *lower)
{
	size_t	 lo = 0, hi = sizeof dates_words / sizeof dates_words[0];
	size_t	 mid;
	int	 c;

	while (lo < hi) {
		mid = (lo + hi) / 2;
		c = (unsigned char)lower[0] -
		    (unsigned char)dates_words[mid].name[0];
		if (c == 0)
			c = strcmp(lower, dates_words[mid].name);
		if (c == 0)
			return (&dates_words[mid]);
		if (c < 0)
			hi = mid;
		else
			lo = mid + 1;
	}
	return (NULL);
}

/* Exposed for the test that proves the table is sorted and complete. */
size_t
dates_word_count(void)
{
	return (sizeof dates_words / sizeof dates_words[0]);
}

const char *
dates_word_name(size_t i)
{
	if (i >= dates_word_count())
		return (NULL);
	return (dates_words[i].name);
}

int
dates_word_known(const char *lower)
{
	return (dates_word_find(lower) != NULL);
}

/*
 * RFC 822's military zones, with RFC 822's signs: A is -1 hour through M
 * -12, N is +1 through Y +12, Z is UT, J unused. (Military practice uses
 * the opposite signs and RFC 2822 calls them unreliable; feeds that write
 * them follow RFC 822's table, and so do other feed parsers.) Returns
 * minutes east of UTC or DATES_NONE.
 */
static int
dates_military(char c)
{
	if (c == 'z')
		return (0);
	if (c >= 'a' && c <= 'i')
		return (-60 * (c - 'a' + 1));
	if (c >= 'k' && c <= 'm')
		return (-60 * (c - 'k' + 10));
	if (c >= 'n' && c <= 'y')
		return (60 * (c - 'n' + 1));
	return (DATES_NONE);
}

static int
dates_isdigit(char c)
{
	return (c >= '0' && c <= '9');
}

/* A letter of a word: ASCII, or any byte of a UTF-8 letter ("ä"). */
static int
dates_isalpha(char c)
{
	return ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	    (unsigned char)c >= 0x80);
}

/*
 * Copy the letter at p (one byte, or one UTF-8 sequence) lower-cased into
 * w; returns the bytes read. ASCII and Greek capitals (U+0391..U+03A9) are
 * lowered, everything else is copied as it is.
 */
static size_t
dates_lower(const char *p, char *w)
{
	unsigned char	c = (unsigned char)p[0], d = (unsigned char)p[1];

	if (c < 0x80) {
		w[0] = (char)(c | 0x20);
		return (1);
	}
	if (c == 0xce && d >= 0x91 && d <= 0xa9 && d != 0xa2) {
		if (d <= 0x9f) {
			w[0] = (char)0xce;
			w[1] = (char)(d + 0x20);
		} else {
			w[0] = (char)0xcf;
			w[1] = (char)(d - 0x20);
		}
		return (2);
	}
	w[0] = (char)c;
	return (1);
}

static int
dates_isspace(char c)
{
	return (c == ' ' || c == '\t' || c == '\n' || c == '\r' ||
	    c == '\f' || c == '\v');
}

/*
 * Read a run of at most max digits at *pp into *value; returns how many
 * (0 if none, -1 if the run is longer than max).
 */
static int
dates_digits(const char **pp, int max, int64_t *value)
{
	const char	*p = *pp;
	int64_t		 v = 0;
	int		 n = 0;

	while (dates_isdigit(*p)) {
		if (n == max)
			return (-1);
		v = v * 10 + (*p - '0');
		n++;
		p++;
	}
	*pp = p;
	*value = v;
	return (n);
}

/* Skip a fraction of a second (".123", ",5"): truncated, never rounded. */
static void
dates_skip_fraction(const char **pp)
{
	const char	*p = *pp;

	if ((*p == '.' || *p == ',') && dates_isdigit(p[1])) {
		p++;
		while (dates_isdigit(*p))
			p++;
	}
	*pp = p;
}

/*
 * A time "h:mm", "h:mm:ss", with an optional fraction; *pp points after
 * the hour and at the ':' (or the 'h' of "13h42"). One- or two-digit
 * fields are accepted (some feeds write "1:2:3"); a fourth field
 * ("1:2:3:4") is an error.
 */
static int
dates_time(const char **pp, int64_t hour, int hdigits, struct dates_fields *f)
{
	const char	*p = *pp;
	int64_t		 v;
	int		 n;

	if (f->hour != DATES_NONE || hdigits > 2)
		return (-1);
	f->hour = (int)hour;
	p++;
	n = dates_digits(&p, 2, &v);
	if (n <= 0)
		return (-1);
	f->min = (int)v;
	f->sec = 0;
	if (*p == ':') {
		p++;
		n = dates_digits(&p, 2, &v);
		if (n <= 0)
			return (-1);
		f->sec = (int)v;
		dates_skip_fraction(&p);
		if (*p == ':')
			return (-1);
	}
	*pp = p;
	return (0);
}

/*
 * A numeric offset after '+' or '-' (*pp at the sign): "+h", "+hh",
 * "+hhmm", "+hmm", "+hh:mm". Returns minutes east of UTC in *zone.
 */
static int
dates_offset(const char **pp, int *zone)
{
	const char	*p = *pp;
	int		 sign = (*p == '-') ? -1 : 1;
	int64_t		 v, mm;
	int		 n, h, m;

	p++;
	n = dates_digits(&p, 4, &v);
	if (n <= 0)
		return (-1);
	if (n <= 2) {
		h = (int)v;
		m = 0;
		if (*p == ':') {
			p++;
			if (dates_digits(&p, 2, &mm) != 2)
				return (-1);
			m = (int)mm;
		}
	} else {
		h = (int)(v / 100);
		m = (int)(v % 100);
	}
	if (h > 23 || m > 59)
		return (-1);
	*zone = sign * (h * 60 + m);
	*pp = p;
	return (0);
}

/*
 * The CJK unit after a number: 年/년 year, 月/월 month, 日/일 day. Returns
 * 'y', 'm' or 'd' and steps *pp over it, or 0 (nothing read).
 */
static int
dates_unit(const char **pp, struct dates_fields *f)
{
	static const struct {
		const char	*utf8;
		int		 unit;
		int		 korean;
	} units[] = {
		{ "\xe5\xb9\xb4", 'y', 0 },	/* 年 */
		{ "\xe6\x9c\x88", 'm', 0 },	/* 月 */
		{ "\xe6\x97\xa5", 'd', 0 },	/* 日 */
		{ "\xeb\x85\x84", 'y', 1 },	/* 년 */
		{ "\xec\x9b\x94", 'm', 1 },	/* 월 */
		{ "\xec\x9d\xbc", 'd', 1 },	/* 일 */
	};
	size_t	i;

	if ((unsigned char)**pp < 0x80)
		return (0);
	for (i = 0; i < sizeof units / sizeof units[0]; i++) {
		if (strncmp(*pp, units[i].utf8, 3) == 0) {
			*pp += 3;
			if (units[i].korean)
				f->korean = 1;
			return (units[i].unit);
		}
	}
	return (0);
}

/* A number its CJK unit names; -1 when that field is already known. */
static int
dates_unit_set(struct dates_fields *f, int unit, int64_t v, int n)
{
	int	*field = unit == 'y' ? &f->year : unit == 'm' ? &f->month :
		    &f->day;

	if (*field != DATES_NONE || n > 4 || (unit != 'y' && n > 2))
		return (-1);
	*field = (int)v;
	if (unit == 'y')
		f->ydigits = n;
	return (0);
}

static int
dates_set_year(struct dates_fields *f, int64_t v, int digits)
{
	if (f->year != DATES_NONE)
		return (-1);
	f->year = (int)v;
	f->ydigits = digits;
	return (0);
}

/*
 * A numeric date "a<sep>b[<sep>c]" with sep one of '-', '/', '.'; *pp is
 * after a. Which field is which follows from the widths and the
 * separator: a four-digit first field is ISO order (Y-M-D, Y-M, Y-DDD);
 * otherwise the year is last and the order is D.M.Y or D-M-Y, and M/D/Y
 * for '/' (the US form, as Go's feed parser reads it) unless the first
 * number cannot be a month. "yy-mm-dd" is ISO 8601:2000's two-digit form.
 */
static int
dates_numeric(const char **pp, int64_t a, int an, struct dates_fields *f)
{
	const char	*p = *pp;
	char		 sep = *p;
	int64_t		 b, c = 0;
	int		 bn, cn = 0;

	if (f->year != DATES_NONE || f->month != DATES_NONE ||
	    f->day != DATES_NONE)
		return (-1);
	p++;
	bn = dates_digits(&p, 4, &b);
	if (bn <= 0)
		return (-1);
	if (*p == sep && dates_isdigit(p[1])) {
		p++;
		cn = dates_digits(&p, 4, &c);
		if (cn <= 0)
			return (-1);
	}
	if (an == 4) {
		f->year = (int)a;
		f->ydigits = 4;
		if (cn == 0 && bn == 3 && sep == '-')
			f->yday = (int)b;
		else if (bn == 3 && cn > 0 && cn <= 2 && b <= 12 &&
		    sep == '-') {
			/* "2003-012-31": Google once padded the month so. */
			f->month = (int)b;
			f->day = (int)c;
		} else if (bn > 2 || cn > 2 || (cn == 0 && sep == '.'))
			return (-1);
		else {
			f->month = (int)b;
			if (cn > 0)
				f->day = (int)c;
		}
	} else if (an <= 2 && bn <= 2 && cn == 2 && sep == '-') {
		f->year = (int)a;
		f->ydigits = 2;
		f->month = (int)b;
		f->day = (int)c;
	} else if (an <= 2 && bn <= 2 && (cn == 4 || cn == 2)) {
		f->year = (int)c;
		f->ydigits = cn;
		if (sep == '/' && a <= 12) {
			f->month = (int)a;
			f->day = (int)b;
		} else {
			f->day = (int)a;
			f->month = (int)b;
		}
	} else
		return (-1);
	*pp = p;
	return (0);
}

/*
 * A run of digits standing alone. Its width and what is already known
 * decide what it is: YYYYMMDD[hhmm[ss]] compact dates, hh[mm[ss]] after an
 * ISO 'T', a year of three or four digits, else a day, else a two-digit
 * year.
 */
static int
dates_number(int64_t v, int n, struct dates_fields *f)
{
	int	after_t = f->after_t;

	f->after_t = 0;
	if (after_t && f->hour == DATES_NONE &&
	    (n == 2 || n == 4 || n == 6)) {
		f->hour = (int)(n == 2 ? v : n == 4 ? v / 100 : v / 10000);
		f->min = (int)(n == 2 ? 0 : n == 4 ? v % 100 : v / 100 % 100);
		f->sec = (int)(n == 6 ? v % 100 : 0);
		return (0);
	}
	if ((n == 8 || n == 12 || n == 14) && f->year == DATES_NONE &&
	    f->month == DATES_NONE && f->day == DATES_NONE) {
		int64_t	date = v, clock = 0;

		if (n == 12) {
			date = v / 10000;
			clock = v % 10000 * 100;
		} else if (n == 14) {
			date = v / 1000000;
			clock = v % 1000000;
		}
		f->year = (int)(date / 10000);
		f->ydigits = 4;
		f->month = (int)(date / 100 % 100);
		f->day = (int)(date % 100);
		if (n > 8) {
			if (f->hour != DATES_NONE)
				return (-1);
			f->hour = (int)(clock / 10000);
			f->min = (int)(clock / 100 % 100);
			f->sec = (int)(clock % 100);
		}
		return (0);
	}
	/*
	 * ISO 8601:2000's two-digit year, basic format: YYMMDD. (Not YYDDD:
	 * five digits are more often a mistyped year than an ordinal date.)
	 */
	if (n == 6 && f->year == DATES_NONE && f->month == DATES_NONE &&
	    f->day == DATES_NONE) {
		f->year = (int)(v / 10000);
		f->ydigits = 2;
		f->month = (int)(v / 100 % 100);
		f->day = (int)(v % 100);
		return (0);
	}
	if (n == 3 || n == 4)
		return (dates_set_year(f, v, n));
	if (n <= 2) {
		if (f->day == DATES_NONE) {
			f->day = (int)v;
			return (0);
		}
		return (dates_set_year(f, v, n));
	}
	return (-1);
}

/*
 * A word (letters, lower-cased into w). Returns 0 when it was understood,
 * -1 when it makes the string not a date.
 */
static int
dates_word(const char **pp, const char *w, size_t wlen, int adjacent_num,
    struct dates_fields *f)
{
	const struct dates_word	*dw;
	const char		*p = *pp;
	int			 have_time = (f->hour != DATES_NONE);

	/* The ISO 8601 separator between date and time, any case. */
	if (wlen == 1 && w[0] == 't' && dates_isdigit(*p)) {
		f->after_t = 1;
		return (0);
	}
	/* "a.m." and "p.m." */
	if (wlen == 1 && (w[0] == 'a' || w[0] == 'p') && p[0] == '.' &&
	    (p[1] == 'm' || p[1] == 'M')) {
		p += 2;
		if (*p == '.')
			p++;
		if (!have_time || f->ampm != DATES_NONE)
			return (-1);
		f->ampm = (w[0] == 'a') ? 0 : 12;
		*pp = p;
		return (0);
	}
	/* "Etc/GMT": the tz database's fixed zones, signs inverted. */
	if (wlen == 3 && memcmp(w, "etc", 3) == 0 && *p == '/') {
		f->etc = 1;
		*pp = p + 1;
		return (0);
	}
	if (wlen == 1) {
		if (!have_time || f->zone != DATES_NONE)
			return (-1);
		if ((f->zone = dates_military(w[0])) == DATES_NONE)
			return (-1);
		return (0);
	}
	dw = dates_word_find(w);
	if (dw != NULL && dw->kind == DATES_NOISE && have_time &&
	    strcmp(w, "at") == 0) {
		static const struct dates_word atlantic = {
			"at", DATES_ZONE, -240
		};
		dw = &atlantic;
	}
	if (dw == NULL) {
		/*
		 * An unknown abbreviation where a zone goes: read as UTC, as
		 * other feed parsers do, rather than losing the date.
		 */
		if (have_time && f->zone == DATES_NONE && wlen >= 2 &&
		    wlen <= 5 && !(*p == '+' || *p == '-')) {
			f->zone = 0;
			return (0);
		}
		return (-1);
	}
	switch (dw->kind) {
	case DATES_DAY:
	case DATES_NOISE:
		return (0);
	case DATES_MONTH:
		if (f->month != DATES_NONE)
			return (-1);
		f->month = dw->value;
		return (0);
	case DATES_AMPM:
		/* Korean puts 오전/오후 before the time: dates_finish checks. */
		if ((!have_time && (unsigned char)w[0] < 0x80) ||
		    f->ampm != DATES_NONE)
			return (-1);
		if ((unsigned char)w[0] >= 0x80)
			f->korean = 1;
		f->ampm = dw->value;
		return (0);
	case DATES_ORDINAL:
		return (adjacent_num ? 0 : -1);
	case DATES_ZONE:
		if (!have_time && f->year == DATES_NONE)
			return (-1);
		if (f->zone != DATES_NONE) {
			/* "+0000 GMT": the first zone written wins. */
			if (*p == '+' || *p == '-') {
				int	z;

				if (dates_offset(&p, &z) != 0)
					return (-1);
				*pp = p;
			}
			return (0);
		}
		f->zone = dw->value;
		/* "GMT+5", "UTC-03:00", "Etc/GMT-2". */
		if (dw->value == 0 && (*p == '+' || *p == '-') &&
		    dates_isdigit(p[1])) {
			if (dates_offset(&p, &f->zone) != 0)
				return (-1);
			if (f->etc)
				f->zone = -f->zone;
			*pp = p;
		}
		return (0);
	}
	return (-1);
}

static int
dates_leap(int64_t y)
{
	return ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0);
}

static int
dates_mdays(int64_t y, int m)
{
	static const int	days[] = {
		31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31
	};

	if (m == 2 && dates_leap(y))
		return (29);
	return (days[m - 1]);
}

/*
 * Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's
 * days_from_civil): exact for every int64 year we can be given.
 */
static int64_t
dates_days_from_civil(int64_t y, int m, int d)
{
	int64_t	era, yoe, doy, doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = y - era * 400;
	doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return (era * 146097 + doe - 719468);
}

/* The inverse, for dates_format(). */
static void
dates_civil_from_days(int64_t z, int64_t *y, int *m, int *d)
{
	int64_t	era, doe, yoe, doy, mp;

	z += 719468;
	era = (z >= 0 ? z : z - 146096) / 146097;
	doe = z - era * 146097;
	yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	mp = (5 * doy + 2) / 153;
	*d = (int)(doy - (153 * mp + 2) / 5 + 1);
	*m = (int)(mp < 10 ? mp + 3 : mp - 9);
	*y = yoe + era * 400 + (*m <= 2);
}

/* Check the fields and turn them into seconds; -1 if they are no date. */
static int
dates_finish(struct dates_fields *f, int64_t *t)
{
	int64_t	year = f->year, days;
	int	hour = f->hour, min = f->min, sec = f->sec;

	if (f->year == DATES_NONE)
		return (-1);
	/* RFC 2822 4.3: 00-49 are 2000-2049, 50-99 and 3 digits +1900. */
	if (f->ydigits == 2)
		year += (year < 50) ? 2000 : 1900;
	else if (f->ydigits == 3)
		year += 1900;
	if (year < 1 || year > 9999)
		return (-1);

	if (f->yday != DATES_NONE) {
		if (f->yday < 1 || f->yday > (dates_leap(year) ? 366 : 365))
			return (-1);
		days = dates_days_from_civil(year, 1, 1) + f->yday - 1;
	} else {
		/* A year alone, or a year and month, is its first day. */
		int	month = f->month, day = f->day;

		if (month == DATES_NONE) {
			if (day != DATES_NONE || hour != DATES_NONE)
				return (-1);
			month = 1;
		}
		if (day == DATES_NONE) {
			if (hour != DATES_NONE)
				return (-1);
			day = 1;
		}
		if (month < 1 || month > 12 || day < 1 ||
		    day > dates_mdays(year, month))
			return (-1);
		days = dates_days_from_civil(year, month, day);
	}

	if (hour == DATES_NONE) {
		if (f->ampm != DATES_NONE)
			return (-1);
		hour = min = sec = 0;
	}
	if (f->ampm != DATES_NONE) {
		if (hour < 1 || hour > 12)
			return (-1);
		hour = hour % 12 + f->ampm;
	}
	/* 24:00:00 is the end of the day (ISO 8601); 60 is a leap second. */
	if (hour > 24 || min > 59 || sec > 60 ||
	    (hour == 24 && (min != 0 || sec != 0)))
		return (-1);

	/* A date written in Korean without a zone is Korea's time. */
	if (f->zone == DATES_NONE && f->korean)
		f->zone = 540;
	*t = days * 86400 + hour * 3600 + min * 60 + sec -
	    (int64_t)(f->zone == DATES_NONE ? 0 : f->zone) * 60;
	return (0);
}

int
dates_parse(const char *s, int64_t *t)
{
	struct dates_fields	 f;
	const char		*p = s;
	char			 w[DATES_WORDMAX + 2];
	int			 adjacent_num = 0;

	if (s == NULL)
		return (-1);
	f.year = f.month = f.day = f.yday = DATES_NONE;
	f.hour = f.min = f.sec = f.ampm = f.zone = DATES_NONE;
	f.ydigits = 0;
	f.after_t = 0;
	f.etc = 0;
	f.korean = 0;

	while (dates_isspace(*p))
		p++;
	/*
	 * ISO 8601:2000 leaves the century out with a leading hyphen:
	 * "-YYMM", "-YY-MM". Any other number after a leading '-' is not a
	 * date (read as a dash, "-0312" would be the year 312).
	 */
	if (*p == '-' && dates_isdigit(p[1])) {
		int64_t	v, m;
		int	n;

		p++;
		n = dates_digits(&p, 4, &v);
		if (n == 4) {
			m = v % 100;
			v /= 100;
		} else if (n == 2 && p[0] == '-' && dates_isdigit(p[1]) &&
		    dates_isdigit(p[2]) && !dates_isdigit(p[3])) {
			m = (p[1] - '0') * 10 + (p[2] - '0');
			p += 3;
		} else
			return (-1);
		f.year = (int)v;
		f.ydigits = 2;
		f.month = (int)m;
	}

	for (;;) {
		int	was_num = adjacent_num;

		adjacent_num = 0;
		if (*p == '\0')
			break;
		if (dates_isspace(*p) || *p == ',') {
			p++;
			f.after_t = 0;
			continue;
		}
		if ((unsigned char)p[0] == 0xc2 && (unsigned char)p[1] == 0xa0) {
			/* U+00A0, from an HTML page's &nbsp;. */
			p += 2;
			f.after_t = 0;
			continue;
		}
		if (*p == '(' || *p == '[') {
			/*
			 * A comment such as "(PST)" or "(UTC)", nested too, or
			 * Java's "[Europe/Paris]" after an offset.
			 */
			char	open = *p, close = (*p == '(') ? ')' : ']';
			int	depth = 0;

			do {
				if (*p == open)
					depth++;
				else if (*p == close)
					depth--;
				p++;
			} while (depth > 0 && *p != '\0');
			if (depth > 0)
				return (-1);
			continue;
		}
		if (dates_isdigit(*p)) {
			int64_t	v;
			int	n, m;

			n = dates_digits(&p, DATES_DIGITMAX, &v);
			if (n < 0)
				return (-1);
			/* "2004年5月28日", "2004년 05월 28일" */
			if ((m = dates_unit(&p, &f)) != 0) {
				if (dates_unit_set(&f, m, v, n) != 0)
					return (-1);
				continue;
			}
			/* "13:42", and the French "13h42". */
			if ((*p == ':' || (*p == 'h' && n <= 2)) &&
			    dates_isdigit(p[1])) {
				f.after_t = 0;
				if (dates_time(&p, v, n, &f) != 0)
					return (-1);
				continue;
			}
			if ((*p == '-' || *p == '/' || *p == '.') &&
			    dates_isdigit(p[1]) && f.hour == DATES_NONE &&
			    f.month == DATES_NONE && !f.after_t) {
				if (dates_numeric(&p, v, n, &f) != 0)
					return (-1);
				continue;
			}
			if (dates_number(v, n, &f) != 0)
				return (-1);
			if (f.hour != DATES_NONE)
				dates_skip_fraction(&p);
			adjacent_num = 1;
			continue;
		}
		if (*p == '+' || *p == '-') {
			/* An offset once the time is known; else a dash. */
			if (f.hour != DATES_NONE && dates_isdigit(p[1])) {
				int	z;

				if (dates_offset(&p, &z) != 0)
					return (-1);
				if (f.zone == DATES_NONE)
					f.zone = z;
				continue;
			}
			if (*p == '+')
				return (-1);
			p++;
			continue;
		}
		if (dates_isalpha(*p)) {
			size_t	n = 0, k;

			while (dates_isalpha(*p) &&
			    !((unsigned char)p[0] == 0xc2 &&
			    (unsigned char)p[1] == 0xa0)) {
				if (n >= DATES_WORDMAX)
					return (-1);
				k = dates_lower(p, w + n);
				n += k;
				p += k;
			}
			if (n > DATES_WORDMAX)
				return (-1);
			w[n] = '\0';
			if (dates_word(&p, w, n, was_num, &f) != 0)
				return (-1);
			/* "Jan." */
			if (*p == '.')
				p++;
			continue;
		}
		if (*p == '/' || *p == '.') {
			p++;
			continue;
		}
		return (-1);
	}
	return (dates_finish(&f, t));
}

/*
 * v as exactly width digits ending before p (0 <= v < 10^width); returns
 * where they start. By hand: snprintf's format machinery cost more than
 * the rest of writing a record's date.
 */
static char *
dates_put_digits(char *p, int64_t v, int width)
{
	while (width-- > 0) {
		*--p = (char)('0' + v % 10);
		v /= 10;
	}
	return (p);
}

char *
dates_format(int64_t t, char *buf, size_t size)
{
	char		 s[DATES_BUFSIZE], *p = s + sizeof s;
	int64_t		 days, secs, y;
	uint64_t	 u;
	size_t		 len;
	int		 m, d, width;

	/* Floor division, so that times before 1970 land on the right day. */
	days = t / 86400;
	secs = t % 86400;
	if (secs < 0) {
		secs += 86400;
		days--;
	}
	dates_civil_from_days(days, &y, &m, &d);

	/* Back to front, from "Z" to the year. */
	*--p = 'Z';
	p = dates_put_digits(p, secs % 60, 2);
	*--p = ':';
	p = dates_put_digits(p, secs / 60 % 60, 2);
	*--p = ':';
	p = dates_put_digits(p, secs / 3600, 2);
	*--p = 'T';
	p = dates_put_digits(p, d, 2);
	*--p = '-';
	p = dates_put_digits(p, m, 2);
	*--p = '-';
	/* The year as "%04lld" writes it: a minus sign is one of the four. */
	u = y < 0 ? 0 - (uint64_t)y : (uint64_t)y;
	width = y < 0 ? 3 : 4;
	do {
		*--p = (char)('0' + u % 10);
		u /= 10;
		width--;
	} while (u != 0 || width > 0);
	if (y < 0)
		*--p = '-';

	/* Cut to size as snprintf would. */
	if (size == 0)
		return (buf);
	len = (size_t)(s + sizeof s - p);
	if (len > size - 1)
		len = size - 1;
	memcpy(buf, p, len);
	buf[len] = '\0';
	return (buf);
}
