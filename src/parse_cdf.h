/*
 * parse_cdf.h: the element table of Microsoft's Channel Definition Format
 * (CDF, 1997), the push channels of Internet Explorer 4.
 */
#ifndef FEEDFOLD_PARSE_CDF_H
#define FEEDFOLD_PARSE_CDF_H

#include "parse_ns.h"

extern const struct parse_ns parse_cdf_ns;	/* no namespace, <CHANNEL> */

#endif
