/* SPDX-License-Identifier: GPL-2.0-or-later
 *
 * svtag.h - the tags of the event loop's sources
 */
#ifndef NETSUP_SVTAG_H
#define NETSUP_SVTAG_H

/* What woke the event loop up (the tag of each epoll source). */
enum sv_source {
	SV_SRC_LISTENER,	/* POLLHUP: no task uses the filter any more */
	SV_SRC_PROC_EVENTS,	/* the process events connector */
	SV_SRC_PARENT,		/* the netsup waiting for the command exited */
	SV_SRC_STOP,		/* a handling thread ended */
	SV_SRC_MOUNTS,		/* the mount table changed */
	SV_SRC_DEFERRED,	/* a deferred request can go on */
	SV_SRC_INPUT,		/* a source its owner serves: tag->input (a
				 * userspace stack daemon answered: ustack.c) */
	SV_SRC_WAKE,		/* a deferred request is ready at once */
};

struct supervisor;
struct worker;

struct sv_tag {
	enum sv_source type;
	/* SV_SRC_INPUT: called on the loop's thread when it is readable */
	void (*input)(struct supervisor *sv, struct sv_tag *tag, struct worker *w);
};

#endif /* NETSUP_SVTAG_H */
