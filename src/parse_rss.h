/*
 * parse_rss.h: the RSS family's element tables: RSS 0.90 to 0.94 and 2.0
 * (no namespace, or the rss2 and RSS 0.90 namespaces), RSS 1.0 (RDF) and
 * the RSS 1.0 modules content:, sy: and feedburner:, and xhtml:body.
 */
#ifndef FEEDFOLD_PARSE_RSS_H
#define FEEDFOLD_PARSE_RSS_H

#include "parse_ns.h"

extern const struct parse_ns parse_rss_ns;	/* RSS 2.0, 0.9x, 1.0 */
extern const struct parse_ns parse_rss_ns090;	/* RSS 0.90's namespace */
extern const struct parse_ns parse_rss_rdf_ns;	/* rdf:RDF */
extern const struct parse_ns parse_rss_content_ns;
extern const struct parse_ns parse_rss_sy_ns;
extern const struct parse_ns parse_rss_feedburner_ns;
extern const struct parse_ns parse_rss_xhtml_ns;	/* xhtml:body */

#endif
