/*
 * parse_ns_dc.h: Dublin Core elements and terms, as feeds use them.
 */
#ifndef FEEDFOLD_PARSE_NS_DC_H
#define FEEDFOLD_PARSE_NS_DC_H

#include "parse_ns.h"

extern const struct parse_ns parse_ns_dc;	/* dc: elements 1.1 */
extern const struct parse_ns parse_ns_dcterms;	/* dcterms: */

#endif
