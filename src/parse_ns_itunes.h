/*
 * parse_ns_itunes.h: Apple's podcast namespace.
 */
#ifndef FEEDFOLD_PARSE_NS_ITUNES_H
#define FEEDFOLD_PARSE_NS_ITUNES_H

#include "parse_ns.h"

extern const struct parse_ns parse_ns_itunes;

#endif
