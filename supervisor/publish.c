// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * publish.c - --publish: host ports forwarded into a --user-net stack
 *
 * A published port is one of slirp's forwardings (libvdeplug_slirp(1):
 * tcpfwd=, udpfwd=, each a comma-separated list: given twice, the option
 * keeps only its last value, so all the TCP ones go in one tcpfwd= and
 * all the UDP ones in one udpfwd=).  slirp binds the host's ports itself
 * and says nothing on the command's terminal when it cannot, so netsup
 * binds each one first (publish_check()): a port in use or an address
 * that is not the host's is an error before the command starts, not a
 * forwarding that silently never listens.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "publish.h"

/* A port or a range FIRST-LAST of @s: decimal digits only, 1 to 65535. */
static int publish_ports(const char *s, unsigned int *first, unsigned int *count)
{
	unsigned long a, b;
	const char *dash;
	char *end;

	if (*s < '0' || *s > '9')
		return -EINVAL;		/* strtoul would take blanks and signs */
	errno = 0;
	a = strtoul(s, &end, 10);
	b = a;
	dash = end;
	if (*dash == '-') {
		if (dash[1] < '0' || dash[1] > '9')
			return -EINVAL;
		b = strtoul(dash + 1, &end, 10);
	}
	if (errno || *end || !a || a > 65535 || b < a || b > 65535)
		return -EINVAL;
	*first = (unsigned int)a;
	*count = (unsigned int)(b - a + 1);
	return 0;
}

/**
 * publish_parse() - one --publish
 * @spec:	[IP:]HOSTPORT[-LAST]:PORT[-LAST][/tcp|/udp]
 * @p:		receives it
 *
 * A range on one side needs one of the same length on the other (as
 * pasta's -t 1000-1010:2000-2010).
 *
 * Return: 0, or -EINVAL for anything else (an IP that is neither an IPv4
 *	   address in dotted quad nor an IPv6 one in brackets, blanks, ports
 *	   out of 1..65535)
 */
int publish_parse(const char *spec, struct publish *p)
{
	char buf[64], *proto, *last, *mid, *host = NULL;
	unsigned int n;

	memset(p, 0, sizeof(*p));
	if (strlen(spec) >= sizeof(buf))
		return -EINVAL;
	memcpy(buf, spec, strlen(spec) + 1);
	proto = strchr(buf, '/');
	if (proto) {
		*proto++ = '\0';
		if (strcmp(proto, "udp") == 0)
			p->udp = true;
		else if (strcmp(proto, "tcp") != 0)
			return -EINVAL;
	}
	last = strrchr(buf, ':');
	if (!last)
		return -EINVAL;
	*last++ = '\0';
	mid = strrchr(buf, ':');
	if (mid) {
		*mid++ = '\0';
		host = buf;
	} else {
		mid = buf;
	}
	p->any = !host;
	if (host && host[0] == '[') {
		size_t hl = strlen(host);

		/* [v6]: the brackets as in a URL, the address as inet_pton(3) reads it */
		if (hl < 3 || host[hl - 1] != ']')
			return -EINVAL;
		host[hl - 1] = '\0';
		if (inet_pton(AF_INET6, host + 1, &p->host6) != 1)
			return -EINVAL;
		p->family = AF_INET6;
	} else if (host) {
		if (inet_pton(AF_INET, host, &p->host) != 1)
			return -EINVAL;
		p->family = AF_INET;
	}
	if (publish_ports(mid, &p->host_port, &p->count) ||
	    publish_ports(last, &p->port, &n) || n != p->count)
		return -EINVAL;
	return 0;
}

/* Append @p's forwardings to @guest to @buf (of @len, @used of it so far). */
static int publish_append(const struct publish *p, const char *guest, char *buf, size_t len,
			  size_t *used)
{
	char host[INET_ADDRSTRLEN] = "";
	unsigned int i;
	int n;

	if (!p->any)
		inet_ntop(AF_INET, &p->host, host, sizeof(host));
	for (i = 0; i < p->count; i++) {
		n = snprintf(buf + *used, len - *used, "%s%s%s%u:%s:%u",
			     buf[*used - 1] == '=' ? "" : ",", host, p->any ? "" : ":",
			     p->host_port + i, guest, p->port + i);
		if (n < 0 || (size_t)n >= len - *used)
			return -ENAMETOOLONG;
		*used += (size_t)n;
	}
	return 0;
}

/**
 * publish_url() - the slirp:// link URL with the forwardings of --publish
 * @specs:	the --publish specs
 * @n:		how many
 * @guest:	the command's address, where they go
 * @tcp_native:	TCP ports are the host's own listeners (movepub.c): not slirp's
 * @buf:	receives the URL
 * @len:	its size
 *
 * Return: 0, -EINVAL (a malformed spec), -E2BIG (more than
 *	   PUBLISH_PORTS_MAX ports), -EAFNOSUPPORT (an IPv6 address of the
 *	   host for slirp, whose forwardings are IPv4's), -ENAMETOOLONG
 */
int publish_url(const char *const *specs, int n, const char *guest, bool tcp_native,
		char *buf, size_t len)
{
	static const char *const kinds[] = { "tcpfwd=", "udpfwd=" };
	unsigned int ports = 0;
	struct publish p;
	size_t used, k;
	int i, rc, seen;

	rc = snprintf(buf, len, "slirp://");
	if (rc < 0 || (size_t)rc >= len)
		return -ENAMETOOLONG;
	used = (size_t)rc;
	for (k = 0; k < 2; k++) {
		for (i = 0, seen = 0; i < n; i++) {
			rc = publish_parse(specs[i], &p);
			if (rc)
				return rc;
			if (p.udp != (k == 1))
				continue;
			ports += p.count;
			if (ports > PUBLISH_PORTS_MAX)
				return -E2BIG;
			if (!p.udp && tcp_native)
				continue;
			if (p.family == AF_INET6)
				return -EAFNOSUPPORT;
			if (!seen++) {
				rc = snprintf(buf + used, len - used, "/%s", kinds[k]);
				if (rc < 0 || (size_t)rc >= len - used)
					return -ENAMETOOLONG;
				used += (size_t)rc;
			}
			rc = publish_append(&p, guest, buf, len, &used);
			if (rc)
				return rc;
		}
	}
	return 0;
}

/**
 * publish_check() - could the host's ports of @p be bound now?
 * @p:		one --publish
 * @port:	receives the port that could not
 *
 * Bound and closed again at once, as the user, in netsup's namespace:
 * slirp does the same a moment later (a port taken in between is the
 * race any such check has).  SO_REUSEADDR as slirp's own listeners have,
 * so a port in TIME_WAIT is not refused.
 *
 * Return: 0, -EADDRINUSE, -EADDRNOTAVAIL (not an address of this host),
 *	   -EACCES (a port below the unprivileged start), -errno
 */
int publish_check(const struct publish *p, unsigned int *port)
{
	int domain = p->family == AF_INET6 ? AF_INET6 : AF_INET;
	struct sockaddr_storage ss;
	unsigned int i;
	int fd, one = 1, rc = 0;
	socklen_t len;

	for (i = 0; !rc && i < p->count; i++) {
		*port = p->host_port + i;
		rc = publish_host_addr(p, domain, true, *port, &ss, &len);
		if (rc)
			return rc;
		fd = socket(domain, (p->udp ? SOCK_DGRAM : SOCK_STREAM) | SOCK_CLOEXEC, 0);
		if (fd < 0)
			return -errno;
		if (!p->udp && setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)))
			rc = -errno;
		if (!rc && domain == AF_INET6 &&
		    setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &one, sizeof(one)))
			rc = -errno;
		if (!rc && bind(fd, (struct sockaddr *)&ss, len))
			rc = -errno;
		close(fd);
	}
	return rc;
}

/**
 * publish_match() - is @port of the command published by @p?
 * @p:		one --publish
 * @udp:	of UDP (else TCP)
 * @port:	the command's port
 * @host_port:	receives the host's port it is published as
 *
 * Return: true if it is
 */
bool publish_match(const struct publish *p, bool udp, unsigned int port,
		   unsigned int *host_port)
{
	if (p->udp != udp || port < p->port || port >= p->port + p->count)
		return false;
	*host_port = p->host_port + (port - p->port);
	return true;
}

/**
 * publish_host_addr() - the host's address a socket of @domain binds for @p
 * @p:		one --publish
 * @domain:	the socket's, AF_INET or AF_INET6
 * @v6only:	an AF_INET6 socket's IPV6_V6ONLY
 * @host_port:	the host's port
 * @ss:		receives the address
 * @len:	and its length
 *
 * Every address of the host is 0.0.0.0, or :: for an AF_INET6 socket
 * (which then takes IPv4 too unless it is IPV6_V6ONLY, as pasta's
 * forwardings do); an IPv4 address is v4-mapped for an AF_INET6 socket.
 *
 * Return: 0, or -EAFNOSUPPORT (an IPv6 address for an AF_INET socket, an
 *	   IPv4 one for an IPV6_V6ONLY socket)
 */
int publish_host_addr(const struct publish *p, int domain, bool v6only, unsigned int host_port,
		      struct sockaddr_storage *ss, socklen_t *len)
{
	struct sockaddr_in *sin = (struct sockaddr_in *)ss;
	struct sockaddr_in6 *sin6 = (struct sockaddr_in6 *)ss;

	memset(ss, 0, sizeof(*ss));
	if (domain == AF_INET) {
		if (p->family == AF_INET6)
			return -EAFNOSUPPORT;
		sin->sin_family = AF_INET;
		sin->sin_port = htons((uint16_t)host_port);
		sin->sin_addr.s_addr = p->any ? htonl(INADDR_ANY) : p->host.s_addr;
		*len = sizeof(*sin);
		return 0;
	}
	if (p->family == AF_INET && v6only)
		return -EAFNOSUPPORT;
	sin6->sin6_family = AF_INET6;
	sin6->sin6_port = htons((uint16_t)host_port);
	if (p->family == AF_INET6) {
		sin6->sin6_addr = p->host6;
	} else if (p->family == AF_INET) {
		sin6->sin6_addr.s6_addr[10] = sin6->sin6_addr.s6_addr[11] = 0xff;
		memcpy(sin6->sin6_addr.s6_addr + 12, &p->host, 4);
	}
	*len = sizeof(*sin6);
	return 0;
}
