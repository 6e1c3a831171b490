/*
 * parse_ns_media.h: Media RSS, and YouTube's yt: that rides with it.
 */
#ifndef FEEDFOLD_PARSE_NS_MEDIA_H
#define FEEDFOLD_PARSE_NS_MEDIA_H

#include "parse_ns.h"

extern const struct parse_ns parse_ns_media;
extern const struct parse_ns parse_ns_yt;

#endif
