/* SPDX-License-Identifier: GPL-2.0-or-later
 *
 * lw.h - netsup-lwip: shared types of the lwIP stack daemon
 *
 * One daemon is one lwIP instance behind one link.  Its event loop
 * (loop.c) watches tagged sources: the stack file's listening socket,
 * client connections (serve.c), the daemon's ends of the socketpairs
 * (sock.c, tcp.c, udp.c), the link (link.c) and a signalfd.  All of the
 * state below is protected by lwIP's core lock (LOCK_TCPIP_CORE): the loop
 * takes it for each batch of events, and lwIP's own thread holds it when
 * it runs timers and calls our callbacks.
 */
#ifndef NETSUP_LW_H
#define NETSUP_LW_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/types.h>

#include "lwip/ip_addr.h"
#include "lwip/netif.h"

#include "../stackproto.h"
#include "../../common/log.h"

struct tcp_pcb;
struct udp_pcb;
struct raw_pcb;
struct nl_sock;
struct pbuf;
struct vdeconn;

/* What an epoll event belongs to; first member of each source. */
enum lw_src_type {
	SRC_LISTEN,		/* the stack file */
	SRC_CONN,		/* a client connection */
	SRC_SOCK,		/* the daemon's end of a socketpair */
	SRC_LINK,		/* the link's data descriptor */
	SRC_SIGNAL,		/* signalfd: SIGTERM, SIGINT */
};

struct lw_src {
	enum lw_src_type type;
	bool gone;		/* freed at the end of the loop's batch: skip it */
};

struct lw_options {
	const char *stackfile;
	const char *link;		/* libvdeplug URL */
	const char *netns;		/* open the link in this namespace */
	const char *ip, *gw, *ip6, *gw6;
	unsigned int mtu;
	int verbose;
	bool daemon;
	const char *pidfile;
	int ready_fd;			/* --ready-fd, or -1 */
	unsigned int max_socks;		/* --max-sockets: per client connection */
	unsigned int max_user_socks;	/* --max-user-sockets: per client uid */
	const char *log;		/* --log FILE, or NULL */
};

/* The sockets of one user (the uid of SO_PEERCRED), over its connections. */
struct lw_user {
	struct lw_user *next;
	uid_t uid;
	unsigned int conns;		/* connections that name it */
	unsigned int nsocks;
};

struct lw_daemon {
	const struct lw_options *opt;
	int epfd;
	struct lw_src listen_src;
	int listen_fd;
	struct lw_src link_src;
	struct vdeconn *vde;
	int link_fd;
	struct lw_src signal_src;
	int signal_fd;
	struct netif netif;		/* the link's */
	struct netif loif;		/* loopback: 127.0.0.1/8, ::1 (loif.c) */
	struct lw_conn *conns;
	struct lw_conn *dead_conns;	/* freed by the loop after its batch */
	struct lw_sock *dead_socks;
	struct lw_sock *rx_dirty;	/* peer data to write after this batch */
	bool batch;			/* the loop is in a batch of events */
	bool accept_paused;		/* out of descriptors: stack file not watched */
	bool stop;
	unsigned char *iobuf;		/* the data path: one read, SP_MSG_MAX */
	unsigned char *msgbuf;		/* one request, SP_MSG_MAX */
	struct lw_user *users;
	int udp_probe[2];		/* udp.c: a private pair that measures SIOCOUTQ */
	uint32_t *udp_amount;		/* udp.c: per datagram size, from udp_probe */
};

/* A request that waits: blocking CONNECT, ACCEPT, DGRAMSRC. */
struct lw_pending {
	struct lw_pending *hnext;	/* in its connection's hash bucket */
	struct lw_pending *snext, **sprev;	/* in its socket's list, oldest first */
	uint64_t id;
	uint16_t op;
	struct lw_sock *s;
	uint64_t deadline;	/* CLOCK_MONOTONIC ms: answered -EAGAIN then; 0: never */
};

/* What an operation handler returns besides 0 and -errno (ops.c). */
#define LW_OP_REPLIED	(-100001)	/* it sent its reply itself */
#define LW_OP_WAIT	(-100002)	/* the request waits (serve.c keeps it) */
#define LW_OP_GENERIC	(-100003)	/* netlink.c: serve it as any socket */

/* A client connection. */
struct lw_conn {
	struct lw_src src;
	struct lw_conn *next;
	struct lw_daemon *d;
	int fd;
	bool hello;
	uint32_t version;		/* of the stack protocol, from HELLO */
	bool dead;			/* to be closed after this event */
	uint64_t next_handle;
	struct lw_sock *socks;
	unsigned int nsocks;		/* sockets holding a descriptor or a pcb */
	struct lw_user *user;
	struct lw_pending **ptab;	/* waiting requests, hashed by id */
	unsigned int pbuckets, npending;
	unsigned int zombies;
};

enum lw_state {
	ST_NEW,			/* no connection: bound or not */
	ST_CONNECTING,
	ST_CONNECTED,
	ST_LISTEN,
	ST_DONE,		/* the connection is over (reset, failed, closed) */
};

/* One datagram written to the child's end, for DGRAMSRC. */
struct lw_dgram {
	uint32_t amount;	/* what SIOCOUTQ rose by */
	uint32_t len;
	ip_addr_t addr;
	uint16_t port;
	int16_t ttl;		/* its IP TTL or hop limit, -1 unknown */
	uint8_t tos;		/* its TOS or traffic class */
	uint8_t ifindex;	/* the interface it came in by, 0 unknown */
	bool v4;		/* it came over IPv4 */
	ip_addr_t dst;		/* its header's destination */
};

/* A socket of the stack. */
struct lw_sock {
	struct lw_src src;
	struct lw_sock *next;		/* in conn->socks */
	struct lw_conn *conn;
	uint64_t handle;
	int domain, type;		/* AF_INET/AF_INET6/AF_NETLINK, SOCK_STREAM/SOCK_DGRAM */
	int protocol;			/* IPPROTO_ICMP(V6) (ping), IPPROTO_UDPLITE,
					 * NETLINK_ROUTE; 0: TCP, UDP */
	int so_type;			/* SO_TYPE: SOCK_RAW for a netlink socket made so */
	int fd;				/* the daemon's end, -1 once closed */
	int child_fd;			/* the child's end, until handed over */
	uint32_t events;		/* registered in epoll; 0: not registered */
	bool in_epoll;
	enum lw_state state;
	bool connect_unseen;		/* a non-blocking connect, not yet said
					 * done: the next connect() gives 0, or
					 * its error if it failed */
	bool zombie;			/* reset: no pcb, no fd; answers names, SO_ERROR */
	bool counted;			/* in conn->nsocks and its user's count */
	struct lw_pending *pending, **pending_tail;	/* its waiting requests */
	int so_error;			/* positive errno, SO_ERROR */
	/* options kept for getsockopt */
	bool v6only, reuseaddr, keepalive, nodelay, broadcast;
	bool linger_on;			/* SO_LINGER: {1, 0} resets at close */
	int linger_secs;
	bool recv_ttl;			/* datagrams: IP_RECVTTL, IPV6_RECVHOPLIMIT */
	bool recv_tos;			/* IP_RECVTOS, IPV6_RECVTCLASS */
	bool recv_pktinfo;		/* IP_PKTINFO, IPV6_RECVPKTINFO */
	int rcvbuf, sndbuf;		/* as set; 0: never set */
	int keepidle, keepintvl, keepcnt;	/* seconds, seconds, probes */
	int tos, ttl;
	int plain[24];			/* options kept with no effect (sockopt.c) */
	/* names, kept so that they survive the pcb */
	ip_addr_t local_ip, remote_ip;
	uint16_t local_port, remote_port;
	bool bound, has_peer;
	union {
		struct tcp_pcb *tcp;
		struct udp_pcb *udp;
		struct raw_pcb *raw;	/* ping sockets (icmp.c) */
	} pcb;
	struct nl_sock *nl;		/* netlink sockets (netlink.c) */
	/* TCP */
	size_t filler;			/* bytes of filler still in the socketpair */
	struct pbuf **rxv;		/* from lwIP, not yet written to fd */
	unsigned int rxn, rxcap;
	size_t rx_off;			/* bytes of rxv[0] written already */
	struct lw_sock *rx_next;	/* in d->rx_dirty */
	bool rx_pending;		/* is in d->rx_dirty */
	unsigned char *stash;		/* read from fd, not yet taken by lwIP */
	size_t stash_len, stash_off;
	bool peer_fin;			/* FIN from the peer: SHUT_WR once rxq is empty */
	bool fd_eof;			/* EOF from the child: FIN once stash is sent */
	bool shut_rd, shut_wr;		/* done by SHUTDOWN */
	bool hup;			/* the child's end is gone */
	bool child_reset;		/* ... with bytes unread in it: close with RST */
	int backlog;
	struct lw_sock *acceptq, **acceptq_tail;	/* listener: not yet accepted */
	unsigned int nqueued;
	struct lw_sock *listener;	/* while in a listener's accept queue */
	/* UDP */
	struct lw_dgram *dq;		/* ring of datagrams in the child's queue */
	unsigned int dq_head, dq_len, dq_cap;
};

/* Is @s a ping socket (SOCK_DGRAM, IPPROTO_ICMP or IPPROTO_ICMPV6)? */
static inline bool lw_is_ping(const struct lw_sock *s)
{
	return s->domain != AF_NETLINK &&
	       (s->protocol == IPPROTO_ICMP || s->protocol == IPPROTO_ICMPV6);
}

/* link.c */
int link_open(struct lw_daemon *d);
int link_setup(struct lw_daemon *d);
void link_input(struct lw_daemon *d);
void link_close(struct lw_daemon *d);
int link_describe(const struct lw_daemon *d, char *buf, size_t len);
bool link_router6(const struct lw_daemon *d);
int link_gw6(struct netif *netif, const ip6_addr_t *gw);
int link_routers6(ip6_addr_t *out, int max);
void link_gw6_clear(void);

/* loif.c */
int loif_setup(struct lw_daemon *d);
void loif_remove(struct lw_daemon *d);
bool loif_is_loopback(const ip_addr_t *ip);
bool loif_martian(const unsigned char *frame, size_t len);

/* loop.c */
int loop_add(struct lw_daemon *d, int fd, uint32_t events, struct lw_src *src);
int loop_mod(struct lw_daemon *d, int fd, uint32_t events, struct lw_src *src);
void loop_del(struct lw_daemon *d, int fd);
int loop_run(struct lw_daemon *d);
void loop_reap(struct lw_daemon *d);
void loop_drain(struct lw_daemon *d, int ms);

/* serve.c */
int serve_listen(struct lw_daemon *d);
void serve_accept(struct lw_daemon *d);
void serve_accept_resume(struct lw_daemon *d);
void serve_conn_event(struct lw_conn *c, uint32_t events);
void serve_close_all(struct lw_daemon *d);
int serve_reply(struct lw_conn *c, struct sp_msg *m, int passfd);
int serve_reply_err(struct lw_conn *c, uint16_t op, uint64_t id, int error);
bool serve_pending_done(struct lw_sock *s, uint16_t op, int result);
struct lw_pending *serve_pending_take(struct lw_sock *s, uint16_t op);
void serve_accept_ready(struct lw_sock *l);
void serve_dgramsrc_ready(struct lw_sock *s);
void serve_conn_free(struct lw_conn *c);
int serve_pending_add(struct lw_conn *c, const struct sp_msg *m, struct lw_sock *s);
void serve_pending_deadline(struct lw_conn *c, uint64_t id, int ms);
struct lw_pending *serve_pending_find(struct lw_conn *c, uint64_t id, bool unlink);
int serve_sock_charge(struct lw_conn *c);
void serve_sock_uncharge(struct lw_conn *c);

#define LW_PENDING_MAX	8192	/* waiting requests per client connection */

/* ops.c */
void ops_request(struct lw_conn *c, const void *buf, size_t len);
void ops_accept_reply(struct lw_sock *l, uint64_t id);
void ops_dgramsrc_reply(struct lw_sock *s, uint64_t id);

/* sock.c */
int sock_new(struct lw_conn *c, int domain, int type, int protocol, bool connected,
	     struct lw_sock **out);
void sock_release(struct lw_sock *s);
void sock_zombify(struct lw_sock *s);
struct lw_sock *sock_find(struct lw_conn *c, uint64_t handle);
void sock_update(struct lw_sock *s);
void sock_event(struct lw_sock *s, uint32_t events);
void sock_reap_closed(struct lw_daemon *d, bool listeners);
void sock_drop_filler(struct lw_sock *s);
bool sock_child_gone(struct lw_sock *s);
int sock_to_ip(const struct lw_sock *s, const void *addr, uint32_t len,
	       ip_addr_t *ip, uint16_t *port);
void sock_dest_any(const struct lw_sock *s, ip_addr_t *ip);
uint32_t sock_from_ip(const struct lw_sock *s, const ip_addr_t *ip,
		      uint16_t port, struct sockaddr_storage *ss);
int sock_check_local(const struct lw_sock *s, const ip_addr_t *ip);
int sock_route_check(const struct lw_sock *s, const ip_addr_t *ip);

/* sockopt.c */
void sockopt_init(struct lw_sock *s);
void sockopt_apply(struct lw_sock *s);
int sockopt_set(struct lw_sock *s, int level, int name, const void *val, uint32_t len);
int sockopt_get(struct lw_sock *s, int level, int name, void *val, uint32_t *len);
int lw_errno(int lwip_err);

/* tcp.c */
int tcp_sock_open(struct lw_sock *s);
int tcp_sock_bind(struct lw_sock *s, const ip_addr_t *ip, uint16_t port);
int tcp_sock_listen(struct lw_sock *s, int backlog);
int tcp_sock_connect(struct lw_sock *s, const ip_addr_t *ip, uint16_t port);
struct lw_sock *tcp_sock_accept(struct lw_sock *l);
int tcp_sock_shutdown(struct lw_sock *s, int how);
void tcp_sock_readable(struct lw_sock *s);
void tcp_sock_writable(struct lw_sock *s);
void tcp_sock_close(struct lw_sock *s, bool reset);
void tcp_sock_names(struct lw_sock *s);
void tcp_sock_rx_drop(struct lw_sock *s);
void tcp_flush_all(struct lw_daemon *d);

/* udp.c */
int udp_probe_open(struct lw_daemon *d);
void udp_probe_close(struct lw_daemon *d);
int udp_sock_open(struct lw_sock *s);
int udp_sock_bind(struct lw_sock *s, const ip_addr_t *ip, uint16_t port);
int udp_sock_connect(struct lw_sock *s, const ip_addr_t *ip, uint16_t port);
int udp_sock_disconnect(struct lw_sock *s);
int udp_sock_sendto(struct lw_sock *s, const ip_addr_t *ip, uint16_t port,
		    const void *data, size_t len, const struct sp_anc *anc);
int udp_sock_head(struct lw_sock *s, struct lw_dgram *out);
int udp_sock_deliver(struct lw_sock *s, const void *buf, size_t len,
		     const ip_addr_t *addr, uint16_t port, const struct lw_dgram *ipinfo);
void udp_sock_readable(struct lw_sock *s);
void udp_sock_close(struct lw_sock *s);

/* netlink.c */
int netlink_sock_open(struct lw_sock *s, bool admin);
int netlink_op(struct lw_conn *c, struct sp_msg *m, struct lw_sock *s);
void netlink_sock_readable(struct lw_sock *s);
void netlink_sock_writable(struct lw_sock *s);
uint32_t netlink_sock_events(const struct lw_sock *s);
void netlink_sock_close(struct lw_sock *s);
int netlink_ifreq(struct lw_daemon *d, unsigned long req, void *ifr, uint32_t *len);
bool netlink_conn_may_admin(const struct lw_conn *c);

/* icmp.c: ping sockets */
int icmp_sock_open(struct lw_sock *s);
int icmp_sock_bind(struct lw_sock *s, const ip_addr_t *ip, uint16_t port);
int icmp_sock_connect(struct lw_sock *s, const ip_addr_t *ip, uint16_t port);
int icmp_sock_disconnect(struct lw_sock *s);
int icmp_sock_sendto(struct lw_sock *s, const ip_addr_t *ip, const void *data, size_t len);
void icmp_sock_close(struct lw_sock *s);

/* udpanc.c: ancillary data of datagrams */
void udpanc_current(struct lw_dgram *rec);
void udpanc_reply(const struct lw_sock *s, const struct lw_dgram *d, struct sp_anc *out);
int udpanc_sockopt_set(struct lw_sock *s, int level, int name, int v);
int udpanc_sockopt_get(const struct lw_sock *s, int level, int name, int *v);
int udpanc_route(const struct lw_sock *s, const struct sp_anc *anc, const ip_addr_t *dst,
		 ip_addr_t *src, struct netif **out);

/*
 * Diagnostics: the common logger (common/log.h), lines "netsup-lwip: ...".
 * Errors and warnings are always printed; -v adds one line per decision
 * (a client, a socket, a link event), -vv a trace of every request.  The
 * --log file's lines have no timestamp; a daemon in the background
 * without --log writes to syslog(3) instead of stderr.
 */
#define LW_ERR	LOG_ERR
#define LW_WARN	LOG_WARN
#define LW_INFO	LOG_INFO
#define LW_DEBUG LOG_DEBUG
#define lw_log(level, ...)	log_msg(level, __VA_ARGS__)
#define lw_log_level(level)	log_set_level(level)
#define lw_log_file(fd)		log_use_file(fd)
#define lw_log_detach()		log_detach()
#define lw_err(...)	lw_log(LW_ERR, __VA_ARGS__)
#define lw_warn(...)	lw_log(LW_WARN, __VA_ARGS__)
#define lw_info(...)	lw_log(LW_INFO, __VA_ARGS__)
#define lw_debug(...)	lw_log(LW_DEBUG, __VA_ARGS__)

#endif /* NETSUP_LW_H */
