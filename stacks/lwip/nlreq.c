// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * nlreq.c - rtnetlink for the stack: the answers and the dispatch of a
 * request
 *
 * Answers are written in datagrams of at most NL_DGRAM_MAX bytes
 * (nl_writer); a message that does not fit the datagram being built goes
 * in a fresh one.  Datagrams the child's end does not take at once wait
 * in the socket's queue (nl_queue(), nl_flush()).  nl_request() serves
 * one message: the GETs of every kind, and the configuration requests of
 * a socket whose creator may configure the stack (EPERM otherwise);
 * dumps end with NLMSG_DONE, errors and acknowledgements are
 * NLMSG_ERROR, with NLMSGERR_ATTR_MSG when NETLINK_EXT_ACK is on.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <linux/if.h>
#include <linux/if_arp.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <linux/sockios.h>

#include "lwip/ip4.h"
#include "lwip/ip6.h"
#include "lwip/netif.h"

#include "nl.h"

/*
 * nl_queue() - keep one datagram of answers for the child
 * @s:		the netlink socket
 * @data:	the datagram
 * @len:	its length
 */
static void nl_queue(struct lw_sock *s, const void *data, size_t len)
{
	struct nl_sock *nl = s->nl;
	struct nl_out *o;

	if (!len)
		return;
	o = malloc(sizeof(*o) + len);
	if (!o) {
		s->so_error = ENOBUFS;	/* as a netlink socket that overran */
		return;
	}
	o->next = NULL;
	o->len = len;
	memcpy(o->data, data, len);
	*nl->outq_tail = o;
	nl->outq_tail = &o->next;
	nl->outq_bytes += len;
}

/*
 * nl_flush() - write what waits to the child's end, while it takes it
 * @s:		the netlink socket
 */
void nl_flush(struct lw_sock *s)
{
	struct nl_sock *nl = s->nl;
	struct nl_out *o;
	int rc;

	while ((o = nl->outq)) {
		rc = udp_sock_deliver(s, o->data, o->len, NULL, 0, NULL);
		if (rc == -EAGAIN)
			break;		/* EPOLLOUT: netlink_sock_writable() */
		nl->outq = o->next;
		if (!nl->outq)
			nl->outq_tail = &nl->outq;
		nl->outq_bytes -= o->len;
		free(o);
	}
}

/* Start a writer for @s. */
void nlw_init(struct nl_writer *w, struct lw_sock *s)
{
	w->s = s;
	nlb_init(&w->b, w->buf, sizeof(w->buf));
}

/* The datagram being built is complete: queue it. */
void nlw_flush(struct nl_writer *w)
{
	nl_queue(w->s, w->buf, w->b.len);
	nlb_init(&w->b, w->buf, sizeof(w->buf));
}

/* Append one message built by @fn; a new datagram if this one is full. */
void nlw_msg(struct nl_writer *w, nl_build_fn fn, const void *arg, uint16_t type,
	     uint16_t flags, uint32_t seq)
{
	fn(&w->b, arg, type, flags, seq, w->s->nl->portid);
	if (nlb_end(&w->b) == 0 || !w->b.len)
		return;		/* done, or larger than any datagram: dropped */
	nlw_flush(w);
	fn(&w->b, arg, type, flags, seq, w->s->nl->portid);
	nlb_end(&w->b);
}

/* NLMSG_DONE, in the datagram being built if it fits. */
void nlw_done(struct nl_writer *w, uint32_t seq)
{
	if (nlb_done(&w->b, seq, w->s->nl->portid) < 0) {
		nlw_flush(w);
		nlb_done(&w->b, seq, w->s->nl->portid);
	}
}

/* NLMSG_ERROR for @r: an error, or the acknowledgement. */
void nlw_error(struct nl_writer *w, const struct nlreq *r, int error, const char *why)
{
	const struct nl_sock *nl = w->s->nl;

	if (nlb_error(&w->b, r, nl->portid, error, nl->cap_ack, nl->ext_ack, why) < 0) {
		nlw_flush(w);
		nlb_error(&w->b, r, nl->portid, error, nl->cap_ack, nl->ext_ack, why);
	}
}

/*
 * nl_request() - serve one message of a datagram
 * @w:		the writer of the answers
 * @r:		the message
 */
void nl_request(struct nl_writer *w, const struct nlreq *r)
{
	struct lw_daemon *d = w->s->conn->d;
	const char *why = NULL;
	int rc;

	if (r->kind == NLREQ_CONTROL || !(r->flags & NLM_F_REQUEST)) {
		if (r->flags & NLM_F_ACK)
			nlw_error(w, r, 0, NULL);
		return;
	}
	rc = r->error;
	if (rc)
		goto answer;
	switch (r->type) {
	case RTM_GETLINK:
		rc = nl_getlink(w, r);
		break;
	case RTM_GETADDR:
		rc = nl_getaddr(w, r);
		break;
	case RTM_GETROUTE:
		rc = nl_getroute(w, r);
		break;
	case RTM_GETNEIGH:
	case RTM_GETRULE:
		if (!(r->flags & NLM_F_DUMP)) {
			rc = -EOPNOTSUPP;
			break;
		}
		nlw_done(w, r->seq);	/* none kept, or none to show */
		rc = 0;
		break;
	case RTM_NEWADDR: case RTM_DELADDR: case RTM_NEWROUTE: case RTM_DELROUTE:
	case RTM_NEWLINK: case RTM_SETLINK: case RTM_DELLINK:
		if (!w->s->nl->admin) {
			rc = -EPERM;
			break;
		}
		if (r->type == RTM_NEWADDR)
			rc = nl_newaddr(r, &why);
		else if (r->type == RTM_DELADDR)
			rc = nl_deladdr(r, &why);
		else if (r->type == RTM_NEWROUTE)
			rc = nl_newroute(d, r, &why);
		else if (r->type == RTM_DELROUTE)
			rc = nl_delroute(r, &why);
		else if (r->type == RTM_DELLINK) {
			why = "lwIP's interfaces are its links: none can be deleted here";
			rc = -EOPNOTSUPP;
		} else
			rc = nl_setlink(r, &why);
		if (!rc)
			lw_info("netlink: %s done", r->type == RTM_NEWADDR ? "address added" :
				r->type == RTM_DELADDR ? "address deleted" :
				r->type == RTM_NEWROUTE ? "route added" :
				r->type == RTM_DELROUTE ? "route deleted" : "link changed");
		break;
	default:
		rc = -EOPNOTSUPP;
		break;
	}
answer:
	/* dumps end with NLMSG_DONE, not with an acknowledgement; NLM_F_DUMP
	 * means a dump in a GET only (in a NEW, 0x200 is NLM_F_EXCL) */
	if (rc || ((r->flags & NLM_F_ACK) &&
		   !((r->type & 3) == 2 && (r->flags & NLM_F_DUMP))))
		nlw_error(w, r, rc, why);
}
